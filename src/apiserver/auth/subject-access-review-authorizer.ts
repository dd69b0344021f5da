/**
 * Delegated authorization, as an aggregated API server does it: each request's attributes are sent
 * to the cluster's kube-apiserver as a SubjectAccessReview and its answer decides (allowed → allow,
 * denied → deny, neither → no opinion). Answers are cached (allow/deny TTLs); identical reviews in
 * flight share one call. When the kube-apiserver cannot be reached, errs or times out, the result
 * is "no opinion" with the error — as kube's webhook authorizer — and the filter answers 500 unless
 * another authorizer allowed: it fails closed.
 */
import type { Authorizer } from "./authorizer.ts";
import type { RequestAttributes } from "./authorizer-attributes.ts";
import type { SarCache } from "./subject-access-review-cache.ts";
import type { SarCall, SarSpec, SarStatus } from "./subject-access-review-client.ts";
import type { UserInfo } from "./user-info.ts";

/** The review spec of a request, field for field as kube's webhook authorizer builds it. */
export function sarSpec(user: UserInfo, a: RequestAttributes): SarSpec {
  const spec: SarSpec = { user: user.name, groups: user.groups };
  if (user.uid) spec.uid = user.uid;
  if (Object.keys(user.extra).length) spec.extra = user.extra;
  if (a.resourceRequest) {
    spec.resourceAttributes = { namespace: a.namespace, verb: a.verb, group: a.apiGroup, version: a.apiVersion, resource: a.resource, subresource: a.subresource, name: a.name };
  } else {
    spec.nonResourceAttributes = { path: a.path, verb: a.verb };
  }
  return spec;
}

export function createSarAuthorizer(call: SarCall, cache: SarCache, log: (line: string) => void = (l) => console.error(l)): Authorizer {
  const inFlight = new Map<string, Promise<SarStatus>>();
  const review = (key: string, spec: SarSpec): Promise<SarStatus> => {
    const cached = cache.get(key);
    if (cached) return Promise.resolve(cached);
    let p = inFlight.get(key);
    if (!p) {
      p = call(spec).then((status) => {
        cache.put(key, status);
        return status;
      });
      const settle = () => inFlight.delete(key);
      p.then(settle, settle);
      inFlight.set(key, p);
    }
    return p;
  };
  return {
    async authorize(user, attrs) {
      const spec = sarSpec(user, attrs);
      let status: SarStatus;
      try {
        status = await review(JSON.stringify(spec), spec);
      } catch (e) {
        const error = new Error(`SubjectAccessReview failed: ${(e as Error).message}`);
        log(`authorization: ${error.message}`);
        return { decision: "no-opinion", error };
      }
      if (status.allowed && status.denied) return { decision: "deny", reason: status.reason, error: new Error("SubjectAccessReview returned both allow and deny") };
      if (status.denied) return { decision: "deny", reason: status.reason };
      if (status.allowed) return { decision: "allow", reason: status.reason };
      return { decision: "no-opinion", reason: status.reason };
    },
  };
}
