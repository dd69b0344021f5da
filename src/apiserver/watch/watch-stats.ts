/**
 * Plain counters of one kind's watch machinery. They are numbers on an object (no metrics library)
 * so tests can assert on them today and a Prometheus exporter can read them later.
 */
export interface KindWatchStats {
  /** Watch clients currently connected for this kind. */
  activeWatchers: number;
  /** ADDED/MODIFIED/DELETED lines written to clients (synthetic initial ADDED included). */
  eventsDelivered: number;
  bookmarksSent: number;
  /** ERROR events written (410 Expired and others). */
  errorsSent: number;
  /** Cursors the ring overwrote before the client read them (each ended with 410). */
  lappedCursors: number;
  /** Clients older than the cache that were caught up through a backend Watch. */
  catchUps: number;
  /** Backend Watch streams opened for catch-ups (lagging clients with the same selectors share one). */
  catchUpStreams: number;
  /** Events that entered the cache (from streams, relist diffs and poll diffs). */
  eventsPublished: number;
  /** The same, by change type. */
  eventsByType: { ADDED: number; MODIFIED: number; DELETED: number };
  /** Backend Watch calls opened by the stream source (initial, resumes, relists). */
  upstreamWatchCalls: number;
  /** Stream breaks followed by a reconnect attempt. */
  reconnects: number;
  /** Fresh snapshots taken by the stream source after the first one (expired position, restart). */
  relists: number;
  /** Backend List calls made by the poller. */
  listCalls: number;
  pollErrors: number;
  /** Streaming probes made while polling in auto mode. */
  probes: number;
  /** Changes between streaming and polling (auto mode). */
  modeSwitches: number;
}

/** All counters at zero. */
export function createKindWatchStats(): KindWatchStats {
  return {
    activeWatchers: 0,
    eventsDelivered: 0,
    bookmarksSent: 0,
    errorsSent: 0,
    lappedCursors: 0,
    catchUps: 0,
    catchUpStreams: 0,
    eventsPublished: 0,
    eventsByType: { ADDED: 0, MODIFIED: 0, DELETED: 0 },
    upstreamWatchCalls: 0,
    reconnects: 0,
    relists: 0,
    listCalls: 0,
    pollErrors: 0,
    probes: 0,
    modeSwitches: 0,
  };
}
