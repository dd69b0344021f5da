/**
 * Allocator settings for the backend role. Bun's native allocator (mimalloc) reads them once at
 * process start, so the program cannot set them for itself: whatever starts the backend passes
 * them in (the backend StatefulSet in deploy/base, the benchmark's launcher).
 *
 * `MIMALLOC_PURGE_DELAY=-1`: freed native pages stay committed for reuse instead of being returned to
 * the kernel 10 ms after they empty. Every RPC fills and empties request and frame buffers, so by
 * default the backend paid `madvise` plus a page fault per page again and again (and TLB
 * shootdowns on the other core); with the setting, backend CPU under 100 writes/s fell about 25 %
 * in an interleaved A/B on 2 cores, in both watch modes. Resident memory then stays at its peak
 * instead of shrinking after one (mimalloc still reuses it), which a pod's limit is sized for anyway.
 *
 * Not for the API server: its memory is mostly idle watch connections, and with the setting its
 * resident memory per idle watcher rose from 3.6 to 4.6 KiB (10,000 watchers) while its CPU per
 * delivery changed within the noise of the same A/B runs. The `all` role keeps the default too.
 */
export const BACKEND_ALLOCATOR_ENV: Readonly<Record<string, string>> = Object.freeze({ MIMALLOC_PURGE_DELAY: "-1" });

/** The same setting for the benchmark's watch-client process (bench/system/watch-pool.ts), a measuring instrument. */
export const CLIENT_ALLOCATOR_ENV = BACKEND_ALLOCATOR_ENV;
