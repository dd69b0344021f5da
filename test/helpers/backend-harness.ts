/**
 * Starts real backends on free ports and builds real connect-node clients for tests.
 *
 * `NETGUARD_TEST_STORE=postgres` runs every backend started without an explicit persistence on a
 * fresh PostgreSQL database (see test/store/postgres-test-db.ts), created on start and dropped on
 * close, so the integration suites check the shared-store path unchanged. Default: memory.
 */
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBackend, type Backend } from "../../src/backend/backend.ts";
import { netguardRegistry } from "../../src/wire/registry.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import type { Persistence, RetentionPolicy } from "../../src/backend/store/persistence.ts";
import { openSqlitePersistence } from "../../src/backend/store/sqlite-persistence.ts";
import { openPostgresPersistence } from "../../src/backend/store/postgres-persistence.ts";
import { createTestDatabase, type TestDatabase } from "../store/postgres-test-db.ts";
import { NetguardService } from "../../src/gen/netguard/v1/service_pb.ts";

export interface TestBackendOptions {
  persistence?: Persistence;
  retention?: RetentionPolicy;
  ringCapacity?: number;
  bookmarkIntervalMs?: number;
  port?: number;
  /** How long close() lets open streams end by themselves before destroying them (default 500 ms). */
  shutdownGraceMs?: number;
}

/** The store `startTestBackend` uses when none is given: "memory" (default) or "postgres". */
export const TEST_STORE = process.env.NETGUARD_TEST_STORE === "postgres" ? "postgres" : "memory";

export async function startTestBackend(o: TestBackendOptions = {}): Promise<Backend> {
  if (o.persistence || TEST_STORE === "memory") return closingOnNextTurn(await start(o, o.persistence ?? createMemoryPersistence()));
  const db = await createTestDatabase();
  try {
    const backend = await start(o, await openPostgresPersistence(db.url, { log: () => {} }));
    return closingOnNextTurn(withDrop(backend, db));
  } catch (e) {
    await db.drop().catch(() => undefined);
    throw e;
  }
}

/**
 * The same backend whose close() starts one event-loop turn later. When an assertion fails in a
 * background watch consumer, Bun (1.4.4) reports "Unhandled error between tests" and runs the
 * afterEach hooks from inside that report; a server close started right there never sees its
 * sockets close nor its grace timer fire, and the run spins until killed instead of naming the
 * failed test. One turn later the close runs normally
 * (test/watch-failures/failing-watch-fails-fast.test.ts pins this).
 */
function closingOnNextTurn(backend: Backend): Backend {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= new Promise<void>((r) => setImmediate(r)).then(() => backend.close()));
  return new Proxy(backend, { get: (t, p, r) => (p === "close" ? close : Reflect.get(t, p, r)) });
}

/** The same backend whose close() also drops its database. */
function withDrop(backend: Backend, db: TestDatabase): Backend {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= backend.close().finally(() => db.drop()));
  return new Proxy(backend, { get: (t, p, r) => (p === "close" ? close : Reflect.get(t, p, r)) });
}

function start(o: TestBackendOptions, persistence: Persistence): Promise<Backend> {
  return startBackend({
    host: "127.0.0.1",
    port: o.port ?? 0,
    persistence,
    retention: o.retention ?? { maxEvents: 0, maxAgeMs: 0 },
    ringCapacity: o.ringCapacity ?? 1024,
    bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
    trimIntervalMs: 0,
    shutdownGraceMs: o.shutdownGraceMs ?? 500,
  });
}

export type Protocol = "grpc" | "connect" | "grpcweb";

export function transportFor(url: string, protocol: Protocol = "grpc"): Transport {
  const jsonOptions = { registry: netguardRegistry };
  if (protocol === "grpc") return createGrpcTransport({ baseUrl: url, jsonOptions });
  if (protocol === "grpcweb") return createGrpcWebTransport({ baseUrl: url, httpVersion: "1.1", jsonOptions });
  return createConnectTransport({ baseUrl: url, httpVersion: "2", jsonOptions });
}

export function clientFor(url: string, protocol: Protocol = "grpc"): Client<typeof NetguardService> {
  return createClient(NetguardService, transportFor(url, protocol));
}

/** A temporary directory for SQLite files, removed by `cleanup`. */
export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), "netguard-test-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export async function sqlitePersistence(file: string): Promise<Persistence> {
  return openSqlitePersistence(file);
}
