/**
 * How a watcher learns that its client went away (src/apiserver/watch/watcher.ts): through the
 * request's signal until the runtime starts reading the body, and through the body's cancel from
 * then on — so an idle watcher that is streaming keeps no listener on (and no reference to) the
 * request's AbortSignal.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { backend, eventually, hub, params, useCleanup } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("Service")!;

test("a client gone before its body is read (request aborted) ends the watcher", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  const ac = new AbortController();
  const res = h.serve(params(kind, { resourceVersion: "0" }), ac.signal);
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(1);
  ac.abort();
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(0);
  await res.body?.cancel().catch(() => undefined);
});

test("once its body is read, a watcher ends on the body's cancel and no longer listens to the request's signal", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  const ac = new AbortController();
  const res = h.serve(params(kind, { resourceVersion: "0" }), ac.signal);
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe("\n");
  const next = reader.read(); // the runtime's pending read: the watcher is streaming now
  await eventually(() => h.stats()[kind.kind]!.activeWatchers === 1, 8000, "the watcher streaming");
  ac.abort(); // the signal is not what ends a streaming watcher (the runtime cancels the body)
  await new Promise((r) => setTimeout(r, 50));
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(1);
  await reader.cancel();
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(0);
  expect((await next).done).toBe(true);
});
