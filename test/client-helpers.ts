// Shared helpers for the client tests (not a test file itself).
import { spawn } from "node:child_process";
import type { Timers } from "@ladder/client";

/** Resolves on the first `event` of `emitter` (any emitter with once). */
export function once<T extends unknown[] = unknown[]>(
  emitter: { once(event: string, fn: (...args: unknown[]) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => {
    emitter.once(event, (...args: unknown[]) => resolve(args as T));
  });
}

/** Polls `check` until true (a deadline, not a timing assertion: fails only when the thing never happens). */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A clock for fault tests: delays of 0 ms (the client's "next tick") run on the real event loop, every longer
 * delay waits until the test calls advance(). So heartbeat/probe/backoff timeouts happen exactly when the test
 * says, while I/O proceeds normally.
 */
export class TestClock implements Timers {
  now = 0;
  private seq = 0;
  private pending: Array<{ id: number; at: number; fn: () => void }> = [];

  setTimeout(fn: () => void, ms: number): unknown {
    if (ms <= 0) return setTimeout(fn, 0);
    const id = ++this.seq;
    this.pending.push({ id, at: this.now + ms, fn });
    return { id };
  }

  clearTimeout(handle: unknown): void {
    if (handle && typeof handle === "object" && "id" in handle) {
      const id = (handle as { id: number }).id;
      this.pending = this.pending.filter((t) => t.id !== id);
    } else clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  /** Delays currently scheduled (ms from now), for assertions on backoff. */
  scheduled(): number[] {
    return this.pending.map((t) => t.at - this.now);
  }

  /** Moves the clock forward, running due timers in order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.pending.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = target;
  }
}

/**
 * Runs `code` (an ES module importing `@ladder/client`) in a fresh Node process with `env` added and returns its
 * exit and output. The process is killed after 10 s: a deadline, not a timing assertion — a leaked handle (timer,
 * socket, request) keeps it alive, and then `signal` is "SIGKILL".
 */
export async function runClientProcess(
  code: string,
  env: Record<string, string>,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    cwd: new URL(".", import.meta.url).pathname,
    env: { ...process.env, ...env },
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const [exitCode, signal] = await once<[number | null, string | null]>(child, "exit");
  clearTimeout(timer);
  return { code: exitCode, signal, out };
}
