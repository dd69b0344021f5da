/**
 * Metric names in a PromQL expression, without a PromQL parser: strings, label matchers, ranges
 * and grouping label lists are cut out, then every identifier that is not a function call or a
 * keyword is a metric name. promtool separately checks that the expressions parse, so this only
 * has to be right for valid PromQL.
 */

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "atan2", "inf", "nan"]);

/** A metric referenced by an expression, with the `job` its selector names (a dashboard variable), if any. */
export interface MetricRef {
  name: string;
  job: string | undefined;
}

/** Grafana's interval variables become a duration so the result is plain PromQL. */
export function withoutGrafanaIntervals(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, "5m");
}

export function metricRefs(expr: string): MetricRef[] {
  let e = withoutGrafanaIntervals(expr);
  // Selectors with braces first: keep the job matcher, which says which process must serve them.
  const refs: MetricRef[] = [];
  e = e.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g, (_m, name: string | undefined, matchers: string) => {
    const job = /\bjob\s*=~?\s*"([^"]*)"/.exec(matchers)?.[1];
    const named = /\b__name__\s*=\s*"([^"]*)"/.exec(matchers)?.[1];
    if (name && !KEYWORDS.has(name)) refs.push({ name, job });
    else if (named) refs.push({ name: named, job });
    return " ";
  });
  e = e
    .replace(/"(?:[^"\\]|\\.)*"/g, " ") // strings (label_replace arguments, ...)
    .replace(/\[[^\]]*\]/g, " ") // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  for (const m of e.matchAll(/(?<![\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = e.slice(m.index + m[0].length);
    if (KEYWORDS.has(m[0]) || /^\s*\(/.test(rest)) continue;
    refs.push({ name: m[0], job: undefined });
  }
  return refs;
}

/** Metric names one /metrics exposition offers: every family, histograms with their series suffixes. */
export function exposedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const t = /^# TYPE (\S+) (\S+)/.exec(line);
    if (t) {
      out.add(t[1]!);
      if (t[2] === "histogram") for (const s of ["_bucket", "_sum", "_count"]) out.add(t[1]! + s);
      if (t[2] === "summary") for (const s of ["_sum", "_count"]) out.add(t[1]! + s);
    } else if (line && !line.startsWith("#")) {
      out.add(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]);
    }
  }
  return out;
}
