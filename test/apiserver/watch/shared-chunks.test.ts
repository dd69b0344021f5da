/**
 * Watchers of one namespace (kubectl's and most informers' watch) share one coalesced chunk per
 * flush: each sees exactly its namespace's changes, in order, and watchers with the same namespace
 * and position are handed the very same bytes, so a flush costs one chunk per namespace, not one
 * per watcher. Label selectors, table watches and all-namespace watches stay correct beside them.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { sample } from "../../helpers/fixtures.ts";
import { createAll } from "../../helpers/rpc-helpers.ts";
import { backend, eventually, hub, onCleanup, openWatch, params, sleepMs, useCleanup, type HubWatch, type WireEvent } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;

function inNamespace(n: number, namespace: string, labels?: Record<string, string>) {
  const o = sample("AddressGroup", n).object;
  return { ...o, metadata: { ...o.metadata, namespace, ...(labels ? { labels } : {}) } };
}

/** Reads a watch body as the chunks it is handed, without copying or decoding them. */
function rawChunks(r: Response): Uint8Array[] {
  const out: Uint8Array[] = [];
  const reader = r.body!.getReader();
  void (async () => {
    for (;;) {
      const c = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (c.done) return;
      out.push(c.value);
    }
  })();
  onCleanup(() => void reader.cancel().catch(() => undefined));
  return out;
}

const names = (es: WireEvent[]) => es.filter((e) => e.type !== "BOOKMARK").map((e) => `${e.object.metadata.namespace}/${e.object.metadata.name}`);

test("namespace watchers share one chunk per namespace and see only their namespace, in order", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  // A long window: the whole burst lands in one flush, so sharing is what the flush must do.
  const h = hub(createBackendClient(b.url), "streaming", { flushDelayMs: 300 });
  const shop = Array.from({ length: 4 }, () => openWatch(h, params(kind, { namespace: "shop", resourceVersion: "" })));
  // Two more shop watchers read raw bytes: the chunks they are handed must be the same object.
  const raw = Array.from({ length: 2 }, () => rawChunks(h.serve(params(kind, { namespace: "shop", resourceVersion: "" }), new AbortController().signal)));
  const infra = Array.from({ length: 3 }, () => openWatch(h, params(kind, { namespace: "infra", resourceVersion: "" })));
  const all = openWatch(h, params(kind, { resourceVersion: "" }));
  const labelled = openWatch(h, params(kind, { namespace: "shop", labelSelector: "tier=web", resourceVersion: "" }));
  const table = openWatch(h, params(kind, { namespace: "shop", resourceVersion: "", format: "table" }));
  await eventually(() => h.sourceModes()[kind.kind] === "streaming" && b.activeWatches.get(kind.kind) === 1, 5000, "stream up");
  await sleepMs(100);

  const objs = [
    inNamespace(1, "shop"),
    inNamespace(2, "infra"),
    inNamespace(3, "shop", { tier: "web" }),
    inNamespace(4, "payments"),
    inNamespace(5, "infra"),
    inNamespace(6, "shop"),
  ];
  await createAll(client, objs);
  const want = (ns?: string, only?: (o: (typeof objs)[number]) => boolean) =>
    objs.filter((o) => (ns === undefined || o.metadata.namespace === ns) && (!only || only(o))).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

  const settle = (w: HubWatch, n: number) => w.until((es) => names(es).length >= n, 8000, `${n} events`);
  for (const w of shop) expect(names(await settle(w, 3))).toEqual(want("shop"));
  for (const w of infra) expect(names(await settle(w, 2))).toEqual(want("infra"));
  expect(names(await settle(all, 6))).toEqual(want());
  expect(names(await settle(labelled, 1))).toEqual(want("shop", (o) => o.metadata.labels?.tier === "web"));
  const rows = (await table.until((es) => es.length >= 3, 8000, "table rows")).map((e) => e.object.rows[0].cells[0]);
  expect(rows).toEqual(want("shop").map((n) => n.split("/")[1]));

  await sleepMs(400); // nothing else may follow
  for (const w of shop) expect(names(w.events)).toEqual(want("shop"));
  for (const w of infra) expect(names(w.events)).toEqual(want("infra"));
  // Same namespace, same position: the same chunk object (one build per namespace per flush).
  const [r1, r2] = raw;
  expect(r1!.length).toBeGreaterThan(1); // the primer, then the flushes of the burst
  expect(r2!.length).toBe(r1!.length);
  for (let i = 1; i < r1!.length; i++) expect(r1![i]).toBe(r2![i]!);
  expect(new TextDecoder().decode(r1!.at(-1))).toBe(shop[0]!.chunks.at(-1)!);
  expect(h.stats()[kind.kind]!.eventsDelivered).toBe(6 * 3 + 3 * 2 + 6 + 1 + 3);
});
