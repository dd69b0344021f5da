/**
 * A write's validation and derivation ask indexed questions ("bindings naming this Service",
 * "RuleS2S contributing to this generated rule"), never walk every object of a kind: a scan per
 * write is what made a Sync batch cost the square of its size and a single create cost the size
 * of the store. The check counts full listings of the engine's committed index while real writes
 * of every kind run against a store holding the domain fixtures.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createEngine, type Engine } from "../../src/backend/engine/mod.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { KINDS, kindByName } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { allFixtures, sample } from "../helpers/fixtures.ts";

const engines: Engine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.close();
});

async function seededEngine(): Promise<Engine> {
  const engine = await createEngine({ persistence: createMemoryPersistence(), retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 1024 });
  engines.push(engine);
  for (const o of allFixtures()) await engine.create(kindByName(o.kind)!, o);
  return engine;
}

/** Counts `list` calls on the committed index (every batch view reads through it). */
function countListings(engine: Engine): { kinds: string[] } {
  const seen = { kinds: [] as string[] };
  const original = engine.index.list.bind(engine.index);
  engine.index.list = (kind: string) => {
    seen.kinds.push(kind);
    return original(kind);
  };
  return seen;
}

const k = (name: string) => kindByName(name)!;
const relabel = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, labels: { touched: "yes" } } });

describe("write path lookups", () => {
  test("creates, updates, Sync upserts and deletes of every kind list no kind in full", async () => {
    const engine = await seededEngine();
    const listings = countListings(engine);
    let n = 0;
    for (const kind of KINDS) {
      const s = sample(kind.kind, ++n);
      for (const need of s.needs) await engine.create(k(need.kind), need);
      if (s.derived) continue;
      const created = await engine.create(kind, s.object);
      await engine.update(kind, relabel(created));
      const batch = sample(kind.kind, 1000 + n);
      for (const need of batch.needs) await engine.sync(k(need.kind), "upsert", [need]);
      await engine.sync(kind, "upsert", [batch.object]);
      await engine.sync(kind, "delete", [batch.object]);
      await engine.delete(kind, created.metadata.namespace, created.metadata.name);
      for (const need of [...s.needs].reverse()) await engine.delete(k(need.kind), need.metadata.namespace, need.metadata.name);
    }
    // the fixtures' objects in use: deletes become Terminating marks and later releases
    for (const o of allFixtures().reverse()) await engine.delete(k(o.kind), o.metadata.namespace, o.metadata.name);
    expect(listings.kinds).toEqual([]);
  });

  test("FullSync is the one write that lists its kind (it deletes what the batch does not name)", async () => {
    const engine = await seededEngine();
    const listings = countListings(engine);
    await engine.sync(k("AddressGroup"), "fullsync", allFixtures().filter((o) => o.kind === "AddressGroup"));
    expect([...new Set(listings.kinds)]).toEqual(["AddressGroup"]);
  });
});
