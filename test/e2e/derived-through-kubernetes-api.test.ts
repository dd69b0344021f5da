/**
 * Domain depth through the Kubernetes API: the §8 fixtures applied with kubectl produce every
 * derived object; every negative case gets a Status naming the field or the conflicting object and
 * writes nothing; derived changes reach `kubectl get -w` as their own events.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { FIXTURE_DIR, FIXTURE_FILES } from "../helpers/fixtures.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";

let stack: Stack;
const API = "/apis/netguard.sgroups.io/v1beta1";

const EGR_TCP = "egr-97877b71-97e2-9550-1be1-6cf5b857d9d6";
const ING_TCP = "ing-8fbe3a69-f284-d187-3317-a365c3ed8e7c";

async function kubectlOk(args: string[], input?: string, on: Stack = stack): Promise<string> {
  const r = await on.kubectl(args, { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function getJson(path: string): Promise<Record<string, any>> {
  const res = await fetch(`${stack.api.url}${API}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

async function send(method: string, path: string, body?: unknown, on: Stack = stack): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${on.api.url}${API}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" },
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const ref = (kind: string, namespace: string, name: string) => ({ apiVersion: "netguard.sgroups.io/v1beta1", kind, name, namespace });
const obj = (kind: string, namespace: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: "netguard.sgroups.io/v1beta1", kind, metadata: { name, namespace }, spec });

/**
 * The §8 fixtures applied the way the kubectl -w test applies them (files 01–03, 04, the worker's
 * port patched to 9001, then 05), so each test that reads them can ask for them itself, in any order.
 */
async function applyFixtures(on: Stack, between: { afterBase?: () => Promise<void>; afterRules?: () => Promise<void>; afterPatch?: () => Promise<void> } = {}) {
  for (const f of FIXTURE_FILES.slice(0, 3)) await kubectlOk(["apply", "-f", join(FIXTURE_DIR, f)], undefined, on);
  await between.afterBase?.();
  await kubectlOk(["apply", "-f", join(FIXTURE_DIR, "04-rules2s.yaml")], undefined, on);
  await between.afterRules?.();
  await kubectlOk(["patch", "ngsvc", "worker", "--type", "merge", "-p", '{"spec":{"ingressPorts":[{"protocol":"TCP","port":"9001"}]}}'], undefined, on);
  await between.afterPatch?.();
  await kubectlOk(["apply", "-f", join(FIXTURE_DIR, "05-ieagagrule.yaml")], undefined, on);
}

