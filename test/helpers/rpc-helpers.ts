/** Writes through the real Connect API, converting Kubernetes-shaped test objects on the way. */
import { create, type Message } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { fromProto, toProto } from "../../src/kinds/convert.ts";
import { kindByName, kindByResourceCase, type KindDescriptor } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { NetguardService, ResourceSchema, type Resource } from "../../src/gen/netguard/v1/service_pb.ts";

type NgClient = Client<typeof NetguardService>;

export function kindOf(obj: KubeObject): KindDescriptor {
  const k = kindByName(obj.kind);
  if (!k) throw new Error(`unknown kind ${obj.kind}`);
  return k;
}

export function resourceOf(obj: KubeObject): Resource {
  const kind = kindOf(obj);
  return create(ResourceSchema, { object: { case: kind.resourceCase, value: toProto(kind, obj) } as never });
}

export function objectOf(r: Resource | undefined): KubeObject {
  const kind = kindByResourceCase(r!.object.case!)!;
  return fromProto(kind, r!.object.value as Message);
}

export async function createObj(client: NgClient, obj: KubeObject): Promise<KubeObject> {
  return objectOf((await client.create({ resource: resourceOf(obj) })).resource);
}

export async function createAll(client: NgClient, objs: KubeObject[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const o of objs) out.push(await createObj(client, o));
  return out;
}

export async function updateObj(client: NgClient, obj: KubeObject): Promise<KubeObject> {
  return objectOf((await client.update({ resource: resourceOf(obj) })).resource);
}

export async function deleteObj(client: NgClient, obj: KubeObject): Promise<KubeObject> {
  const kind = kindOf(obj);
  const res = await client.delete({ kind: kind.resourceKind, identifier: { namespace: obj.metadata.namespace, name: obj.metadata.name } });
  return objectOf(res.resource);
}

/** Adds/changes one label: a MODIFIED event for any kind. */
export function relabel(obj: KubeObject, value: string): KubeObject {
  const o = structuredClone(obj);
  o.metadata.labels = { ...(o.metadata.labels ?? {}), rev: value };
  delete o.metadata.resourceVersion;
  return o;
}

/**
 * `n` relabels of `obj`, one commit (one MODIFIED event) each: history for watch tests to replay.
 * Returns the last version and every resourceVersion written, in order.
 */
export async function relabelTimes(client: NgClient, obj: KubeObject, n: number, tag: string): Promise<{ last: KubeObject; rvs: number[] }> {
  const rvs: number[] = [];
  let cur = obj;
  for (let i = 0; i < n; i++) {
    cur = await updateObj(client, relabel(cur, `${tag}${i}`));
    rvs.push(Number(cur.metadata.resourceVersion));
  }
  return { last: cur, rvs };
}

/** Calls the kind's List RPC. */
export async function listKind(client: NgClient, kind: KindDescriptor, query: Record<string, unknown> = {}) {
  const method = lower(kind.listMethod);
  const res = (await (client as unknown as Record<string, (r: unknown) => Promise<{ items: Message[]; resourceVersion: string; continueToken: string }>>)[method]!({ identifiers: [], query })) as {
    items: Message[];
    resourceVersion: string;
    continueToken: string;
  };
  return { items: res.items.map((m) => fromProto(kind, m)), resourceVersion: Number(res.resourceVersion), continueToken: res.continueToken };
}

/** Opens the kind's Watch RPC. */
export function watchKindRpc(client: NgClient, kind: KindDescriptor, req: Record<string, unknown>, signal: AbortSignal) {
  const method = lower(kind.watchMethod);
  return (client as unknown as Record<string, (r: unknown, o: unknown) => AsyncIterable<never>>)[method]!(req, { signal });
}

function lower(rpcName: string): string {
  return NetguardService.methods.find((m) => m.name === rpcName)!.localName;
}
