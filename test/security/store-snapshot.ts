/**
 * The whole store as the backend's List RPCs see it, for "nothing was written" checks: every
 * object of every kind plus the global resourceVersion (which any write, even a no-op-free
 * partial one, would move).
 */
import type { Client } from "@connectrpc/connect";
import { KINDS } from "../../src/kinds/kind-table.ts";
import type { NetguardService } from "../../src/gen/netguard/v1/service_pb.ts";
import { listKind } from "../helpers/rpc-helpers.ts";

/** One comparable value for the store: the resourceVersion and every object of every kind. */
export async function storeSnapshot(client: Client<typeof NetguardService>): Promise<{ resourceVersion: number; objects: string }> {
  let resourceVersion = 0;
  const parts: string[] = [];
  for (const kind of KINDS) {
    const r = await listKind(client, kind);
    resourceVersion = Math.max(resourceVersion, r.resourceVersion);
    parts.push(JSON.stringify(r.items));
  }
  return { resourceVersion, objects: parts.join("\n") };
}

/** The store's current resourceVersion (one cheap List). */
export async function storeResourceVersion(client: Client<typeof NetguardService>): Promise<number> {
  return (await listKind(client, KINDS[0]!, { limit: 1 })).resourceVersion;
}
