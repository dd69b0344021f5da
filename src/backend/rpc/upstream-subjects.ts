/**
 * Sync subjects that upstream's netguard.v1 `SyncReq` has and this server does not serve yet
 * (networks, network bindings, hosts, host bindings: field numbers 10–13). Our proto leaves them
 * out, so an upstream client's request arrives with them as unknown fields; naming the subject in
 * an `unimplemented` error tells its operator exactly what is missing, where a generic "no subject"
 * error would send them looking for a bug in their client.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { Message } from "@bufbuild/protobuf";

const UPSTREAM_ONLY_SUBJECTS: ReadonlyMap<number, string> = new Map([
  [10, "networks"],
  [11, "network_bindings"],
  [12, "hosts"],
  [13, "host_bindings"],
]);

/** An `unimplemented` error naming the first upstream-only subject set in `req`, if any. */
export function unimplementedSubject(req: Message): ConnectError | undefined {
  const unknown = (req as { $unknown?: { no: number }[] }).$unknown ?? [];
  for (const field of unknown) {
    const name = UPSTREAM_ONLY_SUBJECTS.get(field.no);
    if (name) {
      return new ConnectError(
        `SyncReq.subject ${name} (field ${field.no}) is not implemented by this server yet; it serves services, address_groups, address_group_bindings, address_group_port_mappings, rule_s2s, service_aliases, address_group_binding_policies and ieagag_rules`,
        Code.Unimplemented,
      );
    }
  }
  return undefined;
}
