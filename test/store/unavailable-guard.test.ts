// The PostgreSQL store's outage log (src/backend/store/postgres-errors.ts): one line when the
// database goes away and one when it answers again, however calls overlap the change.
import { describe, expect, test } from "bun:test";
import { createUnavailableGuard } from "../../src/backend/store/postgres-errors.ts";
import { StoreUnavailableError } from "../../src/backend/store/store-errors.ts";

/** A connection failure as Bun's PostgreSQL client reports it. */
const gone = () => Object.assign(new Error("terminating connection due to administrator command"), { severity: "FATAL" });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("PostgreSQL outage log", () => {
  test("a call in flight when the database went away that still succeeds does not announce it back", async () => {
    const lines: string[] = [];
    const guard = createUnavailableGuard("store", (l) => lines.push(l));
    const inFlight = deferred<string>();
    const slow = guard(() => inFlight.promise);
    await expect(guard(() => Promise.reject(gone()))).rejects.toBeInstanceOf(StoreUnavailableError);
    inFlight.resolve("late answer on a connection not yet cut");
    expect(await slow).toBe("late answer on a connection not yet cut");
    expect(guard.outage()).toMatch(/^PostgreSQL unavailable: terminating connection/);
    await expect(guard(() => Promise.reject(gone()))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await guard(async () => "back")).toBe("back");
    expect(lines).toEqual([
      "store: PostgreSQL unavailable (terminating connection due to administrator command); writes fail with unavailable until it answers",
      "store: PostgreSQL answers again",
    ]);
    expect(guard.outage()).toBeUndefined();
  });

  test("a call started before the database came back that fails then does not announce a new outage", async () => {
    const lines: string[] = [];
    const guard = createUnavailableGuard("store", (l) => lines.push(l));
    await expect(guard(() => Promise.reject(gone()))).rejects.toBeInstanceOf(StoreUnavailableError);
    const inFlight = deferred<string>();
    const stale = guard(() => inFlight.promise);
    expect(await guard(async () => "back")).toBe("back");
    inFlight.reject(gone());
    await expect(stale).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(guard.outage()).toBeUndefined();
    expect(lines.length).toBe(2);
    // A failure of a call started after that is a new outage.
    await expect(guard(() => Promise.reject(gone()))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(lines.length).toBe(3);
    expect(guard.outage()).toMatch(/^PostgreSQL unavailable/);
  });

  test("other errors pass through and change nothing", async () => {
    const lines: string[] = [];
    const guard = createUnavailableGuard("store", (l) => lines.push(l));
    await expect(guard(() => Promise.reject(new Error("duplicate key")))).rejects.toThrow("duplicate key");
    expect(lines).toEqual([]);
    expect(guard.outage()).toBeUndefined();
  });
});
