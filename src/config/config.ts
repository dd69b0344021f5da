/**
 * One typed configuration for both processes: a YAML file (optional) with environment variables on
 * top, validated at start-up. Every problem names the key (and its variable), so a bad setting stops
 * the process with a message instead of a surprise later.
 */
import { parse as parseYaml } from "yaml";
import { parseDuration } from "./duration.ts";

export type WatchMode = "polling" | "streaming" | "auto";

export interface StorageConfig {
  kind: "sqlite" | "memory" | "postgres";
  /** SQLite file path (kind sqlite); the postgres:// URL (kind postgres). */
  path: string;
}

export interface Config {
  backend: { host: string; port: number };
  api: { host: string; port: number };
  /** Backend address the API server calls (BACKEND_ENDPOINT), host:port or URL. */
  backendEndpoint: string;
  storage: StorageConfig;
  retention: { maxEvents: number; maxAgeMs: number };
  eventStore: { ringCapacity: number; bookmarkIntervalMs: number };
  watch: {
    mode: WatchMode;
    streamingEnabled: boolean;
    pollingIntervalMs: number;
    streamReconnectDelayMs: number;
    cacheCapacity: number;
    /** Coalescing window of flushes to watchers (watch.flush_delay; see WatchHubOptions.flushDelayMs). */
    flushDelayMs: number;
    /** The window is at least this many flush durations (watch.flush_busy_factor; see WatchHubOptions.flushBusyFactor). */
    flushBusyFactor: number;
  };
  shutdownGraceMs: number;
  /** How the API server calls the backend: deadlines and keepalive (issue 9, hangs). */
  backendCalls: BackendCallsConfig;
  /** Limits on what clients may send and hold open (issue 9): every one answers clearly when hit. */
  limits: LimitsConfig;
  /** Who may reach the backend and how (issue 10): TLS, client certificates, bearer tokens. */
  backendAccess: BackendAccessConfig;
  /** How the API server proves itself to the backend (issue 10). */
  apiBackendAccess: ApiBackendAccessConfig;
  /** API server: separate loopback-by-default address serving only /metrics; undefined = off. */
  apiMetrics?: { host: string; port: number };
  /**
   * API-server workers (threads) sharing `api.addr` through SO_REUSEPORT, each with its own backend
   * streams and watch caches: more than one thread writes to watch sockets (runtime/api-workers.ts).
   */
  apiWorkers: number;
  /** API server TLS serving and client authentication (issue 10). */
  apiServing: ApiServingConfig;
  /** API server authorization: RBAC policy file and SubjectAccessReview delegation (issue 10). */
  apiAuthorization: ApiAuthorizationConfig;
  /** API server audit log: "-" = stdout, "" = off, else a file appended to (issue 10). */
  apiAuditLog: string;
}

/** Who may do what on the API server (README: Authorization). */
export interface ApiAuthorizationConfig {
  /** Kubernetes RBAC objects (Role, ClusterRole, RoleBinding, ClusterRoleBinding); "" = none. */
  policyFile: string;
  /** kubeconfig of the cluster's kube-apiserver for SubjectAccessReview; "" = no delegation. */
  kubeconfig: string;
  /** How long an allowed / denied SubjectAccessReview answer is reused (kube's aggregated-server defaults: 10 s). */
  allowTtlMs: number;
  denyTtlMs: number;
  /** Deadline of each SubjectAccessReview call (kube's delegating client timeout: 10 s). */
  timeoutMs: number;
}

/**
 * How the API server serves and whom it believes (issue 10; README: kubectl). Without a
 * certificate and not `insecure`, a development CA, serving certificate, admin token and
 * kubeconfig are made in `devDir` on first start.
 */
