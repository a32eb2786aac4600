import { performance } from "node:perf_hooks";
import { realTimers, type TimerHandle, type Timers } from "../timers.js";
import type { EngineOptions } from "./options.js";

/** What the schedule calls when a session's ping interval has elapsed. */
export interface PingTarget {
  _pingDue(): void;
}

/**
 * One timer for the ping intervals of many sessions, instead of a Node Timeout, a closure and its context per
 * session (about 0.2 KB each, and idle sessions are mostly this timer). Every session of an engine waits the
 * same interval, so deadlines arrive in the order sessions were (re)scheduled: a Map in insertion order is the
 * queue, and the single timer is armed for its head. A session is due exactly when its own timer would have
 * fired; rescheduling (a pong) moves it to the back.
 */
export class PingSchedule {
  private readonly due = new Map<PingTarget, number>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly interval: number,
    private readonly now: () => number,
  ) {}

  /** Number of sessions waiting (for tests). */
  get size(): number {
    return this.due.size;
  }

  /** (Re)starts `target`'s interval from now. */
  add(target: PingTarget): void {
    this.due.delete(target);
    const at = this.now() + this.interval;
    this.due.set(target, at);
    if (this.timer === undefined) this.arm(at);
  }

  remove(target: PingTarget): void {
    if (!this.due.delete(target) || this.due.size > 0 || this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(at: number): void {
    this.timer = this.timers.setTimeout(this.fire, Math.max(0, at - this.now()));
  }

  // Deleting the visited entry (or another one, when a ping closes a session) is safe while iterating a Map.
  // Whatever a ping does (even throw), the timer is re-armed for the new head afterwards.
  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.now();
    try {
      for (const [target, at] of this.due) {
        if (at > now) break;
        this.due.delete(target);
        target._pingDue();
      }
    } finally {
      if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
      this.timer = undefined;
      for (const at of this.due.values()) {
        this.arm(at);
        break;
      }
    }
  };
}

const schedules = new WeakMap<EngineOptions, PingSchedule>();

/**
 * The shared schedule of an engine (keyed by its options object), or undefined when the engine runs on injected
 * timers: those tests drive each session's own timer, and the Timers interface has no clock to share.
 */
export function pingScheduleOf(options: EngineOptions): PingSchedule | undefined {
  if (options.timers !== realTimers) return undefined;
  let schedule = schedules.get(options);
  if (!schedule) {
    schedule = new PingSchedule(realTimers, options.pingInterval, () => Math.ceil(performance.now()));
    schedules.set(options, schedule);
  }
  return schedule;
}
