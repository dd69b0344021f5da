/**
 * The largest Sync batch the backend accepts. A batch is validated, derived and committed as one
 * transaction under the write lock, so its size bounds how long other writes wait and how much
 * memory one request pins; a client with more objects splits them into several Syncs. Kubernetes
 * answers an oversized request with 413; the RPC equivalent is RESOURCE_EXHAUSTED, with a message
 * that names the limit so the client knows how to split.
 */
import { Code, ConnectError } from "@connectrpc/connect";

/** Default cap on the items of one Sync request. */
export const DEFAULT_MAX_SYNC_ITEMS = 10_000;

/** RESOURCE_EXHAUSTED when `count` items exceed `max`; nothing is written. */
export function checkSyncBatchSize(count: number, max: number, kind: string): void {
  if (count <= max) return;
  throw new ConnectError(
    `Sync batch of ${count} ${kind} items exceeds the limit of ${max} items per request; split it into batches of at most ${max}`,
    Code.ResourceExhausted,
  );
}
