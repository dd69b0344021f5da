/**
 * The bytes between an API server and the backend, read from the kernel: the TCP sockets the API
 * server's process holds to the backend's port, with the byte counters `ss -tinp` shows for each
 * (`bytes_sent`: requests, `bytes_received`: responses and stream messages; HTTP/2 framing
 * included, no parsing). Nothing sits on the hop, so the product runs as deployed.
 *
 * An earlier version was a byte-counting TCP proxy between the two. Every Watch message crossed it,
 * and that extra loopback hop added about 0.6 ms to every latency measured (p50 at 100 watchers
 * 1.09 ms through a proxy in its own process, 0.49–0.53 ms connected directly; 1.12–1.37 ms with
 * the proxy in the benchmark process).
 *
 * A connection that closes between two readings takes the bytes it moved after the first with it;
 * the API server's connection to the backend lives as long as the API server does.
 */
import { spawn } from "node:child_process";

export interface WireCounts {
  /** API server → backend (requests). */
  up: number;
  /** backend → API server (responses, stream messages). */
  down: number;
  /** Connections seen so far. */
  connections: number;
}

export interface WireCounter {
  counts(): Promise<WireCounts>;
}

/** Runs `ss` and gives its output (empty when it fails or takes longer than 5 s). */
function ss(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("ss", args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", () => resolve(""));
    child.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** Per local address: the counters of the sockets `pid` holds, parsed from `ss -tinpH` output. */
export function parseSocketCounters(text: string, pid: number): Map<string, { sent: number; received: number }> {
  const found = new Map<string, { sent: number; received: number }>();
  // Each socket is a line with the addresses and its process, then an indented line of counters.
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i]!;
    if (!head.includes(`pid=${pid},`)) continue;
    const local = head.trim().split(/\s+/)[2];
    const info = lines[i + 1] ?? "";
    const num = (key: string) => Number(new RegExp(`\\b${key}:(\\d+)`).exec(info)?.[1] ?? 0);
    if (local) found.set(local, { sent: num("bytes_sent"), received: num("bytes_received") });
  }
  return found;
}

/** Counts the bytes process `pid` exchanges with 127.0.0.1:`port` (totals since each connection opened). */
export function createWireCounter(pid: number, port: number): WireCounter {
  const open = new Map<string, { sent: number; received: number }>();
  /** Bytes of connections no longer open, as last read. */
  const gone = { sent: 0, received: 0, connections: 0 };
  return {
    async counts() {
      const now = parseSocketCounters(await ss(["-tinpH", "state", "established", `( dport = :${port} )`]), pid);
      for (const [local, c] of open) {
        if (now.has(local)) continue;
        gone.sent += c.sent;
        gone.received += c.received;
        gone.connections++;
        open.delete(local);
      }
      let sent = gone.sent;
      let received = gone.received;
      for (const [local, c] of now) {
        open.set(local, c);
        sent += c.sent;
        received += c.received;
      }
      return { up: sent, down: received, connections: gone.connections + open.size };
    },
  };
}
