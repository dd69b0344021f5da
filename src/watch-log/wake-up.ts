/**
 * Waiting for the first of several wake-ups without leaving anything behind.
 *
 * A watch loop waits on every turn: for the next publish, for the client to make room, for its
 * signal, for a bookmark timer. `Promise.race([shared, aborted, timer])` looks like the natural
 * way, but every race adds a reaction to each promise it is given, and a reaction on a promise that
 * stays pending (the watcher's "aborted" promise lives as long as the watcher) is never released:
 * ~70–90 bytes per watcher per wake-up, i.e. gigabytes after a few hundred thousand commits with a
 * few hundred idle watchers. Here every turn makes one fresh promise; each source gets a callback
 * registered for this turn only, and every registration is removed as soon as any source fires, so
 * long-lived objects (signals, rings, streams) hold nothing from turns that are over.
 */

/** Registers `wake` with some source for one turn; returns the function that unregisters it. */
export type WakeSource = (wake: () => void) => () => void;

export interface WakeUpOptions {
  /** Sources that may end the wait (each is registered and unregistered once per call). */
  sources: readonly WakeSource[];
  /** Ends the wait when it aborts; its listener is removed when the wait ends for another reason. */
  signal?: AbortSignal;
  /** Ends the wait after this long (no timer when undefined). */
  timeoutMs?: number;
}

/** Resolves at the first wake-up (source, abort or timeout); never rejects. */
export function wakeUp(o: WakeUpOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    if (o.signal?.aborted) return resolve();
    const undo: (() => void)[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const wake = () => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      o.signal?.removeEventListener("abort", wake);
      for (const u of undo) u();
      resolve();
    };
    for (const source of o.sources) {
      const u = source(wake);
      if (done) {
        u(); // it fired while registering: drop its registration, the rest need none
        return;
      }
      undo.push(u);
    }
    if (o.timeoutMs !== undefined) timer = setTimeout(wake, Math.max(0, o.timeoutMs));
    o.signal?.addEventListener("abort", wake, { once: true });
  });
}
