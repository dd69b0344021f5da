/**
 * The annotation size limit counts UTF-8 bytes, as Kubernetes does, on every runtime (no Node-only
 * `Buffer`): multi-byte characters weigh their encoded size, not one each.
 */
import { expect, test } from "bun:test";
import { MAX_ANNOTATIONS_BYTES, validateMetadata } from "../../src/kinds/validation/metadata-rules.ts";

const withAnnotations = (annotations: Record<string, string>) => ({ metadata: { name: "ag", namespace: "shop", annotations } });

test("annotations of two-byte characters over 256 KiB of UTF-8 are too long though their character count is not", () => {
  const value = "é".repeat(MAX_ANNOTATIONS_BYTES / 2); // 131072 characters, 262144 bytes; plus the key "a"
  expect(value.length).toBeLessThan(MAX_ANNOTATIONS_BYTES);
  expect(validateMetadata(withAnnotations({ a: value })).map((v) => v.reason)).toEqual(["FieldValueTooLong"]);
});

test("a four-byte character counts four bytes: exactly at the limit is accepted, one byte over is not", () => {
  const fill = "😀".repeat(MAX_ANNOTATIONS_BYTES / 4 - 1); // 262140 bytes
  expect(validateMetadata(withAnnotations({ abc: fill + "x" }))).toEqual([]);
  expect(validateMetadata(withAnnotations({ abc: fill + "xy" })).map((v) => v.reason)).toEqual(["FieldValueTooLong"]);
});
