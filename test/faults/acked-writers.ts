/**
 * Writers that remember exactly what the backend acknowledged. Each writer owns its own objects
 * (names carry its id) and writes them one call at a time through Connect Create, Update, Delete and
 * Sync, choosing operations from a seeded PRNG:
 *
 * - AddressGroups: create (the backend derives a port mapping in the same commit), update a label,
 *   delete (the mapping goes with it);
 * - a set of Services written together by one Sync Upsert, all carrying the same `rev` label;
 * - AddressGroupBindings from one of those Services to a fresh AddressGroup (the Service's
 *   aggregated groups and the group's port mapping change in the same commit).
 *
 * An acknowledged write is recorded with the resourceVersion in the answer. A call without an answer
 * (the backend was killed) is "uncertain": the writer asks the restarted backend what happened and
 * checks that the write is either wholly there or wholly absent — for a Sync, that every Service of
 * the batch carries the same label — then carries on from what it found.
 */
import { kindByName, type KindDescriptor } from "../../src/kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { codeName, createVia, deleteVia, getOrAbsent, isTransportError, retrying, syncUpsert, updateVia, type NgClient } from "./backend-calls.ts";
import type { SeededRandom } from "./seeded-random.ts";

/** Namespace of every object the writers own. */
export const WRITER_NAMESPACE = "faults";

/** One acknowledged write: the answer's resourceVersion and what the writer set. */
export interface WriteAck {
  kind: string;
  namespace: string;
  name: string;
  type: "ADDED" | "MODIFIED" | "DELETED";
  rv: number;
  /** The `rev` label written (for DELETED: the label of the deleted object). */
  rev: string;
}

/** What a writer believes the backend holds for one of its objects. */
export interface ModelEntry {
  kind: string;
  name: string;
  exists: boolean;
  rev?: string;
  /** Known for Create/Update/Delete answers and for objects read back; unknown after a Sync. */
  rv?: number;
}

export interface WriterStats {
  attempts: number;
  acked: number;
  /** Calls without an answer. */
  uncertain: number;
  /** Uncertain writes found applied / not applied after the restart. */
  foundApplied: number;
  foundAbsent: number;
}

export interface AckedWriter {
  readonly id: string;
  readonly acks: WriteAck[];
  readonly model: Map<string, ModelEntry>;
  /** Names of the Services written by this writer's Syncs. */
  readonly serviceNames: readonly string[];
  readonly stats: WriterStats;
  /** Broken guarantees seen while writing (partial writes, unexpected errors). */
  readonly violations: string[];
  /** Writes until `signal` aborts; the call in flight (and its check) is finished first. */
  run(signal: AbortSignal): Promise<void>;
}

export interface AckedWriterOptions {
  id: string;
  client: NgClient;
  rng: SeededRandom;
  /** Deadline of one call. */
  callTimeoutMs: number;
  /** How long an uncertain write may wait for the backend to come back. */
  recoverTimeoutMs: number;
  /** Services per Sync batch. */
  batchSize?: number;
  /** Pause between calls (0: as fast as the backend answers). */
  pauseMs?: number;
}

const K = {
  ag: kindByName("AddressGroup")!,
  svc: kindByName("Service")!,
  bind: kindByName("AddressGroupBinding")!,
};

const ref = (kind: string, name: string) => ({ apiVersion: API_VERSION, kind, name, namespace: WRITER_NAMESPACE });

function addressGroup(name: string, rev: string): KubeObject {
  return { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name, namespace: WRITER_NAMESPACE, labels: { rev } }, spec: { defaultAction: "ACCEPT" } };
}

function service(name: string, port: number, rev: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "Service",
    metadata: { name, namespace: WRITER_NAMESPACE, labels: { rev } },
    spec: { ingressPorts: [{ protocol: "TCP", port: String(port) }] },
  };
}

function binding(name: string, svc: string, ag: string, rev: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "AddressGroupBinding",
    metadata: { name, namespace: WRITER_NAMESPACE, labels: { rev } },
    spec: { serviceRef: ref("Service", svc), addressGroupRef: ref("AddressGroup", ag) },
  };
}

