/**
 * The netguard.v1.NetguardService implementation. Per-kind methods (List*, Get*, Watch*) are built
 * from the kind table in one loop; the write methods are kind-generic already.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { timestampFromDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { fromProto } from "../../kinds/convert.ts";
import { KINDS, kindByResourceKind, kindBySyncCase, type KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { parseRequestFilter } from "../../kinds/selectors.ts";
import {
  NetguardService,
  SyncOp,
  SyncStatusRespSchema,
  WatchEvent_EventType,
  WatchEventSchema,
  WriteRespSchema,
  type CreateReq,
  type DeleteReq,
  type SyncReq,
  type UpdateReq,
  type WatchEvent,
  type WatchReq,
} from "../../gen/netguard/v1/service_pb.ts";
import type { ResourceIdentifier } from "../../gen/netguard/v1/resources_pb.ts";
import { EngineError } from "../../domain/mod.ts";
import { watchKindBatches, type Engine, type SyncOperation, type WatchItem } from "../engine/mod.ts";
import { binaryCodec, encodedSize, sharedWatchEvent } from "./shared-watch-event.ts";
import { packWatchEvents } from "./watch-batch.ts";
import { anyOf, fromResource, messageOf, toResource } from "./resource-codec.ts";
import { toConnectError } from "./rpc-errors.ts";
import { checkSyncBatchSize, DEFAULT_MAX_SYNC_ITEMS } from "./sync-batch-limit.ts";
import { assertCallerWaiting } from "./caller-gone.ts";

export interface ServiceOptions {
  engine: Engine;
  /** Aborts every watch with UNAVAILABLE when the server shuts down. */
  shutdown: AbortSignal;
  bookmarkIntervalMs: number;
  /** Observes watch streams opening/closing (metrics). */
  onWatch?: (kind: string, delta: 1 | -1) => void;
  /** Most items one Sync request may carry (default DEFAULT_MAX_SYNC_ITEMS); more: RESOURCE_EXHAUSTED. */
  maxSyncItems?: number;
}

const EVENT_TYPES: Record<WatchItem["type"], WatchEvent_EventType> = {
  ADDED: WatchEvent_EventType.ADDED,
  MODIFIED: WatchEvent_EventType.MODIFIED,
  DELETED: WatchEvent_EventType.DELETED,
  ERROR: WatchEvent_EventType.ERROR,
  BOOKMARK: WatchEvent_EventType.BOOKMARK,
};

const SYNC_OPS: Partial<Record<SyncOp, SyncOperation>> = {
  [SyncOp.Upsert]: "upsert",
  [SyncOp.Delete]: "delete",
  [SyncOp.FullSync]: "fullsync",
};

async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toConnectError(e);
  }
}

function toWatchEvent(kind: KindDescriptor, item: WatchItem): WatchEvent {
  switch (item.type) {
    case "BOOKMARK":
      return create(WatchEventSchema, {
        type: WatchEvent_EventType.BOOKMARK,
        resourceVersion: String(item.rv),
        initialEventsEnd: item.initialEventsEnd,
      });
    case "ERROR":
      return create(WatchEventSchema, {
        type: WatchEvent_EventType.ERROR,
        resourceVersion: String(item.rv),
        errorMessage: item.message,
      });
    default:
      return create(WatchEventSchema, {
        type: EVENT_TYPES[item.type],
        resource: anyOf(kind, item.object),
        resourceVersion: String(item.rv),
        commitTime: item.event ? timestampFromMs(item.event.time) : undefined,
      });
  }
}

function listHandler(engine: Engine, kind: KindDescriptor) {
  return (req: { identifiers: ResourceIdentifier[]; query?: { labelSelector: string; fieldSelector: string; limit: number; continueToken: string } }) =>
    guard(async () => {
      const limit = req.query?.limit;
      // A negative page size is a client error, not "unlimited" (0 or absent means no limit).
      if (limit !== undefined && limit < 0) throw new EngineError("BadRequest", `query.limit: must not be negative (got ${limit})`);
      const filter = parseRequestFilter("", req.query?.labelSelector ?? "", req.query?.fieldSelector ?? "", (m) => new EngineError("BadRequest", m));
      await engine.catchUp();
      const res = engine.list(kind, {
        identifiers: req.identifiers.map((i) => ({ namespace: i.namespace, name: i.name })),
        filter,
        limit,
        continueToken: req.query?.continueToken || undefined,
      });
      return {
        items: res.items.map((o) => messageOf(kind, o)),
        resourceVersion: String(res.resourceVersion),
        continueToken: res.continueToken,
      };
    });
}

function getHandler(engine: Engine, kind: KindDescriptor) {
  return (req: { identifier?: ResourceIdentifier }) =>
    guard(async () => {
      const ns = req.identifier?.namespace ?? "";
      const name = req.identifier?.name ?? "";
      await engine.catchUp();
      const obj = engine.get(kind, ns, name);
      if (!obj) throw new EngineError("NotFound", `${kind.plural}.netguard.sgroups.io "${name}" not found in namespace "${ns}"`);
      return { [kind.resourceCase]: messageOf(kind, obj) };
    });
}

