/**
 * A namespace: its own sockets, middlewares, adapter (rooms) and broadcast entry points. `io.of("/admin")`.
 */

import type {
  AllButLast,
  DecorateAcknowledgementsWithMultipleResponses,
  DefaultEventsMap,
  EventListener,
  EventNames,
  EventParams,
  EventsMap,
  RemoveAcknowledgements,
} from "@ladder/protocol";
import { BroadcastAckCollector } from "./acks.js";
import type { Adapter, BroadcastAckHandler, RestoredSession, SocketId } from "./adapter.js";
import { BroadcastOperator } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import { BaseEmitter, emitLocal } from "./emitter.js";
import type { SocketTimers } from "./engine-types.js";
import { SocketError } from "./errors.js";
import type { FetchedSocket } from "./remote-socket.js";
import type { Server } from "./server.js";
import { Socket } from "./socket.js";
import type { DefaultSocketData } from "./typed-events.js";

/** Connection middleware: `next(err)` refuses the connection; the client gets `connect_error` with `err.message`
 *  and `err.data`. May be async (a rejected promise counts as `next(err)`). */
export type Middleware<Sock> = (socket: Sock, next: (err?: Error & { data?: unknown }) => void) => unknown;

export interface NamespaceReservedEvents<Sock> {
  connect: (socket: Sock) => void;
  connection: (socket: Sock) => void;
}

export class Namespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends BaseEmitter {
  readonly name: string;
  /** Connected sockets of this node, by id. */
  readonly sockets = new Map<SocketId, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  readonly adapter: Adapter;
  /** @internal */
  _fns: Array<Middleware<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>> = [];
  private _ids = 0;

  constructor(
    readonly server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    name: string,
  ) {
    super();
    this.name = name;
    this.adapter = server._adapterFactory(this as never);
    void Promise.resolve(this.adapter.init()).catch(() => {});
  }

  /** @internal Recovery settings (adapter contract). */
  get recovery(): { readonly maxDisconnectionDuration: number } | undefined {
    return this.server._recovery;
  }

  /** @internal */
  get _recovery(): boolean {
    return this.server._recovery !== undefined;
  }

  /** @internal */
  get timers(): SocketTimers {
    return this.server._timers;
  }

  /** @internal Ack ids are per namespace, so one broadcast can use the same id for every recipient. */
  _nextAckId(): number {
    const id = this._ids;
    // Wraps well before 2^53; an id still pending after 2^31 emits is long gone.
    this._ids = id >= 0x7fffffff ? 0 : id + 1;
    return id;
  }

  /** Add a connection middleware. */
  use(fn: Middleware<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>): this {
    this._fns.push(fn);
    return this;
  }

  override on<
    Ev extends
      | keyof NamespaceReservedEvents<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>
      | EventNames<ServerSideEvents>,
  >(
    ev: Ev,
    listener: Ev extends keyof NamespaceReservedEvents<unknown>
      ? NamespaceReservedEvents<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>[Ev]
      : EventListener<ServerSideEvents, Ev & EventNames<ServerSideEvents>>,
  ): this {
    return super.on(ev as string, listener);
  }

  override once<
    Ev extends
      | keyof NamespaceReservedEvents<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>
      | EventNames<ServerSideEvents>,
  >(
    ev: Ev,
    listener: Ev extends keyof NamespaceReservedEvents<unknown>
      ? NamespaceReservedEvents<Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>[Ev]
      : EventListener<ServerSideEvents, Ev & EventNames<ServerSideEvents>>,
  ): this {
    return super.once(ev as string, listener);
  }

  // ---- broadcasting ---------------------------------------------------------------------------------------------

  /** @internal */
  _op(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator<EmitEvents, SocketData>(this);
  }

  to(room: string | readonly string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this._op().to(room);
  }

  in(room: string | readonly string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this._op().to(room);
  }

  except(room: string | readonly string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this._op().except(room);
  }

