/**
 * The server-written fields of each kind, as data: which derived fields a kind has, what makes an
 * object of it not Ready, and whether it reports `Synced` (kinds whose changes drive other derived
 * objects). `applyDerivedFields` is used both when a client writes an object (so the written
 * version already carries its derived fields, in the same event) and when a later change in the
 * same transaction makes them stale (a separate event with its own resourceVersion).
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION, type Condition, type KubeObject } from "../../kinds/model.ts";
import { refKey, refsAt } from "../../kinds/validation/references.ts";
import { accessPortsOf } from "./access-ports.ts";
import { aggregatedAddressGroups } from "./aggregated-address-groups.ts";
import { managedConditions, stampConditions } from "./conditions.ts";
import { cmp, type DeriveContext } from "./derive-context.ts";
import { analyzeRule } from "./rule-combinations.ts";

interface KindDerivation {
  /** Sets the kind's derived fields (absent when empty, the canonical form). */
  fields?(obj: KubeObject, key: string, ctx: DeriveContext): void;
  /** Why an object is not Ready; replaces the generic "referenced object not found" check. */
  notReady?(obj: KubeObject, key: string, ctx: DeriveContext): string[];
  synced?: boolean;
}

function setOrDelete(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value === undefined) delete target[field];
  else target[field] = value;
}

const status = (obj: KubeObject): Record<string, unknown> => (obj.status ??= {});

const DERIVATIONS: Readonly<Record<string, KindDerivation>> = {
  Service: {
    fields: (obj, key, ctx) => setOrDelete(obj, "xAggregatedAddressGroups", aggregatedAddressGroups(ctx, key)),
    synced: true,
  },
  AddressGroup: {
    fields: (obj, key) => void (status(obj).addressGroupName = key),
    synced: true,
  },
  AddressGroupBinding: { synced: true },
  AddressGroupPortMapping: {
    fields: (obj, key, ctx) => setOrDelete(obj, "accessPorts", accessPortsOf(ctx, key)),
    notReady: (_obj, key, ctx) => (ctx.get("AddressGroup", key) ? [] : [`AddressGroup ${key} not found`]),
  },
  RuleS2S: {
    fields: (obj, _key, ctx) => {
      const names = new Map<string, { apiVersion: string; kind: string; name: string; namespace: string }>();
      for (const c of analyzeRule(ctx, obj).contributions) {
        names.set(`${c.namespace}/${c.name}`, { apiVersion: API_VERSION, kind: "IEAgAgRule", name: c.name, namespace: c.namespace });
      }
      const refs = [...names.entries()].sort(([a], [b]) => cmp(a, b)).map(([, r]) => r);
      setOrDelete(status(obj), "ieAgAgRuleRefs", refs.length ? refs : undefined);
    },
    notReady: (obj, _key, ctx) => analyzeRule(ctx, obj).problems,
    synced: true,
  },
};

/** Generic readiness: every object the kind table says this kind references exists. */
function missingReferences(kind: KindDescriptor, obj: KubeObject, ctx: DeriveContext): string[] {
  const out: string[] = [];
  for (const ref of kind.refs) {
    for (const located of refsAt(obj, ref)) {
      const key = refKey(located.value);
      if (key && !ctx.get(ref.kind, key)) out.push(`${ref.kind} ${key} not found`);
    }
  }
  return out;
}

/**
 * Sets `obj`'s derived fields, managed conditions and `status.observedGeneration` in place and
 * returns it. `previous` is the version being replaced (its conditions' transition times are
 * kept when the status did not flip); `ctx` must see `obj` as the current version.
 */
export function applyDerivedFields(kind: KindDescriptor, obj: KubeObject, ctx: DeriveContext, previous: KubeObject | undefined, now: Date): KubeObject {
  const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
  const d = DERIVATIONS[kind.kind] ?? {};
  d.fields?.(obj, key, ctx);
  const notReady = d.notReady ? d.notReady(obj, key, ctx) : missingReferences(kind, obj, ctx);
  const generation = obj.metadata.generation ?? 1;
  const own = (obj.status?.conditions as Condition[] | undefined) ?? [];
  const prevConditions = previous?.status?.conditions as Condition[] | undefined;
  const s = status(obj);
  s.conditions = stampConditions(managedConditions(kind.kind, notReady, d.synced === true), generation, prevConditions, own, now);
  s.observedGeneration = generation;
  return obj;
}
