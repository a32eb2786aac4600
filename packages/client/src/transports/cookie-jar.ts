// The session's cookies outside browsers. A browser keeps cookies itself (and the browser bundles replace this
// file with "no jar": scripts/bundle.mjs; bundlers of dist/ get tough-cookie mapped away by package.json
// "browser"). In Node, fetch and `ws` keep none, so a load balancer's sticky-session cookie set on the handshake
// would not come back and the next request could land on a node that does not know the session. With
// `withCredentials` (as socket.io-client does), a session keeps a cookie jar: every polling and streaming response's
// Set-Cookie goes in, every request and the WebSocket handshake carry the matching Cookie header. The jar is
// tough-cookie's (RFC 6265 domain, path, expiry and Secure rules).
import * as tough from "tough-cookie";
import type { CookieJarLike } from "./transport.js";

/**
 * A new jar for a session with `withCredentials` outside browsers; null in a browser (it has its own cookies), where
 * tough-cookie is not available (a browser build mapped it away) or without `withCredentials`.
 */
export function createCookieJar(withCredentials: boolean): CookieJarLike | null {
  const Jar = (tough as { CookieJar?: typeof tough.CookieJar }).CookieJar;
  if (!withCredentials || typeof Jar !== "function") return null;
  if (typeof (globalThis as { document?: unknown }).document !== "undefined") return null;
  const jar = new Jar();
  return {
    header: (url) => jar.getCookieStringSync(url),
    store(url, setCookies) {
      for (let i = 0; i < setCookies.length; i++) {
        try {
          jar.setCookieSync(setCookies[i]!, url);
        } catch {
          // A cookie the rules reject (bad domain, malformed) is ignored, as a browser would.
        }
      }
    },
  };
}
