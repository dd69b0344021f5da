/**
 * The engine's contract: its options, the requests and results of reads, and the Engine interface
 * that the RPC service, the backend process and tests program against (engine.ts builds it).
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { ObjectFilter } from "../../kinds/selectors.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { Cursor, EventStore } from "../event-store/event-store.ts";
import type { Persistence, RetentionPolicy } from "../store/persistence.ts";
import type { ObjectIndex } from "./object-index.ts";
import type { Preconditions } from "../../wire/preconditions.ts";

export interface EngineOptions {
  persistence: Persistence;
  retention: RetentionPolicy;
  ringCapacity: number;
  /** How often retention runs (ms); 0 disables the timer (tests call trimNow). */
  trimIntervalMs?: number;
  now?: () => Date;
  /** Told when the start-up reconcile of derived objects fails (default: console.warn). */
  onWarning?: (message: string) => void;
  /**
   * A Sync batch hands the event loop back after every this many items, and between its phases
   * (default {@link DEFAULT_YIELD_EVERY}), so health checks and watches are served while a large
   * batch is validated; nothing of the batch is visible before its single commit.
   */
  yieldEvery?: number;
  /**
   * With a store shared by several replicas (Persistence.shared): how often (ms) this replica
   * reads what the others committed, besides being woken by their notifications (default 1000;
   * the poll covers notifications lost with a connection).
   */
  tailIntervalMs?: number;
}

/** Items of a Sync batch between two yields to the event loop (see EngineOptions.yieldEvery). */
export const DEFAULT_YIELD_EVERY = 256;

export interface WriteOptions {
  dryRun?: boolean;
}

export type { Preconditions };

export type SyncOperation = "upsert" | "delete" | "fullsync";

export interface ListRequest {
  /** [namespace, name] pairs; name "" selects a namespace; empty list selects everything. */
  identifiers?: { namespace: string; name: string }[];
  filter?: ObjectFilter;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: number;
  continueToken: string;
}

export interface Snapshot {
  items: KubeObject[];
  rv: number;
  cursor: Cursor;
}

export interface Engine {
  readonly events: EventStore;
  readonly index: ObjectIndex;
  /** Newest committed resourceVersion. */
  readonly currentRv: number;
  /** Events with rv <= floorRv have left the log. */
  readonly floorRv: number;
  readonly lastWrite: Date;
  /** Times this replica reloaded its state because the log no longer reached back to it. */
  readonly rebuilds: number;
  /**
   * Brings this replica up to what any replica has committed, before a read answers: a client that
   * wrote through replica A and then reads, lists or watches through replica B must see its write
   * (etcd's quorum read; kube-apiserver's consistent reads). One log query when the store is shared;
   * nothing to do for a store of its own.
   */
  catchUp(): Promise<void>;
  create(kind: KindDescriptor, obj: KubeObject, o?: WriteOptions): Promise<KubeObject>;
  update(kind: KindDescriptor, obj: KubeObject, o?: WriteOptions): Promise<KubeObject>;
  updateStatus(kind: KindDescriptor, obj: KubeObject, o?: WriteOptions): Promise<KubeObject>;
  delete(kind: KindDescriptor, namespace: string, name: string, pre?: Preconditions, o?: WriteOptions): Promise<KubeObject>;
  sync(kind: KindDescriptor, op: SyncOperation, objs: KubeObject[]): Promise<void>;
  get(kind: KindDescriptor, namespace: string, name: string): KubeObject | undefined;
  list(kind: KindDescriptor, req: ListRequest): ListResult;
  /** Current matching objects and a cursor positioned exactly after them (no gap, no overlap). */
  snapshot(kind: KindDescriptor, filter: ObjectFilter): Snapshot;
  trimNow(): Promise<number>;
  close(): Promise<void>;
}
