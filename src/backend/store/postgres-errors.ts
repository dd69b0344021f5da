/**
 * Which PostgreSQL failures mean "the database cannot be reached or answered in time" (as opposed
 * to a bug or a rejected batch). Those become StoreUnavailableError, which the RPC layer maps to
 * `unavailable`: the transaction was rolled back whole, and a retry may succeed later.
 */
import { StoreUnavailableError } from "./store-errors.ts";

/** SQLSTATE classes and codes that describe the server or the connection, not the request. */
const UNAVAILABLE_STATES = /^(08|53|57P0[1-4]|57014|55P03|40001|40P01)/;

/** True when `e` is a connection failure, a server shutdown, a timeout or a lock wait that timed out. */
export function isPostgresUnavailable(e: unknown): boolean {
  if (e === null || typeof e !== "object") return false;
  const err = e as { code?: unknown; errno?: unknown; severity?: unknown };
  // FATAL/PANIC end the session (refused at connect, terminated, database not accepting connections).
  if (err.severity === "FATAL" || err.severity === "PANIC") return true;
  if (typeof err.code === "string" && /^ERR_POSTGRES_(CONNECTION|IDLE|LIFETIME|TLS|AUTH|UNSUPPORTED_AUTH|SERVER_CLOSED)/.test(err.code)) {
    return true;
  }
  return typeof err.errno === "string" && UNAVAILABLE_STATES.test(err.errno);
}

/**
 * Wraps store calls: an unavailable database becomes StoreUnavailableError, logged once when the
 * database goes away and once when it answers again — not once per request. `outage()` is the
 * failure of the last call while the database is down (undefined once a call succeeds again).
 *
 * Only a call that started in the current state may change it: a call already in flight when the
 * database went away can still succeed a moment later (its connection had not been cut yet), and
 * one started before it came back can still fail; neither means the state changed again, so
 * neither flips it (a stopping server would otherwise be logged as gone, back and gone again).
 */
export function createUnavailableGuard(where: string, log: (message: string) => void) {
  let down = false;
  let why: string | undefined;
  /** Bumped at every change of state; a call remembers the one it started in. */
  let epoch = 0;
  const guard = async function guard<T>(op: () => Promise<T>): Promise<T> {
    const startedIn = epoch;
    try {
      const out = await op();
      if (down && startedIn === epoch) {
        down = false;
        why = undefined;
        epoch++;
        log(`${where}: PostgreSQL answers again`);
      }
      return out;
    } catch (e) {
      if (!isPostgresUnavailable(e)) throw e;
      const message = e instanceof Error ? e.message : String(e);
      if (!down && startedIn === epoch) {
        down = true;
        epoch++;
        log(`${where}: PostgreSQL unavailable (${message}); writes fail with unavailable until it answers`);
      }
      if (down) why = message;
      throw new StoreUnavailableError(`PostgreSQL unavailable: ${message}`);
    }
  };
  return Object.assign(guard, { outage: (): string | undefined => (down ? `PostgreSQL unavailable: ${why}` : undefined) });
}
