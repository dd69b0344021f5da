/**
 * A real backend, a real watch hub and a real API server on free ports, for REST tests whose
 * behaviour depends on the hub (watch streams, waiting for a resourceVersion). The hub's wait for a
 * too-new resourceVersion is shortened so that "it never came" is quick to observe.
 */
import { createBackendClient, type BackendClient } from "../../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../../src/apiserver/api-server.ts";
import { createWatchHub, type WatchHubWithStats } from "../../../src/apiserver/watch/watch-hub.ts";
import type { Backend } from "../../../src/backend/backend.ts";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { startTestBackend } from "../../helpers/backend-harness.ts";
import { sample } from "../../helpers/fixtures.ts";
import { collection, jsonCall, pluralOf } from "./rest-harness.ts";

export interface LiveHubStack {
  backend: Backend;
  client: BackendClient;
  hub: WatchHubWithStats;
  api: ApiServer;
  http(path: string, init?: RequestInit): Promise<Response>;
  /** GET/POST with JSON: status, headers and the parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }>;
  /** Creates a fresh AddressGroup `ag-<n>` in namespace shop through the API server. */
  createGroup(n: number): Promise<KubeObject>;
  close(): Promise<void>;
}

export async function startLiveHubStack(o: { resourceVersionWaitMs: number }): Promise<LiveHubStack> {
  const backend = await startTestBackend();
  const client = createBackendClient(backend.url);
  const hub = createWatchHub({
    backend: client,
    mode: "streaming",
    streamingEnabled: true,
    pollingIntervalMs: 200,
    streamReconnectDelayMs: 50,
    cacheCapacity: 1024,
    resourceVersionWaitMs: o.resourceVersionWaitMs,
  });
  const api = await startApiServer("127.0.0.1", 0, { backend: client, watch: hub });
  const http = (path: string, init?: RequestInit) => fetch(`${api.url}${path}`, init);
  const call: LiveHubStack["call"] = (method, path, body) => jsonCall(http, method, path, body);
  return {
    backend,
    client,
    hub,
    api,
    http,
    call,
    async createGroup(n) {
      const { object } = sample("AddressGroup", n);
      const r = await call("POST", collection(pluralOf("AddressGroup")), object);
      if (r.status !== 201) throw new Error(`create AddressGroup: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as KubeObject;
    },
    async close() {
      await api.close();
      await hub.close();
      await backend.close();
    },
  };
}

/** Reads NDJSON watch events (or one plain JSON body) from a response until `until` accepts one or it ends. */
export async function readEvents(res: Response, until: (ev: any) => boolean, timeoutMs = 10_000): Promise<any[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buf = "";
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (buf.trim()) events.push(JSON.parse(buf)); // a plain (non-streaming) body has no newline
        return events;
      }
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const ev = JSON.parse(line);
        events.push(ev);
        if (until(ev)) return events;
      }
    }
  } finally {
    clearTimeout(timer);
    void reader.cancel().catch(() => undefined);
  }
}
