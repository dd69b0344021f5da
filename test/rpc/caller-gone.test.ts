/**
 * A write first lets one event-loop turn pass, then checks whether its caller is still there
 * (src/backend/rpc/caller-gone.ts over src/runtime/next-turn.ts): a cancellation that is already
 * queued when the write is dispatched is seen, and nothing is written. The cancellation here is
 * queued as an immediate before the check starts, as a RST_STREAM read in the same I/O poll is.
 */
import { expect, test } from "bun:test";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { assertCallerWaiting } from "../../src/backend/rpc/caller-gone.ts";

/** The one part of a call's context the check reads. */
const callWith = (signal: AbortSignal) => ({ signal }) as HandlerContext;

test("a cancellation queued before the write starts is seen after one loop turn: Canceled", async () => {
  const call = new AbortController();
  setImmediate(() => call.abort());
  const err = await assertCallerWaiting(callWith(call.signal)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectError);
  expect((err as ConnectError).code).toBe(Code.Canceled);
  expect((err as ConnectError).rawMessage).toContain("nothing was written");
});

test("a caller whose deadline passed is told DeadlineExceeded", async () => {
  const call = new AbortController();
  call.abort(new ConnectError("deadline", Code.DeadlineExceeded));
  const err = await assertCallerWaiting(callWith(call.signal)).catch((e: unknown) => e);
  expect((err as ConnectError).code).toBe(Code.DeadlineExceeded);
});

test("a caller still waiting after the turn lets the write go ahead", async () => {
  await expect(assertCallerWaiting(callWith(new AbortController().signal))).resolves.toBeUndefined();
  await expect(assertCallerWaiting(undefined)).resolves.toBeUndefined();
});
