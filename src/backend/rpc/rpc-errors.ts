/**
 * Engine errors → Connect/gRPC status codes. The table is the documented contract of
 * proto/netguard/v1/service.proto; nothing reaches a client as `unknown`.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ValidationDetailsSchema } from "../../gen/netguard/v1/service_pb.ts";
import { EngineError, type EngineErrorCode } from "../engine/engine-error.ts";

const CODES: Record<EngineErrorCode, Code> = {
  NotFound: Code.NotFound,
  AlreadyExists: Code.AlreadyExists,
  Invalid: Code.InvalidArgument,
  BadRequest: Code.InvalidArgument,
  Conflict: Code.Aborted,
  PreconditionFailed: Code.FailedPrecondition,
  DeleteBlocked: Code.FailedPrecondition,
  Expired: Code.OutOfRange,
};

/** Converts anything thrown by a handler into a ConnectError with a meaningful code. */
export function toConnectError(e: unknown): ConnectError {
  if (e instanceof ConnectError) return e;
  if (e instanceof EngineError) {
    const details = e.violations.length
      ? [{ desc: ValidationDetailsSchema, value: create(ValidationDetailsSchema, { violations: e.violations }) }]
      : undefined;
    return new ConnectError(e.message, CODES[e.code], undefined, details);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ConnectError(`internal error: ${message}`, Code.Internal);
}
