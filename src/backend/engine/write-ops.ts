/**
 * The transaction builders of each write: create, update, status update, delete (with in-use
 * protection), upstream's Sync Delete and the Sync batch. Each runs inside the write pipeline's
 * transaction (write-pipeline.ts): it validates against the batch's pending view and records its
 * changes; nothing here commits or publishes.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { deleteBlockers, deleteRefusals, validateObject, validateWrite } from "../../kinds/validation/index.ts";
import { finalizersOf } from "../../kinds/finalizers.ts";
import { EngineError, invalid } from "../../domain/mod.ts";
import type { Preconditions } from "../../wire/preconditions.ts";
import type { DeriveStep } from "../derive/derive-step.ts";
import type { SyncOperation } from "./engine-types.ts";
import { dueForRemoval, markForDeletion } from "./in-use-protection.ts";
import { generateSuffix, prepareCreate, prepareStatus, prepareUpdate, sameObject } from "./object-metadata.ts";
import type { Tx, WritePipeline } from "./write-pipeline.ts";
import { yieldToEventLoop } from "./yield-to-event-loop.ts";

/** The builders, bound to the pipeline's `record` and the derive step. */
export interface WriteOps {
  create(tx: Tx, kind: KindDescriptor, input: KubeObject): KubeObject;
  update(tx: Tx, kind: KindDescriptor, input: KubeObject): KubeObject;
  updateStatus(tx: Tx, kind: KindDescriptor, input: KubeObject): KubeObject;
  delete(tx: Tx, kind: KindDescriptor, ns: string, name: string, pre: Preconditions): KubeObject;
  sync(tx: Tx, kind: KindDescriptor, op: SyncOperation, objs: KubeObject[]): Promise<void>;
}

