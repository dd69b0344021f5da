/**
 * The watch log, shared by the backend's event store and the API server's watch caches: one ring
 * with a floor, lapped check and reader wake-up per kind, the change-type union, and the
 * enter/leave view of a selector-filtered watcher. Callers import from here, not the files inside.
 */
export type { ChangeType, LoggedChange } from "./change.ts";
export { createWatchLog, type WatchLog } from "./watch-log.ts";
export { visibleType } from "./visible-change.ts";
export { wakeUp, type WakeSource, type WakeUpOptions } from "./wake-up.ts";
