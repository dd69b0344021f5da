/**
 * `labelSelector` and `fieldSelector` of list, watch and deletecollection requests, parsed once
 * here: bad syntax is a 400 before anything starts. Lists and deletecollection pass the strings on
 * to the backend, which filters; a watch hands the parsed filter to the watch hub, which does not
 * parse again.
 */
import { parseRequestFilter, type ObjectFilter } from "../../../kinds/selectors.ts";
import { statusError } from "../../status.ts";

/** The selector strings of a request and their parsed filter. */
export interface Selectors {
  labelSelector: string;
  fieldSelector: string;
  filter: ObjectFilter;
}

/** The selectors of the request; `name` (a named watch) adds `metadata.name=<name>`. */
export function parseSelectors(url: URL, namespace: string, name?: string): Selectors {
  const labelSelector = url.searchParams.get("labelSelector") ?? "";
  let fieldSelector = url.searchParams.get("fieldSelector") ?? "";
  if (name !== undefined) fieldSelector = fieldSelector.trim() ? `${fieldSelector},metadata.name=${name}` : `metadata.name=${name}`;
  const filter = parseRequestFilter(namespace, labelSelector, fieldSelector, (m) => statusError.badRequest(`unable to parse requirement: ${m}`));
  return { labelSelector, fieldSelector, filter };
}
