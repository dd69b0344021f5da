/**
 * A write whose caller has already given up must not start. When the API server's deadline passes
 * or its client goes away, it cancels the call (HTTP/2 RST_STREAM). A backend that was stopped
 * (SIGSTOP, a long pause, a stalled disk) finds the request and its cancellation together in its
 * socket when it resumes; the request is dispatched first, and the cancellation is only seen when
 * the event loop next polls I/O. Applying the write at once would change state nobody waits for —
 * the "abandoned POST applied later". So a write first lets one event-loop turn pass (setImmediate
 * runs after the I/O poll) and then checks the call's signal. The cost is one loop turn per write
 * RPC, not per object. A write already under way when the caller leaves still completes
 * (atomically); the caller was told that its outcome is unknown.
 */
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { afterIoPoll } from "../../runtime/next-turn.ts";

/** Rejects (Canceled, or DeadlineExceeded when the caller's deadline passed) if the caller is gone. */
export async function assertCallerWaiting(ctx: HandlerContext | undefined): Promise<void> {
  if (!ctx) return;
  if (!ctx.signal.aborted) await afterIoPoll();
  if (!ctx.signal.aborted) return;
  const reason: unknown = ctx.signal.reason;
  const deadline = reason instanceof ConnectError && reason.code === Code.DeadlineExceeded;
  throw new ConnectError(
    deadline
      ? "the caller's deadline passed before the write started; nothing was written"
      : "the caller cancelled the call before the write started; nothing was written",
    deadline ? Code.DeadlineExceeded : Code.Canceled,
  );
}
