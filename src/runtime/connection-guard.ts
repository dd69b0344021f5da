/**
 * Connection hygiene for the backend's one port: a cap on open connections and timers that close
 * sockets which hold a file descriptor without doing anything — silent, slow-header, half-preface
 * or idle keep-alive connections. A connection that has a request or stream in flight is never cut
 * by these timers, however quiet: a Watch with no events for hours is an active request.
 *
 * Bun's node:http ignores `headersTimeout` and `keepAliveTimeout` on sockets handed to it with
 * `emit("connection")` (measured on Bun 1.4.4), so the timers are kept here, per socket, for both
 * HTTP/1.1 and HTTP/2, the same on every runtime.
 */
import type * as net from "node:net";

export interface ConnectionLimits {
  /** Open connections; a connection beyond it is closed as soon as it is accepted. */
  maxConnections: number;
  /** Time from accept to the first request's headers (HTTP/1.1) or the client's SETTINGS (HTTP/2). */
  headerTimeoutMs: number;
  /** Time a connection may stay open with nothing in flight (also bounds later requests' headers). */
  idleTimeoutMs: number;
}

/** Counters for metrics and tests. */
export interface ConnectionStats {
  open: number;
  /** Connections closed at accept because the cap was reached. */
  rejected: number;
  /** Connections closed by the header or idle timer. */
  timedOut: number;
}

/** One accepted connection's bookkeeping. */
export interface GuardedConnection {
  /** A request or stream started on it (stops the timers). */
  begin(): void;
  /** A request or stream ended (arms the idle timer when none is left). */
  end(): void;
  /** The protocol's handshake is done (HTTP/2 SETTINGS received): the header timer gives way to the idle timer. */
  ready(): void;
  /** Runs `close` instead of destroying the socket when a timer fires (HTTP/2: GOAWAY). */
  onTimeout(close: () => void): void;
}

export interface ConnectionGuard {
  readonly stats: ConnectionStats;
  readonly limits: ConnectionLimits;
  /** Registers an accepted socket; undefined (and the socket destroyed) when over the cap. */
  accept(socket: net.Socket): GuardedConnection | undefined;
}

/** How often at most the "connection limit reached" line is logged. */
const LOG_EVERY_MS = 10_000;

/** Creates the guard for one listening port. */
export function createConnectionGuard(limits: ConnectionLimits, log: (line: string) => void = console.warn): ConnectionGuard {
  const stats: ConnectionStats = { open: 0, rejected: 0, timedOut: 0 };
  let lastLog = 0;
  let unlogged = 0;

  return {
    stats,
    limits,
    accept(socket) {
      if (stats.open >= limits.maxConnections) {
        stats.rejected++;
        unlogged++;
        socket.destroy();
        const now = Date.now();
        if (now - lastLog >= LOG_EVERY_MS) {
          log(`backend: connection limit ${limits.maxConnections} reached; closed ${unlogged} new connection(s) (backend.max_connections)`);
          lastLog = now;
          unlogged = 0;
        }
        return undefined;
      }
      stats.open++;
      let active = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let close: () => void = () => void socket.destroy();
      const arm = (ms: number) => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          stats.timedOut++;
          close();
        }, ms);
        timer.unref?.();
      };
      const disarm = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
      };
      arm(limits.headerTimeoutMs);
      socket.once("close", () => {
        stats.open--;
        disarm();
      });
      return {
        begin() {
          active++;
          disarm();
        },
        end() {
          active = Math.max(0, active - 1);
          if (active === 0 && !socket.destroyed) arm(limits.idleTimeoutMs);
        },
        ready() {
          if (active === 0) arm(limits.idleTimeoutMs);
        },
        onTimeout(fn) {
          close = fn;
        },
      };
    },
  };
}
