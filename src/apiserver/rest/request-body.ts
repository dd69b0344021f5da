/**
 * Reading request bodies. Objects arrive as JSON (kubectl) or YAML (other clients); a body that
 * does not parse, or is not an object where an object is required, is a 400 BadRequest — never a
 * 500, whatever the client sent.
 */
import { parse as parseYaml } from "yaml";
import { statusError } from "../status.ts";

/** The media type of a Content-Type header, lower-cased, without parameters ("" when absent). */
export function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Parses JSON; malformed → 400 with the parser's reason. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw statusError.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Parses YAML (JSON is valid YAML); malformed → 400. */
export function parseYamlText(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: false });
  } catch (e) {
    throw statusError.badRequest(`the request body is not valid YAML: ${(e as Error).message}`);
  }
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
