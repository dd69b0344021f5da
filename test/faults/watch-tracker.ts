/**
 * What one resuming watch client saw, checked as it arrives and against the backend afterwards.
 *
 * A client starts from a list (or a snapshot watch) at some resourceVersion, applies events, and
 * after every disconnect resumes from the last version it saw — event or bookmark — the way
 * client-go's reflector does; only an expired position (410 / OUT_OF_RANGE) makes it relist, which
 * starts a new segment. Within a segment the events must be exactly the backend log's events of the
 * kind after the segment's start: no gap, no repeat, in order.
 */
import type { LogEvent } from "./event-log.ts";

/** One received change. */
export interface TrackedEvent {
  rv: number;
  type: string;
  key: string;
}

/** Events received between two (re)lists. */
export interface Segment {
  startRv: number;
  /** Last position reached in this segment (event or bookmark). */
  endRv: number;
  events: TrackedEvent[];
}

export interface WatchTracker {
  readonly label: string;
  readonly kind: string;
  /** Current position (0 before the first list). */
  readonly rv: number;
  /** key → resourceVersion of the client's current view. */
  readonly state: ReadonlyMap<string, number>;
  readonly segments: readonly Segment[];
  readonly violations: string[];
  readonly events: number;
  /** Disconnects followed by a resume from the last position. */
  resumes: number;
  /** Resumes that got an expired position and relisted. */
  relists: number;
  /** A list (or the initial events of a snapshot watch) at `rv`: starts a segment. */
  list(items: { key: string; rv: number }[], rv: number): void;
  event(type: string, key: string, rv: number): void;
  bookmark(rv: number): void;
}

/** A tracker for a client of `kind`, named `label` in messages. */
export function createWatchTracker(label: string, kind: string): WatchTracker {
  let rv = 0;
  let state = new Map<string, number>();
  const segments: Segment[] = [];
  const violations: string[] = [];
  let events = 0;
  const bad = (m: string) => {
    if (violations.length < 50) violations.push(`${label}: ${m}`);
  };
  return {
    label,
    kind,
    get rv() {
      return rv;
    },
    get state() {
      return state;
    },
    segments,
    violations,
    get events() {
      return events;
    },
    resumes: 0,
    relists: 0,
    list(items, at) {
      if (at < rv) bad(`list at rv ${at} is older than the position ${rv} already reached`);
      state = new Map(items.map((i) => [i.key, i.rv]));
      rv = at;
      segments.push({ startRv: at, endRv: at, events: [] });
    },
    event(type, key, at) {
      const seg = segments.at(-1);
      if (!seg) return bad(`event rv ${at} before any list`);
      if (at <= rv) bad(`${type} ${key} rv ${at} at or below the position ${rv} (repeat or out of order)`);
      const had = state.has(key);
      if (type === "DELETED") {
        if (!had) bad(`DELETED ${key} rv ${at} for an object it does not have (missed its creation)`);
        state.delete(key);
      } else {
        if (type === "ADDED" && had) bad(`ADDED ${key} rv ${at} for an object it already has (repeat)`);
        if (type === "MODIFIED" && !had) bad(`MODIFIED ${key} rv ${at} for an object it does not have (missed its creation)`);
        state.set(key, at);
      }
      events++;
      seg.events.push({ rv: at, type, key });
      rv = Math.max(rv, at);
      seg.endRv = rv;
    },
    bookmark(at) {
      if (at < rv) bad(`bookmark rv ${at} below the position ${rv}`);
      rv = Math.max(rv, at);
      const seg = segments.at(-1);
      if (seg) seg.endRv = rv;
    },
  };
}

/** Differences between each segment and the log's events of the tracker's kind in that range. */
export function trackerLogViolations(t: WatchTracker, log: readonly LogEvent[]): string[] {
  const out: string[] = [];
  const mine = log.filter((e) => e.kind === t.kind).sort((a, b) => a.rv - b.rv);
  for (const seg of t.segments) {
    const want = mine.filter((e) => e.rv > seg.startRv && e.rv <= seg.endRv);
    const got = seg.events;
    const n = Math.max(want.length, got.length);
    for (let i = 0; i < n; i++) {
      const w = want[i];
      const g = got[i];
      const wKey = w && `${w.namespace}/${w.name}`;
      if (!w || !g || w.rv !== g.rv || wKey !== g.key || (w.type === "DELETED") !== (g.type === "DELETED")) {
        out.push(
          `${t.label}: segment from rv ${seg.startRv}: event ${i} is ${g ? `${g.type} ${g.key} rv ${g.rv}` : "missing"}, ` +
            `the log has ${w ? `${w.type} ${wKey} rv ${w.rv}` : "nothing more"}`,
        );
        break;
      }
    }
  }
  return out;
}

/** Differences between the tracker's final view and the backend's list (key → resourceVersion). */
export function trackerStateViolations(t: WatchTracker, listed: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const [k, rv] of listed) if (t.state.get(k) !== rv) out.push(`${t.label}: ${k} listed at rv ${rv}, watched ${t.state.get(k) ?? "absent"}`);
  for (const [k, rv] of t.state) if (!listed.has(k)) out.push(`${t.label}: ${k} (rv ${rv}) watched but not listed`);
  return out.slice(0, 20);
}
