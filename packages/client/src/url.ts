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

const URL_RE = /^(?:([a-z][a-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/i;

function defaultPort(protocol: string): string {
  return protocol === "https" || protocol === "wss" ? "443" : "80";
}

/**
 * Parses `uri` relative to `loc` (the page location in browsers). Accepts absolute URLs, protocol-relative
 * `//host/path`, bare `host:port/path` and path-only `/nsp`.
 */
export function parseUrl(uri: string | undefined, loc?: LocationLike | null): ParsedUrl {
  let text = uri === undefined || uri === null ? "" : String(uri);
  const base = loc ? loc.protocol.replace(/:$/, "") + "://" + loc.host : "http://localhost";
  if (text === "") text = base;
  else if (text.charAt(0) === "/" && text.charAt(1) === "/") text = (loc ? loc.protocol : "https:") + text;
  else if (text.charAt(0) === "/") text = base + text;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    text = (loc ? loc.protocol.replace(/:$/, "") : "https") + "://" + text;
  const m = URL_RE.exec(text)!;
  const protocol = (m[1] || "http").toLowerCase();
  let authority = m[2] || "";
  const at = authority.lastIndexOf("@");
  if (at >= 0) authority = authority.slice(at + 1);
  let hostname = authority;
  let port = "";
  const portMatch = /:(\d*)$/.exec(authority);
  if (portMatch && (authority.charAt(0) !== "[" || authority.indexOf("]") < portMatch.index)) {
    hostname = authority.slice(0, portMatch.index);
    port = portMatch[1]!;
  }
  if (!port) port = defaultPort(protocol);
  const secure = protocol === "https" || protocol === "wss";
  const host = hostname.indexOf(":") >= 0 && hostname.charAt(0) !== "[" ? "[" + hostname + "]" : hostname;
  return {
    protocol,
    hostname: host,
    port,
    path: m[3] || "/",
    query: m[4] || "",
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
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    out[key] = value;
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
