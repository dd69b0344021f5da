/**
 * The API server's only way to data: the backend's Connect API. The API server keeps no
 * authoritative state; every read that must be current and every write goes through here.
 * Objects cross this boundary in the Kubernetes shape (converted with the kind table).
 */
import type { Message } from "@bufbuild/protobuf";
import { codeName } from "../metrics/connect-codes.ts";
import { anyUnpack, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcSession, type GrpcSession } from "../runtime/grpc-session.ts";
import { fromProto } from "../kinds/convert.ts";
import { netguardRegistry as registry } from "../wire/registry.ts";
import { packResource, unpackResource } from "../wire/resource-packing.ts";
import { unbatchWatchEvent } from "../wire/watch-batches.ts";
import type { Preconditions } from "../wire/preconditions.ts";
import { callTimeoutMs, deadlineError, type CallOptions } from "./backend-deadline.ts";
import type { KindDescriptor } from "../kinds/kind-table.ts";
import type { KubeObject } from "../kinds/model.ts";
import { NetguardService, WatchEvent_EventType, type Resource, type WatchEvent } from "../gen/netguard/v1/service_pb.ts";

export type { Preconditions };

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken: string;
}

export type BackendEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface BackendWatchEvent {
  type: BackendEventType;
  object?: KubeObject;
  resourceVersion: string;
  initialEventsEnd: boolean;
  /** Backend commit time (ms since epoch) of the change, when known. */
  commitTimeMs?: number;
  errorMessage?: string;
}

