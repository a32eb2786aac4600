import type { WebSocket } from "ws";
import { PollingTransport } from "./polling.js";
import { JsonpPollingTransport } from "./polling-jsonp.js";
import { StreamingTransport } from "./streaming.js";
import type { Transport, TransportContext } from "./transport.js";
import { WebSocketTransport } from "./websocket.js";

/** A transport opened by plain HTTP requests (its handshake is a GET). */
export interface RequestTransportFactory {
  readonly kind: "request";
  /** Transports a session on this one may be upgraded to (advertised in the handshake's `upgrades`). */
  readonly upgradesTo: readonly string[];
  /**
   * A Ladder extension: advertised in `upgrades` only to clients that sent the `ladder=1` marker (official
   * clients never do, so their handshake stays byte-identical to the reference).
   */
  readonly extension?: boolean;
  create(ctx: TransportContext): Transport;
}

/** A transport opened by an HTTP Upgrade handled by `ws`. */
export interface WebSocketTransportFactory {
  readonly kind: "websocket";
  readonly upgradesTo: readonly string[];
  create(ctx: TransportContext, ws: WebSocket): Transport;
}

export type TransportFactory = RequestTransportFactory | WebSocketTransportFactory;

/**
 * Every transport the server knows: name → factory, one line each. A Map, so a query value like `__proto__`
 * or `constructor` is just an unknown name. Adding a transport is one new file plus one line here.
 */
export const TRANSPORTS: ReadonlyMap<string, TransportFactory> = new Map<string, TransportFactory>([
  [
    "polling",
    {
      kind: "request",
      upgradesTo: ["websocket", "streaming"],
      create: (ctx) =>
        ctx.query.j !== undefined ? new JsonpPollingTransport(ctx) : new PollingTransport(ctx),
    },
  ],
  [
    "streaming",
    {
      kind: "request",
      upgradesTo: ["websocket"],
      extension: true,
      create: (ctx) => new StreamingTransport(ctx),
    },
  ],
  ["websocket", { kind: "websocket", upgradesTo: [], create: (ctx, ws) => new WebSocketTransport(ctx, ws) }],
]);
