import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { classify } from "../../src/apiserver/apiserver-metrics.ts";
import { ensurePromtool, promtoolCheck, unexpectedLint } from "../helpers/promtool.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";
import { TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";

let stack: Stack;
beforeAll(() => void ensurePromtool(), TOOL_FETCH_TIMEOUT_MS);
beforeAll(async () => {
  stack = await startStack({ mode: "streaming" });
});
afterAll(async () => {
  await stack?.close();
});

const API = "/apis/netguard.sgroups.io/v1beta1";

async function readUntil(body: ReadableStream<Uint8Array>, pred: (text: string) => boolean): Promise<string> {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (!pred(text)) {
    if (Date.now() > deadline) throw new Error(`timed out: ${text}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value);
  }
  reader.releaseLock();
  return text;
}

describe("API server /metrics", () => {
  test("counts requests by verb/resource/code, watch clients, delivery latency; promtool accepts it", async () => {
    const base = stack.api.url;
    const ac = new AbortController();
    const list = (await (await fetch(`${base}${API}/namespaces/shop/addressgroups`)).json()) as { metadata: { resourceVersion: string } };
    const watch = await fetch(`${base}${API}/namespaces/shop/addressgroups?watch=true&resourceVersion=${list.metadata.resourceVersion}`, { signal: ac.signal });
    const body = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "ag-m" }, spec: { defaultAction: "ACCEPT" } };
    const created = await fetch(`${base}${API}/namespaces/shop/addressgroups`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    expect(created.status).toBe(201);
    await readUntil(watch.body!, (t) => t.includes('"ag-m"'));
    await fetch(`${base}${API}/namespaces/shop/addressgroups/nope`);
    const text = await (await fetch(`${base}/metrics`)).text();
    ac.abort();
    expect(text).toContain('netguard_apiserver_http_requests_total{verb="LIST",resource="addressgroups",code="200"} 1');
    expect(text).toContain('netguard_apiserver_http_requests_total{verb="CREATE",resource="addressgroups",code="201"} 1');
    expect(text).toContain('netguard_apiserver_http_requests_total{verb="GET",resource="addressgroups",code="404"} 1');
    expect(text).toContain('netguard_apiserver_http_requests_total{verb="WATCH",resource="addressgroups",code="200"} 1');
    expect(text).toContain('netguard_apiserver_watch_clients{resource_type="addressgroups",mode="streaming"} 1');
    expect(text).toContain('watch_streams_active_total{resource_type="addressgroups"} 1');
    expect(text).toContain('netguard_apiserver_watch_source_mode{resource_type="addressgroups",mode="streaming"} 1');
    expect(text).toMatch(/watch_events_total\{resource_type="addressgroups",event_type="ADDED"\} [1-9]/);
    expect(text).toMatch(/watch_event_latency_seconds_count\{resource_type="addressgroups"\} [1-9]/);
    expect(text).toMatch(/netguard_apiserver_watch_flush_duration_seconds_count\{resource_type="addressgroups"\} [1-9]/);
    expect(text).toContain('netguard_apiserver_backend_requests_total{method="Create",code="ok"} 1');
    expect(text).toContain('netguard_apiserver_backend_requests_total{method="GetAddressGroup",code="not_found"} 1');
    expect(text).toContain("netguard_apiserver_poller_list_calls_total");
    expect(text).toMatch(/process_cpu_seconds_total \d/);
    expect(unexpectedLint(promtoolCheck(text).output)).toEqual([]);
  });

  test("classifies Kubernetes verbs the way apiserver_request_total does", () => {
    const u = (p: string) => new URL(`http://x${p}`);
    expect(classify("GET", u(`${API}/services`))).toEqual({ verb: "LIST", resource: "services" });
    expect(classify("GET", u(`${API}/namespaces/a/services?watch=true`))).toEqual({ verb: "WATCH", resource: "services" });
    expect(classify("GET", u(`${API}/watch/namespaces/a/services`))).toEqual({ verb: "WATCH", resource: "services" });
    expect(classify("GET", u(`${API}/namespaces/a/services/x`))).toEqual({ verb: "GET", resource: "services" });
    expect(classify("PUT", u(`${API}/namespaces/a/services/x/status`))).toEqual({ verb: "UPDATE", resource: "services/status" });
    expect(classify("DELETE", u(`${API}/namespaces/a/services`))).toEqual({ verb: "DELETECOLLECTION", resource: "services" });
    expect(classify("GET", u("/version"))).toEqual({ verb: "GET", resource: "" });
  });
});
