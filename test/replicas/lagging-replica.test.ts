/**
 * A replica that falls behind the shared log's retention floor rebuilds from the store: its
 * objects equal the store's afterwards, its watchers below the floor end with "expired" (no event
 * twice, none lost), its writes validate against the reloaded state — whether the tail or a write's
 * in-transaction catch-up notices first. Dry runs on a replica validate against caught-up state.
 */
import { afterAll, expect, test } from "bun:test";
import { createEngine, type Engine } from "../../src/backend/engine/engine.ts";
import { EngineError } from "../../src/domain/engine-error.ts";
import { KINDS, kindByName } from "../../src/kinds/kind-table.ts";
import type { Persistence, SharedLog } from "../../src/backend/store/persistence.ts";
import { openPostgresPersistence } from "../../src/backend/store/postgres-persistence.ts";
import { sample } from "../helpers/fixtures.ts";
import { closeTestDatabases, createTestDatabase, type TestDatabase } from "../store/postgres-test-db.ts";
import { openReplica, until } from "./replica-kit.ts";

const ag = kindByName("AddressGroup")!;
/** The namespace of the sample objects. */
const NS = "shop";
afterAll(closeTestDatabases);

/**
 * A replica whose tail can be paused (its timer's reads fail, as with the database away, and no
 * wake-up arrives) or made deaf (wake-ups are dropped; the timer alone catches up).
 */
interface Pausable {
  engine: Engine;
  paused: boolean;
  deaf: boolean;
}

async function openPausable(url: string, tailIntervalMs: number): Promise<Pausable> {
  const inner = await openPostgresPersistence(url, { log: () => {} });
  const log = inner.shared!;
  const p: Pausable = { engine: undefined as unknown as Engine, paused: false, deaf: false };
  const shared: SharedLog = {
    transact: (localRv, build) => log.transact(localRv, build),
    tail: (afterRv, limit) => (p.paused ? Promise.reject(new Error("paused")) : log.tail(afterRv, limit)),
    onCommit: (wake) => log.onCommit(() => p.paused || p.deaf || wake()),
  };
  const persistence: Persistence = { ...inner, shared };
  p.engine = await createEngine({ persistence, retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 4096, trimIntervalMs: 0, tailIntervalMs });
  return p;
}

const agNamed = (name: string) => {
  const o = sample("AddressGroup", 0).object;
  o.metadata.name = name;
  return o;
};

