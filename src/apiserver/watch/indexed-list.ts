/**
 * A list with constant-time add and remove whose members keep their own place in it (a number
 * field named by the list), so each costs one array slot where a Set costs several times that per
 * entry (about 50 bytes against about 10). Every idle watcher sits in its kind's list and in a
 * timer-wheel bucket or two, and bench/idle-watchers.bench.ts counts each of their bytes.
 * Removing moves the last member into the freed place: the order is not the order of arrival.
 * A member is in at most one list per field at a time.
 */

/** A field of `T` that can hold a member's place (-1 or absent: in no list). */
export type PlaceField<T> = { [K in keyof T]-?: number extends T[K] ? K : never }[keyof T] & string;

export interface IndexedList<T> {
  readonly size: number;
  /** Adds `m` unless it is in a list of this field already; false when it was. */
  add(m: T): boolean;
  /** Removes `m`; false when it was not in this list. */
  delete(m: T): boolean;
  /**
   * Calls `fn` for every member. Members may leave meanwhile (the one visited, or others): every
   * member present throughout is visited at least once (one moved by a removal maybe twice), one
   * added meanwhile maybe not at all.
   */
  forEach(fn: (m: T) => void): void;
  /** The members now (a copy). */
  toArray(): T[];
  /** Empties the list and returns what it held (each member is then in no list of this field). */
  drain(): T[];
}

/** Creates an empty list whose members keep their place in `field`. */
export function createIndexedList<T extends object>(field: PlaceField<T>): IndexedList<T> {
  const items: T[] = [];
  const place = (m: T): number => ((m as Record<string, unknown>)[field] as number | undefined) ?? -1;
  const setPlace = (m: T, i: number): void => void ((m as Record<string, unknown>)[field] = i);
  return {
    get size() {
      return items.length;
    },
    add(m) {
      if (place(m) >= 0) return false;
      setPlace(m, items.length);
      items.push(m);
      return true;
    },
    delete(m) {
      const i = place(m);
      if (i < 0 || items[i] !== m) return false;
      const last = items.pop()!;
      if (last !== m) {
        items[i] = last;
        setPlace(last, i);
      }
      setPlace(m, -1);
      return true;
    },
    forEach(fn) {
      // From the end: a member that leaves is replaced by one already visited.
      for (let i = items.length - 1; i >= 0; i--) {
        const m = items[i];
        if (m) fn(m);
      }
    },
    toArray: () => items.slice(),
    drain() {
      const all = items.splice(0);
      for (const m of all) setPlace(m, -1);
      return all;
    },
  };
}