export interface BackendWatchRequest {
  resourceVersion?: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

/**
 * Errors are the client library's ConnectError (with Connect codes); callers map them. Every unary
 * call has a deadline (DeadlineExceeded, worded by `deadlineError`); a snapshot watch must deliver
 * its first event within the same deadline, and a watch that went quiet is ended by the HTTP/2
 * keepalive (an unanswered PING drops the connection and its streams, and the sources reconnect).
 */
export interface BackendClient {
  list(kind: KindDescriptor, opts: ListOptions): Promise<ListPage>;
  get(kind: KindDescriptor, namespace: string, name: string): Promise<KubeObject>;
  create(kind: KindDescriptor, obj: KubeObject, dryRun?: boolean): Promise<KubeObject>;
  update(kind: KindDescriptor, obj: KubeObject, dryRun?: boolean): Promise<KubeObject>;
  updateStatus(kind: KindDescriptor, obj: KubeObject, dryRun?: boolean): Promise<KubeObject>;
  delete(kind: KindDescriptor, namespace: string, name: string, pre?: Preconditions, dryRun?: boolean): Promise<KubeObject>;
  /**
   * One event at a time, in stream order. The stream asks for batched messages (WatchReq.batch) and
   * unpacks them here, so a burst (a Sync batch, a resume) crosses the wire in few compressed
   * messages; a backend that predates batching sends single events, which read the same.
   */
  watch(kind: KindDescriptor, req: BackendWatchRequest, signal: AbortSignal): AsyncIterable<BackendWatchEvent>;
  /**
   * Drops the HTTP/2 connection this client opened (a later call opens a new one). A stopping API
   * server calls it before its backend goes away, so it never has to process the backend's GOAWAY:
   * Deno 2.9's node:http2 client can crash inside nghttp2 on a GOAWAY after it has cancelled a
   * stream (denoland/deno#36788). A no-op for a caller-supplied transport, which the caller owns.
   */
  close(): void;
  /**
   * The same client with every call bound to one Kubernetes request: cancelled when `signal` aborts
   * (the HTTP client went away) and ended at `deadlineAt` (`?timeout=`). Calls still keep their own
   * per-call deadline.
   */
  withCall(o: CallOptions): BackendClient;
  /** The cheapest round trip (SyncStatus, no data): readiness checks use it. */
  ping(): Promise<void>;
}

export interface BackendClientOptions {
  /** Deadline of each unary call, and of a snapshot watch's first event (default 10 s). */
  timeoutMs?: number;
  /**
   * PING interval on the backend connection while calls or streams are open (default 30 s); a PING
   * not answered within `timeoutMs` drops the connection, so a stopped backend ends the watch
   * streams (which reconnect) instead of leaving them silent for ever.
   */
  keepaliveMs?: number;
  /**
   * TLS toward the backend (PEM contents): `ca` verifies the backend's certificate, `cert`/`key` are
   * presented as the client certificate. Any of them makes a scheme-less endpoint https. A function
   * is asked before each call: when it returns other material (rotated files), later calls and
   * watches use a new connection with it while open streams finish on the old one.
   */
  tls?: BackendClientTls | (() => BackendClientTls | undefined);
  /** The bearer token for each call and watch (asked every time, so a reloaded file takes effect); "" = none. */
  token?: () => string | undefined;
}

/** PEM material for the backend connection. */
export interface BackendClientTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Default deadline of one backend call. */
export const DEFAULT_BACKEND_TIMEOUT_MS = 10_000;
/** Default PING interval on the backend connection. */
export const DEFAULT_BACKEND_KEEPALIVE_MS = 30_000;

/** Observes every backend call (metrics). */
export type CallObserver = (method: string, code: string, seconds: number) => void;

/** The endpoint as a URL: host:port gets http://, or https:// when TLS material is configured. */
export function backendUrl(endpoint: string, tls = false): string {
  return /^https?:\/\//.test(endpoint) ? endpoint : `${tls ? "https" : "http"}://${endpoint}`;
}

/** Adds `authorization: Bearer` to every backend request (unary and streams) when a token is set. */
function bearerInterceptor(token: () => string | undefined): Interceptor {
  return (next) => (req) => {
    const t = token();
    if (t) req.header.set("authorization", `Bearer ${t}`);
    return next(req);
  };
}

const TYPES: Record<number, BackendEventType> = {
  [WatchEvent_EventType.ADDED]: "ADDED",
  [WatchEvent_EventType.MODIFIED]: "MODIFIED",
  [WatchEvent_EventType.DELETED]: "DELETED",
  [WatchEvent_EventType.ERROR]: "ERROR",
  [WatchEvent_EventType.BOOKMARK]: "BOOKMARK",
};

const toResource = (kind: KindDescriptor, obj: KubeObject): Resource => packResource(kind, obj);

function fromResource(kind: KindDescriptor, r: Resource | undefined): KubeObject {
  const got = unpackResource(r);
  if (got?.kind.resourceCase !== kind.resourceCase) throw new Error(`backend answered without a ${kind.kind}`);
  return got.obj;
}

/** Decodes a backend WatchEvent (exported for sources that read raw streams). */
export function decodeWatchEvent(kind: KindDescriptor, e: WatchEvent): BackendWatchEvent {
  const out: BackendWatchEvent = {
    type: TYPES[e.type] ?? "ERROR",
    resourceVersion: e.resourceVersion,
    initialEventsEnd: e.initialEventsEnd,
  };
  if (e.errorMessage) out.errorMessage = e.errorMessage;
  if (e.commitTime) out.commitTimeMs = timestampMs(e.commitTime);
  if (e.resource) {
    const msg = anyUnpack(e.resource, registry);
    if (msg) out.object = fromProto(kind, msg);
  }
  return out;
}

/** A watch that starts with the current state answers at once, so its first event has a deadline. */
function isSnapshotWatch(req: BackendWatchRequest): boolean {
  return !req.resourceVersion || req.resourceVersion === "0" || req.sendInitialEvents === true;
}

function linkedSignal(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

export function createBackendClient(endpoint: string, observe?: CallObserver, transport?: Transport, options: BackendClientOptions = {}): BackendClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
  const readTls = typeof options.tls === "function" ? options.tls : () => options.tls as BackendClientTls | undefined;
  const usable = (m: BackendClientTls | undefined) => (m && (m.ca || m.cert) ? m : undefined);
  const url = backendUrl(endpoint, !!usable(readTls()));
  const interceptors = options.token ? [bearerInterceptor(options.token)] : [];
  const allSessions: GrpcSession[] = [];
  const connect = (material: BackendClientTls | undefined) => {
    const session = transport
      ? undefined
      : createGrpcSession(url, {
          pingIntervalMs: options.keepaliveMs ?? DEFAULT_BACKEND_KEEPALIVE_MS,
          pingTimeoutMs: timeoutMs,
          tls: usable(material),
          registry,
          interceptors,
        });
    if (session) allSessions.push(session);
    const t = transport ?? session!.transport;
    const client: Client<typeof NetguardService> = createClient(NetguardService, t);
    return { material, client, dyn: client as unknown as Record<string, (req: unknown, opts?: unknown) => unknown> };
  };
  let conn = connect(readTls());
  /** The connection for the next call: a new one once the TLS material changed. */
  const current = () => {
    const material = readTls();
    if (material !== conn.material) conn = connect(material);
    return conn;
  };
  const local = new Map(NetguardService.methods.map((m) => [m.name, m.localName]));

  const bind = (bound: CallOptions): BackendClient => {
    type Opts = { signal?: AbortSignal; timeoutMs: number };
    const call = async <T>(method: string, fn: (o: Opts) => Promise<T>): Promise<T> => {
      const start = performance.now();
      const ms = callTimeoutMs(timeoutMs, bound.deadlineAt);
      try {
        if (bound.signal?.aborted) throw new ConnectError("the request was cancelled before the backend was called", Code.Canceled);
        const r = await fn({ signal: bound.signal, timeoutMs: ms });
        observe?.(method, "ok", (performance.now() - start) / 1000);
        return r;
      } catch (e) {
        const code = (e as { code?: number }).code;
        observe?.(method, code === undefined ? "internal" : codeName(code), (performance.now() - start) / 1000);
        if (code === Code.DeadlineExceeded) throw deadlineError(method, ms, ms < timeoutMs);
        throw e;
      }
    };
    return {
      list: (kind, o) =>
        call(kind.listMethod, async (opts) => {
          const res = (await current().dyn[local.get(kind.listMethod)!]!(
            {
              identifiers: o.namespace ? [{ namespace: o.namespace, name: "" }] : [],
              query: { labelSelector: o.labelSelector ?? "", fieldSelector: o.fieldSelector ?? "", limit: o.limit ?? 0, continueToken: o.continueToken ?? "" },
            },
            opts,
          )) as { items: Message[]; resourceVersion: string; continueToken: string };
          return { items: res.items.map((m) => fromProto(kind, m)), resourceVersion: res.resourceVersion, continueToken: res.continueToken };
        }),
      get: (kind, namespace, name) =>
        call(kind.getMethod, async (opts) => {
          const res = (await current().dyn[local.get(kind.getMethod)!]!({ identifier: { namespace, name } }, opts)) as Record<string, Message | undefined>;
          const m = res[kind.resourceCase];
          if (!m) throw new Error(`backend answered without a ${kind.kind}`);
          return fromProto(kind, m);
        }),
      create: (kind, obj, dryRun = false) =>
        call("Create", async (opts) => fromResource(kind, (await current().client.create({ resource: toResource(kind, obj), dryRun }, opts)).resource)),
      update: (kind, obj, dryRun = false) =>
        call("Update", async (opts) => fromResource(kind, (await current().client.update({ resource: toResource(kind, obj), dryRun }, opts)).resource)),
      updateStatus: (kind, obj, dryRun = false) =>
        call("UpdateStatus", async (opts) => fromResource(kind, (await current().client.updateStatus({ resource: toResource(kind, obj), dryRun }, opts)).resource)),
      delete: (kind, namespace, name, pre = {}, dryRun = false) =>
        call("Delete", async (opts) =>
          fromResource(
            kind,
            (
              await current().client.delete(
                {
                  kind: kind.resourceKind,
                  identifier: { namespace, name },
                  resourceVersion: pre.resourceVersion ?? "",
                  uid: pre.uid ?? "",
                  dryRun,
                },
                opts,
              )
            ).resource,
          ),
        ),
      watch(kind, req, signal) {
        // No total deadline: a watch lives as long as its caller wants. A snapshot watch must start
        // within the call deadline; later silence is caught by the connection's PING keepalive.
        const call = new AbortController();
        const firstDeadline = isSnapshotWatch(req) ? timeoutMs : undefined;
        const stream = current().dyn[local.get(kind.watchMethod)!]!(
          {
            namespace: req.namespace ?? "",
            labelSelector: req.labelSelector ?? "",
            fieldSelector: req.fieldSelector ?? "",
            resourceVersion: req.resourceVersion ?? "",
            allowBookmarks: req.allowBookmarks ?? false,
            sendInitialEvents: req.sendInitialEvents ?? false,
            batch: true,
          },
          { signal: linkedSignal([signal, bound.signal, call.signal]) },
        ) as AsyncIterable<WatchEvent>;
        return (async function* () {
          let timedOut = false;
          const timer =
            firstDeadline === undefined
              ? undefined
              : setTimeout(() => {
                  timedOut = true;
                  call.abort();
                }, firstDeadline);
          try {
            for await (const message of stream) {
              clearTimeout(timer);
              for (const e of unbatchWatchEvent(message)) yield decodeWatchEvent(kind, e);
            }
          } catch (e) {
            if (timedOut) throw deadlineError(kind.watchMethod, firstDeadline!);
            throw e;
          } finally {
            clearTimeout(timer);
            call.abort();
          }
        })();
      },
      close() {
        for (const m of allSessions) m.abort();
      },
      ping: () => call("SyncStatus", async (opts) => void (await current().client.syncStatus({}, opts))),
      withCall(o) {
        const deadlines = [bound.deadlineAt, o.deadlineAt].filter((d): d is number => d !== undefined);
        return bind({
          signal: linkedSignal([bound.signal, o.signal]),
          deadlineAt: deadlines.length ? Math.min(...deadlines) : undefined,
        });
      },
    };
  };
  return bind({});
}
