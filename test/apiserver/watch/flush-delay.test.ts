/**
 * The coalescing window of watch flushes (watch.flush_delay → WatchHubOptions.flushDelayMs): changes
 * published within one window reach each watcher as one write, and none leaves before the window.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { about, backend, hub, makeSample, openWatch, params, useCleanup } from "./watch-kit.ts";

useCleanup();

const WINDOW_MS = 1000;

test("changes inside one flush window reach a watcher as one write, after the window", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const kind = kindByName("Service")!;
  const h = hub(createBackendClient(b.url), "streaming", { flushDelayMs: WINDOW_MS });
  const w = openWatch(h, params(kind, { resourceVersion: "0" }));
  const first = await makeSample(client, kind, 1);
  await w.until((es) => about(es, first.metadata.name).length === 1, 10_000, "the first sample");
  const chunksBefore = w.chunks.length;
  const t0 = Date.now();
  const made = [await makeSample(client, kind, 2), await makeSample(client, kind, 3), await makeSample(client, kind, 4)];
  const names = made.map((o) => o.metadata.name);
  await w.until((es) => about(es, ...names).length === 3, 10_000, "three samples");
  // A lower bound only: load can delay the flush, never advance it.
  expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  const after = w.chunks.slice(chunksBefore);
  expect(after.length).toBe(1);
  for (const n of names) expect(after[0]).toContain(`"name":"${n}"`);
});
