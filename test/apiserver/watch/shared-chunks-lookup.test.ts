/**
 * The per-flush chunk lookup keys on the interned variant and filter objects and the position: a
 * watcher never gets a chunk built for another variant, filter or position, even right after the
 * entry it asks for was the last one used (the fast path).
 */
import { expect, test } from "bun:test";
import { createSharedChunks, type SharedChunk } from "../../../src/apiserver/watch/shared-chunks.ts";
import { wireVariant } from "../../../src/apiserver/watch/event-encoder.ts";
import { createWatchFilter } from "../../../src/apiserver/watch/event-filter.ts";
import { createObjectFilter } from "../../../src/kinds/selectors.ts";

const parseWatchFilter = (ns: string) => createWatchFilter(createObjectFilter(ns, "", ""));

const chunk = (n: number): SharedChunk => ({ bytes: new Uint8Array([n]), endSeq: n, lastRv: n, events: 1 });

test("a chunk is found only by its own variant, filter and position", () => {
  const json = wireVariant("json", "Object");
  const table = wireVariant("table", "Object");
  const shop = parseWatchFilter("shop");
  const infra = parseWatchFilter("infra");
  expect(parseWatchFilter("shop")).toBe(shop); // interned: watchers of one namespace hold one filter
  const s = createSharedChunks();
  const a = chunk(1);
  s.set(json, shop, 7, a);
  expect(s.get(json, shop, 7)).toBe(a);
  expect(s.get(json, shop, 8)).toBeUndefined();
  expect(s.get(json, infra, 7)).toBeUndefined();
  expect(s.get(table, shop, 7)).toBeUndefined();
  const b = chunk(2);
  s.set(json, infra, 7, b);
  const c = chunk(3);
  s.set(table, shop, 7, c);
  // alternate so every lookup misses the last-used entry first
  expect(s.get(json, shop, 7)).toBe(a);
  expect(s.get(json, infra, 7)).toBe(b);
  expect(s.get(json, shop, 7)).toBe(a);
  expect(s.get(table, shop, 7)).toBe(c);
  expect(s.get(table, infra, 7)).toBeUndefined();
  expect(createSharedChunks().get(json, shop, 7)).toBeUndefined(); // nothing outlives its flush
});
