/**
 * The benchmark's byte counts on the API server↔backend hop come from the kernel (`ss -tinp`), with
 * no proxy on the hop: only the sockets of the given process to the backend's port count, and a
 * connection that closed keeps the bytes it had moved when last seen.
 */
import { expect, test } from "bun:test";
import { createWireCounter, parseSocketCounters } from "../../bench/system/wire-counter.ts";

const SS = [
  '0      0      127.0.0.1:40001 127.0.0.1:9000 users:(("bun",pid=77,fd=21))',
  "\t cubic wscale:7,7 rto:204 bytes_sent:1200 bytes_acked:1201 bytes_received:56000 segs_out:9",
  '0      0      127.0.0.1:40002 127.0.0.1:9000 users:(("bun",pid=770,fd=9))',
  "\t cubic wscale:7,7 rto:204 bytes_sent:5 bytes_received:7",
  '0      0      127.0.0.1:40003 127.0.0.1:9000 users:(("bun",pid=77,fd=22))',
  "\t cubic wscale:7,7 rto:204 bytes_acked:1 segs_out:1",
].join("\n");

test("only the process's own sockets count, each by its local address", () => {
  const got = parseSocketCounters(SS, 77);
  expect([...got.entries()]).toEqual([
    ["127.0.0.1:40001", { sent: 1200, received: 56000 }],
    ["127.0.0.1:40003", { sent: 0, received: 0 }], // nothing sent or received yet: no counters printed
  ]);
});

test("counts this process's bytes to a real listener as the kernel sees them", async () => {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (s, d) => void s.write(d) } });
  const counter = createWireCounter(process.pid, server.port);
  const before = await counter.counts();
  let echoed = 0;
  const client = await Bun.connect({ hostname: "127.0.0.1", port: server.port, socket: { data: (_s, d) => void (echoed += d.byteLength) } });
  client.write(new Uint8Array(3000));
  for (let i = 0; i < 100 && echoed < 3000; i++) await Bun.sleep(10);
  const open = await counter.counts();
  expect(open.up - before.up).toBe(3000);
  expect(open.down - before.down).toBe(3000);
  expect(open.connections).toBe(before.connections + 1);
  client.end();
  await Bun.sleep(100);
  server.stop(true);
  const after = await counter.counts();
  expect(after.up).toBe(open.up); // the closed connection's bytes stay counted
  expect(after.down).toBe(open.down);
});
