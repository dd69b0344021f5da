/** Annotations (kubectl's last-applied-configuration above all) round-trip byte for byte. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sample } from "../../helpers/fixtures.ts";
import { collection, objectPath, startRestStack, type RestStack } from "./rest-harness.ts";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
});
afterAll(() => s.close());

const LAST_APPLIED =
  '{"apiVersion":"netguard.sgroups.io/v1beta1","kind":"Service","metadata":{"annotations":{},"labels":{"app":"web"},"name":"svc-1","namespace":"shop"},"spec":{"description":"frontend \\"quoted\\" — ünïcødé 🚀\\ttab","ingressPorts":[{"port":"80","protocol":"TCP"}]}}\n';

describe("annotations", () => {
  test("are stored and returned verbatim through create, get, list, patch and update", async () => {
    const o = sample("Service", 1).object;
    o.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": LAST_APPLIED, "example.com/empty": "", "example.com/spaces": "  a  b  " };
    const created = await s.call("POST", collection("services"), o);
    expect(created.status).toBe(201);
    expect(created.body.metadata.annotations).toEqual(o.metadata.annotations);

    const raw = await (await s.http(objectPath("services", "svc-1"))).text();
    expect(JSON.parse(raw).metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toBe(LAST_APPLIED);
    expect(raw).toContain(JSON.stringify(LAST_APPLIED));

    const listed = await s.call("GET", collection("services"));
    expect(listed.body.items[0].metadata.annotations).toEqual(o.metadata.annotations);

    const next = LAST_APPLIED.replace("frontend", "frontend v2");
    const patched = await s.call(
      "PATCH",
      objectPath("services", "svc-1"),
      { metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": next } } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(patched.body.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toBe(next);
    expect(patched.body.metadata.annotations["example.com/spaces"]).toBe("  a  b  ");

    const live = patched.body;
    live.spec.description = "updated";
    const updated = await s.call("PUT", objectPath("services", "svc-1"), live);
    expect(updated.body.metadata.annotations).toEqual(live.metadata.annotations);
  });
});
