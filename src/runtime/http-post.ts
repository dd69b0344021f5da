/**
 * One bounded HTTP(S) POST with node:http / node:https (present on Bun, Node and Deno): custom CA,
 * client certificate and SNI name, a deadline over the whole exchange and a cap on the answer's
 * size. The SubjectAccessReview client (src/apiserver/auth/subject-access-review-client.ts) calls
 * the kube-apiserver through it; every failure is a rejected promise with a plain message.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** How to make the call. */
export interface HttpPostOptions {
  headers: Record<string, string>;
  /** For https: URLs: PEM CA, client certificate and key, and the TLS server name. */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
  /** The whole exchange, from connect to the last byte of the answer. */
  timeoutMs: number;
  /** A larger answer is an error. */
  maxAnswerBytes: number;
}

/** The answer: status code and body as UTF-8 text. */
export interface HttpAnswer {
  status: number;
  text: string;
}

function readAnswer(res: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        res.destroy(new Error(`answer larger than ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
    res.on("aborted", () => reject(new Error("answer aborted")));
  });
}

/** POSTs `body` (UTF-8; Content-Length is set here) to `url`. */
export function httpPost(url: URL, body: string, o: HttpPostOptions): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const tls = url.protocol === "https:";
    const headers = { ...o.headers, "content-length": String(Buffer.byteLength(body)) };
    const options = { method: "POST", headers, ...(tls ? o.tls : {}) };
    let done = false;
    const finish = (err: Error | undefined, value?: HttpAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value!);
    };
    const req = (tls ? httpsRequest : httpRequest)(url, options, (res) => {
      readAnswer(res, o.maxAnswerBytes).then(
        (text) => finish(undefined, { status: res.statusCode ?? 0, text }),
        (e: Error) => finish(e),
      );
    });
    const timer = setTimeout(() => {
      finish(new Error(`no answer within ${o.timeoutMs} ms`));
      req.destroy();
    }, o.timeoutMs);
    req.on("error", (e) => finish(e));
    req.end(body);
  });
}
