/**
 * The two gauges added for the alerts: the backend's oldest open watcher position (compared with
 * the retention floor) and the API server's configured watch mode (tells a fallback to polling
 * from polling by design).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { createBackendClient } from "../../src/apiserver/backend-client.ts";
import { createApiServerMetrics } from "../../src/apiserver/apiserver-metrics.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch } from "../helpers/watch-reader.ts";

let backend: Backend;
beforeAll(async () => {
  backend = await startTestBackend({ ringCapacity: 16 });
});
afterAll(async () => {
  await backend.close();
});

const OLDEST = "netguard_event_store_oldest_cursor_resource_version";
const sampleOf = (text: string, name: string) => new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1];
const scrape = async () => (await fetch(`${backend.url}/metrics`)).text();

async function scrapeUntil(pred: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  let text = await scrape();
  while (!pred(text)) {
    if (Date.now() > deadline) throw new Error(`/metrics never matched; last scrape:\n${text}`);
    await new Promise((r) => setTimeout(r, 25));
    text = await scrape();
  }
  return text;
}

describe("backend oldest watcher position", () => {
  test("absent without watchers; a caught-up watcher stands at the newest version; gone when it ends", async () => {
    const client = clientFor(backend.url);
    const before = await scrape();
    expect(before).toContain(`# TYPE ${OLDEST} gauge`);
    expect(sampleOf(before, OLDEST)).toBeUndefined();
    const kind = kindByName("Service")!;
    const w = readWatch(kind, (signal) => watchKindRpc(client, kind, {}, signal));
    await w.until((es) => es.some((e) => e.type === "BOOKMARK"));
    // Writes of another kind move the head; an idle, caught-up Service watcher is not "behind".
    for (let i = 0; i < 3; i++) await createObj(client, sample("AddressGroup", 100 + i).object);
    const text = await scrapeUntil((t) => sampleOf(t, OLDEST) !== undefined);
    expect(sampleOf(text, OLDEST)).toBe(sampleOf(text, "netguard_resource_version"));
    w.stop();
    await scrapeUntil((t) => sampleOf(t, OLDEST) === undefined);
  });

  test("a watcher behind in the ring stands just before its next unread event", async () => {
    const events = backend.engine.events;
    const rv0 = backend.engine.currentRv;
    const client = clientFor(backend.url);
    const first = await createObj(client, sample("AddressGroup", 200).object);
    await createObj(client, sample("AddressGroup", 201).object);
    const cursor = events.cursor("AddressGroup", rv0);
    const untrack = events.track(cursor);
    expect(events.oldestPosition()).toBe(Number(first.metadata.resourceVersion) - 1);
    const ring = events.ring("AddressGroup");
    for (let i = 0; i < 10 && cursor.nextSeq !== ring.nextSeq; i++) await events.read(cursor);
    expect(events.oldestPosition()).toBe(backend.engine.currentRv);
    untrack();
    expect(events.oldestPosition()).toBeUndefined();
  });
});

describe("API server configured watch mode", () => {
  test("reports the configured mode, polling when streaming is switched off", () => {
    const client = createBackendClient(backend.url);
    const render = (mode: "auto" | "streaming" | "polling", streamingEnabled: boolean) => {
      const m = createApiServerMetrics();
      m.attach(createWatchHub({ backend: client, mode, streamingEnabled, pollingIntervalMs: 200, streamReconnectDelayMs: 50, cacheCapacity: 16 }));
      return m.render().split("\n").filter((l) => l.startsWith("netguard_apiserver_watch_configured_mode"));
    };
    expect(render("auto", true)).toEqual(['netguard_apiserver_watch_configured_mode{mode="auto"} 1']);
    expect(render("streaming", true)).toEqual(['netguard_apiserver_watch_configured_mode{mode="streaming"} 1']);
    expect(render("auto", false)).toEqual(['netguard_apiserver_watch_configured_mode{mode="polling"} 1']);
    client.close();
  });
});
