/**
 * The process's own figures for `/metrics` (CPU time, resident memory, uptime). `process` is a
 * global on Bun, Node and Deno alike, but it is a runtime object, so core code
 * (src/metrics/registry.ts) asks here instead of touching it.
 */

/** CPU time, resident memory and uptime of this process, read now. */
export interface ProcessFigures {
  /** User plus system CPU time, in seconds. */
  cpuSeconds: number;
  /** Resident set size, in bytes. */
  residentBytes: number;
  /** Seconds since the process started. */
  uptimeSeconds: number;
}

/** Reads the figures at scrape time (each call is a fresh reading). */
export function readProcessFigures(): ProcessFigures {
  const cpu = process.cpuUsage();
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, residentBytes: process.memoryUsage().rss, uptimeSeconds: process.uptime() };
}
