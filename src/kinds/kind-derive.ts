/**
 * The derive part of a kind descriptor: what the server computes for objects of the kind and what
 * a change of one of them affects. The generic derive step (`src/backend/derive/derive-step.ts`)
 * drives these hooks for every kind in kind-table order and never names a kind itself; the
 * kind-specific reasoning (a Service's groups, a RuleS2S's generated rules, …) lives with the kind.
 */
import type { DeriveContext } from "../domain/derive-context.ts";
import type { KubeObject } from "./model.ts";
import type { StateView } from "../domain/state-view.ts";

/** One changed object: its committed version and its version after the batch (undefined: absent). */
export interface Change {
  kind: string;
  key: string;
  before?: KubeObject;
  after?: KubeObject;
}

/** Where a kind's hooks record the derived results a change affects. */
export interface TargetSink {
  /** The derive context of the pass (the batch's state). */
  readonly ctx: DeriveContext;
  /** The committed state before the batch (what a changed object looked like). */
  readonly committed: StateView;
  /** Recompute the own derived fields of `kind` `key` (ignored when it does not exist). */
  own(kind: string, key: string): void;
  /** `kind` `key` was affected: its own fields, then its kind's `onAffected` hook, once per pass. */
  affected(kind: string, key: string): void;
  /** Recompute server-managed object `kind` `key` (create, update or delete it). */
  managed(kind: string, key: string): void;
}

/** What a server-managed object should be: undefined when it should not exist. */
export interface ManagedObject {
  /** Sets the kind-specific content of `next` (a copy of `current`, or a fresh object). */
  shape(next: KubeObject, current: KubeObject | undefined): void;
}

/**
 * Derived fields one kind maintains on objects of another (a NetworkBinding's share of its
 * AddressGroup's `networks`), so that a kind added later extends an existing kind from its own
 * folder without editing it.
 */
export interface Contribution {
  /** The kind whose objects get the fields. */
  readonly kind: string;
  /** Fields of that kind the contribution reads (beyond existence); a change of them runs `affects`. */
  readonly inputs?: readonly (readonly string[])[];
  /** Sets the contributed fields on `obj` (an object of `kind`; absent when empty). */
  fields?(obj: KubeObject, key: string, ctx: DeriveContext): void;
  /** Targets a change of an object of `kind` (its `inputs`, or a create/delete) affects through this contribution. */
  affects?(change: Change, t: TargetSink): void;
}

/** Per-kind derive hooks; every member is optional. */
export interface KindDerive {
  /**
   * The fields of the kind that other derived results depend on (besides existence). An update
   * that changes none of them — a relabel, an annotation, a status write — affects only the
   * object itself. Empty: the kind influences others only by existing.
   */
  readonly inputs?: readonly (readonly string[])[];
  /** Whether the kind reports the `Synced` condition (kinds whose changes drive derived objects). */
  readonly synced?: boolean;
  /** Deleted with any object it references (upstream: FK ON DELETE CASCADE). */
  readonly cascadeDelete?: boolean;
  /** Sets the kind's derived fields (absent when empty, the canonical form). */
  fields?(obj: KubeObject, key: string, ctx: DeriveContext): void;
  /** Why an object is not Ready; replaces the generic "referenced object not found" check. */
  notReady?(obj: KubeObject, key: string, ctx: DeriveContext): string[];
  /** Targets a change of this kind's inputs (or a create/delete) affects, beyond its own fields. */
  affects?(change: Change, t: TargetSink): void;
  /** Targets an object of this kind being affected by something else drags along. */
  onAffected?(key: string, t: TargetSink): void;
  /** Derived fields of other kinds this kind maintains (see `Contribution`). */
  readonly contributes?: readonly Contribution[];
  /** Server-managed objects of this kind (derived objects the server creates and deletes). */
  readonly managed?: {
    /** What object `key` should be now, or undefined when it should not exist. */
    desired(key: string, ctx: DeriveContext): ManagedObject | undefined;
    /** Every key a full recomputation must look at (candidates and existing objects). */
    allKeys(ctx: DeriveContext): Iterable<string>;
  };
}
