import type { EngineErrorCode } from "../errors.js";
import { EngineErrorCodes } from "../errors.js";
import { TRANSPORTS, type TransportFactory } from "../transports/registry.js";
import type { Query } from "../transports/transport.js";
import type { EngineOptions } from "./options.js";
import type { Session } from "./session.js";

/** Splits a request URL's query into a null-prototype record (first value wins for repeated keys). */
export function parseQuery(url: string | undefined): Query {
  const query: Query = Object.create(null);
  if (!url) return query;
  const q = url.indexOf("?");
  if (q < 0) return query;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(url.slice(q + 1));
  } catch {
    return query;
  }
  for (const [key, value] of params) if (!(key in query)) query[key] = value;
  return compact(query);
}

/**
 * V8 keeps `Object.create(null)` objects in dictionary mode (about 160 bytes for `EIO` + `transport`), and the
 * handshake's query lives as long as its session. A small query is copied into a fast-mode object whose
 * prototype is then set to null: same null-prototype record, about a third of the size. `__proto__` would
 * hit the accessor while copying, so such a query (and any large one) stays as it is.
 */
function compact(query: Query): Query {
  let n = 0;
  for (const key in query) {
    if (key === "__proto__" || ++n > 8) return query;
  }
  const fast: Query = {};
  for (const key in query) fast[key] = query[key]!;
  return Object.setPrototypeOf(fast, null) as Query;
}

/** Outcome of checking a request against the engine's state. */
export type Verdict =
  | { ok: true; factory: TransportFactory; session: Session | undefined }
  | { ok: false; code: EngineErrorCode; message?: string };

/** A header value Node would refuse to write back, e.g. in a CORS response. */
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Validates a request (HTTP or upgrade) before any state is touched. Early returns, one error code each;
 * hostile values (`transport=__proto__`, `sid=constructor`) are just unknown names: transports come from an
 * allow-list and sessions from a Map, so no prototype property is ever consulted.
 */
export function verifyRequest(
  query: Query,
  method: string | undefined,
  origin: string | undefined,
  upgrade: boolean,
  options: EngineOptions,
  sessions: ReadonlyMap<string, Session>,
): Verdict {
  const name = query.transport;
  const factory = name === undefined ? undefined : TRANSPORTS.get(name);
  if (name === undefined || !factory || !options.transports.includes(name)) {
    return { ok: false, code: EngineErrorCodes.UNKNOWN_TRANSPORT };
  }
  if (origin !== undefined && INVALID_HEADER_CHAR.test(origin)) {
    return { ok: false, code: EngineErrorCodes.BAD_REQUEST };
  }
  if (query.j !== undefined && !/^\d{1,10}$/.test(query.j)) {
    // Never let anything but digits reach a JSONP script.
    return { ok: false, code: EngineErrorCodes.BAD_REQUEST };
  }
  const sid = query.sid;
  if (sid !== undefined) {
    const session = sessions.get(sid);
    if (!session) return { ok: false, code: EngineErrorCodes.UNKNOWN_SID };
    // A request for another transport than the session's is only valid as an upgrade: a WebSocket upgrade, or
    // an HTTP probe of a request-driven transport (streaming), which the engine checks against the session.
    if (!upgrade && session.transport.name !== name && factory.kind !== "request")
      return { ok: false, code: EngineErrorCodes.BAD_REQUEST };
    if (upgrade && factory.kind !== "websocket") return { ok: false, code: EngineErrorCodes.BAD_REQUEST };
    if (query.EIO !== "4") return { ok: false, code: EngineErrorCodes.BAD_REQUEST };
    return { ok: true, factory, session };
  }
  if (method !== "GET") return { ok: false, code: EngineErrorCodes.BAD_HANDSHAKE_METHOD };
  if (upgrade !== (factory.kind === "websocket")) return { ok: false, code: EngineErrorCodes.BAD_REQUEST };
  if (query.EIO !== "4") return { ok: false, code: EngineErrorCodes.UNSUPPORTED_PROTOCOL_VERSION };
  return { ok: true, factory, session: undefined };
}
