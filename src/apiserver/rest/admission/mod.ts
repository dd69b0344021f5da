/**
 * What a request body must be before it becomes a write: parsed (JSON or YAML, bounded depth),
 * of the addressed kind and place, admitted against the schema and the stateless rules. Callers
 * outside rest/ import from here.
 */
export { YAML_WARNING_MESSAGE } from "./request-body.ts";
