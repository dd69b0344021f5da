/**
 * Size limits on what a client sends the API server: the URL (414) and the body (413
 * RequestEntityTooLarge, as kube-apiserver's `limitedReadBody`, whose default is 3 MiB). The body
 * is checked while it streams in: a declared Content-Length over the limit is refused before one
 * byte is read, and a chunked body is cut at the first chunk that crosses the limit, so at most
 * `limit` bytes of it are ever held.
 */
import { requestUser, setRequestUser } from "./auth/user-info.ts";
import { statusError, StatusError } from "./status.ts";

/** Throws 414 when the request's path and query are longer than `maxUrlBytes`. */
export function checkUrlLength(url: URL, maxUrlBytes: number): void {
  const length = url.pathname.length + url.search.length;
  if (length > maxUrlBytes) throw statusError.uriTooLong(`the request URL is ${length} bytes long; the limit is ${maxUrlBytes} (api.max_url_bytes)`);
}

/**
 * The request with its body limited to `maxBytes`. Reading past the limit fails with the 413
 * StatusError (req.text() and friends reject with it); a Content-Length over it throws at once.
 */
export function limitRequestBody(req: Request, maxBytes: number): Request {
  if (req.body === null) return req;
  const tooLarge = () => statusError.requestEntityTooLarge(`limit is ${maxBytes}`);
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  if (declared <= maxBytes && Number.isFinite(declared)) return req; // the runtime delivers at most Content-Length bytes
  const reader = req.body.getReader();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > maxBytes) {
        const error = tooLarge();
        controller.error(error);
        void reader.cancel(error).catch(() => undefined);
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const limited = new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal, duplex: "half" } as RequestInit);
  // The stand-in request keeps the authenticated user: authorization and audit read it after this.
  const user = requestUser(req);
  if (user) setRequestUser(limited, user);
  return limited;
}

/** The 413 StatusError a limited body failed with, if that is what `e` is (runtimes may wrap it). */
export function asBodyLimitError(e: unknown): StatusError | undefined {
  if (e instanceof StatusError && e.status.code === 413) return e;
  const cause = (e as { cause?: unknown })?.cause;
  return cause instanceof StatusError && cause.status.code === 413 ? cause : undefined;
}
