/**
 * The cluster hook: a request or upgrade naming a session this engine does not hold. Behind a round-robin load
 * balancer the session usually lives on another node; a cluster layer (e.g. `@ladder/redis-adapter`'s session
 * router) takes the request over and forwards it to the owner. Generic on purpose: the engine only knows "someone
 * else may own this sid", never how the cluster finds or reaches the owner.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

interface UnknownSessionBase {
  /** The session id the request names. */
  sid: string;
  req: IncomingMessage;
  /**
   * Answer the way the engine would have without the hook (`400 {"code":1,"message":"Session ID unknown"}`, or
   * an aborted upgrade), and emit `connection_error`. For a hook that took the request but found no owner.
   */
  refuse(): void;
}

/** A polling/streaming request (GET or POST) for an unknown sid. */
export interface UnknownSessionHttpRequest extends UnknownSessionBase {
  kind: "http";
  res: ServerResponse;
}

/** A WebSocket upgrade for an unknown sid (a polling session's upgrade arriving at another node). */
export interface UnknownSessionUpgrade extends UnknownSessionBase {
  kind: "upgrade";
  socket: Duplex;
  head: Buffer;
}

export type UnknownSessionRequest = UnknownSessionHttpRequest | UnknownSessionUpgrade;

/**
 * The `unknownSession` engine option. Return `true` when the hook took the request (it then owns the response or
 * socket, and calls `refuse()` if it cannot serve it); `false` lets the engine answer "Session ID unknown".
 */
export type UnknownSessionHandler = (request: UnknownSessionRequest) => boolean;
