/**
 * When a watch response ends, without wrapping its body. The API server's watch admission gives a
 * slot back when the stream ends (src/apiserver/watch-admission.ts); wrapping each body in a second
 * ReadableStream with a pending read costs every idle watcher another stream, reader, controller
 * and promise. Watch responses register here instead, and the watcher calls the release itself.
 */

/** What is told when a response ends (an admission slot: an object, so no closure per watch). */
export interface Releasable {
  release(): void;
}

/** Something that can tell when a response it made has ended. */
export interface ResponseEnd {
  /** Calls `r.release()` once when the response ends (at once when it already has). */
  whenEnds(r: Releasable): void;
}

const owners = new WeakMap<Response, ResponseEnd>();

/** Registers `owner` as the one that knows when `res` ends. */
export function registerResponseEnd(res: Response, owner: ResponseEnd): void {
  owners.set(res, owner);
}

/** Calls `r.release()` once when `res` ends, if its maker registered; false when it did not (wrap it then). */
export function whenResponseEnds(res: Response, r: Releasable): boolean {
  const owner = owners.get(res);
  if (!owner) return false;
  owner.whenEnds(r);
  return true;
}
