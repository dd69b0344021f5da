/**
 * The few Connect calls the fault suites make against a backend that may be dead, paused or
 * restarting: every call carries a deadline, and errors are sorted into "the call may or may not
 * have happened" (transport trouble) and real answers.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { NetguardService, SyncOp, SyncReqSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { fromProto, toProto } from "../../src/kinds/convert.ts";
import type { KindDescriptor } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import type { clientFor } from "../helpers/backend-harness.ts";
import { objectOf, resourceOf } from "../helpers/rpc-helpers.ts";

export type NgClient = ReturnType<typeof clientFor>;

/**
 * Codes a call gets when the backend died, restarted or was unreachable: the outcome is unknown.
 * connect-node reports a connection reset (ECONNRESET) as Aborted; the engine's own Aborted (a stale
 * resourceVersion precondition) cannot happen here because these suites send no preconditions.
 */
const TRANSPORT_CODES = new Set([Code.Unavailable, Code.Canceled, Code.DeadlineExceeded, Code.Unknown, Code.Internal, Code.Aborted]);

/** Whether `e` says only that the call did not get an answer (not that the server refused it). */
export function isTransportError(e: unknown): boolean {
  return TRANSPORT_CODES.has(ConnectError.from(e).code);
}

/** `Code[name]` of an error, for messages. */
export function codeName(e: unknown): string {
  return Code[ConnectError.from(e).code] ?? String(e);
}

function method(name: string): string {
  return NetguardService.methods.find((m) => m.name === name)!.localName;
}

/** Create; returns the stored object (its resourceVersion is the acknowledgement). */
export async function createVia(client: NgClient, obj: KubeObject, timeoutMs: number): Promise<KubeObject> {
  return objectOf((await client.create({ resource: resourceOf(obj) }, { timeoutMs })).resource);
}

/** Unconditional update (no resourceVersion precondition). */
export async function updateVia(client: NgClient, obj: KubeObject, timeoutMs: number): Promise<KubeObject> {
  const o = structuredClone(obj);
  delete o.metadata.resourceVersion;
  return objectOf((await client.update({ resource: resourceOf(o) }, { timeoutMs })).resource);
}

/** Delete RPC; returns the object's last state (for a finished delete: the DELETED event's version). */
export async function deleteVia(client: NgClient, kind: KindDescriptor, ns: string, name: string, timeoutMs: number): Promise<KubeObject> {
  const res = await client.delete({ kind: kind.resourceKind, identifier: { namespace: ns, name } }, { timeoutMs });
  return objectOf(res.resource);
}

/** Sync Upsert of a batch of one kind (upstream's batch write: one transaction, no version in the answer). */
export async function syncUpsert(client: NgClient, kind: KindDescriptor, objs: KubeObject[], timeoutMs: number): Promise<void> {
  const req = create(SyncReqSchema, {
    syncOp: SyncOp.Upsert,
    subject: { case: kind.syncCase, value: { [kind.syncCase]: objs.map((o) => toProto(kind, o)) } } as never,
  });
  await client.sync(req, { timeoutMs });
}

/** Get; undefined for NOT_FOUND. Other errors are thrown. */
export async function getOrAbsent(client: NgClient, kind: KindDescriptor, ns: string, name: string, timeoutMs: number): Promise<KubeObject | undefined> {
  const call = (client as unknown as Record<string, (r: unknown, o: unknown) => Promise<Record<string, Message>>>)[method(kind.getMethod)]!;
  try {
    const res = await call({ identifier: { namespace: ns, name } }, { timeoutMs });
    return fromProto(kind, res[kind.resourceCase]!);
  } catch (e) {
    if (ConnectError.from(e).code === Code.NotFound) return undefined;
    throw e;
  }
}

/** Every object of `kind` and the list's resourceVersion. */
export async function listAll(client: NgClient, kind: KindDescriptor, timeoutMs: number): Promise<{ items: KubeObject[]; rv: number }> {
  const call = (client as unknown as Record<string, (r: unknown, o: unknown) => Promise<{ items: Message[]; resourceVersion: string }>>)[method(kind.listMethod)]!;
  const res = await call({ identifiers: [] }, { timeoutMs });
  return { items: res.items.map((m) => fromProto(kind, m)), rv: Number(res.resourceVersion) };
}

/** Retries `fn` on transport errors (the backend is restarting) until it answers or `deadline`. */
export async function retrying<T>(what: string, deadline: number, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransportError(e) || Date.now() > deadline) throw new Error(`${what}: ${codeName(e)}: ${e instanceof Error ? e.message : String(e)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
