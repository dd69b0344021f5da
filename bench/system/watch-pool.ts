/**
 * The benchmark's handle on the watch-client process (watch-client-process.ts): starts it, sends
 * commands, matches replies. Watchers are plain `GET …?watch=true&resourceVersion=N` requests with
 * `Accept: application/json` — what an informer sends (kubectl asks for Tables; the fan-out path is
 * the same, only the encoding differs).
 */
import type { WriteAck, LatencySummary } from "./latency.ts";
import { launch, type Child } from "./launcher.ts";
import { LineChannel } from "./line-channel.ts";
import type { ClientCommand } from "./watch-client-process.ts";
import { CLIENT_ALLOCATOR_ENV } from "../../src/runtime/allocator-env.ts";

type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface ClientStats {
  watchers: number;
  open: number;
  minCount: number;
  maxCount: number;
  events: number;
  bookmarks: number;
  errorLines: number;
  lastError: string;
  unexpectedCloses: number;
  lastClose: string;
  connectFailures: number;
  lastConnectFailure: string;
  cpuSeconds: number;
}

export interface OpenResult {
  opened: number;
  failed: number;
  ms: number;
  lastConnectFailure: string;
  watchers: number;
  open: number;
}

export interface WaitResult extends ClientStats {
  /** Every watcher reached the target count. */
  complete: boolean;
  /** wallMs when the last watcher reached the target (complete only). */
  allAt: number;
  /** Watchers still short of the target. */
  below: number;
}

const RESOURCE_PATH = "/apis/netguard.sgroups.io/v1beta1/namespaces";

/** The watch URL path of Services in `namespace`, from resourceVersion `rv`. */
export function watchPath(namespace: string, rv: string): string {
  return `${RESOURCE_PATH}/${namespace}/services?watch=true&resourceVersion=${rv}`;
}

/** The watch URL path of Services in all namespaces (what an informer usually opens). */
export function watchPathAllNamespaces(rv: string): string {
  return `/apis/netguard.sgroups.io/v1beta1/services?watch=true&resourceVersion=${rv}`;
}

export class WatchPool {
  private constructor(
    private readonly child: Child,
    private readonly channel: LineChannel,
  ) {}

  /** Starts the client process. */
  static async start(): Promise<WatchPool> {
    const channel = new LineChannel();
    const child = await launch({
      name: "watch clients",
      args: ["bench/system/watch-client-process.ts"],
      // The measuring instrument, not the product: it keeps freed pages (src/runtime/allocator-env.ts)
      // so that parsing 100,000+ deliveries/s costs it less CPU on the cores it shares with the servers.
      env: { ...CLIENT_ALLOCATOR_ENV },
      ready: /"ready":true/,
      stdinPipe: true,
      onStdout: channel.onStdout,
    });
    channel.attach(child);
    return new WatchPool(child, channel);
  }

  get process(): Child {
    return this.child;
  }

  private request<T>(cmd: Without<ClientCommand, "id">, timeoutMs: number): Promise<T> {
    return this.channel.request<T>(cmd, timeoutMs);
  }

  /** Opens `count` more watchers on `path`, `parallel` connection attempts at a time. */
  open(port: number, path: string, count: number, parallel = 200): Promise<OpenResult> {
    return this.request({ op: "open", port, path, count, parallel }, 60_000 + count * 20);
  }

  /** Zeroes every watcher's event count; `track` records (rv, receipt time) per delivery from now on. */
  mark(track: boolean): Promise<ClientStats> {
    return this.request({ op: "mark", track }, 10_000);
  }

  /** Resolves when every watcher has `target` events since the mark, or after timeoutMs. */
  wait(target: number, timeoutMs: number): Promise<WaitResult> {
    return this.request({ op: "wait", target, timeoutMs }, timeoutMs + 10_000);
  }

  /** Latency of the tracked deliveries, matched to these acknowledged writes. */
  latency(acks: WriteAck[]): Promise<LatencySummary> {
    return this.request({ op: "latency", acks }, 60_000);
  }

  stats(): Promise<ClientStats> {
    return this.request({ op: "stats" }, 10_000);
  }

  closeAll(): Promise<void> {
    return this.request({ op: "closeAll" }, 30_000);
  }

  stop(): Promise<void> {
    return this.channel.stop();
  }
}
