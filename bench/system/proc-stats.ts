/**
 * CPU time and resident memory of a child process, read from /proc from the outside: the API
 * server may not expose /metrics, and reading /proc costs the measured process nothing.
 */
import { readFileSync } from "node:fs";

/** Linux USER_HZ: the unit of utime/stime in /proc/<pid>/stat and of /proc/stat (100 on every mainstream kernel). */
export const CLK_TCK = 100;

/**
 * The fields of a /proc/<pid>/stat line from field 3 (state) on: comm (field 2) may contain spaces
 * and parentheses, so the split starts after the last ')'. Field N is at index N − 3.
 */
export function statFieldsAfterComm(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

export interface ProcSample {
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  /** VmRSS in KiB. */
  rssKiB: number;
  /** When the sample was taken (performance.now(), ms). */
  at: number;
}

/** Reads one sample; undefined when the process is gone. */
export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = statFieldsAfterComm(stat);
    // utime and stime are fields 14 and 15.
    const cpuSeconds = (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return { cpuSeconds, rssKiB: m ? Number(m[1]) : NaN, at: performance.now() };
  } catch {
    return undefined;
  }
}

export interface ProcDelta {
  cpuSeconds: number;
  /** CPU use over the window as a fraction of one core. */
  cpuShare: number;
  rssKiB: number;
  rssDeltaKiB: number;
}

/** What a process used between two samples (RSS is the later one). */
export function procDelta(a: ProcSample | undefined, b: ProcSample | undefined): ProcDelta {
  if (!a || !b) return { cpuSeconds: NaN, cpuShare: NaN, rssKiB: NaN, rssDeltaKiB: NaN };
  const cpu = b.cpuSeconds - a.cpuSeconds;
  const wall = (b.at - a.at) / 1000;
  return { cpuSeconds: cpu, cpuShare: wall > 0 ? cpu / wall : NaN, rssKiB: b.rssKiB, rssDeltaKiB: b.rssKiB - a.rssKiB };
}
