/**
 * One place that knows what the benchmark started, so that every exit path — normal end, thrown
 * error, SIGINT/SIGTERM, even `process.exit` — tears it down: child process groups are killed,
 * proxies and sockets closed. Asynchronous cleanups run on the normal and signal paths; the
 * synchronous ones (killing process groups) also run from the `exit` event, which allows no await.
 */

type AsyncCleanup = () => Promise<void> | void;
type SyncCleanup = () => void;

const asyncCleanups = new Set<AsyncCleanup>();
const syncCleanups = new Set<SyncCleanup>();
let running: Promise<void> | undefined;

/** Registers teardown work; returns a function that unregisters it (when it was done early). */
export function onCleanup(fn: AsyncCleanup, sync?: SyncCleanup): () => void {
  asyncCleanups.add(fn);
  if (sync) syncCleanups.add(sync);
  return () => {
    asyncCleanups.delete(fn);
    if (sync) syncCleanups.delete(sync);
  };
}

/** Runs every registered cleanup once (newest first), each bounded to 5 s. */
export function runCleanup(): Promise<void> {
  running ??= (async () => {
    for (const fn of [...asyncCleanups].reverse()) {
      asyncCleanups.delete(fn);
      try {
        await Promise.race([Promise.resolve(fn()), new Promise((r) => setTimeout(r, 5000))]);
      } catch {
        // keep cleaning
      }
    }
    runSync();
  })();
  return running;
}

function runSync(): void {
  for (const fn of [...syncCleanups]) {
    syncCleanups.delete(fn);
    try {
      fn();
    } catch {
      // keep cleaning
    }
  }
}

/** Installs the signal and exit handlers (once). */
export function installCleanupHandlers(): void {
  const onSignal = (sig: NodeJS.Signals) => {
    console.error(`\n${sig}: stopping the benchmark and its processes`);
    void runCleanup().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.on("exit", runSync);
}

/** Runs a benchmark's `main`, cleans up its processes either way, and exits 0 or (with the error) 1. */
export async function runBenchmark(main: () => Promise<void>): Promise<never> {
  try {
    await main();
    await runCleanup();
    process.exit(0);
  } catch (e) {
    console.error(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await runCleanup();
    process.exit(1);
  }
}
