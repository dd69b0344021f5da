/**
 * Runs an interceptor's `next` and says once when the call is over: for a unary call when it is
 * answered or fails, for a server stream when the stream finishes, fails, or is closed early (the
 * client went away). Counting open streams and timing calls both need that moment; a streaming
 * response only reaches it after its last message, not when `next` returns.
 */
import type { StreamResponse, UnaryRequest, StreamRequest, UnaryResponse } from "@connectrpc/connect";

/** How a call ended: with an error, normally, or (streams only) closed before it finished. */
export interface CallEnd {
  error?: unknown;
  cancelled?: boolean;
}

type AnyRequest = UnaryRequest | StreamRequest;
type AnyResponse = UnaryResponse | StreamResponse;

/** Calls `next(req)` and `end` exactly once when the call (or its stream) is over. */
export async function callUntilEnd<Res extends AnyResponse>(next: (req: AnyRequest) => Promise<Res>, req: AnyRequest, end: (e: CallEnd) => void): Promise<Res> {
  let res: Res;
  try {
    res = await next(req);
  } catch (error) {
    end({ error });
    throw error;
  }
  if (!res.stream) {
    end({});
    return res;
  }
  const inner = res.message;
  return {
    ...res,
    message: (async function* () {
      let settled = false;
      try {
        yield* inner;
        settled = true;
        end({});
      } catch (error) {
        settled = true;
        end({ error });
        throw error;
      } finally {
        if (!settled) end({ cancelled: true });
      }
    })(),
  };
}
