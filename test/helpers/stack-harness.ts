/**
 * The whole product in one test process: a real backend, a real API server in front of it, a
 * kubeconfig pointing at the API server, and a runner for the real kubectl.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "../../src/backend/backend.ts";
import { createBackendClient, type BackendClient } from "../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../src/apiserver/api-server.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import { createApiServerMetrics, type ApiServerMetrics } from "../../src/apiserver/apiserver-metrics.ts";
import type { WatchMode } from "../../src/apiserver/watch/watch-types.ts";
import { startTestBackend, type TestBackendOptions } from "./backend-harness.ts";

export interface Stack {
  backend: Backend;
  client: BackendClient;
  api: ApiServer;
  metrics: ApiServerMetrics;
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Starts kubectl in the background (e.g. `get -w`), collecting its output. */
  kubectlBackground(args: string[]): BackgroundKubectl;
  close(): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface BackgroundKubectl {
  readonly stdout: string;
  readonly stderr: string;
  waitFor(pred: (out: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(
  o: { mode?: WatchMode; backend?: TestBackendOptions; pollingIntervalMs?: number; kubectlBin?: string } = {},
): Promise<Stack> {
  const bin = o.kubectlBin ?? "kubectl";
  const backend = await startTestBackend(o.backend);
  const metrics = createApiServerMetrics();
  const client = createBackendClient(backend.url, metrics.observeBackendCall);
  const watch = createWatchHub({
    backend: client,
    mode: o.mode ?? "streaming",
    streamingEnabled: true,
    pollingIntervalMs: o.pollingIntervalMs ?? 200,
    streamReconnectDelayMs: 50,
    cacheCapacity: 4096,
    onDeliveryLatency: metrics.onDeliveryLatency,
    onFlush: metrics.onFlush,
  });
  metrics.attach(watch);
  const api = await startApiServer("127.0.0.1", 0, { backend: client, watch, metrics });
  const dir = mkdtempSync(join(tmpdir(), "netguard-kubectl-"));
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: netguard",
      "  cluster:",
      `    server: ${api.url}`,
      "contexts:",
      "- name: netguard",
      "  context: {cluster: netguard, user: netguard, namespace: shop}",
      "current-context: netguard",
      "users:",
      "- name: netguard",
      "  user: {}",
      "",
    ].join("\n"),
  );
  const baseEnv = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } as Record<string, string>;
  const common = (args: string[]) => ["--cache-dir", join(dir, "cache"), ...args];
  const children = new Set<ChildProcess>();
  return {
    backend,
    client,
    api,
    metrics,
    dir,
    kubeconfig,
    kubectl(args, opts = {}) {
      return new Promise((resolve) => {
        const child = spawn(bin, common(args), { env: { ...baseEnv, ...(opts.env ?? {}) }, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout, stderr });
        });
        child.stdin.end(opts.input ?? "");
      });
    },
    kubectlBackground(args) {
      const child = spawn(bin, common(args), { env: baseEnv, stdio: ["ignore", "pipe", "pipe"] });
      children.add(child);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<void>((r) => child.on("close", () => r()));
      return {
        get stdout() {
          return stdout;
        },
        get stderr() {
          return stderr;
        },
        async waitFor(pred, timeoutMs = 15_000) {
          const deadline = Date.now() + timeoutMs;
          while (!pred(stdout)) {
            if (Date.now() > deadline) throw new Error(`kubectl output did not match in time:\n${stdout}\nstderr:\n${stderr}`);
            await new Promise((r) => setTimeout(r, 25));
          }
          return stdout;
        },
        async stop() {
          child.kill("SIGTERM");
          await exited;
          children.delete(child);
        },
      };
    },
    async close() {
      for (const c of children) c.kill("SIGKILL");
      await api.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
