/**
 * `labelSelector` and `fieldSelector` of list, watch and deletecollection requests. They are
 * parsed here only to reject bad syntax with 400 before anything is started; the filtering itself
 * happens in the backend (lists) or the watch cache (watches).
 */
import { createObjectFilter, SelectorError } from "../../kinds/selectors.ts";
import { statusError } from "../status.ts";

/** The raw selector strings of a request (syntax already checked). */
export interface Selectors {
  labelSelector: string;
  fieldSelector: string;
}

/** The selectors of the request; `name` (a named watch) adds `metadata.name=<name>`. */
export function parseSelectors(url: URL, namespace: string, name?: string): Selectors {
  const labelSelector = url.searchParams.get("labelSelector") ?? "";
  let fieldSelector = url.searchParams.get("fieldSelector") ?? "";
  if (name !== undefined) fieldSelector = fieldSelector.trim() ? `${fieldSelector},metadata.name=${name}` : `metadata.name=${name}`;
  try {
    createObjectFilter(namespace, labelSelector, fieldSelector);
  } catch (e) {
    if (e instanceof SelectorError) throw statusError.badRequest(`unable to parse requirement: ${e.param}: ${e.message}`);
    throw e;
  }
  return { labelSelector, fieldSelector };
}
