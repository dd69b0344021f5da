/**
 * What one watch client may cost the API server, shared by the watcher's phases
 * (src/apiserver/watch/watcher.ts and the *-phase.ts files beside it).
 */

/** Most events put into one chunk (bounds one write and one catch-up step of a lagging client). */
export const MAX_EVENTS_PER_CHUNK = 256;

/**
 * Most bytes of catch-up events one client may have buffered (encoded, waiting for room) before it
 * leaves the backend catch-up stream: what a client that stops reading costs during a catch-up.
 */
export const MAX_CATCH_UP_BUFFER_BYTES = 256 * 1024;