const revOf = (o: KubeObject | undefined) => o?.metadata.labels?.rev;

/** Creates writer `index` (its objects are named `w<index>-…`); it starts writing on `run`. */
export function createAckedWriter(index: number, o: Omit<AckedWriterOptions, "id">): AckedWriter {
  const id = `w${index}`;
  const { client, rng } = o;
  const batch = o.batchSize ?? 6;
  const acks: WriteAck[] = [];
  const model = new Map<string, ModelEntry>();
  const violations: string[] = [];
  const stats: WriterStats = { attempts: 0, acked: 0, uncertain: 0, foundApplied: 0, foundAbsent: 0 };
  const serviceNames = Array.from({ length: batch }, (_, j) => `${id}-svc-${j}`);
  const servicePort = (j: number) => 20_000 + index * 100 + j;
  let seq = 0;
  let deadline = 0;

  const key = (kind: KindDescriptor, name: string) => `${kind.kind}/${name}`;
  const entry = (kind: KindDescriptor, name: string) => model.get(key(kind, name));
  const setEntry = (kind: KindDescriptor, name: string, obj: KubeObject | undefined) =>
    model.set(key(kind, name), obj ? { kind: kind.kind, name, exists: true, rev: revOf(obj), rv: Number(obj.metadata.resourceVersion) } : { kind: kind.kind, name, exists: false });
  const ack = (kind: KindDescriptor, type: WriteAck["type"], obj: KubeObject, rev: string) => {
    stats.acked++;
    acks.push({ kind: kind.kind, namespace: WRITER_NAMESPACE, name: obj.metadata.name, type, rv: Number(obj.metadata.resourceVersion), rev });
  };
  const read = (kind: KindDescriptor, name: string) =>
    retrying(`${id}: reading ${kind.kind} ${name} back`, deadline, () => getOrAbsent(client, kind, WRITER_NAMESPACE, name, o.callTimeoutMs));

  /** Runs one write; on a transport error, `recover` reads the outcome back from the restarted backend. */
  const attempt = async (what: string, call: () => Promise<void>, recover: () => Promise<"applied" | "absent">) => {
    stats.attempts++;
    try {
      await call();
    } catch (e) {
      if (!isTransportError(e)) {
        violations.push(`${id}: ${what} failed with ${codeName(e)}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      stats.uncertain++;
      deadline = Date.now() + o.recoverTimeoutMs;
      const found = await recover();
      if (found === "applied") stats.foundApplied++;
      else stats.foundAbsent++;
    }
  };

  const existing = (kind: KindDescriptor, prefix: string) =>
    [...model.values()].filter((e) => e.kind === kind.kind && e.exists && e.name.startsWith(prefix)).map((e) => e.name);

  async function createGroup(name: string): Promise<boolean> {
    const rev = `${id}-${++seq}`;
    let made = false;
    await attempt(
      `create AddressGroup ${name}`,
      async () => {
        const out = await createVia(client, addressGroup(name, rev), o.callTimeoutMs);
        ack(K.ag, "ADDED", out, rev);
        setEntry(K.ag, name, out);
        made = true;
      },
      async () => {
        const got = await read(K.ag, name);
        if (got && revOf(got) !== rev) violations.push(`${id}: unanswered create of ${name} left rev ${revOf(got)}, not ${rev}`);
        setEntry(K.ag, name, got);
        made = !!got;
        return got ? "applied" : "absent";
      },
    );
    return made;
  }

  async function updateGroup(name: string): Promise<void> {
    const before = entry(K.ag, name)!;
    const rev = `${id}-${++seq}`;
    await attempt(
      `update AddressGroup ${name}`,
      async () => {
        const out = await updateVia(client, addressGroup(name, rev), o.callTimeoutMs);
        ack(K.ag, "MODIFIED", out, rev);
        setEntry(K.ag, name, out);
      },
      async () => {
        const got = await read(K.ag, name);
        if (!got || (revOf(got) !== rev && revOf(got) !== before.rev)) {
          violations.push(`${id}: unanswered update of ${name} (${before.rev} → ${rev}) left ${got ? `rev ${revOf(got)}` : "no object"}`);
        }
        setEntry(K.ag, name, got);
        return revOf(got) === rev ? "applied" : "absent";
      },
    );
  }

  async function deleteGroup(name: string): Promise<void> {
    const before = entry(K.ag, name)!;
    await attempt(
      `delete AddressGroup ${name}`,
      async () => {
        const out = await deleteVia(client, K.ag, WRITER_NAMESPACE, name, o.callTimeoutMs);
        ack(K.ag, "DELETED", out, before.rev ?? "");
        setEntry(K.ag, name, undefined);
      },
      async () => {
        const got = await read(K.ag, name);
        if (got && (revOf(got) !== before.rev || Number(got.metadata.resourceVersion) !== before.rv)) {
          violations.push(`${id}: unanswered delete of ${name} left a changed object (rev ${revOf(got)}, rv ${got.metadata.resourceVersion})`);
        }
        setEntry(K.ag, name, got);
        return got ? "absent" : "applied";
      },
    );
  }

  async function syncServices(): Promise<void> {
    const rev = `${id}-${++seq}`;
    const before = entry(K.svc, serviceNames[0]!);
    await attempt(
      `Sync of ${batch} Services`,
      async () => {
        await syncUpsert(client, K.svc, serviceNames.map((n, j) => service(n, servicePort(j), rev)), o.callTimeoutMs);
        stats.acked++;
        for (const n of serviceNames) model.set(key(K.svc, n), { kind: "Service", name: n, exists: true, rev });
      },
      async () => {
        const got = [];
        for (const n of serviceNames) got.push(await read(K.svc, n));
        const seen = new Set(got.map((g) => (g ? revOf(g) : "(absent)")));
        const was = before?.exists ? before.rev : "(absent)";
        if (seen.size !== 1 || ![rev, was].includes([...seen][0])) {
          violations.push(`${id}: unanswered Sync (${was} → ${rev}) left the batch partly written: ${[...seen].join(", ")}`);
        }
        for (const [j, n] of serviceNames.entries()) model.set(key(K.svc, n), got[j] ? { kind: "Service", name: n, exists: true, rev: revOf(got[j]) } : { kind: "Service", name: n, exists: false });
        return seen.has(rev) ? "applied" : "absent";
      },
    );
  }

  async function bind(): Promise<void> {
    if (!entry(K.svc, serviceNames[0]!)?.exists) return syncServices();
    const n = ++seq;
    const group = `${id}-bag-${n}`;
    if (!(await createGroup(group))) return;
    const name = `${id}-bind-${n}`;
    const svc = rng.pick(serviceNames);
    const rev = `${id}-${++seq}`;
    await attempt(
      `create AddressGroupBinding ${name}`,
      async () => {
        const out = await createVia(client, binding(name, svc, group, rev), o.callTimeoutMs);
        ack(K.bind, "ADDED", out, rev);
        setEntry(K.bind, name, out);
      },
      async () => {
        const got = await read(K.bind, name);
        setEntry(K.bind, name, got);
        return got ? "applied" : "absent";
      },
    );
  }

  async function step(): Promise<void> {
    const groups = existing(K.ag, `${id}-ag-`);
    const r = rng.next();
    if (r < 0.3 || groups.length === 0) await createGroup(`${id}-ag-${++seq}`);
    else if (r < 0.6) await updateGroup(rng.pick(groups));
    else if (r < 0.7) await deleteGroup(rng.pick(groups));
    else if (r < 0.9) await syncServices();
    else await bind();
  }

  return {
    id,
    acks,
    model,
    serviceNames,
    stats,
    violations,
    async run(signal) {
      while (!signal.aborted) {
        await step();
        if (o.pauseMs) await new Promise((r) => setTimeout(r, o.pauseMs));
      }
    },
  };
}
