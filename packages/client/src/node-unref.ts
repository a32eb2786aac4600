// `autoUnref` (Node, as socket.io-client's option): nothing of the client keeps the process alive, so it exits when
// nothing else does, even while connected. The fetch connections are the session's undici dispatcher's
// (transports/node-tls.ts); here are the timers and the WebSocket's socket. Browsers have no process to keep: the
// browser bundles replace this file with pass-throughs (scripts/bundle.mjs).
import type { Timers } from "./timers.js";

/** The timers with every handle unref'd where the host has `unref`, when `autoUnref`; otherwise `timers` itself. */
export function unrefTimers(timers: Timers, autoUnref: boolean | undefined): Timers {
  return autoUnref
    ? {
        setTimeout(fn, ms) {
          const handle = timers.setTimeout(fn, ms) as { unref?: () => void } | null;
          if (handle && typeof handle.unref === "function") handle.unref();
          return handle;
        },
        clearTimeout: (handle) => timers.clearTimeout(handle),
      }
    : timers;
}

/** A `ws` WebSocket whose socket is unref'd once connected, when `unref`. */
export function unrefWebSocket<T>(ws: T, unref: boolean | undefined): T {
  if (unref)
    (ws as { once(ev: string, fn: (res: { socket: { unref(): void } }) => void): void }).once(
      "upgrade",
      (res) => res.socket.unref(),
    );
  return ws;
}
