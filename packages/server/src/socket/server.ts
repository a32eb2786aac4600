/**
 * The Socket.IO-compatible server: `new Server(httpServer | port, options)`, namespaces, middlewares and the
 * broadcast entry points of the main namespace. It runs on top of an {@link Engine} (created from the engine
 * options given here) or any engine bound with {@link Server.bind}.
 */
import { randomBytes } from "node:crypto";
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { Server as HttpsServer } from "node:https";
import type {
  AllButLast,
  DecoderOptions,
  DecorateAcknowledgementsWithMultipleResponses,
  DefaultEventsMap,
  EventListener,
  EventNames,
  EventParams,
  EventsMap,
  RemoveAcknowledgements,
} from "@ladder/protocol";
import { Engine } from "../engine/engine.js";
import type { AdapterFactory } from "./adapter.js";
import type { BroadcastOperator } from "./broadcast-operator.js";
import { Client } from "./client.js";
import type { DedupKey } from "./dedup.js";
import { BaseEmitter, emitLocal } from "./emitter.js";
import type { EngineLike, SessionLike, SocketTimers } from "./engine-types.js";
import { defaultTimers } from "./engine-types.js";
import { SocketError } from "./errors.js";
import { inMemoryAdapter } from "./in-memory-adapter.js";
import { type Middleware, Namespace, type NamespaceReservedEvents } from "./namespace.js";
import { type NamespaceMatcher, ParentNamespace } from "./parent-namespace.js";
import type { FetchedSocket } from "./remote-socket.js";
import { ClientFileServer, findClientDist } from "./serve-client.js";
import {
  engineOptions,
  isHttpServer,
  normalizePath,
  resolveDedup,
  type ServerOptions,
} from "./server-options.js";
import type { Socket } from "./socket.js";
import type { DefaultSocketData } from "./typed-events.js";

export type { ConnectionStateRecoveryOptions, ServerOptions } from "./server-options.js";

interface ServerReservedEvents<Nsp> {
  new_namespace: (nsp: Nsp) => void;
}

type Sock<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> = Socket<L, E, S, D>;

