/**
 * The indexed lists a kind keeps its watchers and its timer-wheel entries in
 * (src/apiserver/watch/indexed-list.ts): constant-time add and remove through each member's own
 * place, a walk that reaches every member present throughout even when members leave during it (a
 * flush ends lapped watchers while it walks), and a drain that frees every member for another list.
 */
import { expect, test } from "bun:test";
import { createIndexedList } from "../../../src/apiserver/watch/indexed-list.ts";

interface Member {
  name: string;
  listIndex: number;
}
const member = (name: string): Member => ({ name, listIndex: -1 });

test("members are added once and removed once, each keeping its place", () => {
  const list = createIndexedList<Member>("listIndex");
  const [a, b, c] = [member("a"), member("b"), member("c")];
  expect(list.add(a)).toBe(true);
  list.add(b);
  expect(list.add(a)).toBe(false);
  list.add(c);
  expect(list.size).toBe(3);
  expect(list.delete(a)).toBe(true);
  expect(list.delete(a)).toBe(false);
  expect(a.listIndex).toBe(-1);
  expect(list.toArray().map((m) => m.name).sort()).toEqual(["b", "c"]);
  // Another list's member is not this one's, even at a place this list has.
  const other = createIndexedList<Member>("listIndex");
  const d = member("d");
  other.add(d);
  expect(list.delete(d)).toBe(false);
  expect(other.size).toBe(1);
  for (const m of list.toArray()) expect(list.toArray()[m.listIndex]).toBe(m);
});

test("a walk reaches every member that stays, while members leave during it", () => {
  const list = createIndexedList<Member>("listIndex");
  const all = Array.from({ length: 10 }, (_, i) => member(`m${i}`));
  for (const m of all) list.add(m);
  const seen = new Set<string>();
  // Every third member leaves when visited, and the first visit also removes m0 (not yet visited).
  list.forEach((m) => {
    seen.add(m.name);
    if (m.name === all[9]!.name) list.delete(all[0]!);
    if (Number(m.name.slice(1)) % 3 === 0) list.delete(m);
  });
  for (const m of all.slice(1)) expect(seen.has(m.name)).toBe(true);
  expect(list.toArray().map((m) => m.name).sort()).toEqual(["m1", "m2", "m4", "m5", "m7", "m8"]);
});

test("a drained list is empty and its members can join another list", () => {
  const first = createIndexedList<Member>("listIndex");
  const [a, b] = [member("a"), member("b")];
  first.add(a);
  first.add(b);
  expect(first.drain().map((m) => m.name).sort()).toEqual(["a", "b"]);
  expect(first.size).toBe(0);
  const second = createIndexedList<Member>("listIndex");
  expect(second.add(a)).toBe(true);
  expect(second.add(b)).toBe(true);
  expect(second.size).toBe(2);
});
