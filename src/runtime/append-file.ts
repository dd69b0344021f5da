/**
 * Line sinks for logs that must survive the request (the audit log of
 * src/apiserver/auth/audit-log.ts): standard output, or a file opened once for appending (mode 0600)
 * and written with one synchronous write per line, so lines stay whole and in order.
 */
import { closeSync, openSync, writeSync } from "node:fs";

/** Somewhere to write lines; `write` throws when the write fails. */
export interface LineSink {
  write(line: string): void;
  close(): void;
}

/** Standard output (closing it is a no-op). */
export function stdoutSink(): LineSink {
  return { write: (line) => void process.stdout.write(line), close: () => undefined };
}

/** Opens `path` for appending now (throws when it cannot be opened). */
export function openAppendSink(path: string): LineSink {
  const fd = openSync(path, "a", 0o600);
  return { write: (line) => void writeSync(fd, line), close: () => closeSync(fd) };
}
