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
