/**
 * Packing objects for the wire: the kind-generic `Resource` oneof and `google.protobuf.Any` for
 * watch events. Any values are cached per stored object, so an event is serialised once however
 * many watchers receive it.
 */
import type { Message } from "@bufbuild/protobuf";
import { anyPack, type Any } from "@bufbuild/protobuf/wkt";
import { toProto } from "../../kinds/convert.ts";
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { Resource } from "../../gen/netguard/v1/service_pb.ts";
import { packResource, unpackResource } from "../../wire/resource-packing.ts";
import { EngineError } from "../../domain/mod.ts";

const anyCache = new WeakMap<KubeObject, Any>();
const msgCache = new WeakMap<KubeObject, Message>();

/** The proto message of a stored object (cached: stored objects are never mutated). */
export function messageOf(kind: KindDescriptor, obj: KubeObject): Message {
  let m = msgCache.get(obj);
  if (!m) {
    m = toProto(kind, obj);
    msgCache.set(obj, m);
  }
  return m;
}

/** The Any of a stored object, serialised once. */
export function anyOf(kind: KindDescriptor, obj: KubeObject): Any {
  let a = anyCache.get(obj);
  if (!a) {
    a = anyPack(kind.schema, messageOf(kind, obj));
    anyCache.set(obj, a);
  }
  return a;
}

export function toResource(kind: KindDescriptor, obj: KubeObject): Resource {
  return packResource(kind, obj, messageOf(kind, obj));
}

/** Resource oneof → kind and Kubernetes object; InvalidArgument when empty. */
export function fromResource(r: Resource | undefined): { kind: KindDescriptor; obj: KubeObject } {
  const got = unpackResource(r);
  if (!got) throw new EngineError("BadRequest", "resource: one of the kinds must be set");
  return got;
}
