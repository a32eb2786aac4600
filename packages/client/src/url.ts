/** The parts of a server URL the client needs. `URL` is absent in the legacy targets, hence a small parser. */
export interface ParsedUrl {
  /** "http" | "https" | "ws" | "wss" (relative URLs take the page's). */
  protocol: string;
  hostname: string;
  port: string;
  /** Path without the query; "/" when empty. */
  path: string;
  /** Raw query string without "?". */
  query: string;
  secure: boolean;
  /** protocol://host:port — the key under which io() caches managers. */
  id: string;
}

interface LocationLike {
  protocol: string;
  host: string;
}

// scheme://[userinfo@]host[:port][path][?query]: the port is a trailing ":digits" of the authority (so
// "[::1]:80" splits after the bracket), and the host ends where the path, query or fragment starts.
const URL_RE = /^([^:]+):\/\/(?:[^/?#]*@)?([^/?#]*?)(?::(\d*))?(?=[/?#]|$)([^?#]*)(?:\?([^#]*))?/;

/**
 * Parses `uri` relative to `loc` (the page location in browsers). Accepts absolute URLs, protocol-relative
 * `//host/path`, bare `host:port/path` and path-only `/nsp`.
 */
export function parseUrl(uri: string | undefined, loc?: LocationLike | null): ParsedUrl {
  let text = uri == null ? "" : String(uri);
  const scheme = loc ? loc.protocol.replace(/:$/, "") : "https";
  // Empty or a path: the page's origin. Otherwise give it a scheme (the page's) unless it has one.
  if (!text || /^\/(?!\/)/.test(text)) text = (loc ? scheme + "://" + loc.host : "http://localhost") + text;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    text = scheme + (text.slice(0, 2) === "//" ? ":" : "://") + text;
  const m = URL_RE.exec(text)!;
  const protocol = m[1]!.toLowerCase();
  const secure = protocol === "https" || protocol === "wss";
  const port = m[3] || (secure ? "443" : "80");
  let host = m[2]!;
  if (host.indexOf(":") >= 0 && host.charAt(0) !== "[") host = "[" + host + "]";
  return {
    protocol,
    hostname: host,
    port,
    path: m[4] || "/",
    query: m[5] || "",
    secure,
    id: protocol + "://" + host + ":" + port,
  };
}

/** Parses `a=1&b=2` into an object (null prototype is not available everywhere; keys are own properties). */
export function decodeQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = qs.split("&");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    // Without "=" the key is the whole part and the value empty.
    const eq = (part + "=").indexOf("=");
    if (part) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

/** Serialises a query object; keys in insertion order. */
export function encodeQuery(obj: Record<string, string | number | boolean | undefined>): string {
  let out = "";
  for (const key in obj) {
    if (!hasOwn(obj, key)) continue;
    const value = obj[key];
    if (value === undefined) continue;
    if (out) out += "&";
    out += encodeURIComponent(key) + "=" + encodeURIComponent(String(value));
  }
  return out;
}

// Object.hasOwn and Object.assign are absent in the legacy targets; keep the ES3 method (Biome's autofix would
// turn `Object.prototype.hasOwnProperty.call` into Object.hasOwn).
const ownProperty = Object.prototype.hasOwnProperty;

/** True when `key` is an own property of `obj` (Object.hasOwn for the legacy targets). */
export function hasOwn(obj: object, key: string): boolean {
  return ownProperty.call(obj, key);
}

/** Copies own enumerable properties of `src` onto `target` (Object.assign for the legacy targets). */
export function assign<T extends object>(target: T, src?: object | null, more?: object | null): T {
  for (const key in src)
    if (hasOwn(src, key)) (target as Record<string, unknown>)[key] = (src as Record<string, unknown>)[key];
  return more ? assign(target, more) : target;
}