export interface ApiServingConfig {
  /** Plain HTTP, no authentication (explicit opt-in only). */
  insecure: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** PEM CA bundle for user client certificates (user = CN, groups = O). */
  clientCaFile?: string;
  /** Front proxy: CA bundle its client certificate must chain to; unset = X-Remote-* headers ignored. */
  requestHeaderClientCaFile?: string;
  /** Front proxy certificate CNs accepted; empty = any from that CA. */
  requestHeaderAllowedNames: string[];
  requestHeaderUsernameHeaders: string[];
  requestHeaderGroupHeaders: string[];
  requestHeaderExtraHeaderPrefixes: string[];
  /** kube's static token file (token,user,uid,"g1,g2"); reloaded on change. */
  tokenFile?: string;
  /** Anonymous requests may read discovery and OpenAPI. */
  anonymousDiscovery: boolean;
  /** Where the development PKI, admin token and kubeconfig go (when no certificate is configured). */
  devDir: string;
  /** Poll interval for certificate, CA and token file changes. */
  reloadIntervalMs: number;
}

/**
 * Backend access (issue 10). Without a certificate the port speaks h2c/HTTP/1.1; without a client
 * CA and a token file anyone who reaches the port may write (a warning is logged at start).
 */
export interface BackendAccessConfig {
  /** PEM serving certificate (chain); with keyFile, the port speaks TLS (ALPN h2 and http/1.1). Reloaded on change. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** PEM CA bundle verifying client certificates (CN = user, O = groups such as netguard:read-write). */
  clientCaFile?: string;
  /** Bearer tokens, one `token,name,role` a line (role read-only or read-write). Reloaded on change. */
  tokenFile?: string;
  /** Separate plain-HTTP address serving only /metrics (no credentials); undefined = off. */
  metrics?: { host: string; port: number };
}

/** The API server's side of backend access: CA to verify the backend, client certificate, token. */
export interface ApiBackendAccessConfig {
  /** PEM CA bundle the backend's serving certificate must chain to (implies https). */
  caFile?: string;
  /** PEM client certificate and key presented to the backend (mTLS). */
  certFile?: string;
  keyFile?: string;
  /** File holding the bearer token sent on every backend call (first line; reloaded on change). */
  tokenFile?: string;
}

/** Resource limits of both servers; see the README's configuration table. */
export interface LimitsConfig {
  /** API server: largest request body (413 RequestEntityTooLarge); kube-apiserver's default is 3 MiB. */
  apiMaxRequestBodyBytes: number;
  /** API server: longest request URL (414 RequestURITooLong). */
  apiMaxUrlBytes: number;
  /** API server: largest list page; a larger `limit` is clamped and the rest comes with `continue`. */
  apiMaxListLimit: number;
  /** API server: open watches in total (429 TooManyRequests with Retry-After). */
  apiMaxWatches: number;
  /** API server: open watches per client address (429 TooManyRequests with Retry-After). */
  apiMaxWatchesPerClient: number;
  /** API server: a connection with no request in flight (or a request line/headers not complete) is closed after this. */
  apiIdleTimeoutMs: number;
  /** Backend: largest Connect/gRPC request message (resource_exhausted). */
  backendMaxMessageBytes: number;
  /** Most items one Sync may carry (more → resource_exhausted, nothing written). */
  backendMaxSyncItems: number;
  /** Backend: concurrent Watch streams (resource_exhausted). */
  backendMaxWatchStreams: number;
  /** Backend: open TCP connections; more are closed at once. */
  backendMaxConnections: number;
  /** Backend: time for a new connection's request headers (HTTP/1.1) or preface and SETTINGS (HTTP/2). */
  backendHeaderTimeoutMs: number;
  /** Backend: a connection with no request or stream in flight is closed after this. */
  backendIdleTimeoutMs: number;
}

/** Deadlines of the API server's backend calls; a stopped backend must never hang a request. */
export interface BackendCallsConfig {
  /** Deadline of each unary backend call and of a snapshot watch's first event (504 Timeout when passed). */
  timeoutMs: number;
  /** HTTP/2 PING interval on the backend connection; an unanswered PING (within timeoutMs) drops it and its watch streams. */
  keepaliveMs: number;
}

export class ConfigError extends Error {}

/** Most API-server workers (`api.workers`): each holds its own caches and backend streams. */
export const MAX_API_WORKERS = 64;

/** Longest coalescing window of watch flushes (`watch.flush_delay`): under load it adds up to that much to an event's latency. */
export const MAX_FLUSH_DELAY_MS = 1000;

interface Setting {
  /** Path in the YAML file. */
  key: string;
  /** Environment variable overriding it. */
  env: string;
  def: string;
}

