/** Table output (Accept ...;as=Table): server-rendered columns for every kind, for list and get. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KINDS } from "../../../src/kinds/kind-table.ts";
import { collection, objectPath, seedFixtures, startRestStack, type RestStack } from "./rest-harness.ts";

const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/** Columns after Name of domain-reference §6 (Age is rendered by the server too). */
const REFERENCE_COLUMNS: Record<string, string[]> = {
  Service: ["Ports"],
  AddressGroup: ["Default Action", "Logs", "Trace"],
  AddressGroupBinding: ["Service", "AddressGroup"],
  AddressGroupPortMapping: [],
  RuleS2S: ["Traffic"],
  ServiceAlias: ["Service"],
  AddressGroupBindingPolicy: [],
  IEAgAgRule: ["Traffic", "Action"],
  Network: ["CIDR", "Bound"],
  NetworkBinding: ["Network", "AddressGroup"],
  Host: ["UUID", "Bound", "AddressGroup"],
  HostBinding: ["Host", "AddressGroup"],
};

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

const table = (path: string) => s.call("GET", path, undefined, { accept: TABLE_ACCEPT });

describe("Table output", () => {
  test("every kind's list Table has Name, the reference columns, Status and Age shown by default", async () => {
    for (const k of KINDS) {
      const r = await table(`${collection(k.plural, "")}?limit=500`);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
      expect(r.body.kind).toBe("Table");
      expect(r.body.apiVersion).toBe("meta.k8s.io/v1");
      expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
      const shown = (r.body.columnDefinitions as { name: string; priority: number }[]).filter((c) => c.priority === 0).map((c) => c.name);
      expect({ kind: k.kind, shown }).toEqual({ kind: k.kind, shown: ["Name", ...REFERENCE_COLUMNS[k.kind]!, "Status", "Age"] });
      expect(r.body.columnDefinitions[0].format).toBe("name");
    }
  });

  test("cells are rendered by the server, and rows carry PartialObjectMetadata for -A and --show-labels", async () => {
    const r = await table(collection("services", ""));
    const names = r.body.columnDefinitions.map((c: { name: string }) => c.name);
    const frontend = r.body.rows.find((row: { cells: unknown[] }) => row.cells[0] === "frontend");
    expect(frontend.cells[names.indexOf("Ports")]).toBe("TCP/80,TCP/443");
    expect(frontend.cells[names.indexOf("Age")]).toMatch(/^\d+s$/);
    expect(frontend.cells[names.indexOf("Status")]).toBe("Active");
    expect(frontend.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "frontend", namespace: "shop", labels: { tier: "web" } } });
    const ag = await table(collection("addressgroups"));
    const agNames = ag.body.columnDefinitions.map((c: { name: string }) => c.name);
    const row = ag.body.rows.find((x: { cells: unknown[] }) => x.cells[0] === "ag-frontend");
    expect(row.cells[agNames.indexOf("Default Action")]).toBe("ACCEPT");
    expect(row.cells[agNames.indexOf("Logs")]).toBe(true);
  });

  test("includeObject=Object embeds the whole object, None embeds nothing", async () => {
    const full = await table(`${collection("rules2s")}?includeObject=Object`);
    expect(full.body.rows[0].object.kind).toBe("RuleS2S");
    expect(full.body.rows[0].object.spec.traffic).toBeTruthy();
    const none = await table(`${collection("rules2s")}?includeObject=None`);
    expect(none.body.rows[0].object).toBeUndefined();
  });

  test("a get with the Table Accept header is a one-row Table", async () => {
    const r = await table(objectPath("ieagagrules", "worker-ssh-block"));
    expect(r.body.kind).toBe("Table");
    expect(r.body.rows).toHaveLength(1);
    const names = r.body.columnDefinitions.map((c: { name: string }) => c.name);
    expect(r.body.rows[0].cells[names.indexOf("Traffic")]).toBe("INGRESS");
    expect(r.body.rows[0].cells[names.indexOf("Action")]).toBe("DROP");
  });

  test("an object whose delete waits for its last use shows Terminating in the Status column", async () => {
    // ag-worker is used by the binding worker-in-ag-worker: the delete leaves it Terminating
    expect((await s.call("DELETE", objectPath("addressgroups", "ag-worker"))).status).toBe(200);
    const r = await table(collection("addressgroups"));
    const names = r.body.columnDefinitions.map((c: { name: string }) => c.name);
    const cell = (name: string) => r.body.rows.find((x: { cells: unknown[] }) => x.cells[0] === name).cells[names.indexOf("Status")];
    expect(cell("ag-worker")).toBe("Terminating");
    expect(cell("ag-frontend")).toBe("Active");
  });

  test("plain JSON is answered when the Table is not asked for", async () => {
    const r = await s.call("GET", collection("services"), undefined, { accept: "application/json" });
    expect(r.body.kind).toBe("ServiceList");
  });
});
