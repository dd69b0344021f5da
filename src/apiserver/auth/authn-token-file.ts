/**
 * Bearer tokens from a static token file (`api.token_file`), reloaded when the file changes —
 * unlike kube-apiserver, which reads it once — so a token can be added or revoked without a
 * restart. A file that becomes invalid keeps the last good tokens (and is logged). The bearer
 * header is read as k8s.io/apiserver's bearertoken authenticator reads it.
 */
import { createReloadingFiles } from "../../runtime/reloading-files.ts";
import { parseTokenFile } from "./authn-token-csv.ts";
import type { Authenticator } from "./authn-types.ts";
import type { UserInfo } from "./user-info.ts";

/** The token from `Authorization: Bearer <token>`, or undefined when there is none. */
export function bearerToken(req: Request): string | undefined {
  const auth = (req.headers.get("authorization") ?? "").trim();
  if (auth === "") return undefined;
  const parts = auth.split(" ");
  if (parts.length < 2 || parts[0]!.toLowerCase() !== "bearer") return undefined;
  const token = parts[1]!;
  return token === "" ? undefined : token;
}

export interface TokenFileAuthenticator {
  authenticate: Authenticator;
  stop(): void;
}

/**
 * Reads `path` now (throws when it is missing or invalid) and polls it every `pollMs`.
 * `log` receives warnings and reload failures.
 */
export function createTokenFileAuthenticator(path: string, o: { pollMs: number; log: (msg: string) => void }): TokenFileAuthenticator {
  const load = (text: string): Map<string, UserInfo> => {
    const t = parseTokenFile(text, path);
    for (const w of t.warnings) o.log(w);
    return t.tokens;
  };
  const files = createReloadingFiles([path], ([text]) => load(text!), {
    intervalMs: o.pollMs,
    onReload: (tokens) => o.log(`token file '${path}' reloaded (${tokens.size} tokens)`),
    onError: (e) => o.log(`token file '${path}' not reloaded, keeping the previous tokens: ${e.message}`),
  });
  return {
    authenticate(req) {
      const token = bearerToken(req);
      if (token === undefined) return undefined;
      const user = files.current().get(token);
      if (!user) return { error: "invalid bearer token" };
      return { user: { ...user, groups: [...user.groups], extra: { ...user.extra } } };
    },
    stop: () => files.stop(),
  };
}
