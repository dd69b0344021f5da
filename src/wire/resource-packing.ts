/**
 * The `Resource` oneof of the wire (Create, Update, UpdateStatus, Delete answers): one object of
 * any kind, told apart by the oneof case the kind table names. Packing and unpacking live here
 * once, for the backend's service and the API server's client alike.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { fromProto, toProto } from "../kinds/convert.ts";
import { kindByResourceCase, type KindDescriptor } from "../kinds/kind-table.ts";
import type { KubeObject } from "../kinds/model.ts";
import { ResourceSchema, type Resource } from "../gen/netguard/v1/service_pb.ts";

/** Wraps an object in the `Resource` oneof; `message` is its proto form when the caller has it cached. */
export function packResource(kind: KindDescriptor, obj: KubeObject, message: Message = toProto(kind, obj)): Resource {
  return create(ResourceSchema, { object: { case: kind.resourceCase, value: message } as never });
}

/** The kind and object inside a `Resource`; undefined when no known case is set. */
export function unpackResource(r: Resource | undefined): { kind: KindDescriptor; obj: KubeObject } | undefined {
  const c = r?.object.case;
  const kind = c ? kindByResourceCase(c) : undefined;
  if (!kind || !r?.object.value) return undefined;
  return { kind, obj: fromProto(kind, r.object.value as Message) };
}