/** Every object of every kind in the store, keyed, with its resourceVersion. */
async function storeState(url: string): Promise<string[]> {
  const p = await openPostgresPersistence(url, { log: () => {} });
  try {
    const { objects } = await p.load();
    return objects.map(({ kind, object: o }) => `${kind} ${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
  } finally {
    await p.close();
  }
}

function engineState(e: Engine): string[] {
  const out: string[] = [];
  for (const { kind } of KINDS) {
    for (const o of e.index.list(kind)) out.push(`${kind} ${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`);
  }
  return out.sort();
}

/** While `lagging` is paused, `other` creates, updates and deletes, and the log is trimmed past `lagging`. */
async function writeAndTrimPast(db: TestDatabase, lagging: Pausable, other: Engine): Promise<void> {
  lagging.paused = true;
  for (let i = 0; i < 5; i++) await other.create(ag, agNamed(`later-${i}`));
  const kept = other.get(ag, NS, "early-1")!;
  await other.update(ag, { ...structuredClone(kept), metadata: { ...kept.metadata, labels: { changed: "yes" } } });
  await other.delete(ag, NS, "early-0");
  const trimmer = await openPostgresPersistence(db.url, { log: () => {} });
  const floor = await trimmer.trim({ maxEvents: 1, maxAgeMs: 0 }, Date.now());
  await trimmer.close();
  expect(floor).toBeGreaterThan(lagging.engine.currentRv);
}

async function withLagging(fn: (db: TestDatabase, lagging: Pausable, other: Engine) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const open: Engine[] = [];
  try {
    const other = await openReplica(db.url);
    open.push(other);
    const lagging = await openPausable(db.url, 50);
    open.push(lagging.engine);
    for (let i = 0; i < 3; i++) await other.create(ag, agNamed(`early-${i}`));
    await until(() => lagging.engine.currentRv === other.currentRv, 5000, "the lagging replica to catch up first");
    expect(lagging.engine.get(ag, NS, "early-0")).toBeDefined();
    await fn(db, lagging, other);
  } finally {
    await Promise.all(open.map((e) => e.close().catch(() => undefined)));
    await db.drop();
  }
}

test("a replica resumed below the log's floor rebuilds from the store, expires its old watchers and writes correctly", async () => {
  await withLagging(async (db, lagging, other) => {
    const a = lagging.engine;
    const watcher = a.events.cursor("AddressGroup", a.currentRv);
    await writeAndTrimPast(db, lagging, other);
    expect(a.get(ag, NS, "early-0")).toBeDefined(); // still the old state while paused

    lagging.paused = false;
    await until(() => a.currentRv === other.currentRv, 5000, "the resumed replica to catch up");
    expect(a.rebuilds).toBe(1);
    expect(engineState(a)).toEqual(await storeState(db.url));
    expect(a.floorRv).toBe(other.currentRv - 1);
    // The watcher's position is below the floor: it ends as a lapped one would, rather than skip.
    expect((await a.events.read(watcher)).kind).toBe("expired");
    // A watcher from the reloaded position sees the next event exactly once.
    const fresh = a.events.cursor("AddressGroup", a.currentRv);
    await other.create(ag, agNamed("after"));
    await until(() => a.currentRv === other.currentRv, 5000, "the next event");
    const read = await a.events.read(fresh);
    expect(read.kind === "events" && read.events.map((e) => e.name)).toEqual(["after"]);

    // Writes validate against the reloaded state.
    const dup = await a.create(ag, agNamed("later-0")).catch((e: unknown) => e);
    expect((dup as EngineError).code).toBe("AlreadyExists");
    await a.create(ag, agNamed("early-0")); // deleted while paused: free again
    const current = a.get(ag, NS, "early-1")!;
    expect(current.metadata.labels).toEqual({ changed: "yes" });
    await a.update(ag, { ...structuredClone(current), metadata: { ...current.metadata, labels: { by: "a" } } });
    expect(engineState(a)).toEqual(await storeState(db.url));
  });
}, 30_000);

test("a write on a replica below the log's floor rebuilds inside its transaction and validates on the store's state", async () => {
  await withLagging(async (db, lagging, other) => {
    const a = lagging.engine;
    await writeAndTrimPast(db, lagging, other);
    // Still paused: only the write's own catch-up can notice.
    const dup = await a.create(ag, agNamed("later-3")).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(EngineError);
    expect((dup as EngineError).code).toBe("AlreadyExists");
    expect(a.rebuilds).toBe(1);
    await a.create(ag, agNamed("early-0"));
    expect(engineState(a)).toEqual(await storeState(db.url));
    await until(() => other.currentRv === a.currentRv, 5000, "the other replica to see the write");
    expect(other.get(ag, NS, "early-0")?.metadata.resourceVersion).toBe(a.get(ag, NS, "early-0")?.metadata.resourceVersion);
  });
}, 30_000);

test("a dry run on a replica validates against what other replicas committed", async () => {
  const db = await createTestDatabase();
  const other = await openReplica(db.url);
  // Never woken and polling once a minute: only the dry run's own catch-up can tell it.
  const quiet = await openPausable(db.url, 60_000);
  try {
    quiet.deaf = true;
    const created = await other.create(ag, agNamed("x"));
    const dup = await quiet.engine.create(ag, agNamed("x"), { dryRun: true }).catch((e: unknown) => e);
    expect((dup as EngineError).code).toBe("AlreadyExists");
    const changed = await other.update(ag, { ...structuredClone(created), metadata: { ...created.metadata, labels: { v: "2" } } });
    const next = { ...structuredClone(changed), metadata: { ...changed.metadata, labels: { v: "3" } } };
    const dry = await quiet.engine.update(ag, next, { dryRun: true });
    expect(dry.metadata.labels).toEqual({ v: "3" });
    expect(dry.metadata.resourceVersion).toBe(changed.metadata.resourceVersion);
    expect(quiet.engine.get(ag, NS, "x")?.metadata.labels).toEqual({ v: "2" });
  } finally {
    await Promise.all([other.close(), quiet.engine.close()]);
    await db.drop();
  }
}, 30_000);
