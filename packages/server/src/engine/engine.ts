import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { encodeHandshake } from "@ladder/protocol";
import { EventEmitter } from "eventemitter3";
import type { WebSocket, WebSocketServer } from "ws";
import { ENGINE_HTTP_ERRORS, type EngineErrorCode, EngineErrorCodes } from "../errors.js";
import { sessionCookie } from "../http/cookie.js";
import { applyCors } from "../http/cors.js";
import { isOriginAllowed } from "../http/origin.js";
import { respondEngineError } from "../http/respond.js";
import { abortUpgrade, checkWebSocketUpgradeHeaders } from "../http/upgrade-abort.js";
import { installNodeBase64 } from "../node-base64.js";
import type {
  RequestTransportFactory,
  TransportFactory,
  WebSocketTransportFactory,
} from "../transports/registry.js";
import { TRANSPORTS } from "../transports/registry.js";
import type { Query, Transport, TransportContext } from "../transports/transport.js";
import { type AttachOptions, type EngineEvents, matchesPath, normalizePath } from "./events.js";
import { createHandshakeInfo, type HandshakeInfo } from "./handshake.js";
import { type AllowRequestResult, type EngineOptions, resolveOptions } from "./options.js";
import { type EngineSession, Session } from "./session.js";
import { parseQuery, verifyRequest } from "./verify.js";
import { createWebSocketServer } from "./ws-server.js";

export {
  type AttachOptions,
  type ConnectionErrorInfo,
  type EngineEvents,
  matchesPath,
  normalizePath,
  type ResponseHeaders,
} from "./events.js";

type PendingReply = { kind: "http"; res: ServerResponse } | { kind: "upgrade"; socket: Duplex };

