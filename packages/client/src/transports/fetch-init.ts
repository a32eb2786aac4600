import { assign } from "../url.js";
import type { TransportOptions } from "./transport.js";

// What the client puts on its own HTTP requests. Headers (fetch polling, the fetch streaming reader, the `ws`
// handshake): the user's extraHeaders and, outside browsers, the session's cookies (cookie-jar.ts; browsers send
// their own, there `cookieJar` is null). And the one fetch() init of polling and streaming requests alike.

/**
 * The headers of a request to `url`: the user's extraHeaders plus the session's cookies for it (after a Cookie
 * header the user gave, whatever its case).
 */
export function requestHeaders(o: TransportOptions, url: string): Record<string, string> {
  const headers: Record<string, string> = assign({}, o.extraHeaders);
  const cookie = o.cookieJar ? o.cookieJar.header(url) : "";
  if (cookie) {
    let name = "cookie";
    for (const key in headers) if (key.toLowerCase() === "cookie") name = key;
    headers[name] = headers[name] ? headers[name] + "; " + cookie : cookie;
  }
  return headers;
}

/** Keeps a fetch response's cookies in the session's jar, if it has one. */
export function keepCookies(o: TransportOptions, url: string, res: { headers: unknown }): void {
  const h = res.headers as { getSetCookie?: () => string[] };
  if (o.cookieJar && typeof h.getSetCookie === "function") o.cookieJar.store(url, h.getSetCookie());
}

/** The fetch() init of a polling or streaming request (`body` null for a GET). */
export function fetchInit(
  o: TransportOptions,
  url: string,
  body: string | null,
  signal: unknown,
): Record<string, unknown> {
  const headers = requestHeaders(o, url);
  if (body !== null) headers["content-type"] = "text/plain;charset=UTF-8";
  return {
    method: body === null ? "GET" : "POST",
    headers,
    body,
    credentials: o.withCredentials ? "include" : "same-origin",
    cache: "no-store",
    signal,
    // TLS options and autoUnref in Node (node-tls.ts); fetch ignores an undefined dispatcher.
    dispatcher: o.tls ? o.tls.dispatcher : undefined,
  };
}
