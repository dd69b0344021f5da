/**
 * The `Resource` oneof, packed and unpacked by the one module both sides use (src/wire/): every
 * kind survives the trip and comes back as the same kind, and a Resource with no case set is
 * recognised as empty (the backend answers it with InvalidArgument, the client with an error).
 */
import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { ResourceSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { packResource, unpackResource } from "../../src/wire/mod.ts";
import { allFixtures } from "../validation/fixtures.ts";

test("every fixture object packs into the Resource oneof and unpacks to the same kind and object", () => {
  const kinds = new Set<string>();
  for (const obj of allFixtures) {
    const kind = kindByName(obj.kind)!;
    const r = packResource(kind, obj);
    expect(r.object.case).toBe(kind.resourceCase as never);
    const back = unpackResource(r)!;
    expect(back.kind).toBe(kind);
    expect(back.obj.metadata.name).toBe(obj.metadata.name);
    expect(back.obj.metadata.namespace).toBe(obj.metadata.namespace);
    expect(back.obj.spec).toEqual(obj.spec);
    kinds.add(obj.kind);
  }
  expect(kinds.size).toBeGreaterThanOrEqual(5);
});

test("a Resource with no object set, or none at all, unpacks to nothing", () => {
  expect(unpackResource(create(ResourceSchema, {}))).toBeUndefined();
  expect(unpackResource(undefined)).toBeUndefined();
});
