/**
 * What one server-streaming message costs the backend's Connect stack by itself — the floor under
 * the backend's CPU per streamed event (backend-stream-cost.bench.ts measures it beside real writes).
 *
 *   bun run bench/stream-message-cost.bench.ts [--quick]
 *
 * A server process (stream-message/message-server.ts) yields one pre-encoded WatchEvent per open
 * stream every 10 ms and does nothing else. Its CPU over a window is read from /proc with no stream
 * open, then with one stream from this process over gRPC (HTTP/2, what the API server uses) and over
 * the Connect protocol on HTTP/2 and on HTTP/1.1, rounds interleaved; the difference per message is the cost of a
 * message that is the only thing its event-loop turn does. Prints a table and, last, one JSON line.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { NetguardService } from "../src/gen/netguard/v1/service_pb.ts";
import { BACKEND_ALLOCATOR_ENV } from "../src/runtime/allocator-env.ts";
import { installCleanupHandlers, runBenchmark } from "./system/cleanup.ts";
import { freePort, launch } from "./system/launcher.ts";
import { median } from "./system/latency.ts";
import { sampleProc } from "./system/proc-stats.ts";

const quick = process.argv.includes("--quick");
const WINDOW_MS = quick ? 4000 : 8000;
const ROUNDS = quick ? 2 : 4;
const TICK_MS = 10;
type Variant = "no stream" | "gRPC (HTTP/2)" | "Connect (HTTP/2)" | "Connect (HTTP/1.1)";
const VARIANTS: Variant[] = ["no stream", "gRPC (HTTP/2)", "Connect (HTTP/2)", "Connect (HTTP/1.1)"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  installCleanupHandlers();
  const port = await freePort();
  const server = await launch({
    name: "message server",
    args: ["bench/stream-message/message-server.ts"],
    env: { ...BACKEND_ALLOCATOR_ENV, PORT: String(port), TICK_MS: String(TICK_MS) },
    ready: /message server ready/,
  });
  await sleep(1000);
  const cpuMs = new Map<Variant, number[]>();
  const messages = new Map<Variant, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const v = VARIANTS[(i + round) % VARIANTS.length]!;
      const stop = new AbortController();
      let got = 0;
      let reading: Promise<void> = Promise.resolve();
      if (v !== "no stream") {
        const baseUrl = `http://127.0.0.1:${port}`;
        const transport = v === "gRPC (HTTP/2)" ? createGrpcTransport({ baseUrl }) : createConnectTransport({ baseUrl, httpVersion: v === "Connect (HTTP/2)" ? "2" : "1.1" });
        const client = createClient(NetguardService, transport);
        reading = (async () => {
          try {
            for await (const _ of client.watchServices({}, { signal: stop.signal })) got++;
          } catch {
            // aborted at the end of the window
          }
        })();
      }
      await sleep(500);
      const a = sampleProc(server.pid)!;
      const before = got;
      await sleep(WINDOW_MS);
      const b = sampleProc(server.pid)!;
      const inWindow = got - before;
      stop.abort();
      await reading;
      cpuMs.set(v, [...(cpuMs.get(v) ?? []), (b.cpuSeconds - a.cpuSeconds) * 1000]);
      messages.set(v, [...(messages.get(v) ?? []), inWindow]);
      console.error(`  round ${round + 1}, ${v}: server CPU ${((b.cpuSeconds - a.cpuSeconds) * 1000).toFixed(0)} ms, ${inWindow} messages`);
    }
  }
  await server.stop();
  const idle = median(cpuMs.get("no stream")!);
  const rows = VARIANTS.map((v) => {
    const msgs = median(messages.get(v)!);
    const cpu = median(cpuMs.get(v)!);
    return { variant: v, cpu_ms: Math.round(cpu), messages: msgs, us_per_message: msgs ? Math.round(((cpu - idle) * 1000) / msgs) : null };
  });
  console.log(`server CPU over ${WINDOW_MS / 1000} s windows, one message per stream every ${TICK_MS} ms (${ROUNDS} rounds, medians, variants interleaved)`);
  console.log(`${"variant".padEnd(22)}${"CPU (ms)".padStart(10)}${"messages".padStart(10)}${"µs/message".padStart(12)}`);
  for (const r of rows) console.log(`${r.variant.padEnd(22)}${String(r.cpu_ms).padStart(10)}${String(r.messages).padStart(10)}${String(r.us_per_message ?? "").padStart(12)}`);
  console.log(JSON.stringify({ window_s: WINDOW_MS / 1000, tick_ms: TICK_MS, rounds: ROUNDS, variants: rows }));
}

await runBenchmark(main);
