import type { SessionHandshake } from "./engine-types.js";

/** What `socket.handshake` holds (the shape socket.io users know). */
export interface Handshake {
  headers: Record<string, string | string[] | undefined>;
  /** Date of creation, as a string. */
  time: string;
  address: string;
  /** An Origin header was present. */
  xdomain: boolean;
  secure: boolean;
  /** Date of creation, as a Unix timestamp in ms. */
  issued: number;
  url: string;
  /** Query of the first engine request (`?name=...` in `ws://host/socket.io/?name=...`). */
  query: Record<string, string>;
  /** The CONNECT payload (minus the recovery fields `pid` and `offset`). */
  auth: Record<string, unknown>;
}

export function buildHandshake(engine: SessionHandshake, auth: Record<string, unknown>): Handshake {
  return {
    headers: engine.headers,
    time: engine.time,
    address: engine.address,
    xdomain: engine.xdomain,
    secure: engine.secure,
    issued: engine.issued,
    url: engine.url,
    query: engine.query,
    auth,
  };
}
