/**
 * The server side of stream-message-cost.bench.ts: the backend's Connect stack (createConnectHandler
 * on startConnectServer: gRPC over node:http2, Connect over HTTP/1.1) serving WatchServices, where
 * every open stream yields one pre-encoded WatchEvent (the backend's shared form) each `TICK_MS`.
 * Nothing else runs in it — no store, no writes — so its CPU beyond the idle ticks is the cost of
 * the stream messages alone.
 */
import { create } from "@bufbuild/protobuf";
import { createConnectHandler } from "../../src/runtime/connect-handler.ts";
import { startConnectServer } from "../../src/runtime/connect-server.ts";
import { NetguardService, WatchEventSchema, type WatchEvent } from "../../src/gen/netguard/v1/service_pb.ts";
import { preEncoded } from "../../src/backend/rpc/shared-watch-event.ts";
import { toResource } from "../../src/backend/rpc/resource-codec.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { benchService } from "../system/backend-writer.ts";

const TICK_MS = Number(process.env.TICK_MS ?? 10);
const service = kindByName("Service")!;
const object = benchService("bench", 1, "stream message");
object.metadata = { ...object.metadata, resourceVersion: "5", uid: "u-1", creationTimestamp: "2026-01-01T00:00:00Z" };
const event = preEncoded(create(WatchEventSchema, { type: 2, resource: toResource(service, object) } as never));

let waiting: (() => void)[] = [];
setInterval(() => {
  const wake = waiting;
  waiting = [];
  for (const w of wake) w();
}, TICK_MS);

const handler = createConnectHandler({
  routes: (router) =>
    router.service(NetguardService, {
      async *watchServices(): AsyncGenerator<WatchEvent> {
        for (;;) {
          await new Promise<void>((resolve) => waiting.push(resolve));
          yield event;
        }
      },
    }),
  fallback: () => ({ status: 404, headers: { "content-type": "text/plain" }, body: "not found\n" }),
});
await startConnectServer("127.0.0.1", Number(process.env.PORT), handler);
process.on("SIGTERM", () => process.exit(0));
console.log("message server ready");
