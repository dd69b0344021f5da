/** Malformed Watch and List parameters are InvalidArgument with a message naming the parameter. */
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { listKind, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch } from "../helpers/watch-reader.ts";
import { backendPerTest, expectCode, kind, seedFixtures } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

describe("Watch rejects bad parameters before sending anything", () => {
  test.each([
    ["resource_version abc", { resourceVersion: "abc" }, "resource version"],
    ["resource_version -1", { resourceVersion: "-1" }, "resource version"],
    ["a bad label selector", { labelSelector: "tier in (web" }, "labelSelector"],
    ["a bad label key", { labelSelector: "-tier=web" }, "labelSelector"],
    ["an unsupported field selector", { fieldSelector: "spec.description=x" }, "fieldSelector"],
  ] as const)("%s → InvalidArgument", async (_what, req, mention) => {
    const { b, client } = await start();
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    const w = readWatch(Service, (signal) => watchKindRpc(client, Service, req, signal));
    await w.finished();
    expect(w.events).toEqual([]);
    const err = ConnectError.from(w.error);
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain(mention);
    expect(b.engine.currentRv).toBe(rv0);
    // the stream was released at once
    expect(b.activeWatches.get("Service") ?? 0).toBe(0);
  });
});

describe("List rejects bad parameters", () => {
  test.each([
    ["a bad label selector", { labelSelector: "tier notin ()" }, "labelSelector"],
    ["an unsupported field selector", { fieldSelector: "status.ready=true" }, "fieldSelector"],
    ["a garbage continue token", { continueToken: "%%%not-a-token" }, "continue token"],
  ] as const)("%s → InvalidArgument", async (_what, query, mention) => {
    const { client } = await start();
    await seedFixtures(client);
    const err = await expectCode(listKind(client, Service, query), Code.InvalidArgument);
    expect(err.rawMessage).toContain(mention);
  });
});
