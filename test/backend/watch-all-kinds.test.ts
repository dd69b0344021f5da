import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { KINDS, type KindDescriptor } from "../../src/kinds/kind-table.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { clientFor, sqlitePersistence, startTestBackend, tempDir } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createAll, createObj, deleteObj, listKind, relabel, updateObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch } from "../helpers/watch-reader.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { getObj } from "../rpc/rpc-kit.ts";

const running: Backend[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function backend(o: Parameters<typeof startTestBackend>[0] = {}) {
  const b = await startTestBackend(o);
  running.push(b);
  return b;
}

/**
 * Creates sample n of a kind with its dependencies; returns the created object (for a derived
 * kind, the one the server created with its dependency).
 */
async function makeSample(client: ReturnType<typeof clientFor>, kind: KindDescriptor, n: number) {
  const s = sample(kind.kind, n);
  await createAll(client, s.needs);
  if (!s.derived) return createObj(client, s.object);
  return getObj(client, kind, s.object.metadata.namespace, s.object.metadata.name);
}

/**
 * Deletes a sample object and returns the resourceVersion of its DELETED event. A derived object
 * goes with its owner, as the next change of the owner's commit.
 */
async function removeSample(client: ReturnType<typeof clientFor>, kind: KindDescriptor, n: number, obj: KubeObject): Promise<number> {
  const owner = sample(kind.kind, n).owner;
  if (!owner) return Number((await deleteObj(client, obj)).metadata.resourceVersion);
  return Number((await deleteObj(client, owner)).metadata.resourceVersion) + 1;
}

const mine = (prefixNames: string[]) => (e: { name: string }) => prefixNames.includes(e.name);

describe.each(KINDS.map((k) => [k.kind, k] as const))("Watch%s", (_name, kind) => {
  test("sends a snapshot as ADDED, the initial-events BOOKMARK, then live ADDED/MODIFIED/DELETED", async () => {
    const b = await backend();
    const client = clientFor(b.url);
    const a = await makeSample(client, kind, 1);
    const c = await makeSample(client, kind, 2);
    const w = readWatch(kind, (signal) => watchKindRpc(client, kind, {}, signal));
    await w.until((es) => es.some((e) => e.initialEventsEnd));
    const initial = w.events.slice(0, w.events.findIndex((e) => e.initialEventsEnd));
    expect(initial.every((e) => e.type === "ADDED")).toBe(true);
    expect(initial.filter(mine([a.metadata.name, c.metadata.name])).length).toBe(2);
    const marker = w.events.find((e) => e.initialEventsEnd)!;
    expect(marker.type).toBe("BOOKMARK");
    expect(marker.rv).toBe(b.engine.currentRv);

    const d = await makeSample(client, kind, 3);
    const d2 = await updateObj(client, relabel(d, "2"));
    const goneRv = await removeSample(client, kind, 3, d2);
    const names = mine([d.metadata.name]);
    const live = await w.until((es) => es.filter(names).length >= 3);
    const mineLive = live.filter(names);
    expect(mineLive.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect(mineLive.map((e) => e.rv)).toEqual([Number(d.metadata.resourceVersion), Number(d2.metadata.resourceVersion), goneRv]);
    expect(mineLive[1]!.object!.metadata.labels?.rev).toBe("2");
    // strictly increasing positions, nothing twice
    const rvs = w.events.filter((e) => !e.initialEventsEnd && e.rv > marker.rv).map((e) => e.rv);
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    expect(new Set(rvs).size).toBe(rvs.length);
    w.stop();
  });

  test("resumes from a list resourceVersion with exactly the later events", async () => {
    const b = await backend();
    const client = clientFor(b.url);
    await makeSample(client, kind, 1);
    const list = await listKind(client, kind);
    const x = await makeSample(client, kind, 2);
    const x2 = await updateObj(client, relabel(x, "a"));
    const w = readWatch(kind, (signal) => watchKindRpc(client, kind, { resourceVersion: String(list.resourceVersion) }, signal));
    const y = await makeSample(client, kind, 3);
    const expected = [x, x2, y].map((o) => Number(o.metadata.resourceVersion));
    const seen = await w.until((es) => es.some((e) => e.name === y.metadata.name));
    const after = seen.filter((e) => e.rv > list.resourceVersion && [x.metadata.name, y.metadata.name].includes(e.name));
    expect(after.map((e) => e.rv)).toEqual(expected);
    expect(seen.every((e) => e.rv > list.resourceVersion)).toBe(true);
    w.stop();
  });

  test("an expired resourceVersion gets an ERROR event, then OUT_OF_RANGE", async () => {
    const b = await backend({ retention: { maxEvents: 3, maxAgeMs: 0 }, ringCapacity: 2 });
    const client = clientFor(b.url);
    for (let i = 1; i <= 6; i++) await makeSample(client, kind, i);
    await b.engine.trimNow();
    expect(b.engine.floorRv).toBeGreaterThan(1);
    const w = readWatch(kind, (signal) => watchKindRpc(client, kind, { resourceVersion: "1" }, signal));
    await w.finished();
    expect(w.events.at(-1)!.type).toBe("ERROR");
    expect(w.events.at(-1)!.error).toContain("too old resource version");
    expect(ConnectError.from(w.error).code).toBe(Code.OutOfRange);
  });
});

describe("durability", () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  test.each(KINDS.map((k) => [k.kind, k] as const))("%s: a watcher resumes after a backend restart from the last RV it saw", async (_n, kind) => {
    const file = `${dir.path}/${kind.plural}.db`;
    const b1 = await backend({ persistence: await sqlitePersistence(file) });
    const c1 = clientFor(b1.url);
    const w1 = readWatch(kind, (signal) => watchKindRpc(c1, kind, {}, signal));
    const first = await makeSample(c1, kind, 1);
    const seen = await w1.until((es) => es.some((e) => e.name === first.metadata.name));
    const lastSeen = seen.at(-1)!.rv;
    w1.stop();
    // changes the watcher misses while it is away, some before the restart
    const missed = await makeSample(c1, kind, 2);
    await running.pop()!.close();

    const b2 = await backend({ persistence: await sqlitePersistence(file) });
    expect(b2.engine.currentRv).toBe(b1.engine.currentRv);
    const c2 = clientFor(b2.url);
    expect((await listKind(c2, kind)).items.some((o) => o.metadata.name === first.metadata.name)).toBe(true);
    const later = await makeSample(c2, kind, 3);
    const w2 = readWatch(kind, (signal) => watchKindRpc(c2, kind, { resourceVersion: String(lastSeen) }, signal));
    const resumed = await w2.until((es) => es.some((e) => e.name === later.metadata.name));
    const names = resumed.map((e) => e.name);
    expect(names).toContain(missed.metadata.name);
    expect(names).not.toContain(first.metadata.name);
    expect(resumed.every((e) => e.rv > lastSeen)).toBe(true);
    expect(Number(later.metadata.resourceVersion)).toBeGreaterThan(Number(missed.metadata.resourceVersion));
    w2.stop();
  });
});
