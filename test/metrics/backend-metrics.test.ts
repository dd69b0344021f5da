import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { ensurePromtool, promtoolCheck, unexpectedLint } from "../helpers/promtool.ts";
import { createObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";
import { readWatch } from "../helpers/watch-reader.ts";

let backend: Backend;
beforeAll(() => void ensurePromtool(), TOOL_FETCH_TIMEOUT_MS);
beforeAll(async () => {
  backend = await startTestBackend({ ringCapacity: 4 });
});
afterAll(async () => {
  await backend.close();
});

const scrape = async () => (await fetch(`${backend.url}/metrics`)).text();

/** Scrapes until `pred` holds (the gauge follows stream ends asynchronously); fails after 10 s. */
async function scrapeUntil(pred: (text: string) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  let text = await scrape();
  while (!pred(text)) {
    if (Date.now() > deadline) throw new Error(`/metrics never matched; last scrape:\n${text}`);
    await new Promise((r) => setTimeout(r, 25));
    text = await scrape();
  }
}

describe("backend /metrics", () => {
  test("exposes watch, RPC, event-store, log and process metrics that promtool accepts", async () => {
    const client = clientFor(backend.url);
    const kind = kindByName("Service")!;
    const w = readWatch(kind, (signal) => watchKindRpc(client, kind, {}, signal));
    for (let i = 0; i < 6; i++) await createObj(client, sample("Service", i).object);
    await w.until((es) => es.filter((e) => e.type === "ADDED").length >= 6);
    await createObj(client, sample("Service", 0).object).catch(() => undefined); // AlreadyExists
    const text = await scrape();
    expect(text).toContain('watch_streams_active_total{resource_type="services"} 1');
    expect(text).toContain('watch_events_total{resource_type="services",event_type="ADDED"} 6');
    expect(text).toContain('netguard_backend_rpc_requests_total{method="Create",code="ok"} 6');
    expect(text).toContain('netguard_backend_rpc_requests_total{method="Create",code="already_exists"} 1');
    expect(text).toMatch(/netguard_backend_rpc_duration_seconds_bucket\{method="Create",le="\+Inf"\} 7/);
    expect(text).toContain('netguard_event_store_ring_events{resource_type="services"} 4');
    expect(text).toContain("netguard_resource_version 6");
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    const r = promtoolCheck(text);
    expect(unexpectedLint(r.output)).toEqual([]);
    w.stop();
  });

  test("a closed watch leaves the active gauge at zero", async () => {
    // Its own watch on a kind no other test here watches: the gauge must go 0 → 1 → 0.
    const kind = kindByName("AddressGroup")!;
    const gauge = (n: number) => `watch_streams_active_total{resource_type="addressgroups"} ${n}\n`;
    expect(await scrape()).toContain(gauge(0));
    const w = readWatch(kind, (signal) => watchKindRpc(clientFor(backend.url), kind, {}, signal));
    await scrapeUntil((text) => text.includes(gauge(1)));
    w.stop();
    await scrapeUntil((text) => text.includes(gauge(0)));
  }, 20_000);
});
