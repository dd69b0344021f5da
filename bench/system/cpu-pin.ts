/**
 * Pins a process — every thread it has now and every thread it starts later — to a set of CPUs with
 * `taskset`, to separate the server under test from its clients on a small machine: the pinned
 * fan-out variant (scenarios/worker-scaling.ts) shows the server's own floor when the watch clients
 * do not share its cores. Linux only; where taskset is missing the variant is skipped and says so.
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";

/** Whether pinning can be done here (taskset present and at least two CPUs). */
export function canPin(): boolean {
  if (cpus().length < 2) return false;
  const r = spawnSync("taskset", ["-p", String(process.pid)], { encoding: "utf8" });
  return r.status === 0;
}

/** Restricts `pid` (all threads) to `cpuList` (taskset -c syntax, e.g. "0" or "1-3"); throws when taskset fails. */
export function pinProcess(pid: number, cpuList: string): void {
  const r = spawnSync("taskset", ["-a", "-p", "-c", cpuList, String(pid)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`taskset -a -p -c ${cpuList} ${pid} failed: ${(r.stderr || r.stdout).trim()}`);
}

/** Every CPU of the machine, in taskset -c syntax (to undo a pin). */
export function allCpus(): string {
  return `0-${cpus().length - 1}`;
}
