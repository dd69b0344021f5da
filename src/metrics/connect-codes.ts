/** Connect/gRPC code numbers → the lower-case names used in metric labels. */
const CODE_NAMES = [
  "ok", "canceled", "unknown", "invalid_argument", "deadline_exceeded", "not_found", "already_exists",
  "permission_denied", "resource_exhausted", "failed_precondition", "aborted", "out_of_range",
  "unimplemented", "internal", "unavailable", "data_loss", "unauthenticated",
];

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `code_${code}`;
}
