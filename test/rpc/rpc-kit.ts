/**
 * Small helpers shared by the test/rpc integration tests: backend lifecycle, kind lookup, error
 * assertions, Sync request building and the "nothing was written" check.
 */
import { afterEach, expect } from "bun:test";
import { create, type Message } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Backend } from "../../src/backend/backend.ts";
import { NetguardService, SyncReqSchema, SyncOp, type SyncReq } from "../../src/gen/netguard/v1/service_pb.ts";
import { fromProto, toProto } from "../../src/kinds/convert.ts";
import { kindByName, type KindDescriptor } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { clientFor, startTestBackend, type Protocol, type TestBackendOptions } from "../helpers/backend-harness.ts";
import { allFixtures, sample } from "../helpers/fixtures.ts";
import { createAll, createObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch, type WatchReader } from "../helpers/watch-reader.ts";

export type NgClient = ReturnType<typeof clientFor>;

/** Registers an afterEach that closes every backend started through the returned function. */
export function backendPerTest() {
  const running: Backend[] = [];
  afterEach(async () => {
    while (running.length) await running.pop()!.close();
  });
  return async (o: TestBackendOptions = {}, protocol: Protocol = "grpc") => {
    const b = await startTestBackend(o);
    running.push(b);
    return { b, client: clientFor(b.url, protocol) };
  };
}

export function kind(name: string): KindDescriptor {
  const k = kindByName(name);
  if (!k) throw new Error(`unknown kind ${name}`);
  return k;
}

/**
 * Creates the domain-reference §8 fixtures (in apply order) and returns their current versions:
 * later fixtures change earlier ones through derived fields (a binding updates its Service's
 * aggregated groups), so the versions returned by the creates may already be stale.
 */
export async function seedFixtures(client: NgClient): Promise<KubeObject[]> {
  const made = await createAll(client, allFixtures());
  return Promise.all(made.map((o) => getObj(client, kind(o.kind), o.metadata.namespace, o.metadata.name)));
}

/** A fixture by kind and name, as written in the YAML. */
export function fixture(kindName: string, name: string): KubeObject {
  const o = allFixtures().find((x) => x.kind === kindName && x.metadata.name === name);
  if (!o) throw new Error(`no fixture ${kindName} ${name}`);
  return o;
}

/** Awaits a call that must fail and returns its ConnectError after checking the code. */
export async function expectCode(p: Promise<unknown>, code: Code): Promise<ConnectError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeDefined();
  const ce = ConnectError.from(err);
  if (ce.code !== code) throw new Error(`expected ${Code[code]}, got ${Code[ce.code]}: ${ce.message}`);
  expect(ce.code).not.toBe(Code.Unknown);
  expect(ce.rawMessage.length).toBeGreaterThan(0);
  return ce;
}

export function syncReq(op: SyncOp, k: KindDescriptor, objs: KubeObject[]): SyncReq {
  return create(SyncReqSchema, {
    syncOp: op,
    subject: { case: k.syncCase, value: { [k.syncCase]: objs.map((o) => toProto(k, o)) } } as never,
  });
}

/** Opens a Watch of `k` from a resourceVersion (only later changes arrive). */
export function watchFrom(client: NgClient, k: KindDescriptor, rv: number | string, extra: Record<string, unknown> = {}, includeBookmarks = false): WatchReader {
  return readWatch(k, (signal) => watchKindRpc(client, k, { resourceVersion: String(rv), ...extra }, signal), { includeBookmarks });
}

/** Calls the kind's Get RPC and converts the answer. */
export async function getObj(client: NgClient, k: KindDescriptor, namespace: string, name: string): Promise<KubeObject> {
  const method = NetguardService.methods.find((m) => m.name === k.getMethod)!.localName;
  const call = (client as unknown as Record<string, (r: unknown) => Promise<Record<string, Message>>>)[method]!;
  const res = await call({ identifier: { namespace, name } });
  return fromProto(k, res[k.resourceCase]!);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let sentinelSeq = 900;

/**
 * Creates sample `n` of a kind with what it needs, one commit per create, and returns the object
 * of that kind — for a derived kind (AddressGroupPortMapping) the one its dependency's create
 * produced — with the resourceVersion before each commit and the object it returned.
 */
export async function createSample(
  client: NgClient,
  kindName: string,
  n: number,
  rvNow?: () => number,
): Promise<{ object: KubeObject; commits: { rvBefore: number; object: KubeObject }[] }> {
  const s = sample(kindName, n);
  const commits: { rvBefore: number; object: KubeObject }[] = [];
  const writes = s.derived ? s.needs : [...s.needs, s.object];
  for (const o of writes) {
    const rvBefore = rvNow ? rvNow() : Number((await client.syncStatus({})).resourceVersion);
    commits.push({ rvBefore, object: await createObj(client, o) });
  }
  const object = s.derived ? await getObj(client, kind(kindName), s.object.metadata.namespace, s.object.metadata.name) : commits.at(-1)!.object;
  return { object, commits };
}

/**
 * Asserts that `action` changed nothing: the resourceVersion counter did not move, and watchers of
 * `kinds` opened from the version before the action see no event, neither within `quietMs` nor
 * before a sentinel write made afterwards (whose version must be the very next one).
 */
export async function expectNothingWritten(b: Backend, client: NgClient, kindNames: string[], action: () => Promise<unknown>, quietMs = 250) {
  const rv0 = b.engine.currentRv;
  if (rv0 === 0) throw new Error("expectNothingWritten needs a backend with at least one write (rv 0 means snapshot)");
  const watchers = kindNames.map((n) => ({ k: kind(n), w: watchFrom(client, kind(n), rv0) }));
  try {
    await action();
    expect(b.engine.currentRv).toBe(rv0);
    await sleep(quietMs);
    for (const { w } of watchers) expect(w.events).toEqual([]);
    const sentinels: string[] = [];
    for (const { k } of watchers) {
      const s = await createSample(client, k.kind, sentinelSeq++, () => b.engine.currentRv);
      // each sentinel commit starts at the very next version (a commit may also carry derived
      // changes, e.g. an AddressGroup's port mapping), the first right after rv0: nothing was
      // consumed by the action
      if (sentinels.length === 0) expect(s.commits[0]!.rvBefore).toBe(rv0);
      for (const made of s.commits) expect(Number(made.object.metadata.resourceVersion)).toBe(made.rvBefore + 1);
      sentinels.push(s.object.metadata.name);
    }
    const rvEnd = b.engine.currentRv;
    for (const [i, { w }] of watchers.entries()) {
      const seen = await w.until((es) => es.some((e) => e.name === sentinels[i]));
      // everything this watcher ever saw belongs to the sentinel commits
      for (const e of seen) expect(e.rv > rv0 && e.rv <= rvEnd).toBe(true);
    }
  } finally {
    for (const { w } of watchers) w.stop();
  }
}
