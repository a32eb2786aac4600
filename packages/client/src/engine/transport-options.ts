import { unrefTimers } from "../node-unref.js";
import { defaultTimers } from "../timers.js";
import { createCookieJar } from "../transports/cookie-jar.js";
import { nodeTls } from "../transports/node-tls.js";
import type { TransportOptions } from "../transports/transport.js";
import { assign, decodeQuery, hasOwn, parseUrl } from "../url.js";
import type { EngineOptions } from "./options.js";

/** The options every transport of a session shares; the user's other options ride along (the session reads them). */
export type SessionOptions = TransportOptions & Omit<EngineOptions, keyof TransportOptions>;

/**
 * Resolves an {@link EngineSocket}'s URL and options into the options every transport of the session shares:
 * host, port and path from the URL unless overridden, the query (URL's, then the user's, then EIO=4), defaults.
 */
export function transportOptions(uri: string | undefined, o: EngineOptions): SessionOptions {
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  const url = parseUrl(uri, loc);
  const secure = o.secure !== undefined ? o.secure : url.secure;
  let path = (o.path || "/engine.io").replace(/\/$/, "");
  if (o.addTrailingSlash !== false) path += "/";
  const query = decodeQuery(url.query);
  const userQuery = typeof o.query === "string" ? decodeQuery(o.query) : o.query;
  if (userQuery) for (const key in userQuery) if (hasOwn(userQuery, key)) query[key] = String(userQuery[key]);
  query.EIO = "4";
  // The user's options as given (WebSocket, wsOptions, extraHeaders, protocols, streamingTimeout...), then the
  // resolved and defaulted ones.
  return assign({} as SessionOptions, o, {
    hostname: o.hostname || url.hostname,
    port:
      o.port !== undefined
        ? String(o.port)
        : o.secure !== undefined && !uri
          ? secure
            ? "443"
            : "80"
          : url.port,
    secure,
    path,
    query,
    timers: unrefTimers(o.timers || defaultTimers, o.autoUnref),
    withCredentials: !!o.withCredentials,
    forceBase64: !!o.forceBase64,
    timestampRequests: o.timestampRequests !== false,
    timestampParam: o.timestampParam || "t",
    requestTimeout: o.requestTimeout || 0,
    forceJSONP: !!o.forceJSONP,
    jsonp: o.jsonp !== false,
    // Outside browsers, with withCredentials, the session keeps its cookies itself (sticky sessions; cookie-jar.ts).
    cookieJar: createCookieJar(!!o.withCredentials),
    tls: nodeTls(o as Record<string, unknown>),
  });
}
