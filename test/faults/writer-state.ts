/**
 * Compares what the writers believe (their acknowledged and read-back writes) with what the backend
 * lists at the end: each object present or absent as believed, with the believed `rev` label and,
 * where the writer learnt it, the exact resourceVersion.
 */
import { kindByName } from "../../src/kinds/kind-table.ts";
import { objectKey, type KubeObject } from "../../src/kinds/model.ts";
import { listAll, type NgClient } from "./backend-calls.ts";
import { WRITER_NAMESPACE, type AckedWriter } from "./acked-writers.ts";

/** Differences between the writers' models and the backend's lists. */
export async function finalStateViolations(client: NgClient, writers: readonly AckedWriter[], timeoutMs = 10_000): Promise<string[]> {
  const lists = new Map<string, Map<string, KubeObject>>();
  const out: string[] = [];
  for (const w of writers) {
    for (const e of w.model.values()) {
      if (!lists.has(e.kind)) {
        const { items } = await listAll(client, kindByName(e.kind)!, timeoutMs);
        lists.set(e.kind, new Map(items.map((o) => [objectKey(o.metadata.namespace, o.metadata.name), o])));
      }
      const got = lists.get(e.kind)!.get(objectKey(WRITER_NAMESPACE, e.name));
      const what = `${w.id}: ${e.kind} ${e.name}`;
      if (!e.exists) {
        if (got) out.push(`${what} should be gone, is there at rv ${got.metadata.resourceVersion}`);
        continue;
      }
      if (!got) out.push(`${what} (rev ${e.rev}, rv ${e.rv ?? "?"}) is missing`);
      else if (got.metadata.labels?.rev !== e.rev) out.push(`${what}: rev ${got.metadata.labels?.rev}, acknowledged ${e.rev}`);
      else if (e.rv !== undefined) {
        // A group that a binding uses may be changed by the server afterwards (derived fields):
        // never below the acknowledged version. Nothing else touches a writer's objects.
        const rv = Number(got.metadata.resourceVersion);
        const exact = !e.name.includes("-bag-");
        if (exact ? rv !== e.rv : rv < e.rv) out.push(`${what}: rv ${rv}, acknowledged ${e.rv}`);
      }
    }
  }
  return out.slice(0, 50);
}
