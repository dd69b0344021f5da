/**
 * A failing watch test fails fast with its message. An assertion failing inside a background
 * watch consumer used to hang the whole run (the backend's close, started from Bun's "Unhandled
 * error between tests" report, spun at high CPU with timers no longer firing) instead of naming
 * the test. This runs a deliberately failing fixture (test/fixtures/failing-watch/, outside the
 * suite's glob) in a child `bun test` and checks that it ends, non-zero, with the failure's name
 * and message.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const FIXTURE = "./test/fixtures/failing-watch/background-consumer-assertion.ts";
// Generous for a loaded 2-core machine: the fixture itself needs ~3 s; the hang never ended.
const BOUND_MS = 45_000;

test("a watch test whose stream consumer fails ends the run non-zero, naming the test and its assertion", async () => {
  const proc = Bun.spawn([process.execPath, "test", "--timeout", "60000", FIXTURE], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, CI: "" },
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    proc.kill("SIGKILL");
  }, BOUND_MS);
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  clearTimeout(timer);
  const output = out + err;
  expect({ killed, tail: killed ? output.slice(-2000) : "" }).toEqual({ killed: false, tail: "" });
  expect(code).not.toBe(0);
  expect(output).toContain("(fail) deliberately failing watch consumer");
  expect(output).toContain("deliberate failure inside the watch consumer");
}, 60_000);
