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
 */
export function createUnavailableGuard(where: string, log: (message: string) => void) {
  let down = false;
  let why: string | undefined;
  const guard = async function guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      const out = await op();
      if (down) {
        down = false;
        why = undefined;
        log(`${where}: PostgreSQL answers again`);
      }
      return out;
    } catch (e) {
      if (!isPostgresUnavailable(e)) throw e;
      why = e instanceof Error ? e.message : String(e);
      if (!down) {
        down = true;
        log(`${where}: PostgreSQL unavailable (${why}); writes fail with unavailable until it answers`);
      }
      throw new StoreUnavailableError(`PostgreSQL unavailable: ${why}`);
    }
  };
  return Object.assign(guard, { outage: (): string | undefined => (down ? `PostgreSQL unavailable: ${why}` : undefined) });
}
