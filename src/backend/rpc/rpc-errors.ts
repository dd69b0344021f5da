/**
 * Engine errors → Connect/gRPC status codes. The table is the documented contract of
 * proto/netguard/v1/service.proto; nothing reaches a client as `unknown`.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ValidationDetailsSchema } from "../../gen/netguard/v1/service_pb.ts";
import { EngineError, type EngineErrorCode } from "../../domain/mod.ts";
import { sqliteFailure } from "../../runtime/sqlite-errors.ts";
import { StoreUnavailableError } from "../store/store-errors.ts";

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
  if (e instanceof StoreUnavailableError) {
    return new ConnectError(`the store is unavailable (${message}): nothing was written`, Code.Unavailable);
  }
  // A full store is the operator's to fix, not a bug: resource_exhausted. Other storage failures
  // are the store's state, not the request's: unavailable (a retry may succeed once it is fixed).
  // A write that fails either way was rolled back whole.
  switch (sqliteFailure(e)) {
    case "full":
      return new ConnectError(`the store is full (${message}): nothing was written; free disk space and retry`, Code.ResourceExhausted);
    case "io":
      return new ConnectError(`the store failed (${message}): nothing was written`, Code.Unavailable);
  }
  return new ConnectError(`internal error: ${message}`, Code.Internal);
}
