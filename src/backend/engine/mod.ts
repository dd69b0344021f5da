/**
 * The backend engine's entry: the Engine contract and its factory, plus the watch stream read
 * through it. Callers outside src/backend/engine/ import from here, not from the files inside.
 */
export * from "./engine-types.ts";
export { createEngine } from "./engine.ts";
export { watchKind, watchKindBatches, WatchExpiredError, type WatchItem, type WatchParams } from "./watch-stream.ts";
