/**
 * Admission of watch requests: a cap on open watches in total and per client address. A watch over
 * either cap is refused with 429 TooManyRequests and `Retry-After: 1`, as kube-apiserver's
 * max-in-flight filter answers (it writes plain text; a Status carries the same code, header and
 * retry hint and is what clients here read everywhere else). A slot is held for as long as the
 * response body streams and is given back when it ends, is cancelled or the client goes away.
 */
import { statusError } from "./status.ts";
import { whenResponseEnds } from "./watch/response-end.ts";

export interface WatchAdmissionLimits {
  maxWatches: number;
  maxWatchesPerClient: number;
}

export interface WatchAdmission {
  /** Takes a slot for `client` (throws the 429 StatusError when none is free); returns its release. */
  admit(client: string): () => void;
  /** The response with its body tied to the slot: the release runs once when the body ends. */
  hold(res: Response, release: () => void, signal: AbortSignal): Response;
  /** Open watches now (all clients). */
  readonly open: number;
  /** Watches refused so far. */
  readonly rejected: number;
}

/** kube-apiserver's max-in-flight answer. */
const RETRY_AFTER_SECONDS = 1;
const MESSAGE = "Too many requests, please try again later.";

export function createWatchAdmission(limits: WatchAdmissionLimits): WatchAdmission {
  let open = 0;
  let rejected = 0;
  const perClient = new Map<string, number>();
  return {
    get open() {
      return open;
    },
    get rejected() {
      return rejected;
    },
    admit(client) {
      const mine = perClient.get(client) ?? 0;
      if (open >= limits.maxWatches || mine >= limits.maxWatchesPerClient) {
        rejected++;
        const which = open >= limits.maxWatches ? `the server's limit of ${limits.maxWatches} open watches` : `the limit of ${limits.maxWatchesPerClient} open watches per client`;
        throw statusError.tooManyRequests(`${MESSAGE} (${which} is reached)`, RETRY_AFTER_SECONDS);
      }
      open++;
      perClient.set(client, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open--;
        const n = (perClient.get(client) ?? 1) - 1;
        if (n <= 0) perClient.delete(client);
        else perClient.set(client, n);
      };
    },
    hold(res, release, signal) {
      if (res.body === null) {
        release();
        return res;
      }
      // A hub watch tells when it ends itself: no second stream per watcher.
      if (whenResponseEnds(res, release)) return res;
      signal.addEventListener("abort", release, { once: true });
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const { done, value } = await reader.read();
              if (done) {
                release();
                controller.close();
              } else controller.enqueue(value);
            } catch (e) {
              release();
              controller.error(e);
            }
          },
          cancel(reason) {
            release();
            return reader.cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  };
}
