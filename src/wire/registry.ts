/**
 * The protobuf registry of netguard's messages (service and resources): what `google.protobuf.Any`
 * values and JSON need to name and decode every kind. Both the backend (serving JSON, packing
 * watch events) and the API server (its backend client) use this one instance.
 */
import { createRegistry } from "@bufbuild/protobuf";
import { file_netguard_v1_resources } from "../gen/netguard/v1/resources_pb.ts";
import { file_netguard_v1_service } from "../gen/netguard/v1/service_pb.ts";

/** Registry so that Any-packed objects render in JSON (connect+json clients, buf curl) and unpack. */
export const netguardRegistry = createRegistry(file_netguard_v1_service, file_netguard_v1_resources);
