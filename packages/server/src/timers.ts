/** An opaque timer handle as returned by {@link Timers.setTimeout}. */
export type TimerHandle = unknown;

/**
 * The clock the engine uses for heartbeats, upgrade timeouts and close delays. Injected so tests can drive
 * time without sleeping; the default is the global timer functions.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/**
 * A manual clock for tests: nothing fires until {@link ManualTimers.advance} moves time forward. Timers due at
 * the same instant fire in the order they were scheduled.
 */
export class ManualTimers implements Timers {
  private now = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void; every: number }>();

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + Math.max(0, ms), fn, every: 0 });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    const every = Math.max(1, ms);
    this.pending.set(id, { at: this.now + every, fn, every });
    return id;
  }

  clearInterval(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  /** Number of scheduled timers (a closed engine must leave 0). */
  get size(): number {
    return this.pending.size;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due, in time order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const [id, t] of this.pending) {
        if (t.at <= target && t.at < nextAt) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId < 0) break;
      const timer = this.pending.get(nextId)!;
      this.now = timer.at;
      if (timer.every > 0) timer.at += timer.every;
      else this.pending.delete(nextId);
      timer.fn();
    }
    this.now = target;
  }
}
