/**
 * A state view in which one object already has its new version. Derived fields of an object that
 * a client is writing are computed before the write is recorded (so a no-op write is still
 * recognised as one), yet they must see the object as written: a Service's aggregated groups
 * come from its *new* `spec.addressGroups`.
 */
import type { KubeObject } from "../../kinds/model.ts";
import { findBy, type StateView } from "../../domain/mod.ts";

export function stateWithObject(base: StateView, kind: string, obj: KubeObject): StateView {
  const { namespace, name } = obj.metadata;
  const isSelf = (o: KubeObject) => o.metadata.namespace === namespace && o.metadata.name === name;
  return {
    get: (k, ns, n) => (k === kind && ns === namespace && n === name ? obj : base.get(k, ns, n)),
    *list(k) {
      if (k !== kind) {
        yield* base.list(k);
        return;
      }
      for (const o of base.list(k)) if (!isSelf(o)) yield o;
      yield obj;
    },
    *lookup(k, index, value) {
      if (k !== kind) {
        yield* findBy(base, k, index, value);
        return;
      }
      for (const o of findBy(base, k, index, value)) if (!isSelf(o)) yield o;
      if (index.keys(obj).includes(value)) yield obj;
    },
  };
}
