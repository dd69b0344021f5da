/**
 * Errors of the engine, in domain terms. Transport layers map them: the Connect service to gRPC
 * codes, the API server (through those codes) to Kubernetes Status reasons.
 */
import type { FieldViolation } from "../kinds/violations.ts";

export type EngineErrorCode =
  | "NotFound"
  | "AlreadyExists"
  | "Invalid"
  | "Conflict"
  | "DeleteBlocked"
  | "PreconditionFailed"
  | "Expired"
  | "BadRequest";

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/** Invalid input: the message summarises the violations the way kubectl prints them. */
export function invalid(kind: string, name: string, violations: FieldViolation[]): EngineError {
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join(", ");
  return new EngineError("Invalid", `${kind} "${name}" is invalid: ${summary}`, violations);
}
