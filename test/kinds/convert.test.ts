import { describe, expect, test } from "bun:test";
import { canonicalize, fromProto, toProto } from "../../src/kinds/convert.ts";
import { KINDS, kindByName } from "../../src/kinds/kind-table.ts";
import { allFixtures } from "../helpers/fixtures.ts";

describe("Kubernetes object ↔ netguard.v1 message", () => {
  test.each(allFixtures().map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))("%s survives a round trip unchanged", (_n, obj) => {
    const kind = kindByName(obj.kind)!;
    const back = canonicalize(kind, obj);
    expect(back.spec).toEqual(obj.spec);
    expect(back.metadata.labels).toEqual(obj.metadata.labels);
  });

  test("false, 0 and empty strings a client set read back; fields left out stay absent", () => {
    const rule = kindByName("IEAgAgRule")!;
    const set = { logs: false, trace: false, priority: 0, description: "" };
    const back = canonicalize(rule, { apiVersion: "netguard.sgroups.io/v1beta1", kind: "IEAgAgRule", metadata: { name: "r", namespace: "ns" }, spec: { ...set } });
    expect(back.spec).toMatchObject(set);
    const bare = canonicalize(rule, { apiVersion: "netguard.sgroups.io/v1beta1", kind: "IEAgAgRule", metadata: { name: "r", namespace: "ns" }, spec: {} });
    for (const k of Object.keys(set)) expect(bare.spec).not.toHaveProperty(k);
    const svc = kindByName("Service")!;
    const port = canonicalize(svc, {
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "Service",
      metadata: { name: "s", namespace: "ns" },
      spec: { description: "", ingressPorts: [{ protocol: "TCP", port: "80", description: "" }] },
    });
    expect(port.spec).toEqual({ description: "", ingressPorts: [{ protocol: "TCP", port: "80", description: "" }] });
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
    expect(new Set(KINDS.map((k) => k.schema.typeName)).size).toBe(KINDS.length);
    expect(new Set(KINDS.map((k) => k.resourceCase)).size).toBe(KINDS.length);
    expect(new Set(KINDS.map((k) => k.syncCase)).size).toBe(KINDS.length);
  });
});