let applied: Promise<void> | undefined;
/** The shared stack with the fixtures applied (once, by whichever test asks first). */
const fixturesApplied = () => (applied ??= applyFixtures(stack));

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe("derived objects through the Kubernetes API", () => {
  test("kubectl get -w on IEAgAgRules shows the generated rules appear when RuleS2S are applied", async () => {
    // its own stack: the watches must see the fixtures arrive, whatever the other tests did
    const own = await startStack();
    try {
      let w: ReturnType<Stack["kubectlBackground"]> | undefined;
      let pm: ReturnType<Stack["kubectlBackground"]> | undefined;
      await applyFixtures(own, {
        afterBase: async () => {
          w = own.kubectlBackground(["get", "ieagagrules", "-n", "shop", "-w", "--output-watch-events"]);
          pm = own.kubectlBackground(["get", "addressgroupportmappings", "-A", "-w", "--output-watch-events"]);
          await pm.waitFor((o) => /ADDED\s+infra\s+ag-shared-db/.test(o));
        },
        afterRules: async () => {
          const out = await w!.waitFor((o) => o.includes(EGR_TCP) && o.includes(ING_TCP));
          expect(out).toMatch(new RegExp(`ADDED\\s+${EGR_TCP}\\s+EGRESS\\s+ACCEPT`));
          expect(out).toMatch(new RegExp(`ADDED\\s+${ING_TCP}\\s+INGRESS\\s+ACCEPT`));
        },
        // a Service port change regenerates the port mapping: a MODIFIED of a derived kind, live
        afterPatch: async () => {
          await pm!.waitFor((o) => /MODIFIED\s+shop\s+ag-worker/.test(o));
          await w!.stop();
          await pm!.stop();
        },
      });
    } finally {
      await own.close();
    }
  });

  test("every expected derived object is there with the expected content", async () => {
    await fixturesApplied();
    const frontend = await getJson("/namespaces/shop/services/frontend");
    expect(frontend.xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "ag-frontend"), source: "spec" }]);
    const worker = await getJson("/namespaces/shop/services/worker");
    expect(worker.xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "ag-worker"), source: "binding" }]);
    expect((await getJson("/namespaces/shop/addressgroupportmappings/ag-backend")).accessPorts.items).toEqual([
      { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", name: "backend", namespace: "shop", ports: { TCP: [{ port: "8080-8081" }], UDP: [{ port: "5353" }] } },
    ]);
    expect((await getJson("/namespaces/infra/addressgroupportmappings/ag-shared-db")).accessPorts.items[0]).toMatchObject({ name: "billing", namespace: "payments", ports: { TCP: [{ port: "7000" }] } });
    const egr = await getJson(`/namespaces/shop/ieagagrules/${EGR_TCP}`);
    expect(egr.spec).toMatchObject({
      transport: "TCP",
      traffic: "EGRESS",
      addressGroupLocal: ref("AddressGroup", "shop", "ag-frontend"),
      addressGroup: ref("AddressGroup", "shop", "ag-backend"),
      ports: [{ portRange: { from: 8080, to: 8081 } }],
      action: "ACCEPT",
      priority: 100,
      trace: true,
    });
    const ing = await getJson(`/namespaces/shop/ieagagrules/${ING_TCP}`);
    expect(ing.spec.traffic).toBe("INGRESS");
    expect(ing.spec.trace).toBeUndefined();
    const rules = (await getJson("/namespaces/shop/ieagagrules")).items.map((r: any) => r.metadata.name).sort();
    expect(rules.filter((n: string) => /^(ing|egr)-/.test(n)).length).toBe(4); // TCP and UDP, both directions
    const rule = await getJson("/namespaces/shop/rules2s/frontend-to-backend");
    expect(rule.status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
    expect(rule.status.ieAgAgRuleRefs.map((r: any) => r.name)).toContain(EGR_TCP);
  });

  const negatives: [string, string, string, unknown, number, RegExp][] = [
    ["RuleS2S ref of kind ServiceAlias", "POST", "/namespaces/shop/rules2s", obj("RuleS2S", "shop", "neg-1", { traffic: "EGRESS", serviceLocalRef: ref("Service", "shop", "frontend"), serviceRef: ref("ServiceAlias", "shop", "frontend-alias") }), 422, /spec\.serviceRef\.kind/],
    ["RuleS2S local ref in another namespace", "POST", "/namespaces/shop/rules2s", obj("RuleS2S", "shop", "neg-2", { traffic: "EGRESS", serviceLocalRef: ref("Service", "payments", "billing"), serviceRef: ref("Service", "shop", "frontend") }), 422, /spec\.serviceLocalRef\.namespace/],
    ["changing the traffic of a RuleS2S", "PATCH", "/namespaces/shop/rules2s/frontend-to-backend", { spec: { traffic: "INGRESS" } }, 422, /spec\.traffic/],
    ["ServiceAlias pointing into another namespace", "POST", "/namespaces/shop/servicealiases", obj("ServiceAlias", "shop", "neg-4", { serviceRef: ref("Service", "payments", "billing") }), 422, /spec\.serviceRef\.namespace/],
    ["binding an AddressGroup owned through spec", "POST", "/namespaces/shop/addressgroupbindings", obj("AddressGroupBinding", "shop", "neg-5", { serviceRef: ref("Service", "shop", "worker"), addressGroupRef: ref("AddressGroup", "shop", "ag-frontend") }), 422, /frontend/],
    ["overlapping ports in one AddressGroup", "POST", "/namespaces/shop/services", obj("Service", "shop", "neg-6", { ingressPorts: [{ protocol: "TCP", port: "8081" }], addressGroups: [ref("AddressGroup", "shop", "ag-backend")] }), 422, /backend/],
    ["AddressGroup without defaultAction", "POST", "/namespaces/shop/addressgroups", obj("AddressGroup", "shop", "neg-7", {}), 422, /spec\.defaultAction/],
    ["IEAgAgRule port with both port and portRange", "POST", "/namespaces/shop/ieagagrules", obj("IEAgAgRule", "shop", "neg-8", { transport: "TCP", traffic: "INGRESS", addressGroupLocal: ref("AddressGroup", "shop", "ag-worker"), addressGroup: ref("AddressGroup", "shop", "ag-frontend"), ports: [{ port: 22, portRange: { from: 1, to: 2 } }] }), 422, /spec\.ports\[0\]/],
    ["cross-namespace binding without a policy", "POST", "/namespaces/payments/addressgroupbindings", obj("AddressGroupBinding", "payments", "neg-9", { serviceRef: ref("Service", "payments", "billing"), addressGroupRef: ref("AddressGroup", "shop", "ag-worker") }), 422, /cross-namespace binding not allowed/],
    ["deleting a server-managed port mapping", "DELETE", "/namespaces/shop/addressgroupportmappings/ag-frontend", undefined, 409, /managed by the server/],
  ];
  test.each(negatives)("%s is refused with a Status naming the cause and nothing is written", async (_n, method, path, body, code, cause) => {
    await fixturesApplied();
    const before = stack.backend.engine.currentRv;
    const r = await send(method, path, body);
    expect(r.status).toBe(code);
    expect(r.body.kind).toBe("Status");
    expect(JSON.stringify(r.body.details?.causes ?? []) + r.body.message).toMatch(cause);
    expect(stack.backend.engine.currentRv).toBe(before);
  });

  test("objects still in use are not refused but left Terminating; their in-use finalizer cannot be removed while they are used", async () => {
    // its own stack: leaving objects Terminating would change what the other tests' writes meet
    const own = await startStack();
    try {
      await applyFixtures(own);
      await inUseAreLeftTerminating(own);
    } finally {
      await own.close();
    }
  });
});

/** Deletes objects still in use and checks each is left Terminating with its finalizer held. */
async function inUseAreLeftTerminating(stack: Stack) {
  {
    for (const [path, user] of [
      ["/namespaces/shop/services/frontend", /frontend-alias/],
      ["/namespaces/shop/addressgroups/ag-worker", /worker-in-ag-worker/],
      ["/namespaces/infra/addressgroupbindingpolicies/allow-billing-into-shared-db", /billing-to-shared-db/],
    ] as const) {
      const r = await send("DELETE", path, undefined, stack);
      expect(r.status).toBe(200);
      expect(r.body.metadata.deletionTimestamp).toBeDefined();
      expect(r.body.metadata.finalizers).toEqual(["netguard.sgroups.io/in-use-protection"]);
      const before = stack.backend.engine.currentRv;
      const strip = await send("PATCH", path, { metadata: { finalizers: null } }, stack);
      expect(strip.status).toBe(422);
      expect(JSON.stringify(strip.body.details?.causes ?? []) + strip.body.message).toMatch(user);
      expect(stack.backend.engine.currentRv).toBe(before);
    }
  }
}
