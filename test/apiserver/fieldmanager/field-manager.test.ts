/**
 * The field manager on its own, with a clock that moves: timestamps follow changes only, so an
 * apply that changes nothing yields the live managedFields exactly, whatever time it is.
 */
import { describe, expect, test } from "bun:test";
import { createFieldManager } from "../../../src/apiserver/fieldmanager/field-manager.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../../src/kinds/model.ts";

const kind = kindByName("AddressGroup")!;
const config = (spec: Record<string, unknown>) => ({
  apiVersion: "netguard.sgroups.io/v1beta1",
  kind: "AddressGroup",
  metadata: { name: "a", namespace: "ns" },
  spec,
});

/** A clock one minute later on every reading. */
function movingClock(): () => Date {
  let t = Date.parse("2025-01-01T00:00:00Z");
  return () => new Date((t += 60_000));
}

/** What the backend would store: the object as applied, with server metadata. */
function stored(obj: Record<string, unknown>): KubeObject {
  const o = structuredClone(obj) as KubeObject;
  o.metadata.uid = "u1";
  o.metadata.resourceVersion = "7";
  return o;
}

describe("field manager timestamps", () => {
  test("an apply that changes nothing keeps managedFields identical, time included", () => {
    const fm = createFieldManager(kind, "", movingClock());
    const live = stored(fm.apply(undefined, config({ defaultAction: "DROP", logs: true }), "m", false));
    const again = fm.apply(live, config({ defaultAction: "DROP", logs: true }), "m", false);
    expect((again.metadata as KubeObject["metadata"]).managedFields).toEqual(live.metadata.managedFields!);
  });

  test("an apply that changes a value moves the applier's time", () => {
    const fm = createFieldManager(kind, "", movingClock());
    const live = stored(fm.apply(undefined, config({ defaultAction: "DROP" }), "m", false));
    const next = fm.apply(live, config({ defaultAction: "ACCEPT" }), "m", false);
    const [before] = live.metadata.managedFields!;
    const [after] = (next.metadata as KubeObject["metadata"]).managedFields!;
    expect(after!.time! > before!.time!).toBe(true);
  });

  test("an update that changes nothing records nothing new", () => {
    const fm = createFieldManager(kind, "", movingClock());
    const live = stored(fm.apply(undefined, config({ defaultAction: "DROP" }), "m", false));
    const managed = fm.update(live, structuredClone(live), "editor", live.metadata.managedFields);
    expect(managed).toEqual(live.metadata.managedFields!);
  });
});
