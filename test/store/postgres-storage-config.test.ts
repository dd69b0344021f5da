import { afterAll, expect, test } from "bun:test";
import { openPersistence } from "../../src/backend/open-persistence.ts";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { closeTestDatabases, createTestDatabase } from "./postgres-test-db.ts";

afterAll(closeTestDatabases);

test("postgres:// storage is read from the environment and from the YAML storage key", () => {
  const url = "postgres://netguard:s3cret@db.example:5432/netguard";
  expect(loadConfig(undefined, { NETGUARD_STORAGE: url }).storage).toEqual({ kind: "postgres", path: url });
  expect(loadConfig(`storage: "${url}"\n`, {}).storage).toEqual({ kind: "postgres", path: url });
  expect(loadConfig(undefined, { NETGUARD_STORAGE: "postgresql://h/db" }).storage.kind).toBe("postgres");
});

test("a bad storage setting names the key and never prints the password", () => {
  const err = (() => {
    try {
      loadConfig(undefined, { NETGUARD_STORAGE: "postgres://u:hunter2@[bad/db" });
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(ConfigError);
  expect(String((err as Error).message)).toContain("NETGUARD_STORAGE");
  expect(String((err as Error).message)).not.toContain("hunter2");
});

test("opening a postgres:// store creates its schema, and an unreachable server is a ConfigError without the password", async () => {
  const db = await createTestDatabase();
  try {
    const store = await openPersistence({ kind: "postgres", path: db.url });
    expect(await store.load()).toEqual({ objects: [], rv: 0, floorRv: 0 });
    await store.close();
  } finally {
    await db.drop();
  }
  const err = await openPersistence({ kind: "postgres", path: "postgres://u:hunter2@127.0.0.1:1/none" }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toContain("NETGUARD_STORAGE");
  expect((err as Error).message).not.toContain("hunter2");
}, 20_000);
