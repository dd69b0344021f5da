/** Each wire protocol carries unary calls, errors and live watch streams. */
import { describe, expect, test } from "bun:test";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { netguardRegistry } from "../../src/wire/registry.ts";
import { NetguardService } from "../../src/gen/netguard/v1/service_pb.ts";
import { clientFor } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, listKind, resourceOf, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch } from "../helpers/watch-reader.ts";
import { backendPerTest, expectCode, getObj, kind, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();

const CLIENTS: [string, (url: string) => NgClient][] = [
  ["grpc (HTTP/2)", (url) => clientFor(url, "grpc")],
  ["connect (HTTP/2, binary)", (url) => clientFor(url, "connect")],
  ["grpcweb (HTTP/1.1)", (url) => clientFor(url, "grpcweb")],
  [
    "connect (HTTP/1.1, JSON)",
    (url) => createClient(NetguardService, createConnectTransport({ baseUrl: url, httpVersion: "1.1", useBinaryFormat: false, jsonOptions: { registry: netguardRegistry } })),
  ],
  [
    "grpcweb (HTTP/1.1, JSON)",
    (url) => createClient(NetguardService, createGrpcWebTransport({ baseUrl: url, httpVersion: "1.1", useBinaryFormat: false, jsonOptions: { registry: netguardRegistry } })),
  ],
];

describe.each(CLIENTS)("%s", (_name, makeClient) => {
  test("create, get, list, an error code, and a watch that receives a live event", async () => {
    const { b } = await start();
    const client = makeClient(b.url);
    const Binding = kind("AddressGroupBinding");
    const s = sample("AddressGroupBinding", 1);
    for (const n of s.needs) await createObj(client, n);

    const w = readWatch(Binding, (signal) => watchKindRpc(client, Binding, {}, signal));
    await w.until((es) => es.some((e) => e.initialEventsEnd));
    const rvBefore = b.engine.currentRv;
    const made = await createObj(client, s.object);
    // the binding is the first change of its commit (its Service and port mapping follow)
    expect(made.metadata.resourceVersion).toBe(String(rvBefore + 1));
    expect(made.spec).toEqual(s.object.spec!);

    const seen = await w.until((es) => es.some((e) => e.name === made.metadata.name));
    const ev = seen.find((e) => e.name === made.metadata.name)!;
    expect(ev.type).toBe("ADDED");
    expect(ev.object).toEqual(made);

    expect(await getObj(client, Binding, "shop", made.metadata.name)).toEqual(made);
    expect((await listKind(client, Binding)).items).toEqual([made]);
    const err = await expectCode(client.create({ resource: resourceOf(s.object) }), Code.AlreadyExists);
    expect(err.rawMessage).toContain(made.metadata.name);
    w.stop();
  });
});