  /** Emit to every socket of the namespace (a trailing callback collects acks; see BroadcastOperator.emit). */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this._op().emit(ev, ...args);
  }

  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<unknown[]> {
    return (this._op().emitWithAck as (ev: string, ...a: unknown[]) => Promise<unknown[]>)(ev, ...args);
  }

  send(...args: unknown[]): this {
    (this._op().emit as (ev: string, ...a: unknown[]) => boolean)("message", ...args);
    return this;
  }

  write(...args: unknown[]): this {
    return this.send(...args);
  }

  timeout(
    ms: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this._op().timeout(ms);
  }

  get volatile(): BroadcastOperator<RemoveAcknowledgements<EmitEvents>, SocketData> {
    return this._op().volatile as never;
  }

  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this._op().local;
  }

  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this._op().compress(compress);
  }

  fetchSockets(): Promise<FetchedSocket<EmitEvents, SocketData>[]> {
    return this._op().fetchSockets();
  }

  socketsJoin(room: string | readonly string[]): void {
    this._op().socketsJoin(room);
  }

  socketsLeave(room: string | readonly string[]): void {
    this._op().socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this._op().disconnectSockets(close);
  }

  /**
   * Emit to this namespace on the other nodes (their `nsp.on(ev)` listeners). With a trailing callback:
   * `cb(err, responses)`, one response per other node (none on a single node).
   */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: EventParams<ServerSideEvents, Ev>
  ): boolean {
    if (ev === "connect" || ev === "connection" || ev === "new_namespace") {
      throw new SocketError("LADDER_ERR_SOCKET_RESERVED_EVENT", ev);
    }
    const data: unknown[] = [ev, ...args];
    const last = data[data.length - 1];
    if (typeof last !== "function") {
      this.adapter.serverSideEmit(data);
      return true;
    }
    data.pop();
    const handler: BroadcastAckHandler & { expectNodes(n: number): void } = new BroadcastAckCollector(
      this._nextAckId(),
      last as (err: Error | null, responses: unknown[]) => void,
      this.server._timers,
      this.server._serverSideTimeout,
    );
    handler.expectNodes(1);
    this.adapter.serverSideEmit(data, handler);
    return true;
  }

  serverSideEmitWithAck<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const cb = (err: Error | null, responses: unknown[]) => (err ? reject(err) : resolve(responses));
      (this.serverSideEmit as (ev: string, ...a: unknown[]) => boolean)(ev, ...args, cb);
    });
  }

  /** @internal A serverSideEmit from another node. */
  _onServerSideEmit(args: unknown[]): void {
    emitLocal(this, args[0] as string, args.slice(1));
  }

  // ---- connections ----------------------------------------------------------------------------------------------

  /** @internal A client sent CONNECT for this namespace. */
  async _add(client: Client, data: Record<string, unknown>): Promise<void> {
    const { pid, offset, ...auth } = data;
    let previous: RestoredSession | undefined;
    if (this.server._recovery && typeof pid === "string") {
      try {
        previous =
          (await this.adapter.restoreSession(pid, typeof offset === "string" ? offset : undefined)) ??
          undefined;
      } catch {
        previous = undefined; // an unusable session store means a fresh session, not an error
      }
      // A pid still in use by a connected socket (e.g. replayed by someone else) is not restored twice.
      if (previous && this.sockets.has(previous.sid)) previous = undefined;
    }
    if (!client.isOpen) return;
    const id = previous ? previous.sid : this.server._generateId();
    const socket = new Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(
      this,
      client,
      auth,
      id,
      previous,
    );
    if (!(previous && this.server._skipMiddlewares)) {
      const err = await this._run(socket);
      if (!client.isOpen) return;
      if (err) {
        client.connectError(this.name, { message: String(err.message), data: err.data });
        return;
      }
    }
    this.sockets.set(socket.id, socket);
    client._added(socket as never);
    socket._onconnect(previous);
    emitLocal(this, "connect", [socket]);
    emitLocal(this, "connection", [socket]);
  }

  /** Run the middlewares in order; resolves with the first error, if any. */
  private _run(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ): Promise<(Error & { data?: unknown }) | undefined> {
    const fns = this._fns.slice();
    return new Promise((resolve) => {
      const step = (i: number): void => {
        if (i >= fns.length) {
          resolve(undefined);
          return;
        }
        let called = false;
        const next = (err?: Error & { data?: unknown }): void => {
          if (called) return;
          called = true;
          if (err) resolve(err instanceof Error ? err : new Error(String(err)));
          else step(i + 1);
        };
        try {
          const r = fns[i]!(socket, next);
          if (r && typeof (r as PromiseLike<unknown>).then === "function") {
            (r as PromiseLike<unknown>).then(undefined, (e: unknown) =>
              next(e instanceof Error ? e : new Error(String(e))),
            );
          }
        } catch (e) {
          next(e instanceof Error ? e : new Error(String(e)));
        }
      };
      step(0);
    });
  }

  /** @internal */
  _remove(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (this.sockets.get(socket.id) === socket) this.sockets.delete(socket.id);
    if (this.sockets.size === 0) this.server._maybeCleanupNamespace(this as never);
  }
}
