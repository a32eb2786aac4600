import type { EnginePacket } from "@ladder/protocol";
import { Emitter } from "../emitter.js";
import { clientError, type LadderClientError } from "../errors.js";
import type { Timers } from "../timers.js";
import { assign, encodeQuery } from "../url.js";
import type { NodeTls } from "./node-tls.js";

/** A WebSocket constructor as the browser or the `ws` package provides it. */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[], options?: Record<string, unknown>): WebSocketLike;
}

/** The part of the W3C WebSocket the websocket transport uses. */
export interface WebSocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

/** What every transport is given; the session builds it once and adds the per-transport query. */
export interface TransportOptions {
  hostname: string;
  port: string;
  secure: boolean;
  /** Engine path with trailing slash, e.g. "/socket.io/". */
  path: string;
  /** EIO, sid and the user's query. */
  query: Record<string, string>;
  timers: Timers;
  withCredentials: boolean;
  extraHeaders?: Record<string, string>;
  forceBase64: boolean;
  timestampRequests: boolean;
  timestampParam: string;
  /** 0 = no timeout. */
  requestTimeout: number;
  /** Force JSONP polling (old browsers cross-origin without CORS). */
  forceJSONP: boolean;
  /** Allow JSONP when XHR cannot go cross-origin. */
  jsonp: boolean;
  /** Injected WebSocket implementation (defaults: `ws` in Node, the global in browsers). */
  WebSocket?: WebSocketConstructor;
  protocols?: string | string[];
  /** Passed to the `ws` constructor in Node (headers, agent, TLS options...). */
  wsOptions?: Record<string, unknown>;
  /** Streaming: ms for the first part to arrive before the path is deemed buffering (0 = never). */
  streamingTimeout?: number;
  /** The session's cookies outside browsers (with `withCredentials`; see cookie-jar.ts); null in browsers. */
  cookieJar?: CookieJarLike | null;
  /** TLS options and autoUnref in Node, and the fetch dispatcher applying them (node-tls.ts); null when none or in browsers. */
  tls?: NodeTls | null;
}

/** What the transports need of a cookie jar. */
export interface CookieJarLike {
  /** The Cookie header value for a request to `url` ("" when none). */
  header(url: string): string;
  /** Keeps the Set-Cookie header values of a response from `url`. */
  store(url: string, setCookies: string[]): void;
}

/** Why a transport closed, for `disconnect` details. */
export interface CloseDetails {
  description: string;
  context?: unknown;
}

/** Events a transport emits towards the session. */
export type TransportEvents = {
  open: [];
  packet: [packet: EnginePacket];
  drain: [];
  error: [err: LadderClientError];
  close: [details?: CloseDetails];
};

/** Lifecycle of a transport. `pausing`/`paused` exist for upgrades: the old transport finishes in-flight I/O. */
export type TransportState = "closed" | "opening" | "open" | "pausing" | "paused";

/**
 * The template every transport fills in (`doOpen`, `doClose`, `write`). The session never asks which transport
 * it holds: the differences are properties — `batches` (several packets per write, so the session caps a write at
 * maxPayload), `writable` + `drain` (one write in flight), and `pause()` (finish in-flight I/O before an upgrade).
 */
export abstract class Transport extends Emitter<TransportEvents> {
  /** The Engine.IO `transport` query value. */
  abstract readonly name: string;
  /** True when one write carries several packets (the session limits a write to maxPayload). */
  readonly batches: boolean = false;
  readyState: TransportState = "closed";
  /** True when a write may start now; a finished write emits `drain`. */
  writable = false;
  protected readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    super();
    this.opts = opts;
  }

  /** Starts connecting; `open` or `error` follows. */
  open(): this {
    this.readyState = "opening";
    this.doOpen();
    return this;
  }

  /** Closes; `close` follows once. */
  close(): this {
    if (this.readyState !== "closed") {
      this.doClose();
      this.onClose();
    }
    return this;
  }

  /** Writes packets; only valid when `writable`. */
  send(packets: EnginePacket[]): void {
    if (this.readyState === "open") this.write(packets);
  }

  /**
   * Lets in-flight I/O finish, then calls `onPause`; after that the transport neither reads nor writes. The
   * default suits transports without requests in flight (a WebSocket).
   */
  pause(onPause: () => void): void {
    this.readyState = "paused";
    onPause();
  }

  /** Undoes {@link Transport.pause} after a failed upgrade: the transport carries the session again. */
  resume(): void {
    if (this.readyState === "pausing" || this.readyState === "paused") this.readyState = "open";
  }

  protected onOpen(): void {
    this.readyState = "open";
    this.writable = true;
    this.emit("open");
  }

  protected onPacket(packet: EnginePacket): void {
    this.emit("packet", packet);
  }

  protected onError(message: string, context?: unknown): void {
    this.emit(
      "error",
      clientError("LADDER_ERR_CLIENT_TRANSPORT", message, { context, type: "TransportError" }),
    );
  }

  protected onClose(details?: CloseDetails): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.writable = false;
    this.emit("close", details);
  }

  /** The request URL for this transport with `schema` (http/https or ws/wss). */
  protected uri(schema: string, extra?: Record<string, string>): string {
    const o = this.opts;
    const query: Record<string, string> = assign({}, o.query);
    query.transport = this.name;
    if (o.forceBase64) query.b64 = "1";
    assign(query, extra);
    const defaultPort = o.secure ? "443" : "80";
    const port = o.port && o.port !== defaultPort ? ":" + o.port : "";
    return schema + "://" + o.hostname + port + o.path + "?" + encodeQuery(query);
  }

  protected abstract doOpen(): void;
  protected abstract doClose(): void;
  protected abstract write(packets: EnginePacket[]): void;
}
