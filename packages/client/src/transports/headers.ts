import { assign } from "../url.js";
import type { TransportOptions } from "./transport.js";

// Request headers set by the client itself (fetch polling, the fetch streaming reader, the `ws` handshake): the
// user's extraHeaders, and outside browsers the session's cookies (cookie-jar.ts). Browsers send their own cookies;
// there `cookieJar` is null.

/** The headers of a request to `url`: the user's extraHeaders plus the session's cookies for it. */
export function requestHeaders(o: TransportOptions, url: string): Record<string, string> {
  const headers: Record<string, string> = assign({}, o.extraHeaders);
  const cookie = o.cookieJar ? o.cookieJar.header(url) : "";
  if (cookie) headers.cookie = cookie;
  return headers;
}

/** Keeps a fetch response's cookies in the session's jar, if it has one. */
export function keepCookies(o: TransportOptions, url: string, res: { headers: unknown }): void {
  const h = res.headers as { getSetCookie?: () => string[] };
  if (o.cookieJar && typeof h.getSetCookie === "function") o.cookieJar.store(url, h.getSetCookie());
}
