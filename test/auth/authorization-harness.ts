/**
 * A real backend, watch hub and API server with an authorizer (and audit log), over real HTTP on
 * loopback. Requests name their user with the test-only headers `x-test-user` / `x-test-groups`
 * (comma-separated): a wrapper around the API handler attaches that user the way authentication
 * does (setRequestUser) — the stand-in for the authenticators, which are tested on their own.
 */
import { createBackendClient, type BackendClient } from "../../src/apiserver/backend-client.ts";
import { createApiHandler } from "../../src/apiserver/api-server.ts";
import type { AuditLog } from "../../src/apiserver/auth/audit-log.ts";
import type { Authorizer } from "../../src/apiserver/auth/authorizer.ts";
import { AUTHENTICATED_GROUP, setRequestUser } from "../../src/apiserver/auth/user-info.ts";
import { createWatchHub, type WatchHubWithStats } from "../../src/apiserver/watch/watch-hub.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { serveFetch, type FetchServer } from "../../src/runtime/serve-fetch.ts";
import { startTestBackend } from "../helpers/backend-harness.ts";
import { jsonCall } from "../apiserver/rest/rest-harness.ts";

export interface AuthzStack {
  backend: Backend;
  client: BackendClient;
  url: string;
  /** One JSON request as `user` (groups get system:authenticated added, as authentication does). */
  as(user: string, groups: string[], method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export async function startAuthzStack(o: { authorizer?: Authorizer; audit?: AuditLog }): Promise<AuthzStack> {
  const backend = await startTestBackend();
  const client = createBackendClient(backend.url);
  const hub: WatchHubWithStats = createWatchHub({ backend: client, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 200, streamReconnectDelayMs: 50, cacheCapacity: 1024 });
  const handler = createApiHandler({ backend: client, watch: hub, authorizer: o.authorizer, audit: o.audit });
  const server: FetchServer = await serveFetch("127.0.0.1", 0, (req) => {
    const name = req.headers.get("x-test-user");
    if (name) {
      const groups = (req.headers.get("x-test-groups") ?? "").split(",").filter((g) => g !== "");
      setRequestUser(req, { name, groups: [...groups, AUTHENTICATED_GROUP], extra: {} });
    }
    return handler(req);
  });
  const url = `http://127.0.0.1:${server.port}`;
  const http = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  return {
    backend,
    client,
    url,
    as: (user, groups, method, path, body, headers = {}) => jsonCall(http, method, path, body, { "x-test-user": user, "x-test-groups": groups.join(","), ...headers }),
    async close() {
      await hub.close();
      await server.stop();
      client.close();
      await backend.close();
    },
  };
}

/** Status of a watch request as `user`; an allowed watch's stream is cancelled at once. */
export async function watchStatus(stack: AuthzStack, user: string, groups: string[], path: string): Promise<{ status: number; body: any }> {
  const ac = new AbortController();
  const res = await fetch(`${stack.url}${path}`, { headers: { "x-test-user": user, "x-test-groups": groups.join(","), accept: "application/json" }, signal: ac.signal });
  if (res.status === 200) {
    ac.abort();
    return { status: 200, body: undefined };
  }
  return { status: res.status, body: await res.json() };
}
