import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Query } from "../transports/transport.js";

/**
 * What later layers need to know about the request that opened a session. Plain data copied out of the
 * first request: the engine never retains the IncomingMessage (nor its socket or buffers).
 */
export interface HandshakeInfo {
  headers: Record<string, string | string[] | undefined>;
  /** Parsed from the first request's URL (null-prototype object). */
  query: Record<string, string>;
  /** Remote address. */
  address: string;
  /** The first request's URL (path + query). */
  url: string;
  /** The connection is TLS. */
  secure: boolean;
  /** An Origin header was present. */
  xdomain: boolean;
  /** Date.now() at handshake. */
  issued: number;
  /** `new Date(issued).toString()`. */
  time: string;
}

export function createHandshakeInfo(req: IncomingMessage, query: Query): HandshakeInfo {
  const issued = Date.now();
  // A spread copy: own data properties only (a "__proto__" header becomes a plain key, never a prototype), and
  // a compact fast-mode object rather than a dictionary — this record lives as long as the session.
  const headers: Record<string, string | string[] | undefined> = { ...req.headers };
  return {
    headers,
    query,
    address: req.socket?.remoteAddress ?? "",
    url: req.url ?? "",
    secure: (req.socket as TLSSocket | undefined)?.encrypted === true,
    xdomain: req.headers.origin !== undefined,
    issued,
    time: new Date(issued).toString(),
  };
}