const SETTINGS = {
  backendAddr: { key: "backend.addr", env: "NETGUARD_BACKEND_ADDR", def: "127.0.0.1:9090" },
  apiAddr: { key: "api.addr", env: "NETGUARD_API_ADDR", def: "127.0.0.1:8080" },
  backendEndpoint: { key: "api.backend_endpoint", env: "BACKEND_ENDPOINT", def: "" },
  storage: { key: "storage", env: "NETGUARD_STORAGE", def: "sqlite:./data/netguard.db" },
  maxEvents: { key: "retention.max_events", env: "NETGUARD_RETENTION_MAX_EVENTS", def: "100000" },
  maxAge: { key: "retention.max_age", env: "NETGUARD_RETENTION_MAX_AGE", def: "0" },
  ringCapacity: { key: "event_store.ring_capacity", env: "NETGUARD_RING_CAPACITY", def: "4096" },
  bookmarkInterval: { key: "event_store.bookmark_interval", env: "NETGUARD_BOOKMARK_INTERVAL", def: "60s" },
  mode: { key: "watch.mode", env: "WATCH_MODE", def: "auto" },
  streamingEnabled: { key: "watch.streaming_enabled", env: "WATCH_STREAMING_ENABLED", def: "true" },
  pollingInterval: { key: "watch.polling_interval", env: "WATCH_POLLING_INTERVAL", def: "5s" },
  reconnectDelay: { key: "watch.stream_reconnect_delay", env: "WATCH_STREAM_RECONNECT_DELAY", def: "1s" },
  cacheCapacity: { key: "watch.cache_capacity", env: "WATCH_CACHE_CAPACITY", def: "4096" },
  flushDelay: { key: "watch.flush_delay", env: "WATCH_FLUSH_DELAY", def: "2ms" },
  flushBusyFactor: { key: "watch.flush_busy_factor", env: "WATCH_FLUSH_BUSY_FACTOR", def: "3" },
  shutdownGrace: { key: "shutdown_grace", env: "NETGUARD_SHUTDOWN_GRACE", def: "2s" },
  apiMaxBody: { key: "api.max_request_body_bytes", env: "NETGUARD_API_MAX_REQUEST_BODY_BYTES", def: "3145728" },
  apiMaxUrl: { key: "api.max_url_bytes", env: "NETGUARD_API_MAX_URL_BYTES", def: "16384" },
  apiMaxListLimit: { key: "api.max_list_limit", env: "NETGUARD_API_MAX_LIST_LIMIT", def: "10000" },
  apiMaxWatches: { key: "api.max_watches", env: "NETGUARD_API_MAX_WATCHES", def: "16384" },
  apiMaxWatchesPerClient: { key: "api.max_watches_per_client", env: "NETGUARD_API_MAX_WATCHES_PER_CLIENT", def: "10000" },
  apiIdleTimeout: { key: "api.idle_timeout", env: "NETGUARD_API_IDLE_TIMEOUT", def: "60s" },
  backendMaxMessage: { key: "backend.max_message_bytes", env: "NETGUARD_BACKEND_MAX_MESSAGE_BYTES", def: "4194304" },
  backendMaxSyncItems: { key: "backend.max_sync_items", env: "NETGUARD_BACKEND_MAX_SYNC_ITEMS", def: "10000" },
  backendMaxWatchStreams: { key: "backend.max_watch_streams", env: "NETGUARD_BACKEND_MAX_WATCH_STREAMS", def: "4096" },
  backendMaxConnections: { key: "backend.max_connections", env: "NETGUARD_BACKEND_MAX_CONNECTIONS", def: "4096" },
  backendHeaderTimeout: { key: "backend.header_timeout", env: "NETGUARD_BACKEND_HEADER_TIMEOUT", def: "10s" },
  backendIdleTimeout: { key: "backend.idle_timeout", env: "NETGUARD_BACKEND_IDLE_TIMEOUT", def: "120s" },
  backendTimeout: { key: "api.backend_timeout", env: "NETGUARD_API_BACKEND_TIMEOUT", def: "10s" },
  backendKeepalive: { key: "api.backend_keepalive", env: "NETGUARD_API_BACKEND_KEEPALIVE", def: "30s" },
  backendTlsCert: { key: "backend.tls.cert_file", env: "NETGUARD_BACKEND_TLS_CERT_FILE", def: "" },
  backendTlsKey: { key: "backend.tls.key_file", env: "NETGUARD_BACKEND_TLS_KEY_FILE", def: "" },
  backendClientCa: { key: "backend.tls.client_ca_file", env: "NETGUARD_BACKEND_TLS_CLIENT_CA_FILE", def: "" },
  backendTokenFile: { key: "backend.token_file", env: "NETGUARD_BACKEND_TOKEN_FILE", def: "" },
  backendMetricsAddr: { key: "backend.metrics_addr", env: "NETGUARD_BACKEND_METRICS_ADDR", def: "" },
  apiMetricsAddr: { key: "api.metrics_addr", env: "NETGUARD_API_METRICS_ADDR", def: "" },
  apiWorkers: { key: "api.workers", env: "NETGUARD_API_WORKERS", def: "1" },
  apiBackendCa: { key: "api.backend_tls.ca_file", env: "NETGUARD_API_BACKEND_TLS_CA_FILE", def: "" },
  apiBackendCert: { key: "api.backend_tls.cert_file", env: "NETGUARD_API_BACKEND_TLS_CERT_FILE", def: "" },
  apiBackendKey: { key: "api.backend_tls.key_file", env: "NETGUARD_API_BACKEND_TLS_KEY_FILE", def: "" },
  apiBackendTokenFile: { key: "api.backend_token_file", env: "NETGUARD_API_BACKEND_TOKEN_FILE", def: "" },
  apiInsecure: { key: "api.insecure", env: "NETGUARD_API_INSECURE", def: "false" },
  apiTlsCert: { key: "api.tls.cert_file", env: "NETGUARD_API_TLS_CERT_FILE", def: "" },
  apiTlsKey: { key: "api.tls.key_file", env: "NETGUARD_API_TLS_KEY_FILE", def: "" },
  apiClientCa: { key: "api.tls.client_ca_file", env: "NETGUARD_API_TLS_CLIENT_CA_FILE", def: "" },
  apiRhCa: { key: "api.requestheader.client_ca_file", env: "NETGUARD_API_REQUESTHEADER_CLIENT_CA_FILE", def: "" },
  apiRhAllowed: { key: "api.requestheader.allowed_names", env: "NETGUARD_API_REQUESTHEADER_ALLOWED_NAMES", def: "" },
  apiRhUser: { key: "api.requestheader.username_headers", env: "NETGUARD_API_REQUESTHEADER_USERNAME_HEADERS", def: "X-Remote-User" },
  apiRhGroup: { key: "api.requestheader.group_headers", env: "NETGUARD_API_REQUESTHEADER_GROUP_HEADERS", def: "X-Remote-Group" },
  apiRhExtra: { key: "api.requestheader.extra_headers_prefix", env: "NETGUARD_API_REQUESTHEADER_EXTRA_HEADERS_PREFIX", def: "X-Remote-Extra-" },
  apiTokenFile: { key: "api.token_file", env: "NETGUARD_API_TOKEN_FILE", def: "" },
  apiAnonDiscovery: { key: "api.anonymous_discovery", env: "NETGUARD_API_ANONYMOUS_DISCOVERY", def: "false" },
  apiDevDir: { key: "api.dev_dir", env: "NETGUARD_API_DEV_DIR", def: "./data" },
  apiReloadInterval: { key: "api.reload_interval", env: "NETGUARD_API_RELOAD_INTERVAL", def: "1s" },
  apiAuthzPolicy: { key: "api.authorization.policy_file", env: "NETGUARD_API_AUTHORIZATION_POLICY_FILE", def: "" },
  apiAuthzKubeconfig: { key: "api.authorization.kubeconfig", env: "NETGUARD_API_AUTHORIZATION_KUBECONFIG", def: "" },
  apiAuthzAllowTtl: { key: "api.authorization.allow_ttl", env: "NETGUARD_API_AUTHORIZATION_ALLOW_TTL", def: "10s" },
  apiAuthzDenyTtl: { key: "api.authorization.deny_ttl", env: "NETGUARD_API_AUTHORIZATION_DENY_TTL", def: "10s" },
  apiAuthzTimeout: { key: "api.authorization.timeout", env: "NETGUARD_API_AUTHORIZATION_TIMEOUT", def: "10s" },
  apiAuditLog: { key: "api.audit_log", env: "NETGUARD_API_AUDIT_LOG", def: "-" },
} satisfies Record<string, Setting>;

