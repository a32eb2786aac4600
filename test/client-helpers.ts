// Shared helpers for the client tests (not a test file itself).
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
