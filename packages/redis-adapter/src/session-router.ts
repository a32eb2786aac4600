/**
 * No sticky sessions: a request for a session held by another node is forwarded to that node.
 *
 * - Session ids carry their owner: `generateId` returns `<nodeId>.<128 random bits>`, and the node registers its
 *   internal address under `<prefix>#nodes` (a Redis hash). Finding the owner costs no Redis round trip once the
 *   address is cached.
 * - The engine's `unknownSession` hook hands over a polling/streaming request (HTTP proxy to the owner, response
 *   streamed back as it comes) or a WebSocket upgrade (raw TCP proxy: the owner performs the upgrade, so a
 *   polling session's probe and its buffered packets never move).
 * - A forwarded request carries `x-ladder-forwarded`; a node receiving one for a sid it does not hold refuses it
 *   (no loops). An owner that is gone answers "Session ID unknown" and the client reconnects (and recovers).
 */
import { randomBytes } from "node:crypto";
import { Agent, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import { connect } from "node:net";
import type { EngineOptions, UnknownSessionRequest } from "@ladder/server";
import { Redis, type RedisOptions } from "ioredis";
import { RedisAdapterError } from "./errors.js";

const FORWARDED = "x-ladder-forwarded";

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: the forwarding hop has its own
 * (keep-alive to the owner; Node frames the body again). nginx's `Connection: upgrade` on plain requests is one.
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

export interface SessionRouterOptions {
  /**
   * This node's address as the other nodes reach it, e.g. `http://10.0.0.5:3000`; may instead be given to
   * `start()` (once listening on a port chosen by the system).
   */
  address?: string;
  keyPrefix?: string;
  url?: string;
  redisOptions?: RedisOptions;
  onError?: (err: Error) => void;
}

export interface SessionRouter {
  readonly nodeId: string;
  /** Engine options to spread into the Server/Engine options: `generateId` and `unknownSession`. */
  readonly engineOptions: Pick<EngineOptions, "generateId" | "unknownSession">;
  /** Register this node's address (call once listening; resolves when written). */
  start(address?: string): Promise<void>;
  /** Unregister and close what the router opened. */
  close(): Promise<void>;
}

export function createSessionRouter(options: SessionRouterOptions): SessionRouter;
export function createSessionRouter(client: Redis, options: SessionRouterOptions): SessionRouter;
export function createSessionRouter(
  clientOrOptions: Redis | SessionRouterOptions,
  maybeOptions?: SessionRouterOptions,
): SessionRouter {
  const existing = clientOrOptions instanceof Redis ? clientOrOptions : undefined;
  const options = existing ? maybeOptions : (clientOrOptions as SessionRouterOptions);
  const validAddress = (a: string | undefined): a is string =>
    typeof a === "string" && /^http:\/\/[^/]+/.test(a);
  if (!options || (options.address !== undefined && !validAddress(options.address))) {
    throw new RedisAdapterError("LADDER_ERR_REDIS_OPTIONS", "address must be http://host:port");
  }
  const redisOpts: RedisOptions = { maxRetriesPerRequest: 1, commandTimeout: 5000, ...options.redisOptions };
  const redis = existing ?? (options.url ? new Redis(options.url, redisOpts) : new Redis(redisOpts));
  redis.on("error", options.onError ?? (() => {}));
  const nodesKey = `${options.keyPrefix ?? "ladder"}#nodes`;
  const nodeId = randomBytes(6).toString("base64url").replace(/[-_]/g, "x");
  const addresses = new Map<string, URL>();
  // No socket cap: a forwarded long-poll GET holds its connection for up to pingInterval, and a cap would queue
  // other sessions' requests behind them.
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 256 });

  async function ownerOf(id: string): Promise<URL | undefined> {
    const cached = addresses.get(id);
    if (cached) return cached;
    const address = await redis.hget(nodesKey, id);
    if (!address) return undefined;
    const url = new URL(address);
    addresses.set(id, url);
    return url;
  }

  const unknownSession = (r: UnknownSessionRequest): boolean => {
    const dot = r.sid.indexOf(".");
    if (dot <= 0 || r.req.headers[FORWARDED] !== undefined) return false;
    const owner = r.sid.slice(0, dot);
    if (owner === nodeId) return false; // ours and closed: nothing to forward to
    ownerOf(owner).then(
      (url) => {
        if (!url) r.refuse();
        else if (r.kind === "http") forwardHttp(r.req, r.res, url, r.refuse, () => addresses.delete(owner));
        else forwardUpgrade(r.req, r.socket, r.head, url, r.refuse);
      },
      () => r.refuse(),
    );
    return true;
  };

  function forwardHttp(
    req: IncomingMessage,
    res: import("node:http").ServerResponse,
    url: URL,
    refuse: () => void,
    forget: () => void,
  ): void {
    const upstream = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), [FORWARDED]: "1" },
        agent,
      },
      (up) => {
        // Headers the owner set replace ours (e.g. CORS applied before the hook ran).
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.writeHead(up.statusCode ?? 502, endToEnd(up.headers));
        up.pipe(res);
        up.on("error", () => res.destroy());
      },
    );
    upstream.on("error", () => {
      // The owner is gone (or died mid-request): the client will handshake again elsewhere.
      forget();
      if (!res.headersSent) refuse();
      else res.destroy();
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  function forwardUpgrade(
    req: IncomingMessage,
    socket: import("node:stream").Duplex,
    head: Buffer,
    url: URL,
    refuse: () => void,
  ): void {
    const upstream = connect(Number(url.port) || 80, url.hostname);
    let connected = false;
    upstream.on("connect", () => {
      connected = true;
      let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      text += `${FORWARDED}: 1\r\n\r\n`;
      upstream.write(text);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => {
      if (!connected) refuse();
      else socket.destroy();
    });
    upstream.on("close", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
  }

  return {
    nodeId,
    engineOptions: {
      generateId: () => `${nodeId}.${randomBytes(16).toString("base64url")}`,
      unknownSession,
    },
    async start(address = options.address) {
      if (!validAddress(address)) {
        throw new RedisAdapterError("LADDER_ERR_REDIS_OPTIONS", "address must be http://host:port");
      }
      await redis.hset(nodesKey, nodeId, address);
    },
    async close() {
      agent.destroy();
      await redis.hdel(nodesKey, nodeId).catch(() => {});
      if (!existing) redis.disconnect();
    },
  };
}
