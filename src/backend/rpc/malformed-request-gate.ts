/**
 * Malformed request bytes are the caller's fault: `invalid_argument`, not `internal`. connect-es
 * parses a request before any handler or interceptor runs and wraps a protobuf decoding failure as
 * `internal` ("parse binary: …"), which tells clients and dashboards that the server is broken. The
 * only hook that sees that error before it is written is the call's own abort: every protocol
 * handler (Connect, gRPC, gRPC-Web; unary and streaming) aborts the call context with the error and
 * then serializes that same error object. This request gate subscribes to that abort and re-codes a
 * parse failure in place; nothing else is touched.
 */
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";

/** connect-es's message prefix for a request whose protobuf bytes did not decode. */
const PARSE_FAILURE = "parse binary: ";

/** A `requestGate` for the router: parse failures of the request answer `invalid_argument`. */
export function malformedRequestGate(context: HandlerContext): void {
  context.signal.addEventListener(
    "abort",
    () => {
      const e: unknown = context.signal.reason;
      if (e instanceof ConnectError && e.code === Code.Internal && e.rawMessage.startsWith(PARSE_FAILURE)) {
        (e as { code: Code }).code = Code.InvalidArgument;
        (e as { message: string }).message = `[invalid_argument] ${e.rawMessage}`;
      }
    },
    { once: true },
  );
}
