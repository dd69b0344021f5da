/**
 * A cap on concurrent server-streaming calls (the Watch RPCs). Each open Watch holds a cursor, a
 * socket and a handler; without a cap a client loop could open them until the process runs out of
 * memory or descriptors. A call over the cap fails at once with `resource_exhausted`; a slot is
 * given back when the stream ends for any reason (client gone, error, shutdown).
 */
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { callUntilEnd } from "./response-end.ts";

export interface WatchStreamLimit {
  readonly interceptor: Interceptor;
  /** Streams open now. */
  readonly open: number;
  /** Calls refused because the cap was reached. */
  readonly rejected: number;
}

/** Creates the limiter; `max` is `backend.max_watch_streams`. */
export function createWatchStreamLimit(max: number): WatchStreamLimit {
  let open = 0;
  let rejected = 0;
  const interceptor: Interceptor = (next) => async (req) => {
    if (req.method.methodKind !== "server_streaming") return next(req);
    if (open >= max) {
      rejected++;
      throw new ConnectError(`too many concurrent Watch streams (limit ${max}, backend.max_watch_streams); retry later`, Code.ResourceExhausted);
    }
    open++;
    return callUntilEnd(next, req, () => void open--);
  };
  return {
    interceptor,
    get open() {
      return open;
    },
    get rejected() {
      return rejected;
    },
  };
}
