import { describe, expect, test } from "bun:test";
import type { StoredEvent } from "../../src/backend/store/persistence.ts";
import { batchRows } from "../../src/backend/store/postgres-write-batch.ts";

const ev = (rv: number, type: StoredEvent["type"], name: string, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  rv,
  kind: "Service",
  type,
  namespace: "ns",
  name,
  object: { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", metadata: { name, namespace: "ns", resourceVersion: String(rv) }, spec: { d: 'q"\\\n é' } },
  time: 1000 + rv,
  ...extra,
});

describe("batchRows: one statement's parameters for a commit batch", () => {
  test("reduces each object to its last event: upserted with that body, or deleted", () => {
    const events = [ev(1, "ADDED", "a"), ev(2, "MODIFIED", "a"), ev(3, "ADDED", "b"), ev(4, "DELETED", "b"), ev(5, "DELETED", "c"), ev(6, "ADDED", "c")];
    const rows = batchRows(events);
    const ups = JSON.parse(rows.upserts) as { name: string; rv: number; body: unknown }[];
    expect(ups.map((u) => [u.name, u.rv])).toEqual([["a", 2], ["c", 6]]);
    expect(ups[0]!.body).toEqual(events[1]!.object);
    expect(JSON.parse(rows.deletes)).toEqual([{ kind: "Service", namespace: "ns", name: "b" }]);
  });

  test("keeps every event in order, with prevLabels as JSON or null", () => {
    const rows = JSON.parse(batchRows([ev(7, "ADDED", "a"), ev(8, "MODIFIED", "a", { prevLabels: { app: "x" } })]).events) as Record<string, unknown>[];
    expect(rows.map((r) => [r.rv, r.type, r.prev_labels, r.time])).toEqual([[7, "ADDED", null, 1007], [8, "MODIFIED", { app: "x" }, 1008]]);
  });
});
