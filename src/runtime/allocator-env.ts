/**
 * Allocator settings the shipped image sets in its environment (Dockerfile `ENV`). Bun's native
 * allocator (mimalloc) reads them once at process start, so the program cannot set them for itself:
 * whatever starts it (the image, the benchmark's launcher) passes them in.
 *
 * `MIMALLOC_PURGE_DELAY=-1`: freed native pages stay committed for reuse instead of being returned to
 * the kernel 10 ms after they empty. A watch flush fills and empties the same socket buffers every
 * few milliseconds, so by default each flush paid `madvise` plus a page fault per page (and TLB
 * shootdowns on the other core); measured in interleaved A/B runs on 2 cores, API-server CPU per
 * 1,000 deliveries at 1,000 watchers fell 6–9 % and backend CPU under 100 writes/s about 25 %.
 * The price: resident memory stays at its peak instead of shrinking after one (mimalloc still reuses
 * it), which is what a pod's memory limit is sized for anyway.
 */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = Object.freeze({ MIMALLOC_PURGE_DELAY: "-1" });
