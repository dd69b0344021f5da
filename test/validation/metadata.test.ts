import { describe, expect, test } from "bun:test";
import type { KubeObject } from "../../src/kinds/model.ts";
import { validateObject } from "../../src/kinds/validation/index.ts";
import { fixture } from "./fixtures.ts";
import { kindOf } from "./memory-state.ts";

/** The valid AddressGroup fixture with its metadata replaced. */
function withMeta(meta: Record<string, unknown>): KubeObject {
  const ag = fixture("AddressGroup", "shop", "ag-frontend");
  return { ...ag, metadata: meta as never };
}
const check = (o: KubeObject) => validateObject(kindOf("AddressGroup"), o);
const fieldsOf = (o: KubeObject) => check(o).map((v) => `${v.field}:${v.reason}`);

describe("metadata.name", () => {
  test("accepts a DNS-1123 subdomain name with dots", () => {
    expect(check(withMeta({ name: "ag.frontend-1", namespace: "shop" }))).toEqual([]);
  });

  test("requires a name when generateName is not given", () => {
    expect(fieldsOf(withMeta({ namespace: "shop" }))).toEqual(["metadata.name:FieldValueRequired"]);
    expect(fieldsOf(withMeta({ name: "", namespace: "shop" }))).toEqual(["metadata.name:FieldValueRequired"]);
  });

  test("accepts a missing name when generateName is a valid prefix, including a trailing dash", () => {
    expect(check(withMeta({ generateName: "ag-", namespace: "shop" }))).toEqual([]);
  });

  test("rejects an invalid generateName prefix", () => {
    expect(fieldsOf(withMeta({ generateName: "AG_", namespace: "shop" }))).toEqual(["metadata.generateName:FieldValueInvalid"]);
  });

  test("rejects upper-case letters and underscores in a name", () => {
    expect(fieldsOf(withMeta({ name: "Ag_Frontend", namespace: "shop" }))).toEqual(["metadata.name:FieldValueInvalid"]);
  });

  test("rejects a name longer than 253 characters", () => {
    const v = check(withMeta({ name: `${"a".repeat(60)}.`.repeat(4) + "a".repeat(20), namespace: "shop" }));
    expect(v).toEqual([{ field: "metadata.name", reason: "FieldValueInvalid", message: "must be no more than 253 characters" }]);
  });

  test("rejects a name that is not a string", () => {
    expect(check(withMeta({ name: 42, namespace: "shop" }))).toEqual([
      { field: "metadata.name", reason: "FieldValueInvalid", message: "must be a string" },
    ]);
  });
});

describe("metadata.namespace", () => {
  test("requires a namespace", () => {
    expect(fieldsOf(withMeta({ name: "ag" }))).toEqual(["metadata.namespace:FieldValueRequired"]);
  });

  test("rejects a namespace that is not a DNS-1123 label (dots are not allowed)", () => {
    expect(fieldsOf(withMeta({ name: "ag", namespace: "shop.eu" }))).toEqual(["metadata.namespace:FieldValueInvalid"]);
  });

  test("rejects a namespace longer than 63 characters", () => {
    expect(fieldsOf(withMeta({ name: "ag", namespace: "n".repeat(64) }))).toEqual(["metadata.namespace:FieldValueInvalid"]);
  });
});

describe("metadata.labels", () => {
  const labels = (l: unknown) => withMeta({ name: "ag", namespace: "shop", labels: l });

  test("accepts prefixed keys, dots and underscores, and empty values", () => {
    expect(check(labels({ "example.com/Tier_1.x": "Web-1", "app.kubernetes.io/managed-by": "netguard-apiserver", empty: "" }))).toEqual([]);
  });

  test("rejects a key with spaces", () => {
    expect(fieldsOf(labels({ "bad key": "x" }))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });

  test("rejects a key with an invalid DNS prefix or an empty prefix", () => {
    expect(fieldsOf(labels({ "Example_com/tier": "x" }))).toEqual(["metadata.labels:FieldValueInvalid"]);
    expect(fieldsOf(labels({ "/tier": "x" }))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });

  test("rejects a key with more than one slash", () => {
    expect(fieldsOf(labels({ "a/b/c": "x" }))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });

  test("rejects a key name part longer than 63 characters", () => {
    expect(fieldsOf(labels({ [`example.com/${"k".repeat(64)}`]: "x" }))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });

  test("rejects a value longer than 63 characters", () => {
    expect(fieldsOf(labels({ tier: "v".repeat(64) }))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });

  test("rejects a value that starts with a dash", () => {
    expect(fieldsOf(labels({ tier: "-web" }))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });

  test("rejects non-string values and labels that are not a map", () => {
    expect(fieldsOf(labels({ tier: 1 }))).toEqual(["metadata.labels:FieldValueInvalid"]);
    expect(fieldsOf(labels(["tier"]))).toEqual(["metadata.labels:FieldValueInvalid"]);
  });
});

describe("metadata.annotations", () => {
  const annotations = (a: unknown) => withMeta({ name: "ag", namespace: "shop", annotations: a });

  test("accepts qualified keys (case-insensitively, as Kubernetes does) with any string value", () => {
    expect(check(annotations({ "netguard.sgroups.io/created-by": "aggregated-api", "Example.COM/Note": "free text: ok!" }))).toEqual([]);
  });

  test("rejects an invalid annotation key", () => {
    expect(fieldsOf(annotations({ "not a key": "x" }))).toEqual(["metadata.annotations:FieldValueInvalid"]);
  });

  test("rejects annotations larger than 256 KiB in total", () => {
    const big = "x".repeat(128 * 1024);
    expect(check(annotations({ a: big, b: big }))).toEqual([
      { field: "metadata.annotations", reason: "FieldValueTooLong", message: "Too long: may not be more than 262144 bytes" },
    ]);
  });

  test("accepts annotations of exactly 256 KiB in total", () => {
    expect(check(annotations({ a: "x".repeat(256 * 1024 - 1) }))).toEqual([]);
  });

  test("rejects non-string annotation values and annotations that are not a map", () => {
    expect(fieldsOf(annotations({ a: { nested: true } }))).toEqual(["metadata.annotations:FieldValueInvalid"]);
    expect(fieldsOf(annotations("a=b"))).toEqual(["metadata.annotations:FieldValueInvalid"]);
  });
});

describe("metadata itself", () => {
  test("requires metadata", () => {
    const ag = fixture("AddressGroup", "shop", "ag-frontend") as unknown as Record<string, unknown>;
    delete ag.metadata;
    expect(check(ag as unknown as KubeObject)).toEqual([{ field: "metadata", reason: "FieldValueRequired", message: "Required value" }]);
  });

  test("rejects metadata that is not an object", () => {
    expect(fieldsOf(withMeta(["shop"] as never))).toEqual(["metadata:FieldValueInvalid"]);
  });
});
