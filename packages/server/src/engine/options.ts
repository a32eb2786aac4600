import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { SetCookie } from "cookie";
import type { PerMessageDeflateOptions } from "ws";
import type { CorsOptions } from "../http/cors.js";
import type { OriginAllowList } from "../http/origin.js";
import { realTimers, type Timers } from "../timers.js";
import type { UnknownSessionHandler } from "./unknown-session.js";

/** Result of {@link EngineOptions.allowRequest}: `true` lets the handshake through; anything else refuses it. */
export type AllowRequestResult = boolean | { allowed: boolean; message?: string };

/** Cookie set on the handshake response; `name` defaults to `io`. */
export interface EngineCookieOptions extends Omit<SetCookie, "name" | "value"> {
  name?: string;
}

/** Options of an {@link Engine}. Every field has the reference (engine.io 6.6) default unless noted. */
export interface EngineOptions {
  /** Interval between server pings, ms. Default 25000. */
  pingInterval: number;
  /** How long the client has to answer a ping with a pong, ms. Default 20000. */
  pingTimeout: number;
  /** How long a polling → websocket upgrade may take, ms. Default 10000. */
  upgradeTimeout: number;
  /** Largest accepted HTTP body / WebSocket message, bytes (`maxPayload` in the handshake). Default 1e6. */
  maxHttpBufferSize: number;
  /**
   * Transports allowed for handshakes and upgrades. Default `["polling", "websocket", "streaming"]`: streaming is
   * a Ladder extension that only clients asking for it (`ladder=1`, see PROTOCOL.md) are offered, so official
   * clients see exactly the reference handshake either way.
   */
  transports: string[];
  /** Whether polling sessions may upgrade. Default true. */
  allowUpgrades: boolean;
  /**
   * Decides whether a NEW session may be created (runs once per handshake, not for later requests of a
   * session). Resolve `true` to accept; `false` or `{ allowed: false, message }` answers 403 / code 4.
   */
  allowRequest: ((req: IncomingMessage) => AllowRequestResult | Promise<AllowRequestResult>) | undefined;
  /** CORS for HTTP (polling) requests; off unless set. */
  cors: CorsOptions | false;
  /**
   * Origin allow-list applied to EVERY request including WebSocket upgrades (browsers do not apply CORS to
   * WebSocket, so this is the guard against cross-site WebSocket hijacking). Requests without an Origin header
   * (non-browser clients) pass; `Origin: null` is refused unless `"null"` is listed. Off unless set.
   */
  allowedOrigins: OriginAllowList | undefined;
  /** Set a session cookie on the handshake. Default false; `true` means `{ name: "io", path: "/", httpOnly, sameSite: "lax" }`. */
  cookie: EngineCookieOptions | boolean;
  /** gzip/deflate for polling responses at or above `threshold` bytes; `false` disables. Default `{ threshold: 1024 }`. */
  httpCompression: { threshold: number; level?: number } | false;
  /** ws permessage-deflate. Default false. */
  perMessageDeflate: PerMessageDeflateOptions | boolean;
  /** Engine.IO v3 clients are not supported: must stay false (a v3 request is refused with code 5). */
  allowEIO3: false;
  /** Session id generator; default 16 random bytes (128 bits) from the CSPRNG, base64url. */
  generateId: (req: IncomingMessage) => string | Promise<string>;
  /**
   * Bound of a session's write buffer (packets queued while the transport cannot take them, e.g. between two
   * polls or while a WebSocket is congested). When a non-volatile packet would exceed it the session closes with
   * reason `"buffer overflow"`; volatile packets are never buffered at all. Ladder addition; default 10000.
   */
  maxBufferedPackets: number;
  /**
   * Byte budget of one streaming response: past it the server ends the response at a part boundary and the
   * client reopens it on the same sid. Ladder addition; default 131072 (128 KiB).
   */
  streamingResponseLimit: number;
  /** How long a polling transport waits for a GET to deliver a pending close packet, ms. Default 30000. */
  closeTimeout: number;
  /** The clock; inject {@link ManualTimers} in tests. */
  timers: Timers;
  /**
   * Cluster hook for a request or upgrade whose sid this engine does not hold (see unknown-session.ts); e.g. a
   * session router forwarding it to the owner node, so no sticky sessions are needed. Off unless set.
   */
  unknownSession: UnknownSessionHandler | undefined;
}

/** Default session id: 128 bits from the CSPRNG, base64url (22 characters). */
export function defaultGenerateId(): string {
  return randomBytes(16).toString("base64url");
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  pingInterval: 25000,
  pingTimeout: 20000,
  upgradeTimeout: 10000,
  maxHttpBufferSize: 1e6,
  transports: ["polling", "websocket", "streaming"],
  allowUpgrades: true,
  allowRequest: undefined,
  cors: false,
  allowedOrigins: undefined,
  cookie: false,
  httpCompression: { threshold: 1024 },
  perMessageDeflate: false,
  allowEIO3: false,
  generateId: defaultGenerateId,
  maxBufferedPackets: 10000,
  streamingResponseLimit: 128 * 1024,
  closeTimeout: 30000,
  timers: realTimers,
  unknownSession: undefined,
});

/** Merges user options over the defaults and validates the ones whose misuse would be a silent bug. */
export function resolveOptions(user: Partial<EngineOptions> = {}): EngineOptions {
  const opts: EngineOptions = { ...DEFAULT_ENGINE_OPTIONS, ...stripUndefined(user) };
  if ((opts.allowEIO3 as boolean) !== false) {
    throw new TypeError("allowEIO3 is not supported: Ladder speaks Engine.IO v4 only");
  }
  for (const key of ["pingInterval", "pingTimeout", "upgradeTimeout", "maxHttpBufferSize"] as const) {
    if (!(Number.isFinite(opts[key]) && opts[key] >= 0))
      throw new TypeError(`${key} must be a non-negative number`);
  }
  opts.transports = [...opts.transports];
  if (opts.httpCompression === (true as unknown)) opts.httpCompression = { threshold: 1024 };
  return opts;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
