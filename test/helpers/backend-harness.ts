/** Starts real backends on free ports and builds real connect-node clients for tests. */
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { netguardRegistry, startBackend, type Backend } from "../../src/backend/backend.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import type { Persistence, RetentionPolicy } from "../../src/backend/store/persistence.ts";
import { openSqlitePersistence } from "../../src/backend/store/sqlite-persistence.ts";
import { NetguardService } from "../../src/gen/netguard/v1/service_pb.ts";

export interface TestBackendOptions {
  persistence?: Persistence;
  retention?: RetentionPolicy;
  ringCapacity?: number;
  bookmarkIntervalMs?: number;
  port?: number;
}

export async function startTestBackend(o: TestBackendOptions = {}): Promise<Backend> {
  return startBackend({
    host: "127.0.0.1",
    port: o.port ?? 0,
    persistence: o.persistence ?? createMemoryPersistence(),
    retention: o.retention ?? { maxEvents: 0, maxAgeMs: 0 },
    ringCapacity: o.ringCapacity ?? 1024,
    bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
    trimIntervalMs: 0,
    shutdownGraceMs: 500,
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