export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends BaseEmitter {
  /** The main namespace "/". */
  readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** The engine carrying the connections (undefined until attached, listening or bound). */
  engine: EngineLike | undefined;
  /** The HTTP server attached to, if any. */
  httpServer: HttpServer | HttpsServer | undefined;
  readonly opts: Readonly<Partial<ServerOptions>>;

  /** @internal */ readonly _nsps = new Map<
    string,
    Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  /** @internal */ readonly _timers: SocketTimers;
  /** @internal */ readonly _connectTimeout: number;
  /** @internal */ readonly _adapterFactory: AdapterFactory;
  /** @internal */ readonly _recovery: { maxDisconnectionDuration: number } | undefined;
  /** @internal */ readonly _skipMiddlewares: boolean;
  /** @internal */ readonly _dedupOptions:
    | { windowSize: number; key: (event: string | number, args: readonly unknown[]) => DedupKey | undefined }
    | undefined;
  /** @internal */ readonly _decoderOptions: DecoderOptions;
  /** @internal */ readonly _serverSideTimeout: number;
  private readonly parents: Array<ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> =
    [];
  private readonly path: string;
  private readonly onConnection = (session: SessionLike): void => this._onconnection(session);

  constructor(opts?: Partial<ServerOptions>);
  constructor(port: number, opts?: Partial<ServerOptions>);
  constructor(server: HttpServer | HttpsServer, opts?: Partial<ServerOptions>);
  constructor(
    srv?: number | HttpServer | HttpsServer | Partial<ServerOptions>,
    opts: Partial<ServerOptions> = {},
  ) {
    super();
    if (typeof srv === "object" && srv !== null && !isHttpServer(srv)) {
      opts = srv;
      srv = undefined;
    }
    this.opts = opts;
    this.path = normalizePath(opts.path ?? "/socket.io/");
    this._timers = opts.timers ?? defaultTimers;
    this._connectTimeout = opts.connectTimeout ?? 45000;
    this._adapterFactory = opts.adapter ?? inMemoryAdapter;
    this._serverSideTimeout = opts.serverSideEmitTimeout ?? 5000;
    this._decoderOptions = opts.maxAttachments !== undefined ? { maxAttachments: opts.maxAttachments } : {};
    const csr = opts.connectionStateRecovery;
    this._recovery = csr ? { maxDisconnectionDuration: csr.maxDisconnectionDuration ?? 120000 } : undefined;
    this._skipMiddlewares = csr?.skipMiddlewares ?? true;
    this._dedupOptions = resolveDedup(opts.deduplicate);
    if (!Number.isFinite(this._connectTimeout) || this._connectTimeout < 0) {
      throw new SocketError("LADDER_ERR_SOCKET_BAD_OPTIONS", "connectTimeout must be a non-negative number");
    }
    this.sockets = this.of("/");
    if (typeof srv === "number") this.listen(srv);
    else if (srv) this.attach(srv);
  }

  /** @internal */
  _generateId(): string {
    return randomBytes(15).toString("base64url");
  }

  // ---- wiring -------------------------------------------------------------------------------------------------

  /** Attach to an HTTP(S) server: engine requests under `path`, plus the client bundles when `serveClient`. */
  attach(srv: HttpServer | HttpsServer | number, opts: Partial<ServerOptions> = {}): this {
    if (typeof srv === "number") return this.listen(srv, opts);
    const engine = new Engine(engineOptions({ ...this.opts, ...opts }));
    engine.attach(srv, { path: this.path });
    if (this.opts.serveClient !== false) {
      const files = new ClientFileServer(this.path, this.opts.clientDist ?? findClientDist());
      const previous = srv.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
      srv.removeAllListeners("request");
      srv.on("request", (req: IncomingMessage, res: ServerResponse) => {
        if (files.handle(req, res)) return;
        for (const l of previous) l.call(srv, req, res);
      });
    }
    this.httpServer = srv;
    this.bind(engine);
    return this;
  }

  /** Create an HTTP server listening on `port` (or attach to `srv`). Other paths answer 404. */
  listen(srv: HttpServer | HttpsServer | number, opts: Partial<ServerOptions> = {}): this {
    if (typeof srv !== "number") return this.attach(srv, opts);
    const http = createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    this.attach(http, opts);
    http.listen(srv);
    return this;
  }

  /** Use an existing engine (anything emitting "connection" with sessions). */
  bind(engine: EngineLike): this {
    this.engine?.off("connection", this.onConnection);
    this.engine = engine;
    engine.on("connection", this.onConnection);
    return this;
  }

  /** @internal */
  _onconnection(session: SessionLike): void {
    // The client lives as long as its session's listeners: nothing else needs to hold it.
    new Client(this as never, session);
  }

  // ---- namespaces -------------------------------------------------------------------------------------------------

  /** The namespace `name` (created on first use), or a dynamic parent namespace for a RegExp or function. */
  of(
    name: string | NamespaceMatcher,
    fn?: (socket: Sock<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === "function" || name instanceof RegExp) {
      const parent = new ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this, name);
      this.parents.push(parent);
      if (fn) parent.on("connection", fn);
      return parent;
    }
    const key = name.startsWith("/") ? name : `/${name}`;
    let nsp = this._nsps.get(key);
    if (!nsp) {
      nsp = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this, key);
      this._nsps.set(key, nsp);
      if (key !== "/") emitLocal(this, "new_namespace", [nsp]);
    }
    if (fn) nsp.on("connection", fn);
    return nsp;
  }

  /** @internal Find (and create) a dynamic child namespace for `name`. */
  async _matchNamespace(
    name: string,
    auth: Record<string, unknown>,
  ): Promise<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined> {
    for (const parent of this.parents) {
      if (await parent.matches(name, auth)) {
        // Another CONNECT may have created it while we waited.
        const existing = this._nsps.get(name);
        if (existing) return existing;
        const child = parent._createChild(name);
        this._nsps.set(name, child);
        emitLocal(this, "new_namespace", [child]);
        return child;
      }
    }
    return undefined;
  }

  /** @internal */
  _maybeCleanupNamespace(nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (!this.opts.cleanupEmptyChildNamespaces) return;
    for (const parent of this.parents) {
      if (parent.children.delete(nsp)) {
        this._nsps.delete(nsp.name);
        void Promise.resolve(nsp.adapter.close()).catch(() => {});
        return;
      }
    }
  }

  // ---- the main namespace's API ------------------------------------------------------------------------------------

  override on<
    Ev extends
      | keyof NamespaceReservedEvents<unknown>
      | keyof ServerReservedEvents<unknown>
      | EventNames<ServerSideEvents>,
  >(
    ev: Ev,
    listener: Ev extends keyof NamespaceReservedEvents<unknown>
      ? NamespaceReservedEvents<Sock<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>[Ev]
      : Ev extends keyof ServerReservedEvents<unknown>
        ? ServerReservedEvents<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>[Ev]
        : EventListener<ServerSideEvents, Ev & EventNames<ServerSideEvents>>,
  ): this {
    if (ev === "new_namespace") super.on(ev, listener);
    else this.sockets.on(ev as never, listener as never);
    return this;
  }

  override once<
    Ev extends
      | keyof NamespaceReservedEvents<unknown>
      | keyof ServerReservedEvents<unknown>
      | EventNames<ServerSideEvents>,
  >(
    ev: Ev,
    listener: Ev extends keyof NamespaceReservedEvents<unknown>
      ? NamespaceReservedEvents<Sock<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>[Ev]
      : Ev extends keyof ServerReservedEvents<unknown>
        ? ServerReservedEvents<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>[Ev]
        : EventListener<ServerSideEvents, Ev & EventNames<ServerSideEvents>>,
  ): this {
    if (ev === "new_namespace") super.once(ev, listener);
    else this.sockets.once(ev as never, listener as never);
    return this;
  }

  override off(ev: string, listener?: (...args: never[]) => unknown): this {
    if (ev === "new_namespace") super.off(ev, listener);
    else this.sockets.off(ev, listener);
    return this;
  }

  use(fn: Middleware<Sock<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>): this {
    this.sockets.use(fn);
    return this;
  }

  to(room: string | readonly string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.to(room);
  }

  in(room: string | readonly string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.in(room);
  }

  except(room: string | readonly string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.except(room);
  }

  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.sockets.emit(ev, ...args);
  }

  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<unknown[]> {
    return this.sockets.emitWithAck(ev, ...args);
  }

  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  write(...args: unknown[]): this {
    return this.send(...args);
  }

  timeout(
    ms: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.timeout(ms);
  }

  get volatile(): BroadcastOperator<RemoveAcknowledgements<EmitEvents>, SocketData> {
    return this.sockets.volatile;
  }

  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.local;
  }

  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.compress(compress);
  }

  fetchSockets(): Promise<FetchedSocket<EmitEvents, SocketData>[]> {
    return this.sockets.fetchSockets();
  }

  socketsJoin(room: string | readonly string[]): void {
    this.sockets.socketsJoin(room);
  }

  socketsLeave(room: string | readonly string[]): void {
    this.sockets.socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: EventParams<ServerSideEvents, Ev>
  ): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }

  serverSideEmitWithAck<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<unknown[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }

  /**
   * Close every connection (sockets see "server shutting down"), the adapters, the engine and the HTTP server.
   */
  close(fn?: (err?: Error) => void): Promise<void> {
    const clients = new Set<Client>();
    for (const nsp of this._nsps.values())
      for (const socket of nsp.sockets.values()) clients.add(socket.client);
    for (const client of clients) client._shutdown("server shutting down");
    for (const nsp of this._nsps.values()) void Promise.resolve(nsp.adapter.close()).catch(() => {});
    this.engine?.off("connection", this.onConnection);
    this.engine?.close();
    const http = this.httpServer;
    this.httpServer = undefined;
    return new Promise((resolve) => {
      if (!http?.listening) {
        fn?.();
        resolve();
        return;
      }
      http.close((err) => {
        fn?.(err);
        resolve();
      });
      http.closeAllConnections?.();
    });
  }
}
