/**
 * Content negotiation for aggregated discovery. kubectl 1.32 sends
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...;v=v2beta1...,application/json`
 * and accepts the aggregated body only with exactly that media type as Content-Type; answering an
 * aggregated body as plain JSON breaks kubectl's discovery. So the aggregated
 * form is served only when asked for, in the version asked for.
 */

/** Aggregated discovery versions this server can produce, newest first. */
const SUPPORTED = ["v2", "v2beta1"];

/** The exact Content-Type of an aggregated discovery response of `version`. */
export function aggregatedContentType(version: string): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** One media range of an Accept header: type and lower-cased parameters. */
function parseMediaRange(part: string): { type: string; params: Map<string, string> } {
  const [type = "", ...rest] = part.split(";").map((s) => s.trim());
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ""));
  }
  return { type: type.toLowerCase(), params };
}

/**
 * The aggregated discovery version the client asks for (first acceptable in Accept order), or
 * undefined when it wants the legacy documents.
 */
export function aggregatedDiscoveryVersion(accept: string | null): string | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(",")) {
    const { type, params } = parseMediaRange(part);
    if (type !== "application/json") continue;
    if (params.get("g") !== "apidiscovery.k8s.io" || params.get("as") !== "APIGroupDiscoveryList") continue;
    const v = params.get("v");
    if (v && SUPPORTED.includes(v) && params.get("q") !== "0") return v;
  }
  return undefined;
}
