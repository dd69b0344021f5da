/**
 * How backend failures become Kubernetes Status codes when the failure is the connection itself:
 * a reset connection must read as "unavailable, retry" (503), not as a resourceVersion conflict.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { toStatus } from "../../src/apiserver/status.ts";
import { NetguardService } from "../../src/gen/netguard/v1/service_pb.ts";

let server: Server;
let url: string;
beforeAll(async () => {
  // Accepts the HTTP/2 connection, reads the client's first bytes, then resets the socket.
  server = createServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const target = { kind: "Service", plural: "services", name: "web" };

describe("backend errors as Status", () => {
  test("a connection reset by the backend's side is 503 ServiceUnavailable, not 409 Conflict", async () => {
    const client = createClient(NetguardService, createGrpcTransport({ baseUrl: url }));
    let err: unknown;
    try {
      await client.listServices({});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectError);
    const status = toStatus(err, target);
    expect({ code: status.code, reason: status.reason }).toEqual({ code: 503, reason: "ServiceUnavailable" });
  });

  test("the backend's own Aborted (a stale resourceVersion) stays 409 Conflict", () => {
    const status = toStatus(new ConnectError("the object has been modified", Code.Aborted), target);
    expect({ code: status.code, reason: status.reason }).toEqual({ code: 409, reason: "Conflict" });
  });
});
