/** Chooses the Persistence for a storage setting (sqlite:<file>, postgres://… or memory:). */
import { ConfigError, redactUrl, type StorageConfig } from "../config/config.ts";
import { createMemoryPersistence } from "./store/memory-persistence.ts";
import type { Persistence } from "./store/persistence.ts";
import { openSqlitePersistence } from "./store/sqlite-persistence.ts";
import { openPostgresPersistence } from "./store/postgres-persistence.ts";

/**
 * Opens the configured store. A store that cannot be opened or written (an unwritable directory, a
 * file where a directory is expected, a file of another schema) is a setting to fix, not a crash:
 * it throws a ConfigError naming the key and the path, which ends the process with that one line.
 * A PostgreSQL database that cannot be reached at start (within the connect deadline) or carries a
 * newer schema is reported the same way, with the password removed from the URL.
 */
export async function openPersistence(storage: StorageConfig): Promise<Persistence> {
  if (storage.kind === "memory") return createMemoryPersistence();
  if (storage.kind === "postgres") {
    try {
      return await openPostgresPersistence(storage.path);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ConfigError(`config: storage (env NETGUARD_STORAGE): cannot open ${redactUrl(storage.path)}: ${why.split("\n")[0]}`);
    }
  }
  try {
    return await openSqlitePersistence(storage.path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ConfigError(`config: storage (env NETGUARD_STORAGE): cannot open sqlite:${storage.path}: ${why.split("\n")[0]}`);
  }
}
