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
  let options: IoOptions;
  if (typeof uri === "object") {
    options = uri;
    url = undefined;
  } else {
    url = uri;
    options = opts || {};
  }
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  const parsed = parseUrl(url, loc);
  const path = options.path || "/socket.io";
  const id = parsed.id + path;
  const existing = cache[id];
  const sameNamespace = !!existing && !!existing.nsps[parsed.path];
  const newConnection = options.forceNew || options.multiplex === false || sameNamespace;
  const base = parsed.protocol + "://" + parsed.hostname + ":" + parsed.port;
  let manager: Manager;
  if (newConnection) {
    manager = new Manager(base, withQuery(options, parsed.query));
  } else {
    manager = existing || new Manager(base, withQuery(options, parsed.query));
    cache[id] = manager;
  }
  return manager.socket(parsed.path, options);
}

function withQuery(options: IoOptions, query: string): IoOptions {
  if (!query || options.query) return options;
  return assign({}, options, { query });
}
