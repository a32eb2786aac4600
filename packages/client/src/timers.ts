/**
 * The clock the client uses for every delay (heartbeat watchdog, backoff, ack and request timeouts). Tests inject
 * a manual clock so fault scenarios run in milliseconds; every handle is cleared on close so a Node process exits
 * by itself.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The host's timers. Looked up on every call so that fake-timer libraries patching globals still work. */
export const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs `fn` after the current task. A microtask where Promise exists: background tabs throttle setTimeout to once a
 * second, which would cap a WebSocket at one flush per second.
 */
export function nextTick(fn: () => void, timers: Timers): void {
  const P = (globalThis as { Promise?: PromiseConstructor }).Promise;
  if (typeof P === "function") P.resolve().then(fn);
  else timers.setTimeout(fn, 0);
}
