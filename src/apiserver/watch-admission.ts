/**
 * Admission of watch requests: a cap on open watches in total and per client address. A watch over
 * either cap is refused with 429 TooManyRequests and `Retry-After: 1`, as kube-apiserver's
 * max-in-flight filter answers (it writes plain text; a Status carries the same code, header and
 * retry hint and is what clients here read everywhere else). A slot is held for as long as the
 * response body streams and is given back when it ends, is cancelled or the client goes away.
 *
 * A slot admitted for a request is offered to the watcher that request starts: the watch verb
 * claims it (`claimWatchSlot`) and hands it to the hub's watcher, which gives it back itself when
 * it ends. A response whose maker did not claim its slot gets its body wrapped instead; wrapping
 * every watch body in a second ReadableStream with a pending read would cost each idle watcher
 * another stream, reader, controller and promise.
 */
import { statusError } from "./status.ts";
import type { Releasable } from "./watch/watch-types.ts";

export interface WatchAdmissionLimits {
  maxWatches: number;
  maxWatchesPerClient: number;
}

/** An admitted watch's slot; `release` gives it back (once, however often it is called). */
export interface WatchSlot extends Releasable {
  /** A watcher took it (claimWatchSlot) and gives it back when it ends. */
  readonly claimed: boolean;
}

export interface WatchAdmission {
  /**
   * Takes a slot for `client` (throws the 429 StatusError when none is free); with `req`, the slot
   * is offered to the watch that request starts (claimWatchSlot).
   */
  admit(client: string, req?: Request): WatchSlot;
  /** The response with its body tied to the slot: released once when the body ends. */
  hold(res: Response, slot: WatchSlot, signal: AbortSignal): Response;
  /** Open watches now (all clients). */
  readonly open: number;
  /** Watches refused so far. */
  readonly rejected: number;
}

/** kube-apiserver's max-in-flight answer. */
const RETRY_AFTER_SECONDS = 1;
const MESSAGE = "Too many requests, please try again later.";

/** Open watches, in total and per client. */
class Counts {
  open = 0;
  readonly perClient = new Map<string, ClientWatches>();
}

/** One client's open watches: shared by its slots, so a slot holds no copy of the client's address. */
class ClientWatches {
  open = 0;
  constructor(
    readonly counts: Counts,
    readonly client: string,
  ) {}
}

/** One small object per open watch (no closure): it holds only its client's entry, until released. */
class Slot implements WatchSlot {
  claimed = false;
  constructor(private watches: ClientWatches | undefined) {}
  release(): void {
    const w = this.watches;
    if (!w) return;
    this.watches = undefined;
    w.counts.open--;
    if (--w.open <= 0) w.counts.perClient.delete(w.client);
  }
}

/** Slots offered to the watch a request starts; an entry lasts as long as its request. */
const offered = new WeakMap<Request, Slot>();

/**
 * The admission slot offered to the watch `req` starts, taken once (undefined when none was, e.g.
 * a request made up in a test): whoever takes it must release it when the watch ends.
 */
export function claimWatchSlot(req: Request): Releasable | undefined {
  const slot = offered.get(req);
  if (!slot) return undefined;
  offered.delete(req);
  slot.claimed = true;
  return slot;
}

export function createWatchAdmission(limits: WatchAdmissionLimits): WatchAdmission {
  const counts = new Counts();
  let rejected = 0;
  return {
    get open() {
      return counts.open;
    },
    get rejected() {
      return rejected;
    },
    admit(client, req) {
      const mine = counts.perClient.get(client)?.open ?? 0;
      if (counts.open >= limits.maxWatches || mine >= limits.maxWatchesPerClient) {
        rejected++;
        const which = counts.open >= limits.maxWatches ? `the server's limit of ${limits.maxWatches} open watches` : `the limit of ${limits.maxWatchesPerClient} open watches per client`;
        throw statusError.tooManyRequests(`${MESSAGE} (${which} is reached)`, RETRY_AFTER_SECONDS);
      }
      let watches = counts.perClient.get(client);
      if (!watches) counts.perClient.set(client, (watches = new ClientWatches(counts, client)));
      watches.open++;
      counts.open++;
      const slot = new Slot(watches);
      if (req) offered.set(req, slot);
      return slot;
    },
    hold(res, slot, signal) {
      if (res.body === null) {
        slot.release();
        return res;
      }
      // A hub watcher took the slot and tells when it ends itself: no second stream per watcher.
      if (slot.claimed) return res;
      const release = () => slot.release();
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
