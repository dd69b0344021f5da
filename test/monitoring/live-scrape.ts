/**
 * Real /metrics of both servers, for checking that alerts and dashboards name metrics that exist:
 * starts a backend and an API server (test/helpers/stack-harness.ts, plain HTTP), drives a write
 * and a watch so labelled series have samples, and returns each process's metric names.
 */
import { startStack } from "../helpers/stack-harness.ts";
import { exposedNames } from "./promql-names.ts";

export interface LiveNames {
  apiserver: Set<string>;
  backend: Set<string>;
}

const API = "/apis/netguard.sgroups.io/v1beta1";

export async function scrapeBothServers(): Promise<LiveNames> {
  const stack = await startStack({ mode: "auto" });
  const ac = new AbortController();
  try {
    const base = stack.api.url;
    const watch = await fetch(`${base}${API}/namespaces/shop/addressgroups?watch=true`, { signal: ac.signal });
    const body = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "ag-mon" }, spec: { defaultAction: "ACCEPT" } };
    const created = await fetch(`${base}${API}/namespaces/shop/addressgroups`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
    const reader = watch.body!.getReader();
    let seen = "";
    while (!seen.includes('"ag-mon"')) seen += new TextDecoder().decode((await reader.read()).value);
    const [api, backend] = await Promise.all([fetch(`${base}/metrics`), fetch(`${stack.backend.url}/metrics`)]);
    if (api.status !== 200 || backend.status !== 200) throw new Error(`/metrics answered ${api.status} / ${backend.status}`);
    return { apiserver: exposedNames(await api.text()), backend: exposedNames(await backend.text()) };
  } finally {
    ac.abort();
    await stack.close();
  }
}

/** Series Prometheus itself adds to every target. */
export const PROMETHEUS_SYNTHETIC = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped"]);
