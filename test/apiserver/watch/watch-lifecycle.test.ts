/**
 * The life of one watch response: headers flushed with a leading newline, JSON or Table content
 * type, server-side timeout ending the stream cleanly, immediate cleanup when the client goes away,
 * up-front 400s for bad requests, and close() ending every stream.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { StatusError } from "../../../src/apiserver/status.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { about, backend, eventually, hub, makeSample, openWatch, params, useCleanup } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("RuleS2S")!;

test("the first chunk is a lone newline so headers reach the client before any event; JSON content type", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  const w = openWatch(h, params(kind, { resourceVersion: "0" }));
  expect(w.response.status).toBe(200);
  expect(w.response.headers.get("content-type")).toBe("application/json");
  await w.until(() => w.chunks.length > 0, 8000, "the first chunk"); // a bound for a loaded machine
  expect(w.chunks[0]).toBe("\n");
});

test("timeoutSeconds ends the stream cleanly, without an ERROR", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming");
  const started = Date.now();
  const w = openWatch(h, params(kind, { resourceVersion: "0", timeoutSeconds: 1 }));
  const r = await makeSample(client, kind, 1);
  const events = await w.finished(5000);
  // a lower bound only: the stream must not end before its 1 s timeoutSeconds; load only delays it
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(events.map((e) => e.type)).toEqual(["ADDED"]);
  expect(about(events, r.metadata.name).length).toBe(1);
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(0);
});

test("a client that goes away is cleaned up at once", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  const ws = [openWatch(h, params(kind, { resourceVersion: "0" })), openWatch(h, params(kind, { resourceVersion: "0" }))];
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(2);
  ws[0]!.stop();
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(1);
  await ws[0]!.finished(8000);
  ws[1]!.stop();
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(0);
  // an already aborted request is not kept either
  const ac = new AbortController();
  ac.abort();
  h.serve(params(kind), ac.signal);
  await eventually(() => h.stats()[kind.kind]!.activeWatchers === 0, 8000, "the aborted one gone"); // generous: a loaded 2-core machine
});

test("bad selectors and resource versions are rejected up front with a 400 Status", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  const signal = new AbortController().signal;
  const bad = [
    params(kind, { labelSelector: "a in (" }),
    params(kind, { fieldSelector: "spec.traffic=INGRESS" }),
    params(kind, { resourceVersion: "abc" }),
    params(kind, { resourceVersion: "-1" }),
  ];
  for (const p of bad) {
    let caught: unknown;
    try {
      h.serve(p, signal);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StatusError);
    expect((caught as StatusError).status).toMatchObject({ kind: "Status", code: 400, reason: "BadRequest" });
  }
  expect(h.stats()[kind.kind]).toBeUndefined();
});

test("close() ends every open watch and refuses new ones", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "auto");
  const ws = [openWatch(h, params(kind, { resourceVersion: "0" })), openWatch(h, params(kindByName("Service")!, { resourceVersion: "0" }))];
  await eventually(() => h.sourceModes().RuleS2S === "streaming" && h.sourceModes().Service === "streaming", 5000, "streaming");
  await h.close();
  for (const w of ws) await w.finished(2000);
  expect(Object.values(h.sourceModes()).every((m) => m === "idle")).toBe(true);
  await eventually(() => (b.activeWatches.get("RuleS2S") ?? 0) === 0, 3000, "backend streams closed");
  expect(() => h.serve(params(kind), new AbortController().signal)).toThrow(StatusError);
});
