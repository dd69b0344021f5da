/**
 * Networks, NetworkBindings, Hosts and HostBindings with the real kubectl: the fixtures apply with
 * client-side validation against our OpenAPI, `kubectl get` prints their columns, manifests in
 * upstream's shape (references without namespace) apply, invalid ones get 422 with the field, and
 * `get -w` follows a binding's effect on the Network.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { FIXTURE_DIR, FIXTURE_FILES } from "../helpers/fixtures.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  for (const f of FIXTURE_FILES) await ok(["apply", "--validate=strict", "-f", join(FIXTURE_DIR, f)]);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

async function ok(args: string[], input?: string) {
  const r = await stack.kubectl(args, { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const manifest = (kind: string, name: string, spec: string) =>
  `apiVersion: netguard.sgroups.io/v1beta1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: edge}\nspec: ${spec}\n`;
const upstreamRef = (kind: string, name: string) => `{apiVersion: netguard.sgroups.io/v1beta1, kind: ${kind}, name: ${name}}`;

describe("kubectl with networks and hosts", () => {
  test("get prints CIDR and Bound for Networks, UUID, Bound and the group for Hosts, the references for bindings", async () => {
    const nets = await ok(["get", "networks", "-n", "edge"]);
    expect(nets).toMatch(/NAME\s+CIDR\s+BOUND\s+STATUS\s+AGE/);
    expect(nets).toMatch(/office\s+10\.20\.0\.0\/16\s+true\s+Active/);
    expect(nets).toMatch(/vpn\s+2001:db8:20::\/48\s+false\s+Active/);
    const hosts = await ok(["get", "hosts.netguard.sgroups.io", "-n", "edge"]);
    expect(hosts).toMatch(/NAME\s+UUID\s+BOUND\s+ADDRESSGROUP\s+STATUS\s+AGE/);
    expect(hosts).toMatch(/web-1\s+6f1c2a3e-5b7d-4c8e-9f10-1a2b3c4d5e6f\s+true\s+edge\/ag-edge/);
    expect(await ok(["get", "networkbindings", "-n", "edge"])).toMatch(/office-in-ag-edge\s+office\s+ag-edge/);
    expect(await ok(["get", "hostbindings", "-n", "edge"])).toMatch(/web-1-in-ag-edge\s+web-1\s+ag-edge/);
    const ag = JSON.parse(await ok(["get", "ag", "ag-edge", "-n", "edge", "-o", "json"]));
    expect(ag.networks).toEqual([{ name: "edge/office", cidr: "10.20.0.0/16", apiVersion: "netguard.sgroups.io/v1beta1", kind: "Network", namespace: "edge" }]);
    expect(ag.xAggregatedHosts).toEqual([
      { ref: { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Host", name: "web-1", namespace: "edge" }, uuid: "6f1c2a3e-5b7d-4c8e-9f10-1a2b3c4d5e6f", source: "binding" },
    ]);
  });

  test("a binding in upstream's shape (references without namespace) applies, and -w shows the Network becoming bound", async () => {
    // Its own Network and address group: the other tests of this file may run before or after it
    // (--randomize) and read the fixtures' Networks.
    await ok(["apply", "-f", "-"], manifest("AddressGroup", "ag-wan", "{defaultAction: DROP}") + "---\n" + manifest("Network", "wan", "{cidr: 2001:db8:30::/48}"));
    const w = stack.kubectlBackground(["get", "networks", "-n", "edge", "-w", "--output-watch-events"]);
    await w.waitFor((o) => /ADDED\s+wan\s+2001:db8:30::\/48\s+false/.test(o));
    const out = await ok(["apply", "--validate=strict", "-f", "-"], manifest("NetworkBinding", "wan-in-ag-wan", `{networkRef: ${upstreamRef("Network", "wan")}, addressGroupRef: ${upstreamRef("AddressGroup", "ag-wan")}}`));
    expect(out.trim()).toBe("networkbinding.netguard.sgroups.io/wan-in-ag-wan created");
    await w.waitFor((o) => /MODIFIED\s+wan\s+2001:db8:30::\/48\s+true/.test(o));
    await w.stop();
    expect(await ok(["get", "ag", "ag-wan", "-n", "edge", "-o", "jsonpath={.networks[*].cidr}"])).toBe("2001:db8:30::/48");
    expect(await ok(["get", "networkbinding", "wan-in-ag-wan", "-n", "edge", "-o", "jsonpath={.spec.networkRef.namespace}"])).toBe("edge");
  });

  test("an upstream-shaped manifest converges: kubectl diff is empty after apply, and a server-side apply of it is accepted", async () => {
    const m =
      manifest("AddressGroup", "ag-lab", "{defaultAction: DROP}") +
      "---\n" +
      manifest("Network", "lab", "{cidr: 10.30.0.0/24}") +
      "---\n" +
      manifest("NetworkBinding", "lab-in-ag-edge", `{networkRef: ${upstreamRef("Network", "lab")}, addressGroupRef: ${upstreamRef("AddressGroup", "ag-lab")}}`);
    await ok(["apply", "-f", "-"], m);
    const diff = await stack.kubectl(["diff", "-f", "-"], { input: m });
    expect({ code: diff.code, out: diff.stdout }).toEqual({ code: 0, out: "" });
    expect(await ok(["apply", "--server-side", "--force-conflicts", "-f", "-"], m)).toContain("networkbinding.netguard.sgroups.io/lab-in-ag-edge serverside-applied");
    expect(await ok(["get", "networkbinding", "lab-in-ag-edge", "-n", "edge", "-o", "jsonpath={.spec.networkRef.name}"])).toBe("lab");
  });

  test("invalid objects are 422 Invalid naming the field: a CIDR with host bits, a UUID, a reference into another namespace", async () => {
    const cidr = await stack.kubectl(["apply", "-f", "-"], { input: manifest("Network", "bad", "{cidr: 10.0.0.1/24}") });
    expect(cidr.code).not.toBe(0);
    expect(cidr.stderr).toContain('The Network "bad" is invalid: spec.cidr: must be a network address: it has bits set to the right of the prefix length');
    const uuid = await stack.kubectl(["apply", "-f", "-"], { input: manifest("Host", "bad", "{uuid: nope}") });
    expect(uuid.stderr).toContain('The Host "bad" is invalid: spec.uuid: UUID must be in valid UUID format');
    const dup = await stack.kubectl(["apply", "-f", "-"], { input: manifest("Network", "office-copy", "{cidr: 10.20.0.0/16}") });
    expect(dup.stderr).toContain('spec.cidr: Network "edge/office" already exists for the same CIDR');
    const elsewhere = await stack.kubectl(["apply", "-f", "-"], {
      input: manifest("NetworkBinding", "bad", `{networkRef: ${upstreamRef("Network", "vpn")}, addressGroupRef: {apiVersion: netguard.sgroups.io/v1beta1, kind: AddressGroup, name: ag-edge, namespace: shop}}`),
    });
    expect(elsewhere.stderr).toContain('spec.addressGroupRef.namespace: namespace "shop" must equal metadata.namespace "edge"');
  });

  test("a bound Host is Terminating after kubectl delete until its binding goes", async () => {
    await ok(["apply", "-f", "-"], manifest("Host", "web-3", "{uuid: 1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6}") + "---\n" + manifest("AddressGroup", "ag-web-3", "{defaultAction: DROP}") + "---\n" + manifest("HostBinding", "web-3-in-ag-edge", `{hostRef: {apiVersion: netguard.sgroups.io/v1beta1, kind: Host, name: web-3, namespace: edge}, addressGroupRef: {apiVersion: netguard.sgroups.io/v1beta1, kind: AddressGroup, name: ag-web-3, namespace: edge}}`));
    await ok(["delete", "hosts.netguard.sgroups.io", "web-3", "-n", "edge", "--wait=false"]);
    expect(await ok(["get", "hosts.netguard.sgroups.io", "web-3", "-n", "edge"])).toMatch(/web-3\s+.*Terminating/);
    await ok(["delete", "hostbinding", "web-3-in-ag-edge", "-n", "edge"]);
    const gone = await stack.kubectl(["get", "hosts.netguard.sgroups.io", "web-3", "-n", "edge"]);
    expect(gone.stderr).toContain("NotFound");
  });
});
