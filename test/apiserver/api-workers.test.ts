/**
 * API-server worker mode (src/runtime/api-workers.ts): several workers share one port, each with its
 * own backend Watch stream per kind, and a watch through any of them sees every event exactly once;
 * closing the workers ends every open watch cleanly (the response ends, no connection reset).
 */
import { afterEach, expect, test } from "bun:test";
import { createServer } from "node:net";
import { loadConfig } from "../../src/config/config.ts";
import { startApiWorkers } from "../../src/runtime/api-workers.ts";
import type { RunningApiServer } from "../../src/runtime/api-server-process.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";

const WATCHES = 16;
const EVENTS = 20;

let backend: Backend | undefined;
let api: RunningApiServer | undefined;
afterEach(async () => {
  await api?.close();
  await backend?.close();
  api = backend = undefined;
});

interface OpenWatch {
  names: string[];
  /** Resolves when the response ends normally; rejects on a reset or read error. */
  ended: Promise<void>;
}

/** A plain HTTP watch on its own connection, collecting the names of ADDED objects. */
async function openWatch(url: string, rv: string): Promise<OpenWatch> {
  const res = await fetch(`${url}/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services?watch=true&resourceVersion=${rv}`, { keepalive: false });
  expect(res.status).toBe(200);
  const names: string[] = [];
  const ended = (async () => {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body!) {
      buf += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
        if (ev.type === "ADDED") names.push(ev.object.metadata.name);
      }
    }
  })();
  ended.catch(() => undefined);
  return { names, ended };
}

async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

async function startWorkers(count: number): Promise<{ url: string; rv: string }> {
  backend = await startTestBackend();
  const cfg = loadConfig(undefined, { NETGUARD_API_INSECURE: "true", NETGUARD_API_ADDR: "127.0.0.1:0", WATCH_MODE: "streaming", NETGUARD_API_WORKERS: String(count) });
  api = await startApiWorkers(cfg.apiWorkers, cfg, backend.url, undefined, { graceMs: 5000 });
  return { url: api.url, rv: String(backend.engine.currentRv) };
}

test("a watch through any of two workers sees every event exactly once, and both workers serve", async () => {
  const { url, rv } = await startWorkers(2);
  const watches = await Promise.all(Array.from({ length: WATCHES }, () => openWatch(url, rv)));
  const client = clientFor(backend!.url);
  const made: string[] = [];
  for (let i = 0; i < EVENTS; i++) made.push((await createObj(client, sample("Service", i).object)).metadata.name);
  await until(() => watches.every((w) => w.names.length >= EVENTS), 15_000, "every watch to see every event");
  await Bun.sleep(200); // a duplicate would arrive right behind
  for (const w of watches) expect(w.names).toEqual(made);
  // Each worker keeps its own backend stream: two Service streams mean both workers took watches
  // (16 connections all landing on one of two SO_REUSEPORT listeners has odds of 2^-15).
  expect(backend!.activeWatches.get("Service")).toBe(2);
});

test("closing the workers ends every worker's watches cleanly", async () => {
  const { url, rv } = await startWorkers(2);
  const watches = await Promise.all(Array.from({ length: WATCHES }, () => openWatch(url, rv)));
  await until(() => backend!.activeWatches.get("Service") === 2, 10_000, "both workers to stream Services");
  const closing = api!.close();
  api = undefined;
  const outcomes = await Promise.allSettled(watches.map((w) => w.ended));
  await closing;
  expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
  // Neither worker keeps a stream to the backend once closed.
  await until(() => (backend!.activeWatches.get("Service") ?? 0) === 0, 5000, "the workers' backend streams to close");
});

test("a port another process holds fails the start with the worker's message", async () => {
  backend = await startTestBackend();
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, "127.0.0.1", () => r()));
  const port = (holder.address() as { port: number }).port;
  try {
    const cfg = loadConfig(undefined, { NETGUARD_API_INSECURE: "true", NETGUARD_API_ADDR: `127.0.0.1:${port}`, WATCH_MODE: "streaming", NETGUARD_API_WORKERS: "2" });
    await expect(startApiWorkers(cfg.apiWorkers, cfg, backend.url)).rejects.toThrow(/API server worker 0: .*(in use|EADDRINUSE)/i);
  } finally {
    holder.close();
  }
});
