/**
 * The write loads of the replica benchmark, through the backends' real Connect API (gRPC over
 * HTTP/2, one client per replica): concurrent single-object Creates, Sync batches, and paced
 * Updates whose acknowledgement times feed the cross-replica latency.
 */
import { create } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { toProto } from "../../src/kinds/convert.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { NetguardService, ResourceSchema, SyncOp, type Resource } from "../../src/gen/netguard/v1/service_pb.ts";
import { benchService } from "../system/backend-writer.ts";
import { wallMs, type WriteAck } from "../system/latency.ts";

const SERVICE = kindByName("Service")!;

export type ReplicaClient = Client<typeof NetguardService>;

export function replicaClient(port: number): ReplicaClient {
  return createClient(NetguardService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
}

function resourceOf(obj: KubeObject): Resource {
  return create(ResourceSchema, { object: { case: SERVICE.resourceCase, value: toProto(SERVICE, obj) } as never });
}

function rvOf(r: Resource | undefined): number {
  const meta = (r?.object.value as { meta?: { resourceVersion?: string } } | undefined)?.meta;
  return Number(meta?.resourceVersion ?? NaN);
}

export interface Throughput {
  /** Objects written (acknowledged). */
  objects: number;
  seconds: number;
  perSecond: number;
  errors: number;
  lastError: string;
}

/**
 * Closed loop: `inFlight` Create calls outstanding at all times for `seconds`, spread round-robin
 * over the replicas; every call creates a new Service in `namespace`.
 */
export async function concurrentCreates(clients: ReplicaClient[], o: { namespace: string; inFlight: number; seconds: number }): Promise<Throughput> {
  let next = 0;
  let done = 0;
  let errors = 0;
  let lastError = "";
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  const worker = async (w: number): Promise<void> => {
    const client = clients[w % clients.length]!;
    while (performance.now() < end) {
      const i = next++;
      try {
        await client.create({ resource: resourceOf(benchService(o.namespace, i, "create")) });
        done++;
      } catch (e) {
        errors++;
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: o.inFlight }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  return { objects: done, seconds, perSecond: done / seconds, errors, lastError };
}

/**
 * `batches` Sync(Upsert) calls of `size` new Services each, one outstanding per replica (so with
 * three replicas three batches contend for the counter lock at a time).
 */
export async function syncBatches(clients: ReplicaClient[], o: { namespace: string; size: number; batches: number }): Promise<Throughput> {
  let next = 0;
  let done = 0;
  let errors = 0;
  let lastError = "";
  const t0 = performance.now();
  const worker = async (client: ReplicaClient): Promise<void> => {
    while (next < o.batches) {
      const b = next++;
      const msgs = Array.from({ length: o.size }, (_, k) => toProto(SERVICE, benchService(o.namespace, b * o.size + k, "sync")));
      try {
        await client.sync({ syncOp: SyncOp.Upsert, subject: { case: SERVICE.syncCase, value: { [SERVICE.syncCase]: msgs } } as never });
        done += o.size;
      } catch (e) {
        errors++;
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(clients.map(worker));
  const seconds = (performance.now() - t0) / 1000;
  return { objects: done, seconds, perSecond: done / seconds, errors, lastError };
}

/** `count` Updates to replica A at `rate`/s, each awaited (one outstanding); returns the acks of those that succeeded. */
export async function pacedUpdatesTo(client: ReplicaClient, o: { namespace: string; objects: number; rate: number; count: number }): Promise<WriteAck[]> {
  const acks: WriteAck[] = [];
  const t0 = performance.now();
  for (let i = 0; i < o.count; i++) {
    const wait = t0 + (i * 1000) / o.rate - performance.now();
    if (wait > 0.5) await Bun.sleep(wait);
    const sentAt = wallMs();
    try {
      const res = await client.update({ resource: resourceOf(benchService(o.namespace, i % o.objects, `lat-${i}`)) });
      acks.push({ rv: rvOf(res.resource), sentAt, ackAt: wallMs() });
    } catch {
      // counted by the caller as count − acks (e.g. PostgreSQL restarting under the run)
    }
  }
  return acks;
}
