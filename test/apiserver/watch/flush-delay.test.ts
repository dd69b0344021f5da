/**
 * The coalescing window of watch flushes (watch.flush_delay → WatchHubOptions.flushDelayMs). The
 * window opens at a flush: a change after a quiet spell goes out on the next event-loop turn, and
 * changes published within the window of the previous flush reach each watcher as one write, not
 * before the window ends.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { about, backend, hub, makeSample, openWatch, params, useCleanup } from "./watch-kit.ts";

useCleanup();

const WINDOW_MS = 3000;

/** A watch through a hub with a long window, after a quiet spell longer than the window. */
async function quietWatch() {
  const b = await backend();
  const client = clientFor(b.url);
  const kind = kindByName("Service")!;
  const h = hub(createBackendClient(b.url), "streaming", { flushDelayMs: WINDOW_MS });
  const w = openWatch(h, params(kind, { resourceVersion: "0" }));
  await w.until((es) => es.length >= 0, 10_000, "the watch");
  // Longer than one window: whatever flushed while the watch started is out of the way.
  await Bun.sleep(WINDOW_MS + 200);
  return { client, kind, w };
}

test("a change after a quiet spell is written at once, not after the window", async () => {
  const { client, kind, w } = await quietWatch();
  const t0 = Date.now();
  const made = await makeSample(client, kind, 1);
  await w.until((es) => about(es, made.metadata.name).length === 1, 10_000, "the sample");
  // An upper bound with room for a loaded machine: a window-long wait would take WINDOW_MS.
  expect(Date.now() - t0).toBeLessThan(WINDOW_MS / 2);
}, 30_000);

test("changes inside one flush window reach a watcher as one write, after the window", async () => {
  const { client, kind, w } = await quietWatch();
  // The first change flushes at once and opens a window; t0 is before that flush.
  const t0 = Date.now();
  const first = await makeSample(client, kind, 1);
  await w.until((es) => about(es, first.metadata.name).length === 1, 10_000, "the first sample");
  const chunksBefore = w.chunks.length;
  const made = [await makeSample(client, kind, 2), await makeSample(client, kind, 3), await makeSample(client, kind, 4)];
  const names = made.map((o) => o.metadata.name);
  await w.until((es) => about(es, ...names).length === 3, 20_000, "three samples");
  // A lower bound only: load can delay the flush, never advance it.
  expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  const after = w.chunks.slice(chunksBefore);
  expect(after.length).toBe(1);
  for (const n of names) expect(after[0]).toContain(`"name":"${n}"`);
}, 30_000);
