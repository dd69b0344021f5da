/**
 * The benchmark reports what the host spent outside its own processes, so a run beside someone
 * else's work can be told apart: the benchmark's own CPU and its waited-for children's never count
 * as "other", a process that is not its child does.
 */
import { spawn, spawnSync } from "node:child_process";
import { expect, test } from "bun:test";
import { createHostCpuMeter, parseHostTicks, parseOwnTicks } from "../../bench/system/host-cpu.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("busy time is user + nice + system + irq + softirq; steal apart; idle and iowait left out", () => {
  const stat = "cpu  1000 20 300 9000 50 7 11 40 5 0\ncpu0 500 10 150 4500 25 3 6 20 2 0\nintr 1 2 3\n";
  expect(parseHostTicks(stat)).toEqual({ busy: 1338, steal: 40 });
});

test("own time adds the waited-for children's to the process's, whatever the command name holds", () => {
  // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
  const stat = "4242 (bun (x) y) S 1 4242 4242 0 -1 4194560 10 0 0 0 120 30 400 50 20 0 9 0";
  expect(parseOwnTicks(stat)).toBe(600);
});

test("the benchmark's own busy loop and a child it waited for are not counted as other work", () => {
  const meter = createHostCpuMeter()!;
  expect(meter).toBeDefined();
  const until = performance.now() + 500;
  while (performance.now() < until) {
    // spin: one full core of this process's own CPU
  }
  spawnSync("timeout", ["0.5", "sh", "-c", "while :; do :; done"], { stdio: "ignore" });
  const got = meter.read();
  expect(got.seconds).toBeGreaterThan(0.9);
  // Unsubtracted, the two spins would read as about one core of other work.
  expect(got.otherCores).toBeLessThan(0.5);
});

test("a busy process that is not the benchmark's child counts as other work", async () => {
  const meter = createHostCpuMeter()!;
  // The shell exits at once; its background spinner is reparented away from this process.
  const sh = spawn("sh", ["-c", 'timeout 1 sh -c "while :; do :; done" >/dev/null 2>&1 &'], { stdio: "ignore" });
  await new Promise((r) => sh.on("exit", r));
  await sleep(1000);
  const got = meter.read();
  expect(got.otherCores).toBeGreaterThan(0.5);
});
