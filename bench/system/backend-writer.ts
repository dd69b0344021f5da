/**
 * Writes to the backend through its real Connect API, the way a controller would: one `Update`
 * per change (the acknowledged write whose latency to the watch clients is measured) or one `Sync`
 * batch of upserts (bulk load and burst fan-out). gRPC over HTTP/2, like the API server's client.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { toProto } from "../../src/kinds/convert.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { NetguardService, ResourceSchema, SyncOp, type Resource } from "../../src/gen/netguard/v1/service_pb.ts";
import { wallMs, type WriteAck } from "./latency.ts";
import { benchBackendUrl, type BenchBackendAccess } from "./backend-access.ts";

const SERVICE = kindByName("Service")!;

/** The bench's Service number `i` in `namespace`, with `description` as the changing field. */
export function benchService(namespace: string, i: number, description: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "Service",
    metadata: { name: `svc-${String(i).padStart(5, "0")}`, namespace, labels: { app: "bench", shard: String(i % 10) } },
    spec: { description, ingressPorts: [{ protocol: "TCP", port: String(10_000 + (i % 50_000)) }] },
  };
}

function resourceOf(obj: KubeObject): Resource {
  return create(ResourceSchema, { object: { case: SERVICE.resourceCase, value: toProto(SERVICE, obj) } as never });
}

function rvOf(r: Resource | undefined): number {
  const meta = (r?.object.value as { meta?: { resourceVersion?: string } } | undefined)?.meta;
  return Number(meta?.resourceVersion ?? NaN);
}

export interface BackendWriter {
  /** Replaces the object (no precondition); resolves with its new resourceVersion. */
  update(obj: KubeObject): Promise<number>;
  /** One Sync(Upsert) batch of Services. */
  syncUpsert(objs: KubeObject[]): Promise<void>;
  /** The backend's newest resourceVersion (SyncStatus: not a List, so it does not skew List counts). */
  currentRv(): Promise<string>;
}

export function createBackendWriter(port: number, access?: BenchBackendAccess): BackendWriter {
  const transport = createGrpcTransport({
    baseUrl: benchBackendUrl(port, access),
    nodeOptions: access ? { ca: access.ca } : undefined,
    interceptors: access
      ? [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${access.token}`);
            return next(req);
          },
        ]
      : [],
  });
  const client: Client<typeof NetguardService> = createClient(NetguardService, transport);
  return {
    async update(obj) {
      const res = await client.update({ resource: resourceOf(obj) });
      return rvOf(res.resource);
    },
    async syncUpsert(objs) {
      const msgs: Message[] = objs.map((o) => toProto(SERVICE, o));
      await client.sync({ syncOp: SyncOp.Upsert, subject: { case: SERVICE.syncCase, value: { [SERVICE.syncCase]: msgs } } as never });
    },
    async currentRv() {
      return (await client.syncStatus({})).resourceVersion;
    },
  };
}

export interface PacedResult {
  acks: WriteAck[];
  errors: number;
  lastError: string;
  /** Writes per second actually achieved (acks over the send window). */
  achievedRate: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Open-loop writer: `count` Updates at `rate` per second (send times fixed in advance, not waiting
 * for acks, at most `maxInFlight` outstanding), cycling over `objects` and changing the
 * description each time so every write is a real change (MODIFIED event). Distinct objects matter
 * for polling: two writes to one object inside one interval would be seen as one change.
 */
export async function pacedUpdates(
  w: BackendWriter,
  o: { namespace: string; objects: number; rate: number; count: number; tag: string; maxInFlight?: number },
): Promise<PacedResult> {
  const acks: WriteAck[] = [];
  let errors = 0;
  let lastError = "";
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = o.maxInFlight ?? 64;
  const startedAt = wallMs();
  const t0 = performance.now();
  for (let i = 0; i < o.count; i++) {
    const due = t0 + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 0.5) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const obj = benchService(o.namespace, i % o.objects, `${o.tag}-${i}`);
    const sentAt = wallMs();
    const p: Promise<void> = w
      .update(obj)
      .then(
        (rv) => void acks.push({ rv, sentAt, ackAt: wallMs() }),
        (e: unknown) => {
          errors++;
          lastError = e instanceof Error ? e.message : String(e);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const endedAt = wallMs();
  return { acks, errors, lastError, achievedRate: acks.length / Math.max(0.001, (endedAt - startedAt) / 1000), startedAt, endedAt };
}
