/**
 * Request/reply over a child's stdin/stdout, one JSON object per line, matched by `id`. The helper
 * processes (watch clients, reference server) are driven this way: no extra ports, and a child
 * whose stdin closes knows the benchmark is gone and exits.
 */
import type { Child } from "./launcher.ts";
import { createLineSplitter } from "./line-splitter.ts";

type Pending = { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void };

export class LineChannel {
  private nextId = 1;
  private readonly waiting = new Map<number, Pending>();
  private child: Child | undefined;

  /** Feed the child's stdout here (LaunchOptions.onStdout). */
  readonly onStdout = createLineSplitter((line) => {
    if (!line.startsWith("{")) return;
    const msg = JSON.parse(line) as Record<string, unknown>;
    const id = msg.id as number | undefined;
    const w = id === undefined ? undefined : this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id!);
    if (msg.ok) w.resolve(msg);
    else w.reject(new Error(String(msg.error)));
  });

  /** Binds the started child; pending requests fail if it exits. */
  attach(child: Child): void {
    this.child = child;
    child.process.once("exit", () => {
      for (const w of this.waiting.values()) w.reject(new Error(`${child.name} exited (${child.exit}): ${child.tail()}`));
      this.waiting.clear();
    });
  }

  request<T>(cmd: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.child?.name}: command ${String(cmd.op)} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child!.process.stdin!.write(`${JSON.stringify({ ...cmd, id })}\n`);
    });
  }

  /** Closes stdin (the child exits by itself), then stops its process group. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c) return;
    c.process.stdin?.end();
    if (c.exit === undefined) await Promise.race([new Promise((r) => c.process.once("exit", r)), new Promise((r) => setTimeout(r, 2000))]);
    await c.stop(2000);
  }
}