function watchHandler(opts: ServiceOptions, kind: KindDescriptor) {
  return async function* (req: WatchReq, ctx: HandlerContext): AsyncGenerator<WatchEvent> {
    const signal = AbortSignal.any([ctx.signal, opts.shutdown]);
    opts.onWatch?.(kind.kind, 1);
    try {
      // a snapshot or a resume position from another replica is taken against caught-up state
      await guard(() => opts.engine.catchUp());
      const groups = watchKindBatches(opts.engine, kind, {
        namespace: req.namespace,
        labelSelector: req.labelSelector,
        fieldSelector: req.fieldSelector,
        resourceVersion: req.resourceVersion,
        allowBookmarks: req.allowBookmarks,
        sendInitialEvents: req.sendInitialEvents,
        bookmarkIntervalMs: opts.bookmarkIntervalMs,
        signal,
      });
      // Binary streams share one encoding of each change (shared-watch-event.ts); JSON ones cannot.
      const build = (item: WatchItem) => toWatchEvent(kind, item);
      const one = binaryCodec(ctx.requestHeader.get("content-type")) ? (item: WatchItem) => sharedWatchEvent(item, build) : build;
      for await (const group of groups) {
        // Opted in: events ready together share messages (watch-batch.ts), each compressed whole.
        if (req.batch) yield* packWatchEvents(group, one, encodedSize);
        else for (const item of group) yield one(item);
      }
    } catch (e) {
      throw toConnectError(e);
    } finally {
      opts.onWatch?.(kind.kind, -1);
    }
    if (opts.shutdown.aborted) throw new ConnectError("server shutting down", Code.Unavailable);
  };
}

type ObjectWrite = (kind: KindDescriptor, obj: KubeObject, o: { dryRun: boolean }) => Promise<KubeObject>;

/** Create, Update and UpdateStatus share one shape: a Resource in, the stored Resource out. */
function writeHandler(write: ObjectWrite) {
  return (req: CreateReq | UpdateReq, ctx?: HandlerContext) =>
    guard(async () => {
      const { kind, obj } = fromResource(req.resource);
      await assertCallerWaiting(ctx);
      const out = await write(kind, obj, { dryRun: req.dryRun });
      return create(WriteRespSchema, { resource: toResource(kind, out) });
    });
}

/** Builds the service implementation for `router.service(NetguardService, impl)`. */
export function createNetguardService(opts: ServiceOptions): ServiceImpl<typeof NetguardService> {
  const { engine } = opts;
  const impl: Record<string, unknown> = {
    sync: (req: SyncReq, ctx?: HandlerContext) =>
      guard(async () => {
        const c = req.subject.case;
        const kind = c ? kindBySyncCase(c) : undefined;
        if (!kind || !req.subject.value) throw new EngineError("BadRequest", "subject: one of the kinds must be set");
        const op = SYNC_OPS[req.syncOp];
        if (!op) throw new EngineError("BadRequest", `sync_op: unsupported sync operation ${SyncOp[req.syncOp] ?? req.syncOp}`);
        const msgs = (req.subject.value as unknown as Record<string, Message[]>)[kind.syncCase] ?? [];
        checkSyncBatchSize(msgs.length, opts.maxSyncItems ?? DEFAULT_MAX_SYNC_ITEMS, kind.kind);
        await assertCallerWaiting(ctx);
        await engine.sync(kind, op, msgs.map((m) => fromProto(kind, m)));
        return {};
      }),
    syncStatus: () =>
      create(SyncStatusRespSchema, { updatedAt: timestampFromDate(engine.lastWrite), resourceVersion: String(engine.currentRv) }),
    create: writeHandler(engine.create),
    update: writeHandler(engine.update),
    updateStatus: writeHandler(engine.updateStatus),
    delete: (req: DeleteReq, ctx?: HandlerContext) =>
      guard(async () => {
        const kind = kindByResourceKind(req.kind);
        if (!kind) throw new EngineError("BadRequest", "kind: must be one of the kinds");
        await assertCallerWaiting(ctx);
        const out = await engine.delete(
          kind,
          req.identifier?.namespace ?? "",
          req.identifier?.name ?? "",
          { resourceVersion: req.resourceVersion || undefined, uid: req.uid || undefined },
          { dryRun: req.dryRun },
        );
        return create(WriteRespSchema, { resource: toResource(kind, out) });
      }),
  };
  const byName = new Map(NetguardService.methods.map((m) => [m.name, m.localName]));
  for (const kind of KINDS) {
    impl[byName.get(kind.listMethod)!] = listHandler(engine, kind);
    impl[byName.get(kind.getMethod)!] = getHandler(engine, kind);
    impl[byName.get(kind.watchMethod)!] = watchHandler(opts, kind);
  }
  return impl as unknown as ServiceImpl<typeof NetguardService>;
}
