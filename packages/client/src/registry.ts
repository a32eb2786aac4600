import { PollingFetch } from "./transports/polling-fetch.js";
import { PollingJsonp } from "./transports/polling-jsonp.js";
import { hasCorsXhr, PollingXhr } from "./transports/polling-xhr.js";
import { canStream, Streaming } from "./transports/streaming.js";
import type { Transport, TransportOptions } from "./transports/transport.js";
import { WebSocketTransport, webSocketConstructor } from "./transports/websocket.js";

/** How the session makes a transport by name. */
export interface TransportFactory {
  /** Higher is better: the session upgrades towards the highest rank the server offers. */
  rank: number;
  /** False when this environment cannot run the transport at all (it is then skipped, never tried). */
  available(opts: TransportOptions): boolean;
  create(opts: TransportOptions): Transport;
}

function isCrossOrigin(opts: TransportOptions): boolean {
  const loc = (globalThis as { location?: { hostname: string; port: string; protocol: string } }).location;
  if (!loc) return false;
  const port = loc.port || (loc.protocol === "https:" ? "443" : "80");
  return loc.hostname !== opts.hostname || port !== opts.port || (loc.protocol === "https:") !== opts.secure;
}

const polling: TransportFactory = {
  rank: 1,
  available: () =>
    typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest === "function" ||
    typeof (globalThis as { fetch?: unknown }).fetch === "function" ||
    typeof (globalThis as { document?: unknown }).document === "object",
  create(opts) {
    const hasXhr = typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest === "function";
    const hasDoc = typeof (globalThis as { document?: unknown }).document === "object";
    if (hasDoc && (opts.forceJSONP || (opts.jsonp && hasXhr && isCrossOrigin(opts) && !hasCorsXhr()))) {
      return new PollingJsonp(opts);
    }
    if (hasXhr) return new PollingXhr(opts);
    if (typeof (globalThis as { fetch?: unknown }).fetch === "function") return new PollingFetch(opts);
    return new PollingJsonp(opts);
  },
};

const streaming: TransportFactory = { rank: 2, available: canStream, create: (opts) => new Streaming(opts) };

const websocket: TransportFactory = {
  rank: 3,
  available: (opts) => !!webSocketConstructor(opts),
  create: (opts) => new WebSocketTransport(opts),
};

/**
 * Every transport the client knows, by its Engine.IO name. Adding a transport is one file under transports/ and
 * one line here.
 */
export const transports: { [name: string]: TransportFactory | undefined } = {
  polling,
  streaming,
  websocket,
};
