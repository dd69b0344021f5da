/** Chooses the Persistence for a storage setting (sqlite:<file> or memory:). */
import type { StorageConfig } from "../config/config.ts";
import { createMemoryPersistence } from "./store/memory-persistence.ts";
import type { Persistence } from "./store/persistence.ts";
import { openSqlitePersistence } from "./store/sqlite-persistence.ts";

export async function openPersistence(storage: StorageConfig): Promise<Persistence> {
  if (storage.kind === "memory") return createMemoryPersistence();
  return openSqlitePersistence(storage.path);
}
