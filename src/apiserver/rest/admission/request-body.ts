/**
 * Reading request bodies. Objects arrive as JSON (kubectl) or YAML (other clients); a body that
 * does not parse, nests too deeply, or is not an object where an object is required, is a 400
 * BadRequest — never a 500, whatever the client sent. Parsers never write to the logs: the YAML
 * library's warnings quote the offending lines of the body, which would let a client forge log
 * lines, so they are collected and reported with one fixed message.
 */
import { parseDocument } from "yaml";
import { statusError } from "../../status.ts";
import { exceedsDepth, TOO_DEEP_MESSAGE } from "./nesting-depth.ts";

/** The media type of a Content-Type header, lower-cased, without parameters ("" when absent). */
export function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Parses JSON; malformed or nested too deeply → 400 with the reason. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw statusError.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
  if (exceedsDepth(value)) throw statusError.badRequest(TOO_DEEP_MESSAGE);
  return value;
}

/** The one message logged for a YAML body that parsed with warnings: no byte of the body is in it. */
export const YAML_WARNING_MESSAGE = "apiserver: a YAML request body parsed with warnings (unresolved tags or similar); its content is not logged";

/** Parses YAML (JSON is valid YAML); malformed or nested too deeply → 400. */
export function parseYamlText(text: string): unknown {
  let value: unknown;
  try {
    // logLevel "silent": the library would otherwise emit each warning with the body's lines quoted.
    const doc = parseDocument(text, { uniqueKeys: false, logLevel: "silent" });
    if (doc.errors.length > 0) throw doc.errors[0];
    if (doc.warnings.length > 0) console.warn(YAML_WARNING_MESSAGE);
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    // The parser recurses per level of flow nesting; running out of stack is a nesting problem.
    if (message.includes("Maximum call stack")) throw statusError.badRequest(TOO_DEEP_MESSAGE);
    throw statusError.badRequest(`the request body is not valid YAML: ${message}`);
  }
  if (exceedsDepth(value)) throw statusError.badRequest(TOO_DEEP_MESSAGE);
  return value;
}

/** A JSON object (not an array, not null). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The body of a POST/PUT as an object: `application/json` (or no Content-Type) and
 * `application/yaml` are accepted; other media types → 415.
 */
export async function readObjectBody(req: Request): Promise<Record<string, unknown>> {
  const type = mediaType(req.headers.get("content-type"));
  const text = await req.text();
  if (text.trim() === "") throw statusError.badRequest("the request body is empty; an object is required");
  let value: unknown;
  if (type === "" || type === "application/json" || type === "*/*") value = parseJson(text);
  else if (type === "application/yaml" || type === "application/x-yaml" || type === "text/yaml") value = parseYamlText(text);
  else throw statusError.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  if (!isJsonObject(value)) throw statusError.badRequest("the request body must be a JSON object");
  return value;
}
