import { createMemoryBacking, createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { describePersistenceContract } from "./persistence-contract.ts";

describePersistenceContract("memory", () => {
  const backing = createMemoryBacking();
  return { open: async () => createMemoryPersistence(backing), dispose: () => {} };
});
