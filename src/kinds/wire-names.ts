/**
 * A kind's names on the wire, read off the generated proto descriptors instead of being written
 * into each descriptor: its case in `Resource.object`, its case in `SyncReq.subject`, and its
 * List/Get/Watch methods of `NetguardService`. The proto is the one place these names are chosen,
 * so a kind whose message is wired into those three places gets them without repeating them.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import { NetguardService, ResourceSchema, SyncReqSchema } from "../gen/netguard/v1/service_pb.ts";

/** The names a kind's message has in `Resource`, `SyncReq` and the service. */
export interface WireNames {
  /** protobuf-es name of the kind's case in `Resource.object` and of the Get response field. */
  resourceCase: string;
  /** protobuf-es name of the kind's case in `SyncReq.subject` and of its wrapper's list field. */
  syncCase: string;
  listMethod: string;
  getMethod: string;
  watchMethod: string;
}

const carries = (m: DescMessage | undefined, schema: DescMessage): boolean =>
  m?.fields.some((f) => f.message?.typeName === schema.typeName) ?? false;

/** The wire names of the kind whose message is `schema`; throws when the proto does not wire it. */
export function wireNamesOf(schema: DescMessage): WireNames {
  const resourceCase = ResourceSchema.fields.find((f) => f.message?.typeName === schema.typeName)?.localName;
  const syncCase = SyncReqSchema.fields.find((f) => carries(f.message, schema))?.localName;
  const unary = (prefix: string) =>
    NetguardService.methods.find((m) => m.methodKind === "unary" && m.name.startsWith(prefix) && carries(m.output, schema))?.name;
  const listMethod = unary("List");
  const getMethod = unary("Get");
  const watchMethod = listMethod && `Watch${listMethod.slice("List".length)}`;
  if (!resourceCase || !syncCase || !listMethod || !getMethod || !NetguardService.methods.some((m) => m.name === watchMethod)) {
    throw new Error(`${schema.typeName} is not wired into Resource.object, SyncReq.subject and List/Get/Watch methods`);
  }
  return { resourceCase, syncCase, listMethod, getMethod, watchMethod: watchMethod! };
}
