/** Chooses the Persistence for a storage setting (sqlite:<file> or memory:). */
import { ConfigError, type StorageConfig } from "../config/config.ts";
import { createMemoryPersistence } from "./store/memory-persistence.ts";
import type { Persistence } from "./store/persistence.ts";
import { openSqlitePersistence } from "./store/sqlite-persistence.ts";

/**
 * Opens the configured store. A store that cannot be opened or written (an unwritable directory, a
 * file where a directory is expected, a file of another schema) is a setting to fix, not a crash:
 * it throws a ConfigError naming the key and the path, which ends the process with that one line.
 */
export async function openPersistence(storage: StorageConfig): Promise<Persistence> {
  if (storage.kind === "memory") return createMemoryPersistence();
  try {
    return await openSqlitePersistence(storage.path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ConfigError(`config: storage (env NETGUARD_STORAGE): cannot open sqlite:${storage.path}: ${why.split("\n")[0]}`);
  }
}
