/**
 * A client that reads the start of its watch and then stops (src/apiserver/watch/watcher.ts): the
 * watcher writes only while its stream has room, stops there, and once the ring laps it the client
 * gets one 410 Expired ERROR — its events are never buffered without end.
 */
import { expect, test } from "bun:test";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { relabelTimes } from "../../helpers/rpc-helpers.ts";
import { liveHubWithSample, params, rv, rvOf, useCleanup, type WireEvent } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;
const CAPACITY = 8;
/** Far more events than the ring holds (and than a runtime buffers), written while the client stalls. */
const WRITES = 400;

test("a client that stops reading after its stream started is held where it stopped and lapped with one 410", async () => {
  const { client, h, warm, obj } = await liveHubWithSample(kind, CAPACITY);

  const ac = new AbortController();
  const res = h.serve(params(kind, { resourceVersion: String(rv(obj)) }), ac.signal);
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe("\n"); // started, then stalls

  const made = await relabelTimes(client, obj, WRITES, "stall-");
  await warm.until((es) => es.some((e) => rvOf(e) === made.rvs.at(-1)), 20_000, "the writes reached the cache");

  const dec = new TextDecoder();
  let text = "";
  for (;;) {
    const r = await Promise.race([reader.read(), Bun.sleep(3000).then(() => ({ done: true, value: undefined, timedOut: true }))]);
    if (r.done) {
      expect("timedOut" in r).toBe(false); // the stream ends (with its ERROR), it does not stay open
      break;
    }
    text += dec.decode(r.value, { stream: true });
  }
  const events = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as WireEvent);
  const errors = events.filter((e) => e.type === "ERROR");
  expect(errors.length).toBe(1);
  expect(errors[0]!.object?.code).toBe(410);
  expect(events.at(-1)!.type).toBe("ERROR");
  expect(events.length - 1).toBeLessThan(WRITES); // held at the bound, not every event buffered
  ac.abort();
}, 60_000);
