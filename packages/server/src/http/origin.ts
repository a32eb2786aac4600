import type { IncomingMessage } from "node:http";
import { matchAny, type OriginMatcher } from "./cors.js";

/** Exact origins / whole-match RegExps, or a predicate. */
export type OriginAllowList = OriginMatcher[] | ((origin: string, req: IncomingMessage) => boolean);

/**
 * The Origin check that also guards WebSocket upgrades. A request WITHOUT an Origin header passes (it does not
 * come from a browser page, so there is no cross-site page to defend against); a present Origin must be on
 * the list. `Origin: null` (sandboxed iframes, file:// pages, some redirects) is just the string "null": it
 * passes only when "null" is listed — a RegExp like /.*\/ is not consulted for it.
 */
export function isOriginAllowed(list: OriginAllowList, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (typeof list === "function") {
    try {
      return list(origin, req) === true;
    } catch {
      return false;
    }
  }
  if (origin === "null") return list.includes("null");
  return matchAny(list, origin);
}
