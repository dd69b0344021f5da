/**
 * Preloaded (`bun --preload`) into every server the idle-watcher benchmark measures: on SIGUSR2 it
 * collects garbage (Bun.gc(true)) and appends one JSON line to $MEM_PROBE_FILE with the RSS, the JS
 * heap size and the heap's object counts by type — so each variant is sampled after a full GC
 * without the server having a debug hook of its own. With $MEM_PROBE_SNAPSHOT (a directory) it
 * also writes a JSC heap snapshot per sample (`<pid>-<n>.heapsnapshot`), to see which objects an
 * idle watcher keeps: diff two samples' nodes by class name and size.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { heapStats } from "bun:jsc";

const file = process.env.MEM_PROBE_FILE;
let snapshots = 0;
if (file) {
  process.on("SIGUSR2", async () => {
    Bun.gc(true);
    await Bun.sleep(1000);
    Bun.gc(true);
    await Bun.sleep(1000);
    const h = heapStats();
    const line = { rssKiB: process.memoryUsage().rss / 1024, heapKiB: h.heapSize / 1024, capacityKiB: h.heapCapacity / 1024, extraKiB: h.extraMemorySize / 1024, objects: h.objectCount, types: h.objectTypeCounts };
    const dir = process.env.MEM_PROBE_SNAPSHOT;
    if (dir) writeFileSync(`${dir}/${process.pid}-${++snapshots}.heapsnapshot`, JSON.stringify(Bun.generateHeapSnapshot()));
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
