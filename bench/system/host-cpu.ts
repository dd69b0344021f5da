/**
 * How busy the host was outside the benchmark: every figure here is taken on shared cores, so a
 * run beside someone else's work (a kernel memory scanner, another service's broker) reads worse
 * for reasons that are not the product's. The meter takes the whole machine's busy CPU time from
 * /proc/stat and subtracts this process's own CPU and that of its reaped children (backend, API
 * servers, watch clients: every one of them is a direct child, stopped and waited for before the
 * report), which leaves what everything else used. Hypervisor steal is counted apart: it is CPU
 * the machine did not get at all.
 */
import { readFileSync } from "node:fs";
import { CLK_TCK, statFieldsAfterComm } from "./proc-stats.ts";

/** Busy and stolen CPU time of the whole machine from /proc/stat's aggregate "cpu" line, in ticks. */
export function parseHostTicks(procStat: string): { busy: number; steal: number } {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("/proc/stat has no aggregate cpu line");
  // user nice system idle iowait irq softirq steal (guest and guest_nice are already inside user and nice)
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: user! + nice! + system! + irq! + softirq!, steal: steal ?? 0 };
}

/** This process's CPU plus its waited-for children's, from /proc/self/stat, in ticks. */
export function parseOwnTicks(selfStat: string): number {
  const rest = statFieldsAfterComm(selfStat);
  // utime, stime, cutime and cstime are fields 14–17.
  return Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
}

export interface HostCpu {
  /** Wall-clock seconds the meter ran. */
  seconds: number;
  /** Mean cores' worth of CPU used by everything but this process and its children. */
  otherCores: number;
  /** Mean cores' worth of CPU the hypervisor took from the machine. */
  stealCores: number;
}

export interface HostCpuMeter {
  /** What the host used outside the benchmark since the meter started. */
  read(): HostCpu;
}

function sample(): { busy: number; steal: number; own: number; at: number } {
  const host = parseHostTicks(readFileSync("/proc/stat", "utf8"));
  return { ...host, own: parseOwnTicks(readFileSync("/proc/self/stat", "utf8")), at: performance.now() };
}

/** Starts metering now; undefined where /proc is not there (the figure is then simply absent). */
export function createHostCpuMeter(): HostCpuMeter | undefined {
  let start: ReturnType<typeof sample>;
  try {
    start = sample();
  } catch {
    return undefined;
  }
  return {
    read() {
      const now = sample();
      const seconds = (now.at - start.at) / 1000;
      const other = Math.max(0, now.busy - start.busy - (now.own - start.own)) / CLK_TCK;
      const steal = (now.steal - start.steal) / CLK_TCK;
      return { seconds, otherCores: seconds > 0 ? other / seconds : NaN, stealCores: seconds > 0 ? steal / seconds : NaN };
    },
  };
}
