/**
 * Write throughput, objects per second:
 *  - through the Kubernetes API: `POST …/namespaces/<ns>/services` to an API server (which
 *    converts, validates through the backend's Create and answers 201), `concurrency` at a time;
 *  - through Sync: Connect `Sync(Upsert)` batches straight to the backend, one after another.
 * Each uses its own namespace, so neither touches the watched objects.
 */
import type { BackendWriter } from "../backend-writer.ts";
import { benchService } from "../backend-writer.ts";
import type { Profile } from "../profile.ts";
import { startApiServerProc, type BackendProc } from "../stack.ts";

export interface WriteThroughput {
  postObjects: number;
  postErrors: number;
  lastPostError: string;
  postPerS: number;
  syncObjects: number;
  syncBatch: number;
  syncPerS: number;
}

export async function runWriteThroughput(p: Profile, backend: BackendProc, writer: BackendWriter): Promise<WriteThroughput> {
  const api = await startApiServerProc("streaming", backend.port, undefined, backend.access);
  try {
    const url = `http://127.0.0.1:${api.port}/apis/netguard.sgroups.io/v1beta1/namespaces/bench-post/services`;
    let next = 0;
    let errors = 0;
    let lastError = "";
    const t0 = performance.now();
    const worker = async () => {
      while (next < p.postObjects) {
        const i = next++;
        const body = JSON.stringify(benchService("bench-post", i, `posted ${i}`));
        try {
          const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
          const text = await res.text();
          if (res.status !== 201) {
            errors++;
            lastError = `HTTP ${res.status}: ${text.slice(0, 300)}`;
          }
        } catch (e) {
          errors++;
          lastError = e instanceof Error ? e.message : String(e);
        }
      }
    };
    await Promise.all(Array.from({ length: p.postConcurrency }, worker));
    const postMs = performance.now() - t0;

    const t1 = performance.now();
    for (let i = 0; i < p.syncObjects; i += p.syncBatch) {
      const n = Math.min(p.syncBatch, p.syncObjects - i);
      await writer.syncUpsert(Array.from({ length: n }, (_, k) => benchService("bench-sync", i + k, `synced ${i + k}`)));
    }
    const syncMs = performance.now() - t1;
    return {
      postObjects: p.postObjects,
      postErrors: errors,
      lastPostError: lastError,
      postPerS: (p.postObjects - errors) / (postMs / 1000),
      syncObjects: p.syncObjects,
      syncBatch: p.syncBatch,
      syncPerS: p.syncObjects / (syncMs / 1000),
    };
  } finally {
    await api.stop();
  }
}