/** The documented settings, for the README table and `--help`. */
export const CONFIG_SETTINGS: readonly Setting[] = Object.values(SETTINGS);

function lookup(doc: unknown, dotted: string): unknown {
  let cur = doc;
  for (const seg of dotted.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function where(s: Setting): string {
  return `${s.key} (env ${s.env})`;
}

function parseAddr(s: Setting, v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(v.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`config: ${where(s)}: "${v}" is not host:port (e.g. 127.0.0.1:9090)`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

function parseInt_(s: Setting, v: string, min: number): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw new ConfigError(`config: ${where(s)}: "${v}" must be an integer >= ${min}`);
  return Number(v);
}

function parseDur(s: Setting, v: string, positive: boolean): number {
  const ms = parseDuration(v);
  if (ms === undefined || (positive && ms <= 0)) {
    throw new ConfigError(`config: ${where(s)}: "${v}" must be a ${positive ? "positive " : ""}duration such as 500ms, 5s, 1m`);
  }
  return ms;
}

/** The coalescing window of watch flushes: 0 (next event-loop turn) up to MAX_FLUSH_DELAY_MS. */
function parseFlushDelay(s: Setting, v: string): number {
  const ms = parseDur(s, v, false);
  if (ms > MAX_FLUSH_DELAY_MS) throw new ConfigError(`config: ${where(s)}: "${v}" must be at most ${MAX_FLUSH_DELAY_MS}ms (changes that arrive under load wait up to this long)`);
  return ms;
}

/** Largest `watch.flush_busy_factor`: beyond it a server would mostly wait between flushes. */
export const MAX_FLUSH_BUSY_FACTOR = 100;

function parseBusyFactor(s: Setting, v: string): number {
  const t = v.trim();
  const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
  if (!(n >= 0 && n <= MAX_FLUSH_BUSY_FACTOR)) throw new ConfigError(`config: ${where(s)}: "${v}" must be a number from 0 to ${MAX_FLUSH_BUSY_FACTOR}`);
  return n;
}

function parseBool(s: Setting, v: string): boolean {
  const t = v.trim().toLowerCase();
  if (t === "true" || t === "1" || t === "yes") return true;
  if (t === "false" || t === "0" || t === "no") return false;
  throw new ConfigError(`config: ${where(s)}: "${v}" must be true or false`);
}

function parseStorage(s: Setting, v: string): StorageConfig {
  if (v === "memory:" || v === "memory") return { kind: "memory", path: "" };
  const m = /^sqlite:(.+)$/.exec(v);
  if (m) return { kind: "sqlite", path: m[1]! };
  // PostgreSQL: shared by several backend replicas (README "PostgreSQL and replicas").
  if (/^postgres(ql)?:\/\/[^/]/.test(v)) {
    try {
      new URL(v);
    } catch {
      throw new ConfigError(`config: ${where(s)}: "${redactUrl(v)}" is not a valid postgres:// URL`);
    }
    return { kind: "postgres", path: v };
  }
  throw new ConfigError(`config: ${where(s)}: "${redactUrl(v)}" must be sqlite:<file>, postgres://… or memory:`);
}

/** A storage URL with any password replaced, fit for logs and error messages. */
export function redactUrl(v: string): string {
  return v.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

/**
 * Builds the configuration from YAML text (may be empty) and environment variables.
 * Throws ConfigError naming the offending key.
 */
export function loadConfig(yamlText: string | undefined, env: Record<string, string | undefined>): Config {
  let doc: unknown = {};
  if (yamlText && yamlText.trim()) {
    try {
      doc = parseYaml(yamlText) ?? {};
    } catch (e) {
      throw new ConfigError(`config: the file is not valid YAML: ${(e as Error).message}`);
    }
    if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError("config: the file must hold a YAML mapping");
  }
  const get = (s: Setting): string => {
    const e = env[s.env];
    if (e !== undefined && e !== "") return e;
    const v = lookup(doc, s.key);
    if (v === undefined || v === null) return s.def;
    // Lists (header names, allowed CNs) may be YAML sequences of scalars; env gives them comma-separated.
    if (Array.isArray(v) && v.every((x) => x !== null && typeof x !== "object")) return v.join(",");
    if (typeof v === "object") throw new ConfigError(`config: ${s.key}: expected a scalar value`);
    return String(v);
  };
  const S = SETTINGS;
  const mode = get(S.mode);
  if (mode !== "polling" && mode !== "streaming" && mode !== "auto") {
    throw new ConfigError(`config: ${where(S.mode)}: "${mode}" must be one of polling, streaming, auto`);
  }
  const backend = parseAddr(S.backendAddr, get(S.backendAddr));
  const endpoint = get(S.backendEndpoint) || `${backend.host}:${backend.port}`;
  const optional = (s: Setting): string | undefined => get(s).trim() || undefined;
  const optionalAddr = (s: Setting) => (optional(s) ? parseAddr(s, optional(s)!) : undefined);
  const pair = (a: Setting, b: Setting): void => {
    if (!optional(a) !== !optional(b)) throw new ConfigError(`config: ${where(a)} and ${where(b)} must be set together`);
  };
  pair(S.backendTlsCert, S.backendTlsKey);
  pair(S.apiBackendCert, S.apiBackendKey);
  if (optional(S.backendClientCa) && !optional(S.backendTlsCert)) {
    throw new ConfigError(`config: ${where(S.backendClientCa)} needs ${where(S.backendTlsCert)} (client certificates only travel over TLS)`);
  }
  const backendAccess: BackendAccessConfig = {
    tlsCertFile: optional(S.backendTlsCert),
    tlsKeyFile: optional(S.backendTlsKey),
    clientCaFile: optional(S.backendClientCa),
    tokenFile: optional(S.backendTokenFile),
    metrics: optionalAddr(S.backendMetricsAddr),
  };
  const apiBackendAccess: ApiBackendAccessConfig = {
    caFile: optional(S.apiBackendCa),
    certFile: optional(S.apiBackendCert),
    keyFile: optional(S.apiBackendKey),
    tokenFile: optional(S.apiBackendTokenFile),
  };
  const list = (s: Setting): string[] =>
    get(s)
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
  pair(S.apiTlsCert, S.apiTlsKey);
  const apiServing: ApiServingConfig = {
    insecure: parseBool(S.apiInsecure, get(S.apiInsecure)),
    tlsCertFile: optional(S.apiTlsCert),
    tlsKeyFile: optional(S.apiTlsKey),
    clientCaFile: optional(S.apiClientCa),
    requestHeaderClientCaFile: optional(S.apiRhCa),
    requestHeaderAllowedNames: list(S.apiRhAllowed),
    requestHeaderUsernameHeaders: list(S.apiRhUser),
    requestHeaderGroupHeaders: list(S.apiRhGroup),
    requestHeaderExtraHeaderPrefixes: list(S.apiRhExtra),
    tokenFile: optional(S.apiTokenFile),
    anonymousDiscovery: parseBool(S.apiAnonDiscovery, get(S.apiAnonDiscovery)),
    devDir: get(S.apiDevDir),
    reloadIntervalMs: parseDur(S.apiReloadInterval, get(S.apiReloadInterval), true),
  };
  if (apiServing.insecure && (apiServing.tlsCertFile || apiServing.clientCaFile || apiServing.requestHeaderClientCaFile || apiServing.tokenFile)) {
    throw new ConfigError(`config: ${where(S.apiInsecure)} serves plain HTTP without authentication; it cannot be combined with api.tls.*, api.requestheader.client_ca_file or api.token_file`);
  }
  const apiAuthorization: ApiAuthorizationConfig = {
    policyFile: get(S.apiAuthzPolicy),
    kubeconfig: get(S.apiAuthzKubeconfig),
    allowTtlMs: parseDur(S.apiAuthzAllowTtl, get(S.apiAuthzAllowTtl), false),
    denyTtlMs: parseDur(S.apiAuthzDenyTtl, get(S.apiAuthzDenyTtl), false),
    timeoutMs: parseDur(S.apiAuthzTimeout, get(S.apiAuthzTimeout), true),
  };
  const apiAuditLog = get(S.apiAuditLog) === "off" ? "" : get(S.apiAuditLog);
  const apiWorkers = parseInt_(S.apiWorkers, get(S.apiWorkers), 1);
  if (apiWorkers > MAX_API_WORKERS) throw new ConfigError(`config: ${where(S.apiWorkers)}: "${apiWorkers}" must be at most ${MAX_API_WORKERS}`);
  if (apiWorkers > 1 && optional(S.apiMetricsAddr)) {
    throw new ConfigError(`config: ${where(S.apiWorkers)} above 1 cannot be combined with ${where(S.apiMetricsAddr)} (every worker has its own metrics; one address cannot serve them all)`);
  }
  return {
    apiWorkers,
    apiServing,
    apiAuthorization,
    apiAuditLog,
    backendAccess,
    apiBackendAccess,
    apiMetrics: optionalAddr(S.apiMetricsAddr),
    backend,
    api: parseAddr(S.apiAddr, get(S.apiAddr)),
    backendEndpoint: endpoint,
    storage: parseStorage(S.storage, get(S.storage)),
    retention: { maxEvents: parseInt_(S.maxEvents, get(S.maxEvents), 0), maxAgeMs: parseDur(S.maxAge, get(S.maxAge), false) },
    eventStore: {
      ringCapacity: parseInt_(S.ringCapacity, get(S.ringCapacity), 1),
      bookmarkIntervalMs: parseDur(S.bookmarkInterval, get(S.bookmarkInterval), true),
    },
    watch: {
      mode,
      streamingEnabled: parseBool(S.streamingEnabled, get(S.streamingEnabled)),
      pollingIntervalMs: parseDur(S.pollingInterval, get(S.pollingInterval), true),
      streamReconnectDelayMs: parseDur(S.reconnectDelay, get(S.reconnectDelay), true),
      cacheCapacity: parseInt_(S.cacheCapacity, get(S.cacheCapacity), 1),
      flushDelayMs: parseFlushDelay(S.flushDelay, get(S.flushDelay)),
      flushBusyFactor: parseBusyFactor(S.flushBusyFactor, get(S.flushBusyFactor)),
    },
    shutdownGraceMs: parseDur(S.shutdownGrace, get(S.shutdownGrace), false),
    backendCalls: {
      timeoutMs: parseDur(S.backendTimeout, get(S.backendTimeout), true),
      keepaliveMs: parseDur(S.backendKeepalive, get(S.backendKeepalive), true),
    },
    limits: {
      apiMaxRequestBodyBytes: parseInt_(S.apiMaxBody, get(S.apiMaxBody), 1024),
      apiMaxUrlBytes: parseInt_(S.apiMaxUrl, get(S.apiMaxUrl), 256),
      apiMaxListLimit: parseInt_(S.apiMaxListLimit, get(S.apiMaxListLimit), 1),
      apiMaxWatches: parseInt_(S.apiMaxWatches, get(S.apiMaxWatches), 1),
      apiMaxWatchesPerClient: parseInt_(S.apiMaxWatchesPerClient, get(S.apiMaxWatchesPerClient), 1),
      apiIdleTimeoutMs: parseDur(S.apiIdleTimeout, get(S.apiIdleTimeout), true),
      backendMaxMessageBytes: parseInt_(S.backendMaxMessage, get(S.backendMaxMessage), 1024),
      backendMaxSyncItems: parseInt_(S.backendMaxSyncItems, get(S.backendMaxSyncItems), 1),
      backendMaxWatchStreams: parseInt_(S.backendMaxWatchStreams, get(S.backendMaxWatchStreams), 1),
      backendMaxConnections: parseInt_(S.backendMaxConnections, get(S.backendMaxConnections), 1),
      backendHeaderTimeoutMs: parseDur(S.backendHeaderTimeout, get(S.backendHeaderTimeout), true),
      backendIdleTimeoutMs: parseDur(S.backendIdleTimeout, get(S.backendIdleTimeout), true),
    },
  };
}