/** Creates the builders; `yieldEvery` is how many Sync items run between two yields. */
export function createWriteOps(pipeline: Pick<WritePipeline, "record">, derive: DeriveStep, yieldEvery: number): WriteOps {
  const { record } = pipeline;

  function checkValid(kind: KindDescriptor, obj: KubeObject, old: KubeObject | undefined, tx: Tx): void {
    const v = validateObject(kind, obj);
    if (v.length === 0) v.push(...validateWrite(kind, obj, old, tx.overlay));
    if (v.length) throw invalid(kind.kind, obj.metadata.name || obj.metadata.generateName || "", v);
  }

  function checkPreconditions(kind: KindDescriptor, old: KubeObject, pre: Preconditions): void {
    if (pre.uid && pre.uid !== old.metadata.uid) {
      throw new EngineError(
        "PreconditionFailed",
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw new EngineError(
        "Conflict",
        `Operation cannot be fulfilled on ${kind.plural}.netguard.sgroups.io "${old.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  function doCreate(tx: Tx, kind: KindDescriptor, input: KubeObject): KubeObject {
    const ns = input.metadata?.namespace ?? "";
    let name = input.metadata?.name ?? "";
    if (!name && input.metadata?.generateName) {
      for (let i = 0; i < 8 && (!name || tx.overlay.get(kind.kind, ns, name)); i++) {
        name = input.metadata.generateName + generateSuffix();
      }
    }
    if (name && tx.overlay.get(kind.kind, ns, name)) {
      throw new EngineError("AlreadyExists", `${kind.plural}.netguard.sgroups.io "${name}" already exists`);
    }
    const obj = prepareCreate(kind, input, tx.now, name);
    checkValid(kind, obj, undefined, tx);
    return record(tx, kind, "ADDED", derive.withDerivedFields(kind, obj, undefined, tx.overlay, tx.now));
  }

  function doUpdate(tx: Tx, kind: KindDescriptor, input: KubeObject, old: KubeObject, checkRv: boolean): KubeObject {
    if (checkRv) checkPreconditions(kind, old, { resourceVersion: input.metadata.resourceVersion, uid: input.metadata.uid });
    const prepared = prepareUpdate(kind, input, old);
    checkValid(kind, prepared, old, tx);
    const obj = derive.withDerivedFields(kind, prepared, old, tx.overlay, tx.now);
    if (sameObject(obj, old)) return old;
    if (dueForRemoval(kind, obj, tx.overlay)) return record(tx, kind, "DELETED", obj);
    return record(tx, kind, "MODIFIED", obj, old.metadata.labels);
  }

  /**
   * The Delete RPC: an object nothing uses and without finalizers goes at once; otherwise it is
   * marked Terminating (in-use-protection.ts). Only a kind's refusals (server-managed objects) fail.
   */
  function doProtectedDelete(tx: Tx, kind: KindDescriptor, old: KubeObject): KubeObject {
    const refusals = deleteRefusals(kind, old, tx.overlay);
    if (refusals.length) {
      throw new EngineError("DeleteBlocked", `cannot delete ${kind.kind} "${old.metadata.namespace}/${old.metadata.name}": ${refusals.join("; ")}`);
    }
    const marked = markForDeletion(kind, old, tx.overlay, tx.now);
    if (!marked) return record(tx, kind, "DELETED", structuredClone(old));
    const obj = derive.withDerivedFields(kind, marked, old, tx.overlay, tx.now);
    if (sameObject(obj, old)) return old;
    return record(tx, kind, "MODIFIED", obj, old.metadata.labels);
  }

  /** Upstream's Sync Delete: refused (FailedPrecondition) while anything blocks it. */
  function doDelete(tx: Tx, kind: KindDescriptor, old: KubeObject): KubeObject {
    const blockers = deleteBlockers(kind, old, tx.overlay);
    if (blockers.length) {
      throw new EngineError(
        "DeleteBlocked",
        `cannot delete ${kind.kind} "${old.metadata.namespace}/${old.metadata.name}": ${blockers.join("; ")}`,
      );
    }
    const last = structuredClone(old);
    return record(tx, kind, "DELETED", last);
  }

  /** Upstream's Sync clients know no finalizers: an Upsert without any keeps the stored ones. */
  function withStoredFinalizers(input: KubeObject, old: KubeObject): KubeObject {
    if (finalizersOf(input).length > 0 || finalizersOf(old).length === 0) return input;
    return { ...input, metadata: { ...input.metadata, finalizers: finalizersOf(old) } };
  }

  function mustGet(tx: Tx, kind: KindDescriptor, ns: string, name: string): KubeObject {
    const old = tx.overlay.get(kind.kind, ns, name);
    if (!old) throw new EngineError("NotFound", `${kind.plural}.netguard.sgroups.io "${name}" not found`);
    return old;
  }

  return {
    create: doCreate,
    update: (tx, kind, obj) => doUpdate(tx, kind, obj, mustGet(tx, kind, obj.metadata.namespace, obj.metadata.name), true),
    updateStatus(tx, kind, input) {
      const old = mustGet(tx, kind, input.metadata.namespace, input.metadata.name);
      checkPreconditions(kind, old, { resourceVersion: input.metadata.resourceVersion, uid: input.metadata.uid });
      const obj = derive.withDerivedFields(kind, prepareStatus(kind, input, old), old, tx.overlay, tx.now);
      if (sameObject(obj, old)) return old;
      return record(tx, kind, "MODIFIED", obj, old.metadata.labels);
    },
    delete(tx, kind, ns, name, pre) {
      const old = mustGet(tx, kind, ns, name);
      checkPreconditions(kind, old, pre);
      return doProtectedDelete(tx, kind, old);
    },
    async sync(tx, kind, op, objs) {
      const seen = new Set<string>();
      for (const [i, input] of objs.entries()) {
        if (i > 0 && i % yieldEvery === 0) await yieldToEventLoop();
        const key = `${input.metadata.namespace}/${input.metadata.name}`;
        if (seen.has(key)) {
          throw invalid(kind.kind, input.metadata.name, [
            { field: `items[${i}].metadata.name`, reason: "FieldValueDuplicate", message: `Duplicate value: "${key}" appears twice in the batch` },
          ]);
        }
        seen.add(key);
        const old = tx.overlay.get(kind.kind, input.metadata.namespace, input.metadata.name);
        if (op === "delete") {
          if (old) doDelete(tx, kind, old);
        } else if (old) doUpdate(tx, kind, withStoredFinalizers(input, old), old, false);
        else doCreate(tx, kind, input);
      }
      if (op === "fullsync") {
        for (const o of [...tx.overlay.list(kind.kind)]) {
          if (!seen.has(`${o.metadata.namespace}/${o.metadata.name}`)) doDelete(tx, kind, o);
        }
      }
    },
  };
}
