/**
 * A Network as an AddressGroup lists it (`networks[]`) and as its NetworkBinding shows it
 * (`network`): upstream's NetworkItem, whose name is the sgroups network name "<namespace>/<name>"
 * (upstream's network binding service), beside the Network's namespace and CIDR.
 */
import { messageOf, str } from "../codecs.ts";
import { API_VERSION, type KubeObject } from "../model.ts";
import { NETWORK_KIND } from "../network/kind-name.ts";

/** The NetworkItem of a stored Network. */
export function networkItemOf(network: KubeObject): Record<string, string> {
  const { namespace, name } = network.metadata;
  const cidr = network.spec?.cidr;
  return { name: `${namespace}/${name}`, cidr: typeof cidr === "string" ? cidr : "", apiVersion: API_VERSION, kind: NETWORK_KIND, namespace };
}

/** The NetworkItem wire codec (same keys on both sides). */
export const networkItemCodec = messageOf([
  ["name", "name", str],
  ["cidr", "cidr", str],
  ["apiVersion", "apiVersion", str],
  ["kind", "kind", str],
  ["namespace", "namespace", str],
]);
