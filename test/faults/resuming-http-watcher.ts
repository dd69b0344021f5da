/**
 * A Kubernetes API watch client that behaves like client-go's reflector: list, then watch from the
 * list's resourceVersion with bookmarks; after a broken connection or a non-410 ERROR event it
 * resumes from the last resourceVersion it saw; after a 410 Expired it lists again. Plain HTTP/1.1
 * on loopback (fetch), NDJSON events. Everything it sees goes through a WatchTracker.
 */
import type { KindDescriptor } from "../../src/kinds/kind-table.ts";
import { createWatchTracker, type WatchTracker } from "./watch-tracker.ts";

const GROUP_PATH = "/apis/netguard.sgroups.io/v1beta1";

interface WireObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  code?: number;
  message?: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

const keyOf = (o: WireObject) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

/** Lists `kind` (all namespaces) through the API server: items and the list's resourceVersion. */
async function list(base: string, kind: KindDescriptor, signal: AbortSignal): Promise<{ items: { key: string; rv: number }[]; rv: number }> {
  const res = await fetch(`${base}${GROUP_PATH}/${kind.plural}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) });
  if (res.status !== 200) throw new Error(`list ${kind.plural}: HTTP ${res.status}`);
  const body = (await res.json()) as { items: WireObject[]; metadata: { resourceVersion: string } };
  return { items: body.items.map((o) => ({ key: keyOf(o), rv: Number(o.metadata?.resourceVersion) })), rv: Number(body.metadata.resourceVersion) };
}

/** Watches `kind` through the API server at `base()` (read on every connect) until `signal` aborts. */
export function runHttpWatcher(base: () => string, kind: KindDescriptor, label: string, signal: AbortSignal): { tracker: WatchTracker; done: Promise<void>; errorEvents: Map<number, number> } {
  const t = createWatchTracker(label, kind.kind);
  const errorEvents = new Map<number, number>();
  const done = (async () => {
    let listed = false;
    while (!signal.aborted) {
      try {
        if (!listed) {
          const l = await list(base(), kind, signal);
          t.list(l.items, l.rv);
          listed = true;
        }
        const url = `${base()}${GROUP_PATH}/${kind.plural}?watch=true&allowWatchBookmarks=true&resourceVersion=${t.rv}`;
        const res = await fetch(url, { signal });
        if (res.status !== 200) {
          await res.body?.cancel();
          throw new Error(`watch ${kind.plural}: HTTP ${res.status}`);
        }
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buf = "";
        let expired = false;
        read: for (;;) {
          const { value, done: end } = await reader.read();
          if (end) break;
          buf += decoder.decode(value, { stream: true });
          let nl: number;
          while ((nl = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line) as { type: string; object: WireObject };
            if (ev.type === "ERROR") {
              const code = ev.object.code ?? 0;
              errorEvents.set(code, (errorEvents.get(code) ?? 0) + 1);
              expired = code === 410;
              break read;
            }
            const rv = Number(ev.object.metadata?.resourceVersion);
            if (ev.type === "BOOKMARK") t.bookmark(rv);
            else t.event(ev.type, keyOf(ev.object), rv);
          }
        }
        await reader.cancel().catch(() => undefined);
        if (expired) {
          t.relists++;
          listed = false;
          continue;
        }
      } catch {
        if (signal.aborted) break;
      }
      if (signal.aborted) break;
      if (listed) t.resumes++;
      await sleep(100, signal);
    }
  })();
  return { tracker: t, done, errorEvents };
}
