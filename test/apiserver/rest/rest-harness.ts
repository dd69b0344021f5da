/**
 * A real backend and a real API server on free ports, for REST tests over HTTP. The watch hub is a
 * stub answering 501: watch streaming is tested with the real hub elsewhere; here only the REST
 * layer's parameter handling is observed (through the params the stub records).
 */
import { createBackendClient, type BackendClient } from "../../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../../src/apiserver/api-server.ts";
import { statusBody, statusResponse } from "../../../src/apiserver/status.ts";
import type { WatchHub, WatchRequestParams } from "../../../src/apiserver/watch/watch-types.ts";
import type { Backend } from "../../../src/backend/backend.ts";
import { API_VERSION, type KubeObject } from "../../../src/kinds/model.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { startTestBackend } from "../../helpers/backend-harness.ts";
import { allFixtures, sample } from "../../helpers/fixtures.ts";

export interface StubHub extends WatchHub {
  readonly calls: WatchRequestParams[];
}

/** A watch hub that records what it was asked and answers 501 NotImplemented. */
export function createStubHub(): StubHub {
  const calls: WatchRequestParams[] = [];
  return {
    calls,
    serve(params) {
      calls.push(params);
      return statusResponse(statusBody(501, "NotImplemented", "watch is not served by the stub hub"));
    },
    // The stub has no cache: every resourceVersion counts as reached (lists are then served as is).
    waitForResourceVersion: async () => undefined,
    sourceModes: () => ({}),
    close: async () => undefined,
  };
}

export interface RestStack {
  backend: Backend;
  client: BackendClient;
  api: ApiServer;
  hub: StubHub;
  /** fetch relative to the API server. */
  http(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request helper: returns status, headers and the parsed body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export async function startRestStack(): Promise<RestStack> {
  const backend = await startTestBackend();
  const client = createBackendClient(backend.url);
  const hub = createStubHub();
  const api = await startApiServer("127.0.0.1", 0, { backend: client, watch: hub });
  const http = (path: string, init?: RequestInit) => fetch(`${api.url}${path}`, init);
  return {
    backend,
    client,
    api,
    hub,
    http,
    call: (method, path, body, headers = {}) => jsonCall(http, method, path, body, headers),
    async close() {
      await api.close();
      await backend.close();
    },
  };
}

/**
 * One JSON request through `http`: the body is sent as JSON (strings as they are), the answer is
 * parsed when it is JSON and kept as text otherwise, so tests can assert on either.
 */
export async function jsonCall(
  http: (path: string, init?: RequestInit) => Promise<Response>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const init: RequestInit = { method, headers: { accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const res = await http(path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export const GV = `/apis/${API_VERSION}`;

/** Collection path of a plural in a namespace ("" = all namespaces). */
export function collection(plural: string, namespace = "shop"): string {
  return namespace ? `${GV}/namespaces/${namespace}/${plural}` : `${GV}/${plural}`;
}

/** Object path. */
export function objectPath(plural: string, name: string, namespace = "shop"): string {
  return `${collection(plural, namespace)}/${name}`;
}

/** The REST plural of a kind name. */
export function pluralOf(kind: string): string {
  const k = kindByName(kind);
  if (!k) throw new Error(`unknown kind ${kind}`);
  return k.plural;
}

/** Creates objects through the API server in order (throws on any error); returns the stored objects. */
export async function createAll(stack: RestStack, objs: readonly KubeObject[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const o of objs) {
    const r = await stack.call("POST", collection(pluralOf(o.kind), o.metadata.namespace), o);
    if (r.status !== 201) throw new Error(`create ${o.kind} ${o.metadata.namespace}/${o.metadata.name}: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(r.body as KubeObject);
  }
  return out;
}

/** Creates the domain-reference §8 fixtures through the API server. */
export function seedFixtures(stack: RestStack): Promise<KubeObject[]> {
  return createAll(stack, allFixtures());
}

/**
 * Creates a fresh valid object of `kind` (with what it needs) through the API server. For a derived
 * kind (AddressGroupPortMapping) the server creates the object with what it needs; it is read back.
 */
export async function createSample(stack: RestStack, kind: string, n: number): Promise<KubeObject> {
  const { needs, object, derived } = sample(kind, n);
  await createAll(stack, needs);
  if (!derived) return (await createAll(stack, [object]))[0]!;
  const r = await stack.call("GET", objectPath(pluralOf(kind), object.metadata.name, object.metadata.namespace));
  if (r.status !== 200) throw new Error(`derived ${kind} ${object.metadata.namespace}/${object.metadata.name} did not appear: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as KubeObject;
}
