/**
 * Asks the backend whether its Watch works, cheaply and with a definite answer: a snapshot watch
 * whose field selector matches nothing gets only the initial-events-end BOOKMARK at once when
 * streaming works, and UNIMPLEMENTED (or a connection error) when it does not. Auto mode uses it
 * while polling, to return to streaming as soon as the backend supports it again.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";

const NOTHING = "metadata.name=netguard-watch-probe,metadata.name!=netguard-watch-probe";

/** True when the backend answered a Watch within `timeoutMs`; false on any error or timeout. */
export async function probeStreaming(backend: BackendClient, kind: KindDescriptor, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const call = new AbortController();
  const onAbort = () => call.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => call.abort(), timeoutMs);
  try {
    for await (const ev of backend.watch(kind, { resourceVersion: "", fieldSelector: NOTHING }, call.signal)) {
      return ev.type === "BOOKMARK";
    }
    return false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    call.abort();
  }
}
