import type { Timers } from "../timers.js";
import type { WebSocketConstructor } from "../transports/transport.js";

/** How received binary is handed to the application. */
export type BinaryType = "arraybuffer" | "nodebuffer" | "uint8array";

/** Options of an {@link EngineSocket} (also accepted by `io()` and `LadderSocket`). */
export interface EngineOptions {
  /** Server host name; defaults to the URL's. */
  hostname?: string;
  port?: string | number;
  secure?: boolean;
  /** Engine path; "/engine.io" for a bare engine, "/socket.io" under io(). */
  path?: string;
  /** Append "/" to the path (as the official servers expect). Default true. */
  addTrailingSlash?: boolean;
  /** Extra query parameters sent with every request. */
  query?: Record<string, string | number | boolean> | string;
  /**
   * Transports to use; the first opens the session, the others are climbed to by probes, best first (websocket >
   * streaming > polling). Default ["polling", "websocket", "streaming"]. Listing "streaming" adds `ladder=1` to
   * the requests so a Ladder server offers it.
   */
  transports?: string[];
  /** Probe and upgrade to a better transport after the handshake. Default true. */
  upgrade?: boolean;
  /** Start with the transport the last successful upgrade reached (in this page/process). Default false. */
  rememberUpgrade?: boolean;
  /**
   * Remember per origin (in localStorage, where the page has it) the transport the last session reached and start
   * the next session there; forgotten as soon as it fails. Opt-in; default false.
   */
  rememberTransport?: boolean;
  /**
   * Streaming: how long (ms) the first response may take to deliver its first part before the path is deemed to
   * buffer (a store-and-forward proxy) and streaming is given up. Default 3000; 0 never gives up.
   */
  streamingTimeout?: number;
  /**
   * Options for one transport only, by name, over the others (shallow, as socket.io-client's): e.g.
   * `{ polling: { extraHeaders: { authorization: "…" } } }`, since a browser's WebSocket cannot send headers.
   */
  transportOptions?: { [transport: string]: EngineOptions | undefined };
  /**
   * Browsers: close the transport silently when the page unloads (`beforeunload`), so the server sees the client
   * leave at once. Default false (the event also fires for downloads and cancellable "leave this page?" prompts).
   */
  closeOnBeforeunload?: boolean;
  /** When the first transport fails before the handshake, try the next one in `transports`. Default false. */
  tryAllTransports?: boolean;
  /** Add a cache-busting parameter to HTTP requests. Default true. */
  timestampRequests?: boolean;
  timestampParam?: string;
  /** Send cookies cross-origin (XHR withCredentials / fetch credentials: "include"). Default false. */
  withCredentials?: boolean;
  /** Headers for HTTP requests and (Node) the WebSocket handshake. */
  extraHeaders?: Record<string, string>;
  /** Never send raw binary (sends `b64=1`). Default false. */
  forceBase64?: boolean;
  /** Use JSONP polling even when XHR could do. Default false. */
  forceJSONP?: boolean;
  /** Allow JSONP when XHR cannot go cross-origin. Default true. */
  jsonp?: boolean;
  /** Per-request timeout for polling requests in ms; 0 = none. Default 0. */
  requestTimeout?: number;
  /** Give up an upgrade probe after this many ms. Default 10000. */
  upgradeTimeout?: number;
  /** A WebSocket implementation to use instead of `ws` (Node) / the global (browsers). */
  WebSocket?: WebSocketConstructor;
  protocols?: string | string[];
  /** Options for the `ws` constructor in Node (agent, ...). */
  wsOptions?: Record<string, unknown>;
  /**
   * Node: the connection and the client's timers do not keep the process alive (it exits when nothing else does,
   * even while connected), as socket.io-client's option. Default false.
   */
  autoUnref?: boolean;
  // TLS in Node (as socket.io-client's Node options), for polling, streaming and WebSocket alike; browsers ignore
  // them. E.g. `{ ca: fs.readFileSync("dev-ca.pem") }`, or `{ rejectUnauthorized: false }` for a self-signed
  // development server.
  /** Certificate authorities to trust (PEM). */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Client certificate (PEM). */
  cert?: string | Uint8Array | Array<string | Uint8Array>;
  /** Client private key (PEM). */
  key?: string | Uint8Array | Array<string | Uint8Array>;
  /** Client certificate and key as PKCS#12. */
  pfx?: string | Uint8Array | Array<string | Uint8Array>;
  passphrase?: string;
  ciphers?: string;
  /** Verify the server's certificate. Default true. */
  rejectUnauthorized?: boolean;
  /** Received binary type. Default "nodebuffer" where Buffer exists, else "arraybuffer". */
  binaryType?: BinaryType;
  /** Injected clock. */
  timers?: Timers;
}
