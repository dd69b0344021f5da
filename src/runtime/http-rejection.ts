/**
 * Answers a runtime's HTTP layer gives before any handler runs (an unknown method, headers too
 * large): the server that owns the port decides their body, so a Kubernetes API server can answer
 * with a `Status` like every other error instead of a bare status line or a closed connection.
 */

/** The body of a rejection with `code` and a human-readable `message`. */
export type Rejection = (code: number, message: string) => { contentType: string; body: string };

/** Plain text, for servers that have no error format of their own. */
export const plainRejection: Rejection = (_code, message) => ({ contentType: "text/plain; charset=utf-8", body: `${message}\n` });

/** Methods the fetch standard (and Bun, for PATCH) normalizes to upper case. */
const NORMALIZED = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);

/**
 * Whether a web Request kept the method the client sent. Bun 1.4's `Request` constructor turns a
 * method it does not know (e.g. `FOO`) into `GET`: served as is, an unknown method would read
 * like a GET. Such a request must be refused (405) rather than handled.
 */
export function methodKept(sent: string, req: Request): boolean {
  if (req.method === sent) return true;
  const upper = sent.toUpperCase();
  return NORMALIZED.has(upper) && req.method === upper;
}

/** A complete HTTP/1.1 response for a socket the HTTP parser gave up on (then the socket closes). */
export function rawHttp1Rejection(rejection: Rejection, code: number, reason: string, message: string): string {
  const { contentType, body } = rejection(code, message);
  const bytes = new TextEncoder().encode(body).length;
  return `HTTP/1.1 ${code} ${reason}\r\ncontent-type: ${contentType}\r\ncontent-length: ${bytes}\r\nconnection: close\r\n\r\n${body}`;
}
