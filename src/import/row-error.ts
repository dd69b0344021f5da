/**
 * A malformed upstream row: the import reports it (with the column and what was wrong) and skips
 * the object, never crashing on whatever an old or hand-edited database holds.
 */
export class RowError extends Error {
  constructor(
    readonly column: string,
    what: string,
  ) {
    super(`column ${column}: ${what}`);
    this.name = "RowError";
  }
}
