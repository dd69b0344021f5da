/**
 * The YAML parser's warnings quote the lines of the body that caused them; logged as they are, a
 * client could write forged lines into the server's log. The API server logs one fixed message
 * instead. Everything the process writes while the request runs (console, process warnings,
 * stderr/stdout) is captured and searched for the body's text.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { YAML_WARNING_MESSAGE } from "../../src/apiserver/rest/admission/mod.ts";
import { collection, objectPath, startRestStack, type RestStack } from "../apiserver/rest/rest-harness.ts";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
});
afterAll(() => s.close());

/** Runs `fn` with every log channel of this process captured; returns what was written. */
async function captureLogs(fn: () => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  const record = (...args: unknown[]) => void out.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" "));
  const saved = { warn: console.warn, error: console.error, log: console.log, info: console.info, emit: process.emitWarning, err: process.stderr.write, std: process.stdout.write };
  console.warn = console.error = console.log = console.info = record;
  process.emitWarning = record as typeof process.emitWarning;
  process.stderr.write = ((chunk: unknown) => (record(chunk), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: unknown) => (record(chunk), true)) as typeof process.stdout.write;
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 20)); // warnings emitted on a later tick are caught too
  } finally {
    Object.assign(console, { warn: saved.warn, error: saved.error, log: saved.log, info: saved.info });
    process.emitWarning = saved.emit;
    process.stderr.write = saved.err;
    process.stdout.write = saved.std;
  }
  return out.join("\n");
}

const FORGED = "FORGED-LOG-LINE level=error user=admin msg=granted";
const body = (name: string) =>
  `apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\nmetadata:\n  name: ${name}\n  annotations:\n    note: !evil-tag "\\n${FORGED}"\nspec:\n  defaultAction: !unknown-tag ACCEPT # ${FORGED}\n`;

test("a YAML body with parser warnings logs one fixed message and none of the body", async () => {
  let status = 0;
  const logs = await captureLogs(async () => {
    status = (await s.call("POST", collection("addressgroups"), body("ag-warned"), { "content-type": "application/yaml" })).status;
  });
  expect(status).toBeLessThan(500);
  expect(logs).not.toContain("FORGED-LOG-LINE");
  expect(logs).not.toContain("evil-tag");
  expect(logs).toContain(YAML_WARNING_MESSAGE);
});

test("server-side apply bodies are parsed the same way", async () => {
  const logs = await captureLogs(() =>
    s.call("PATCH", `${objectPath("addressgroups", "ag-applied-warned")}?fieldManager=m`, body("ag-applied-warned"), { "content-type": "application/apply-patch+yaml" }),
  );
  expect(logs).not.toContain("FORGED-LOG-LINE");
  expect(logs).toContain(YAML_WARNING_MESSAGE);
});
