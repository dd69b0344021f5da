/**
 * The contract between the REST layer (which parses a `?watch=true` request) and the watch
 * machinery (per-kind watch caches fed by one upstream source each).
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { ObjectFilter } from "../../kinds/selectors.ts";
import type { IncludeObject } from "../tables.ts";

export type WatchMode = "polling" | "streaming" | "auto";

export interface WatchRequestParams {
  kind: KindDescriptor;
  /** "" = all namespaces. */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
  /**
   * The namespace and selectors already parsed (the REST layer parses each request once); the hub
   * parses the strings above only when this is absent.
   */
  filter?: ObjectFilter;
  /** "" / "0" → synthetic ADDED for current objects first; N → only events after N. */
  resourceVersion: string;
  allowBookmarks: boolean;
  /** watch-list: current objects, then a BOOKMARK annotated k8s.io/initial-events-end. */
  sendInitialEvents: boolean;
  /** Server-side end of the watch; undefined → random 30–60 minutes. */
  timeoutSeconds?: number;
  /** Plain objects or one-row Tables (columns in the first event of the stream). */
  format: "json" | "table";
  includeObject: IncludeObject;
  /**
   * The server writes a direct ReadableStream body into the socket itself (Bun.serve: the
   * request's FetchConnection says so), so the watch body is one (watch/watch-body.ts); absent or
   * false: a queued stream, which any reader can read.
   */
  directBody?: boolean;
  /**
   * Told once when the watch ends, however it ends (the API server's watch admission slot,
   * src/apiserver/watch-admission.ts): the watcher tells it itself, so its body needs no wrapper.
   */
  onEnd?: Releasable;
}

/** What is told when a watch ends (an admission slot: an object, so no closure per watch). */
export interface Releasable {
  release(): void;
}

export interface WatchHub {
  /**
   * Serves one watch: a streaming Response of newline-delimited `{"type","object"}` JSON.
   * Throws a StatusError (from ../status.ts) for requests it rejects up front (bad selectors, ...).
   */
  serve(params: WatchRequestParams, signal: AbortSignal): Response;
  /**
   * Waits (briefly, like kube-apiserver's watch cache) until the backend has reached resourceVersion
   * `rv` for reads of `kind`; throws the 504 Timeout "Too large resource version" StatusError if it
   * does not. Lists asking for a resourceVersion newer than they got use it before reading again.
   */
  waitForResourceVersion(kind: KindDescriptor, rv: number, requested: string, signal?: AbortSignal): Promise<void>;
  /** Current source mode per kind ("streaming" | "polling" | "idle"), for metrics and tests. */
  sourceModes(): Record<string, string>;
  close(): Promise<void>;
}
