import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config/config.ts";
import { parseDuration } from "../../src/config/duration.ts";

describe("configuration", () => {
  test("defaults: backend on 127.0.0.1:9090, SQLite in ./data, auto watch mode", () => {
    const c = loadConfig(undefined, {});
    expect(c.backend).toEqual({ host: "127.0.0.1", port: 9090 });
    expect(c.storage).toEqual({ kind: "sqlite", path: "./data/netguard.db" });
    expect(c.watch.mode).toBe("auto");
    expect(c.watch.pollingIntervalMs).toBe(5000);
  });

  test("environment variables win over the YAML file", () => {
    const yaml = "backend:\n  addr: 0.0.0.0:7000\nstorage: \"memory:\"\nretention:\n  max_events: 10\n  max_age: 1h\nwatch:\n  mode: polling\n  polling_interval: 2s\n";
    const c = loadConfig(yaml, { NETGUARD_BACKEND_ADDR: "127.0.0.1:7001", WATCH_POLLING_INTERVAL: "250ms" });
    expect(c.backend.port).toBe(7001);
    expect(c.storage.kind).toBe("memory");
    expect(c.retention).toEqual({ maxEvents: 10, maxAgeMs: 3_600_000 });
    expect(c.watch.mode).toBe("polling");
    expect(c.watch.pollingIntervalMs).toBe(250);
  });

  test.each([
    [{ NETGUARD_BACKEND_ADDR: "nope" }, "backend.addr (env NETGUARD_BACKEND_ADDR)"],
    [{ NETGUARD_STORAGE: "mysql://x" }, "storage (env NETGUARD_STORAGE)"],
    [{ WATCH_MODE: "sometimes" }, "watch.mode (env WATCH_MODE)"],
    [{ WATCH_POLLING_INTERVAL: "soon" }, "watch.polling_interval (env WATCH_POLLING_INTERVAL)"],
    [{ WATCH_STREAM_RECONNECT_DELAY: "0" }, "watch.stream_reconnect_delay"],
    [{ WATCH_STREAMING_ENABLED: "maybe" }, "watch.streaming_enabled"],
    [{ NETGUARD_RING_CAPACITY: "0" }, "event_store.ring_capacity"],
    [{ NETGUARD_RETENTION_MAX_EVENTS: "-1" }, "retention.max_events"],
  ])("rejects %p with a message naming %p", (env, key) => {
    expect(() => loadConfig(undefined, env)).toThrow(ConfigError);
    expect(() => loadConfig(undefined, env)).toThrow(key);
  });

  test("the Sync batch cap defaults to 10,000 items and is set by backend.max_sync_items", () => {
    expect(loadConfig(undefined, {}).limits.backendMaxSyncItems).toBe(10_000);
    expect(loadConfig("backend:\n  max_sync_items: 500\n", {}).limits.backendMaxSyncItems).toBe(500);
    expect(loadConfig(undefined, { NETGUARD_BACKEND_MAX_SYNC_ITEMS: "7" }).limits.backendMaxSyncItems).toBe(7);
    expect(() => loadConfig(undefined, { NETGUARD_BACKEND_MAX_SYNC_ITEMS: "0" })).toThrow("backend.max_sync_items");
  });

  test("rejects a file that is not a YAML mapping", () => {
    expect(() => loadConfig("- a\n- b\n", {})).toThrow("mapping");
    expect(() => loadConfig("a: [", {})).toThrow("not valid YAML");
  });

  test("API-server workers: 1 by default, api.workers or NETGUARD_API_WORKERS up to 64, never with one metrics address", () => {
    expect(loadConfig(undefined, {}).apiWorkers).toBe(1);
    expect(loadConfig("api:\n  workers: 4\n", {}).apiWorkers).toBe(4);
    expect(loadConfig("api:\n  workers: 4\n", { NETGUARD_API_WORKERS: "2" }).apiWorkers).toBe(2);
    for (const bad of ["0", "-1", "two", "65"]) expect(() => loadConfig(undefined, { NETGUARD_API_WORKERS: bad })).toThrow("api.workers (env NETGUARD_API_WORKERS)");
    expect(() => loadConfig(undefined, { NETGUARD_API_WORKERS: "2", NETGUARD_API_METRICS_ADDR: "127.0.0.1:9100" })).toThrow("cannot be combined with api.metrics_addr");
    expect(loadConfig(undefined, { NETGUARD_API_WORKERS: "1", NETGUARD_API_METRICS_ADDR: "127.0.0.1:9100" }).apiMetrics?.port).toBe(9100);
  });

  test("watch flush window: 2ms by default, watch.flush_delay or WATCH_FLUSH_DELAY from 0 up to 1s", () => {
    expect(loadConfig(undefined, {}).watch.flushDelayMs).toBe(2);
    expect(loadConfig("watch:\n  flush_delay: 10ms\n", {}).watch.flushDelayMs).toBe(10);
    expect(loadConfig(undefined, { WATCH_FLUSH_DELAY: "0" }).watch.flushDelayMs).toBe(0);
    for (const bad of ["soon", "2s", "-1ms"]) expect(() => loadConfig(undefined, { WATCH_FLUSH_DELAY: bad })).toThrow("watch.flush_delay (env WATCH_FLUSH_DELAY)");
  });

  test("watch flush busy factor: 3 by default, watch.flush_busy_factor or WATCH_FLUSH_BUSY_FACTOR from 0 to 100", () => {
    expect(loadConfig(undefined, {}).watch.flushBusyFactor).toBe(3);
    expect(loadConfig("watch:\n  flush_busy_factor: 0\n", {}).watch.flushBusyFactor).toBe(0);
    expect(loadConfig(undefined, { WATCH_FLUSH_BUSY_FACTOR: "2.5" }).watch.flushBusyFactor).toBe(2.5);
    for (const bad of ["lots", "-1", "101", "1e3"]) expect(() => loadConfig(undefined, { WATCH_FLUSH_BUSY_FACTOR: bad })).toThrow("watch.flush_busy_factor (env WATCH_FLUSH_BUSY_FACTOR)");
  });

  test("parses Go-style durations", () => {
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("5")).toBeUndefined();
  });

  test("the process stops at start-up with the message and exit code 2", () => {
    const r = spawnSync(process.execPath, [join(import.meta.dir, "..", "..", "src", "main.ts"), "backend"], {
      env: { ...process.env, WATCH_MODE: "sometimes" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('watch.mode (env WATCH_MODE): "sometimes" must be one of polling, streaming, auto');
  });
});
