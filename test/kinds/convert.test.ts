import { describe, expect, test } from "bun:test";
import { canonicalize, fromProto, toProto } from "../../src/kinds/convert.ts";
import { KINDS, kindByName } from "../../src/kinds/kind-table.ts";
import { allFixtures } from "../helpers/fixtures.ts";

describe("Kubernetes object ↔ netguard.v1 message", () => {
  test.each(allFixtures().map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))("%s survives a round trip unchanged", (_n, obj) => {
    const kind = kindByName(obj.kind)!;
    const back = canonicalize(kind, obj);
    expect(back.spec).toEqual(JSON.parse(JSON.stringify(obj.spec, (_k, v) => (v === false ? undefined : v))));
    expect(back.metadata.labels).toEqual(obj.metadata.labels);
  });

  test("metadata, conditions and observedGeneration travel in Meta", () => {
    const kind = kindByName("AddressGroup")!;
    const obj = {
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "AddressGroup",
      metadata: {
        name: "ag",
        namespace: "ns",
        uid: "7d7c0b4e-0000-4000-8000-000000000001",
        resourceVersion: "42",
        generation: 3,
        creationTimestamp: "2026-01-02T03:04:05Z",
        labels: { a: "b" },
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"x":1}\n' },
        generateName: "ag-",
      },
      spec: { defaultAction: "DROP", logs: true },
      status: { conditions: [{ type: "Ready", status: "True", reason: "Ready", message: "ok", lastTransitionTime: "2026-01-02T03:04:06Z", observedGeneration: 3 }], observedGeneration: 3 },
    };
    const msg = toProto(kind, obj) as unknown as { meta: { uid: string; generation: bigint; conditions: unknown[] } };
    expect(msg.meta.uid).toBe(obj.metadata.uid);
    expect(msg.meta.generation).toBe(3n);
    expect(fromProto(kind, msg as never)).toEqual(obj);
  });

  test("upstream references without object_ref (identifier only) read back with apiVersion and kind", () => {
    const kind = kindByName("ServiceAlias")!;
    const back = fromProto(kind, toProto(kind, { apiVersion: "x", kind: "ServiceAlias", metadata: { name: "a", namespace: "shop" }, spec: {} }) as never);
    expect(back.spec).toEqual({});
    const msg = toProto(kind, { apiVersion: "x", kind: "ServiceAlias", metadata: { name: "a", namespace: "shop" }, spec: { serviceRef: { name: "svc", namespace: "shop" } } }) as unknown as {
      serviceRef: { objectRef?: unknown; identifier: { name: string } };
    };
    msg.serviceRef.objectRef = undefined;
    expect(fromProto(kind, msg as never).spec).toEqual({ serviceRef: { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", name: "svc", namespace: "shop" } });
  });

  test("every kind has a distinct wire message, resource case and sync case", () => {
    expect(new Set(KINDS.map((k) => k.schema.typeName)).size).toBe(8);
    expect(new Set(KINDS.map((k) => k.resourceCase)).size).toBe(8);
    expect(new Set(KINDS.map((k) => k.syncCase)).size).toBe(8);
  });
});
