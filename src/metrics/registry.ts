/**
 * A small Prometheus registry with hand-written text exposition (format 0.0.4).
 *
 * Hot paths never build label strings: `labels(...)` returns a child whose `inc`/`set`/`observe`
 * is a number update, and callers keep the child. Rendering walks the families once and writes
 * each sample line; values that are cheaper to read at scrape time (ring occupancy, RSS) are
 * registered as collectors instead of being updated on every change.
 */
import { readProcessFigures } from "../runtime/process-info.ts";

export interface CounterChild {
  inc(by?: number): void;
  readonly value: number;
}
export interface GaugeChild {
  set(v: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
  readonly value: number;
}
export interface HistogramChild {
  observe(v: number): void;
}

export interface Counter {
  labels(...values: string[]): CounterChild;
}
export interface Gauge {
  labels(...values: string[]): GaugeChild;
}
export interface Histogram {
  labels(...values: string[]): HistogramChild;
}

/** A sample produced at scrape time. */
export interface CollectedSample {
  labels: Record<string, string>;
  value: number;
}

export interface Registry {
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge;
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram;
  /** A gauge or counter whose samples are read when /metrics is scraped. */
  collect(name: string, help: string, type: "gauge" | "counter", read: () => CollectedSample[]): void;
  render(): string;
}

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Escapes HELP text: backslash and newline. */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts: string[] = [];
  for (let i = 0; i < names.length; i++) parts.push(`${names[i]}="${escapeLabelValue(values[i] ?? "")}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(",")}}` : "";
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  render(out: string[]): void;
}

export function createRegistry(): Registry {
  const families: Family[] = [];
  const names = new Set<string>();

  const register = (name: string, labelNames: readonly string[]) => {
    if (!NAME_RE.test(name)) throw new Error(`invalid metric name ${name}`);
    for (const l of labelNames) if (!LABEL_RE.test(l) || l.startsWith("__")) throw new Error(`invalid label name ${l}`);
    if (names.has(name)) throw new Error(`metric ${name} registered twice`);
    names.add(name);
  };

  function scalar(type: "counter" | "gauge", name: string, help: string, labelNames: readonly string[]) {
    register(name, labelNames);
    const children = new Map<string, { values: string[]; value: number; lt: string }>();
    const child = (values: string[]) => {
      if (values.length !== labelNames.length) throw new Error(`${name}: expected ${labelNames.length} label values`);
      const key = values.join("\u0000");
      let c = children.get(key);
      if (!c) {
        c = { values, value: 0, lt: labelText(labelNames, values) };
        children.set(key, c);
      }
      return c;
    };
    families.push({
      name,
      help,
      type,
      render(out) {
        for (const c of children.values()) out.push(`${name}${c.lt} ${formatValue(c.value)}`);
      },
    });
    return child;
  }

  return {
    counter(name, help, labelNames = []) {
      const child = scalar("counter", name, help, labelNames);
      return {
        labels(...values) {
          const c = child(values);
          return {
            inc(by = 1) {
              if (by < 0) throw new Error(`${name}: counters only go up`);
              c.value += by;
            },
            get value() {
              return c.value;
            },
          };
        },
      };
    },
    gauge(name, help, labelNames = []) {
      const child = scalar("gauge", name, help, labelNames);
      return {
        labels(...values) {
          const c = child(values);
          return {
            set(v) {
              c.value = v;
            },
            inc(by = 1) {
              c.value += by;
            },
            dec(by = 1) {
              c.value -= by;
            },
            get value() {
              return c.value;
            },
          };
        },
      };
    },
    histogram(name, help, labelNames, buckets) {
      register(name, labelNames);
      const bounds = [...buckets].sort((a, b) => a - b);
      const leTexts = bounds.map((b) => `le="${formatValue(b)}"`);
      const children = new Map<string, { values: string[]; counts: Float64Array; sum: number; count: number }>();
      families.push({
        name,
        help,
        type: "histogram",
        render(out) {
          for (const c of children.values()) {
            let cumulative = 0;
            for (let i = 0; i < bounds.length; i++) {
              cumulative += c.counts[i]!;
              out.push(`${name}_bucket${labelText(labelNames, c.values, leTexts[i])} ${cumulative}`);
            }
            out.push(`${name}_bucket${labelText(labelNames, c.values, 'le="+Inf"')} ${c.count}`);
            out.push(`${name}_sum${labelText(labelNames, c.values)} ${formatValue(c.sum)}`);
            out.push(`${name}_count${labelText(labelNames, c.values)} ${c.count}`);
          }
        },
      });
      return {
        labels(...values) {
          if (values.length !== labelNames.length) throw new Error(`${name}: expected ${labelNames.length} label values`);
          const key = values.join("\u0000");
          let c = children.get(key);
          if (!c) {
            c = { values, counts: new Float64Array(bounds.length), sum: 0, count: 0 };
            children.set(key, c);
          }
          const cc = c;
          return {
            observe(v) {
              for (let i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]!) {
                  cc.counts[i]!++;
                  break;
                }
              }
              cc.sum += v;
              cc.count++;
            },
          };
        },
      };
    },
    collect(name, help, type, read) {
      register(name, []);
      families.push({
        name,
        help,
        type,
        render(out) {
          for (const s of read()) {
            const keys = Object.keys(s.labels);
            out.push(`${name}${labelText(keys, keys.map((k) => s.labels[k]!))} ${formatValue(s.value)}`);
          }
        },
      });
    },
    render() {
      const out: string[] = [];
      for (const f of families) {
        out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
        out.push(`# TYPE ${f.name} ${f.type}`);
        f.render(out);
      }
      out.push("");
      return out.join("\n");
    },
  };
}

/** Latency buckets from 0.5 ms to 30 s: watch delivery is milliseconds when streaming, seconds when polling. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Process CPU and memory, read at scrape time. */
export function registerProcessMetrics(r: Registry): void {
  const start = Date.now() / 1000 - readProcessFigures().uptimeSeconds;
  r.collect("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", () => [
    { labels: {}, value: readProcessFigures().cpuSeconds },
  ]);
  r.collect("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", () => [{ labels: {}, value: readProcessFigures().residentBytes }]);
  r.collect("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge", () => [{ labels: {}, value: Math.round(start) }]);
}
