/**
 * When a watch response ends, without wrapping its body. The API server's watch admission gives a
 * slot back when the stream ends (src/apiserver/watch-admission.ts); wrapping each body in a second
 * ReadableStream with a pending read costs every idle watcher another stream, reader, controller
 * and promise. Watch responses register here instead, and the watcher calls the release itself.
 */

/** Something that can tell when a response it made has ended. */
export interface ResponseEnd {
  /** Calls `fn` once when the response ends (at once when it already has). */
  whenEnds(fn: () => void): void;
}

const owners = new WeakMap<Response, ResponseEnd>();

/** Registers `owner` as the one that knows when `res` ends. */
export function registerResponseEnd(res: Response, owner: ResponseEnd): void {
  owners.set(res, owner);
}

/** Calls `fn` once when `res` ends, if its maker registered; false when it did not (wrap it then). */
export function whenResponseEnds(res: Response, fn: () => void): boolean {
  const owner = owners.get(res);
  if (!owner) return false;
  owner.whenEnds(fn);
  return true;
}