/**
 * The Engine.IO v4 server: owns the sessions, validates requests, performs handshakes, and routes each
 * request or upgrade to its session's transport. Usable on its own (like engine.io) or under the socket layer.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly options: Readonly<EngineOptions>;
  private readonly sessions = new Map<string, Session>();
  private wss: WebSocketServer | undefined;
  /** Ids chosen for WebSocket handshakes still in progress, for the 101 response's headers (cookie). */
  private readonly pendingWsIds = new WeakMap<IncomingMessage, string>();
  private ownedServer: HttpServer | undefined;

  constructor(options: Partial<EngineOptions> = {}) {
    super();
    this.options = resolveOptions(options);
    installNodeBase64();
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.sessions.size;
  }

  /** The session with this id, if open. */
  getSession(id: string): EngineSession | undefined {
    return this.sessions.get(id);
  }

  /** Iterates over the open sessions. */
  allSessions(): IterableIterator<EngineSession> {
    return this.sessions.values();
  }

  /**
   * Serves the engine on `server` under `path`: matching requests and upgrades go to the engine, others to the
   * server's previous `request` listeners. An upgrade for another path is refused with 400 unless someone else
   * listens for upgrades.
   */
  attach(server: HttpServer | HttpsServer, options: AttachOptions = {}): this {
    const path = normalizePath(options.path);
    const previous = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (matchesPath(req.url, path)) {
        this.handleRequest(req, res);
        return;
      }
      for (const listener of previous) listener.call(server, req, res);
    });
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (matchesPath(req.url, path)) this.handleUpgrade(req, socket, head);
      else if (server.listenerCount("upgrade") === 1) {
        socket.on("error", destroyOnError);
        abortUpgrade(socket, 400, "Unknown path for upgrade");
      }
    });
    return this;
  }

  /** Creates an HTTP server on `port` serving only the engine (other paths: 501), like engine.io's `listen`. */
  listen(port: number, callback?: () => void): HttpServer {
    const server = createServer((_req, res) => {
      res.writeHead(501);
      res.end("Not Implemented");
    });
    this.attach(server);
    this.ownedServer = server;
    server.listen(port, callback);
    return server;
  }

  /** Handles one HTTP request of the engine (already matched on path). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const query = parseQuery(req.url);
    const options = this.options;
    if (options.allowedOrigins && !isOriginAllowed(options.allowedOrigins, req)) {
      this.refuse(req, { kind: "http", res }, EngineErrorCodes.FORBIDDEN, undefined, {
        origin: req.headers.origin,
      });
      return;
    }
    if (options.cors && applyCors(options.cors, req, res)) return;
    const verdict = verifyRequest(query, req.method, req.headers.origin, false, options, this.sessions);
    if (!verdict.ok) {
      const refuse = () => this.refuse(req, { kind: "http", res }, verdict.code, verdict.message, { query });
      if (verdict.code === EngineErrorCodes.UNKNOWN_SID && options.unknownSession && query.sid) {
        if (options.unknownSession({ kind: "http", sid: query.sid, req, res, refuse })) return;
      }
      refuse();
      return;
    }
    if (verdict.session) {
      const session = verdict.session;
      if (query.transport !== session.transport.name) {
        this.onProbeRequest(req, res, session, verdict.factory as RequestTransportFactory, query);
        return;
      }
      if (!session.handleRequest(req, res)) respondEngineError(res, EngineErrorCodes.BAD_REQUEST);
      return;
    }
    this.handshake(req, { kind: "http", res }, query, verdict.factory, (id, handshake) => {
      const factory = verdict.factory as RequestTransportFactory;
      const transport = factory.create(this.transportContext(query, true, id));
      const session = this.openSession(id, handshake, transport, factory);
      // The handshake GET: the transport becomes writable and the open packet goes out in this response.
      transport.onRequest?.(req, res);
      this.register(session);
    });
  }

  /** Handles an HTTP upgrade (already matched on path): a new WebSocket session, or a probe for an upgrade. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset during our checks must not become an unhandled 'error' event. A module-level function, not a
    // closure: a closure here would share this scope's context and keep `req` and `head` alive with the socket.
    socket.on("error", destroyOnError);
    const query = parseQuery(req.url);
    const options = this.options;
    const reply: PendingReply = { kind: "upgrade", socket };
    if (options.allowedOrigins && !isOriginAllowed(options.allowedOrigins, req)) {
      this.refuse(req, reply, EngineErrorCodes.FORBIDDEN, "Origin not allowed", {
        origin: req.headers.origin,
      });
      return;
    }
    const verdict = verifyRequest(query, req.method, req.headers.origin, true, options, this.sessions);
    if (!verdict.ok) {
      const refuse = () => this.refuse(req, reply, verdict.code, verdict.message, { query });
      if (verdict.code === EngineErrorCodes.UNKNOWN_SID && options.unknownSession && query.sid) {
        if (options.unknownSession({ kind: "upgrade", sid: query.sid, req, socket, head, refuse })) return;
      }
      refuse();
      return;
    }
    const invalid = checkWebSocketUpgradeHeaders(req.headers);
    if (invalid) {
      this.refuse(req, reply, EngineErrorCodes.BAD_REQUEST, invalid, {
        code: "LADDER_ERR_BAD_UPGRADE",
        query,
      });
      return;
    }
    const factory = verdict.factory as WebSocketTransportFactory;
    const session = verdict.session;
    if (session) {
      this.getWss().handleUpgrade(req, socket, head, (ws) => this.onProbeSocket(ws, session, factory, query));
      return;
    }
    this.handshake(req, reply, query, factory, (id, handshake) => {
      this.pendingWsIds.set(req, id);
      this.getWss().handleUpgrade(req, socket, head, (ws) => {
        this.pendingWsIds.delete(req);
        const transport = factory.create(this.transportContext(query, true, id), ws);
        this.register(this.openSession(id, handshake, transport, factory));
      });
    });
  }

  /**
   * Closes every session (close packets where a response or socket is open, pending polls ended), clears every
   * timer, and closes the server created by {@link Engine.listen}. Attached servers are left to their owner.
   */
  close(): void {
    for (const session of [...this.sessions.values()]) session.close(true);
    this.wss?.close();
    this.wss = undefined;
    this.ownedServer?.close();
    this.ownedServer = undefined;
  }

  private handshake(
    req: IncomingMessage,
    reply: PendingReply,
    query: Query,
    factory: TransportFactory,
    proceed: (id: string, handshake: HandshakeInfo) => void,
  ): void {
    void factory;
    const gone = () => (reply.kind === "http" ? reply.res.destroyed : reply.socket.destroyed);
    const withId = (id: string) => {
      if (gone()) return;
      if (typeof id !== "string" || id.length === 0 || this.sessions.has(id)) {
        this.refuse(req, reply, EngineErrorCodes.BAD_REQUEST, undefined, { name: "ID_GENERATION_ERROR" });
        return;
      }
      proceed(id, createHandshakeInfo(req, query));
    };
    const afterAllow = (result: AllowRequestResult) => {
      if (gone()) return;
      const allowed = typeof result === "boolean" ? result : result?.allowed === true;
      if (!allowed) {
        const message = typeof result === "object" && result ? result.message : undefined;
        this.refuse(req, reply, EngineErrorCodes.FORBIDDEN, message, { name: "ALLOW_REQUEST" });
        return;
      }
      settle(
        () => this.options.generateId(req),
        withId,
        () =>
          this.refuse(req, reply, EngineErrorCodes.BAD_REQUEST, undefined, { name: "ID_GENERATION_ERROR" }),
      );
    };
    const allowRequest = this.options.allowRequest;
    if (!allowRequest) afterAllow(true);
    else
      settle(
        () => allowRequest(req),
        afterAllow,
        () => afterAllow(false),
      );
  }

  private openSession(
    id: string,
    handshake: HandshakeInfo,
    transport: Transport,
    factory: TransportFactory,
  ): Session {
    const options = this.options;
    const session = new Session(id, handshake, transport, options);
    // Ladder extensions are offered only to a client that asked for them with `ladder=1` (PROTOCOL.md).
    const asked = handshake.query.ladder === "1";
    const upgrades = options.allowUpgrades
      ? factory.upgradesTo.filter((t) => options.transports.includes(t) && (asked || !isExtension(t)))
      : [];
    session.open(
      encodeHandshake({
        sid: id,
        upgrades,
        pingInterval: options.pingInterval,
        pingTimeout: options.pingTimeout,
        maxPayload: options.maxHttpBufferSize,
      }),
    );
    return session;
  }

  private register(session: Session): void {
    if (session.readyState === "closed") return;
    this.sessions.set(session.id, session);
    session.once("close", () => {
      if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    });
    this.emit("connection", session);
  }

  /**
   * An HTTP request naming another transport than its session's: a request of a probe in progress (a streaming
   * probe's POSTs), or the GET that starts probing a request-driven transport the session may upgrade to.
   */
  private onProbeRequest(
    req: IncomingMessage,
    res: ServerResponse,
    session: Session,
    factory: RequestTransportFactory,
    query: Query,
  ): void {
    const name = query.transport ?? "";
    if (session.handleProbeRequest(name, req, res)) return;
    const current = TRANSPORTS.get(session.transport.name);
    const allowed =
      req.method === "GET" &&
      this.options.allowUpgrades &&
      current?.upgradesTo.includes(name) === true &&
      session.canUpgrade();
    if (!allowed) {
      respondEngineError(res, EngineErrorCodes.BAD_REQUEST);
      return;
    }
    const probe = factory.create(this.transportContext(query, false, session.id));
    session.beginUpgrade(probe);
    probe.onRequest?.(req, res);
  }

  private onProbeSocket(
    ws: WebSocket,
    session: Session,
    factory: WebSocketTransportFactory,
    query: Query,
  ): void {
    const current = TRANSPORTS.get(session.transport.name);
    const allowed =
      this.options.allowUpgrades &&
      current?.upgradesTo.includes(query.transport ?? "") === true &&
      session.canUpgrade();
    if (!allowed) {
      // Second upgrade, upgrade of an upgraded session, or a session that closed during the handshake.
      ws.on("error", () => ws.terminate());
      ws.close();
      return;
    }
    session.beginUpgrade(factory.create(this.transportContext(query, false, session.id), ws));
  }

  private transportContext(query: Query, handshake: boolean, sid: string): TransportContext {
    return {
      query,
      options: this.options,
      handshake,
      onHeaders: (headers, req, initial) => {
        if (initial) {
          const cookie = sessionCookie(this.options.cookie, sid);
          if (cookie) headers["Set-Cookie"] = [cookie];
          this.emit("initial_headers", headers, req);
        }
        this.emit("headers", headers, req);
      },
    };
  }

  private getWss(): WebSocketServer {
    this.wss ??= createWebSocketServer(this.options, this.pendingWsIds, this);
    return this.wss;
  }

  private refuse(
    req: IncomingMessage,
    reply: PendingReply,
    code: EngineErrorCode,
    message: string | undefined,
    context: unknown,
  ): void {
    const text = message ?? ENGINE_HTTP_ERRORS[code].message;
    if (reply.kind === "http") respondEngineError(reply.res, code, message);
    else abortUpgrade(reply.socket, ENGINE_HTTP_ERRORS[code].status, text);
    this.emit("connection_error", { req, code, message: text, context });
  }
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Runs a maybe-async step without an await (and a microtask) when it returns synchronously. */
function settle<T>(run: () => T | Promise<T>, ok: (value: T) => void, fail: (err: unknown) => void): void {
  let value: T | Promise<T>;
  try {
    value = run();
  } catch (err) {
    fail(err);
    return;
  }
  if (value instanceof Promise) value.then(ok, fail);
  else ok(value);
}

function isExtension(name: string): boolean {
  const factory = TRANSPORTS.get(name);
  return factory?.kind === "request" && factory.extension === true;
}
