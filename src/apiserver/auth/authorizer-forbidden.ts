/**
 * The 403 a denied request gets, word for word as kube-apiserver writes it
 * (responsewriters.Forbidden + apierrors.NewForbidden), because kubectl and client libraries show
 * this message to people and scripts match on it: `<resource>.<group> "<name>" is forbidden: User
 * "<user>" cannot <verb> resource "<resource>[/<subresource>]" in API group "<group>" in the
 * namespace "<ns>"` (or `at the cluster scope`, or `cannot <verb> path "<path>"`), then `: <reason>`
 * when the authorizer gave one. Details carry {name, group, kind: resource}.
 */
import type { StatusBody } from "../status.ts";
import type { RequestAttributes } from "./authorizer-attributes.ts";

/** kube's forbiddenMessage: who cannot do what, where. */
export function forbiddenMessage(user: string, a: RequestAttributes): string {
  if (!a.resourceRequest) return `User ${JSON.stringify(user)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const head = `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)}`;
  return a.namespace ? `${head} in the namespace ${JSON.stringify(a.namespace)}` : `${head} at the cluster scope`;
}

/** The Status body of a 403 Forbidden for `user` and `a`, with the authorizer's reason if any. */
export function forbiddenStatus(user: string, a: RequestAttributes, reason?: string): StatusBody {
  const why = reason ? `${forbiddenMessage(user, a)}: ${reason}` : forbiddenMessage(user, a);
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  let message: string;
  if (!qualified) message = `forbidden: ${why}`;
  else if (!a.name) message = `${qualified} is forbidden: ${why}`;
  else message = `${qualified} ${JSON.stringify(a.name)} is forbidden: ${why}`;
  const details: NonNullable<StatusBody["details"]> = {};
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  if (a.resource) details.kind = a.resource;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", details, code: 403 };
}
