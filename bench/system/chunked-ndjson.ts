/**
 * A minimal HTTP/1.1 response reader for watch streams: response head, chunked transfer coding,
 * newline-delimited JSON lines. Hand-written because the client process holds up to 10,000 of
 * these on raw sockets (fetch is capped at 256 concurrent requests in Bun, and a full HTTP client
 * per watcher would cost the client process more CPU than the server it measures).
 *
 * Only framing is parsed: each complete, non-empty line is handed to `onLine` as a slice of a
 * buffer, using the native `indexOf`, so a delivery costs a few memchr calls, not a JSON.parse.
 */

export type LineHandler = (buf: Buffer, start: number, end: number) => void;

const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

type State = "head" | "size" | "data" | "crlf" | "identity" | "done";

export class WatchResponseReader {
  /** HTTP status code once the head arrived (0 before). */
  status = 0;
  /** The status line and headers, for error reports. */
  head = "";
  /** The zero-length chunk (end of the response body) was seen. */
  ended = false;
  /** Body bytes of a non-200 response (first 1 KiB), for error reports. */
  errorBody = "";

  private state: State = "head";
  private pending: Buffer | undefined;
  private remaining = 0;
  private partialLine: Buffer | undefined;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onHead: (status: number) => void,
  ) {}

  push(data: Buffer): void {
    let buf = data;
    if (this.pending) {
      buf = Buffer.concat([this.pending, data]);
      this.pending = undefined;
    }
    let i = 0;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case "head": {
          const e = buf.indexOf(HEAD_END, i);
          if (e < 0) {
            this.pending = buf.subarray(i);
            return;
          }
          this.head = buf.toString("latin1", i, e);
          this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(this.head)?.[1] ?? 0);
          this.state = /\r\ntransfer-encoding:\s*chunked/i.test(this.head) ? "size" : "identity";
          i = e + 4;
          this.onHead(this.status);
          break;
        }
        case "size": {
          const e = buf.indexOf(CRLF, i);
          if (e < 0) {
            this.pending = buf.subarray(i);
            return;
          }
          const size = hexSize(buf, i, e);
          i = e + 2;
          if (!(size > 0)) {
            this.ended = true;
            this.state = "done";
            return;
          }
          this.remaining = size;
          this.state = "data";
          break;
        }
        case "data": {
          const take = Math.min(this.remaining, n - i);
          this.body(buf, i, i + take);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            this.state = "crlf";
            this.remaining = 2;
          }
          break;
        }
        case "crlf": {
          const take = Math.min(this.remaining, n - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = "size";
          break;
        }
        case "identity":
          this.body(buf, i, n);
          i = n;
          break;
        case "done":
          return;
      }
    }
  }

  private body(buf: Buffer, start: number, end: number): void {
    if (this.status !== 200) {
      if (this.errorBody.length < 1024) this.errorBody += buf.toString("utf8", start, Math.min(end, start + 1024));
      return;
    }
    let s = start;
    if (this.partialLine) {
      const nl = buf.indexOf(10, s);
      if (nl < 0 || nl >= end) {
        this.partialLine = Buffer.concat([this.partialLine, buf.subarray(s, end)]);
        return;
      }
      const line = Buffer.concat([this.partialLine, buf.subarray(s, nl)]);
      this.partialLine = undefined;
      if (line.length > 0) this.onLine(line, 0, line.length);
      s = nl + 1;
    }
    while (s < end) {
      const nl = buf.indexOf(10, s);
      if (nl < 0 || nl >= end) {
        this.partialLine = Buffer.from(buf.subarray(s, end)); // copy: the socket may reuse its buffer
        return;
      }
      if (nl > s) this.onLine(buf, s, nl);
      s = nl + 1;
    }
  }
}

/** The chunk-size line's hex number (chunk extensions after ';' ignored); NaN when malformed. */
function hexSize(buf: Buffer, start: number, end: number): number {
  let v = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) break;
    v = v * 16 + d;
    digits++;
  }
  return digits ? v : NaN;
}

const TYPE_AT = '{"type":"'.length;
const RV_NEEDLE = Buffer.from('"resourceVersion":"');

/** First letter of the event type: A(DDED), M(ODIFIED), D(ELETED), B(OOKMARK), E(RROR). */
export function eventTypeChar(buf: Buffer, start: number): number {
  return buf[start + TYPE_AT] ?? 0;
}

/**
 * The object's metadata.resourceVersion: the first "resourceVersion" in an ADDED/MODIFIED/DELETED
 * line (metadata precedes spec and status in the API server's encoding). NaN when absent.
 */
export function lineResourceVersion(buf: Buffer, start: number, end: number): number {
  const at = buf.indexOf(RV_NEEDLE, start);
  if (at < 0 || at >= end) return NaN;
  let v = 0;
  for (let i = at + RV_NEEDLE.length; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return v;
}
