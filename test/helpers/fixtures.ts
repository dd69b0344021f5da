/**
 * Test objects: the domain-reference §8 fixtures (the same YAML files kubectl applies) and, for
 * every kind, a generator of fresh valid objects with whatever they depend on.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";

export const FIXTURE_DIR = join(import.meta.dir, "..", "fixtures");
export const FIXTURE_FILES = ["01-base.yaml", "02-binding.yaml", "03-cross-namespace.yaml", "04-rules2s.yaml", "05-ieagagrule.yaml", "06-networks.yaml", "07-hosts.yaml"];

export function loadFixture(file: string): KubeObject[] {
  const text = readFileSync(join(FIXTURE_DIR, file), "utf8");
  return parseAllDocuments(text).map((d) => d.toJSON() as KubeObject);
}

/** All fixtures in apply order. */
export function allFixtures(): KubeObject[] {
  return FIXTURE_FILES.flatMap(loadFixture);
}

const ref = (kind: string, name: string, namespace: string) => ({ apiVersion: API_VERSION, kind, name, namespace });
const obj = (kind: string, name: string, namespace: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { name, namespace },
  spec,
  ...extra,
});

/** A /24 unique per `n` (below 65536) under first octet `a`. */
const cidrOf = (a: number, n: number) => `${a}.${(n >> 8) & 255}.${n & 255}.0/24`;
/** A UUID unique per `n` and `prefix` (one hex digit). */
const uuidOf = (prefix: number, n: number) => `${prefix.toString(16).repeat(8)}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

/**
 * A new valid object of `kind` (suffix makes it unique) and the objects it needs first. Independent
 * of the fixtures: each sample brings its own dependencies, so samples can be created in any number.
 *
 * `derived` samples (AddressGroupPortMapping) are not written by clients: creating `needs` makes
 * the server create `object` (its content is then the server's), and deleting `owner` deletes it.
 */
export function sample(kind: string, n: number): { needs: KubeObject[]; object: KubeObject; derived?: true; owner?: KubeObject } {
  const ns = "shop";
  const svc = (name: string, port: number, namespace = ns) =>
    obj("Service", name, namespace, { ingressPorts: [{ protocol: "TCP", port: String(port) }] });
  const ag = (name: string, namespace = ns) => obj("AddressGroup", name, namespace, { defaultAction: "ACCEPT" });
  switch (kind) {
    case "Service":
      return { needs: [], object: svc(`svc-${n}`, 10_000 + n) };
    case "AddressGroup":
      return { needs: [], object: ag(`ag-${n}`) };
    case "AddressGroupBinding":
      return {
        needs: [svc(`bsvc-${n}`, 20_000 + n), ag(`bag-${n}`)],
        object: obj(kind, `bind-${n}`, ns, { serviceRef: ref("Service", `bsvc-${n}`, ns), addressGroupRef: ref("AddressGroup", `bag-${n}`, ns) }),
      };
    case "AddressGroupPortMapping": {
      const owner = ag(`pm-${n}`);
      return { needs: [owner], object: obj(kind, `pm-${n}`, ns, {}), derived: true, owner };
    }
    case "RuleS2S":
      return {
        needs: [svc(`rl-${n}`, 30_000 + n), svc(`rt-${n}`, 40_000 + n)],
        object: obj(kind, `rule-${n}`, ns, { traffic: "INGRESS", serviceLocalRef: ref("Service", `rl-${n}`, ns), serviceRef: ref("Service", `rt-${n}`, ns) }),
      };
    case "ServiceAlias":
      return { needs: [svc(`as-${n}`, 50_000 + n)], object: obj(kind, `alias-${n}`, ns, { serviceRef: ref("Service", `as-${n}`, ns) }) };
    case "AddressGroupBindingPolicy":
      return {
        needs: [svc(`ps-${n}`, 60_000 + (n % 5000), "payments"), ag(`pag-${n}`, "infra")],
        object: obj(kind, `pol-${n}`, "infra", { addressGroupRef: ref("AddressGroup", `pag-${n}`, "infra"), serviceRef: ref("Service", `ps-${n}`, "payments") }),
      };
    case "IEAgAgRule":
      return {
        needs: [ag(`il-${n}`), ag(`ir-${n}`)],
        object: obj(kind, `ie-${n}`, ns, {
          transport: "TCP",
          traffic: "INGRESS",
          addressGroupLocal: ref("AddressGroup", `il-${n}`, ns),
          addressGroup: ref("AddressGroup", `ir-${n}`, ns),
          ports: [{ port: 22 }],
          action: "ACCEPT",
        }),
      };
    case "Network":
      return { needs: [], object: obj(kind, `net-${n}`, ns, { cidr: cidrOf(10, n) }) };
    case "NetworkBinding":
      return {
        needs: [obj("Network", `nbnet-${n}`, ns, { cidr: cidrOf(11, n) }), ag(`nbag-${n}`)],
        object: obj(kind, `nb-${n}`, ns, { networkRef: ref("Network", `nbnet-${n}`, ns), addressGroupRef: ref("AddressGroup", `nbag-${n}`, ns) }),
      };
    case "Host":
      return { needs: [], object: obj(kind, `host-${n}`, ns, { uuid: uuidOf(0xa, n) }) };
    case "HostBinding":
      return {
        needs: [obj("Host", `hbhost-${n}`, ns, { uuid: uuidOf(0xb, n) }), ag(`hbag-${n}`)],
        object: obj(kind, `hb-${n}`, ns, { hostRef: ref("Host", `hbhost-${n}`, ns), addressGroupRef: ref("AddressGroup", `hbag-${n}`, ns) }),
      };
    default:
      throw new Error(`no sample for ${kind}`);
  }
}
