import { Manager, type ManagerOptions } from "./socket/manager.js";
import type { Socket, SocketOptions } from "./socket/socket.js";
import { assign, parseUrl } from "./url.js";

/** Options of {@link io}: manager, engine and socket options together. */
export interface IoOptions extends ManagerOptions, SocketOptions {
  /** A new connection even if one to the same server exists. */
  forceNew?: boolean;
  /** Share one connection between namespaces of the same server. Default true. */
  multiplex?: boolean;
}

// Managers by server (protocol://host:port + path), for multiplexing namespaces over one connection.
const cache: { [id: string]: Manager | undefined } = {};

/**
 * Connects to a Socket.IO server; the URL's path is the namespace (`io("http://host/admin")`). Namespaces of the
 * same server share one connection unless `forceNew` or `multiplex: false`.
 */
export function io(uri?: string | IoOptions, opts?: IoOptions): Socket {
  let url: string | undefined;
  if (typeof uri === "object") opts = uri;
  else url = uri;
  const options = opts || {};
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  const parsed = parseUrl(url, loc);
  const id = parsed.id + (options.path || "/socket.io");
  const existing = cache[id];
  const shared = !options.forceNew && options.multiplex !== false;
  let manager = existing;
  // A second socket for a namespace that already has one needs its own connection too.
  if (!shared || !manager || manager.nsps[parsed.path]) {
    const query = parsed.query;
    manager = new Manager(
      parsed.protocol + "://" + parsed.hostname + ":" + parsed.port,
      !query || options.query ? options : assign({}, options, { query }),
    );
    if (shared && !existing) cache[id] = manager;
  }
  return manager.socket(parsed.path, options);
}
