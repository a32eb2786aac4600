import type { IncomingMessage, ServerResponse } from "node:http";

/** One allowed origin: an exact string (`"https://app.example"`), or a RegExp that must match the WHOLE origin. */
export type OriginMatcher = string | RegExp;

/**
 * CORS settings for HTTP (polling) requests. Off unless given. Written in-house rather than with the `cors`
 * package because the rules we need are stricter than its defaults: an unlisted origin is never reflected,
 * RegExps are treated as anchored even when the author forgot `^…$`, and `*` is never sent with credentials.
 */
export interface CorsOptions {
  /**
   * `"*"` (any origin, only without credentials), one matcher, a list of matchers, or a function deciding per
   * origin. `true` is NOT accepted: reflecting every origin is how CORS misconfigurations happen.
   */
  origin: "*" | OriginMatcher | OriginMatcher[] | ((origin: string, req: IncomingMessage) => boolean);
  credentials?: boolean;
  methods?: string[];
  allowedHeaders?: string[];
  exposedHeaders?: string[];
  /** Preflight cache lifetime, seconds. */
  maxAge?: number;
}

/** True when `matcher` accepts `origin` completely (a RegExp must match from the first to the last character). */
export function matchOrigin(matcher: OriginMatcher, origin: string): boolean {
  if (typeof matcher === "string") return matcher === origin;
  matcher.lastIndex = 0;
  const m = matcher.exec(origin);
  matcher.lastIndex = 0;
  return m !== null && m.index === 0 && m[0].length === origin.length;
}

export function matchAny(list: OriginMatcher | OriginMatcher[], origin: string): boolean {
  if (!Array.isArray(list)) return matchOrigin(list, origin);
  for (const m of list) if (matchOrigin(m, origin)) return true;
  return false;
}

/**
 * Adds CORS response headers for `req`. Returns true when the request was a preflight and has been answered
 * (204) — the caller must then stop. An origin that is not allowed simply gets no CORS headers (the browser
 * blocks the response); the request itself is still served, as CORS is a browser-side read permission.
 */
export function applyCors(options: CorsOptions, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  let allowOrigin: string | undefined;
  if (options.origin === "*" && !options.credentials) {
    allowOrigin = "*";
  } else if (typeof origin === "string") {
    const ok =
      typeof options.origin === "function"
        ? safeCall(options.origin, origin, req)
        : options.origin !== "*" && matchAny(options.origin, origin);
    // "*" with credentials degrades to "no origin allowed" rather than to reflection.
    if (ok) allowOrigin = origin;
  }
  if (allowOrigin !== undefined) {
    res.setHeader("Access-Control-Allow-Origin", allowOrigin);
    if (allowOrigin !== "*") res.setHeader("Vary", "Origin");
    if (options.credentials) res.setHeader("Access-Control-Allow-Credentials", "true");
    if (options.exposedHeaders?.length) {
      res.setHeader("Access-Control-Expose-Headers", options.exposedHeaders.join(","));
    }
  }
  if (req.method !== "OPTIONS") return false;
  if (allowOrigin !== undefined) {
    res.setHeader(
      "Access-Control-Allow-Methods",
      (options.methods ?? ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]).join(","),
    );
    const requested = req.headers["access-control-request-headers"];
    const headers =
      options.allowedHeaders?.join(",") ?? (typeof requested === "string" ? requested : undefined);
    if (headers) res.setHeader("Access-Control-Allow-Headers", headers);
    if (options.maxAge !== undefined) res.setHeader("Access-Control-Max-Age", String(options.maxAge));
  }
  res.setHeader("Content-Length", "0");
  res.writeHead(204);
  res.end();
  return true;
}

function safeCall(
  fn: (origin: string, req: IncomingMessage) => boolean,
  origin: string,
  req: IncomingMessage,
): boolean {
  try {
    return fn(origin, req) === true;
  } catch {
    return false;
  }
}
