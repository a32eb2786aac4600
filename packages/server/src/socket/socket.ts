/**
 * One client's connection to one namespace: events in and out, acks, rooms, per-socket middleware. Kept lean
 * (the acks map, flags, catch-all listeners and the handshake object are created only when first needed) because
 * an idle socket should cost little heap.
 */
import { encodeSocketPacket, type SocketPacket } from "@ladder/protocol";
import { type AckCallback, DirectAck, type PendingAck } from "./acks.js";
import type { BroadcastAckHandler, PersistedSession, RestoredSession, Room, SendOptions } from "./adapter.js";
import { BroadcastOperator } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import { DedupWindow } from "./dedup.js";
import { BaseEmitter, emitLocal } from "./emitter.js";
import type { SessionLike } from "./engine-types.js";
import { SocketError } from "./errors.js";
import { buildHandshake, type Handshake } from "./handshake.js";
import type { Namespace } from "./namespace.js";
import { isReservedName } from "./reserved.js";
import type {
  AckResult,
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  DefaultSocketData,
  EventListener,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
} from "./typed-events.js";

const EVENT = 2;
const ACK = 3;
const DISCONNECT = 1;

/** socket.io's disconnect reasons. */
export type DisconnectReason =
  | "transport error"
  | "transport close"
  | "forced close"
  | "ping timeout"
  | "parse error"
  | "server shutting down"
  | "forced server close"
  | "client namespace disconnect"
  | "server namespace disconnect";

/** Reasons after which the state is kept for connection state recovery (the client did not leave on purpose). */
const RECOVERABLE = new Set<string>([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
]);

/** Events a Socket emits locally; clients can never trigger them (the codec rejects reserved names). */
export interface SocketReservedEvents {
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
  disconnecting: (reason: DisconnectReason, description?: unknown) => void;
  error: (err: Error) => void;
}

interface EmitFlags {
  timeout?: number;
  volatile?: boolean;
  compress?: boolean;
}

/** Per-socket middleware: sees `[event, ...args]` of each incoming event. */
export type SocketMiddleware = (packet: unknown[], next: (err?: Error) => void) => void;

type AnyListener = (event: string | number, ...args: unknown[]) => void;

const SEND_DEFAULT: SendOptions = { compress: true, volatile: false };
const SEND_VOLATILE: SendOptions = { compress: true, volatile: true };

export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends BaseEmitter {
  /** The socket id (not the engine session id, which is a secret of the transport). */
  readonly id: string;
  connected = false;
  /** True when this socket was restored by connection state recovery (missed packets were replayed). */
  recovered = false;

  /** @internal private session id for recovery: a bearer secret. */
  _pid: string | undefined;
  /** @internal */
  _connectedOffset: string | undefined;
  private readonly _auth: Record<string, unknown>;
  private _handshake: Handshake | undefined;
  private _acks: Map<number, PendingAck> | undefined;
  private _flags: EmitFlags | undefined;
  private _fns: SocketMiddleware[] | undefined;
  private _anyIn: AnyListener[] | undefined;
  private _anyOut: AnyListener[] | undefined;
  private _dedup: DedupWindow | undefined;
  private _data: SocketData | undefined;

  constructor(
    readonly nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    /** @internal */ readonly client: Client,
    auth: Record<string, unknown>,
    id: string,
    previous?: RestoredSession,
  ) {
    super();
    // Most clients send no auth: share one empty object until someone reads the handshake.
    this._auth = hasKeys(auth) ? auth : NO_AUTH;
    this.id = id;
    if (previous) this._data = previous.data as SocketData;
    if (previous) {
      this._pid = previous.pid;
      this.recovered = true;
      const dd = nsp.server._dedupOptions;
      if (dd && previous.dedup) this._dedup = DedupWindow.restore(dd.windowSize, previous.dedup);
    }
  }

  /** Arbitrary per-socket data, kept across connection state recovery and visible to fetchSockets(). */
  get data(): SocketData {
    // Created on first use: most sockets never touch it, and an idle socket should cost little.
    this._data ??= {} as SocketData;
    return this._data;
  }

  set data(value: SocketData) {
    this._data = value;
  }

  /** The handshake: headers, query, auth, address, time, issued, url, xdomain, secure. */
  get handshake(): Handshake {
    this._handshake ??= buildHandshake(
      this.client.session.handshake,
      this._auth === NO_AUTH ? {} : this._auth,
    );
    return this._handshake;
  }

  /** The engine session (transport name, readyState...). */
  get conn(): SessionLike {
    return this.client.session;
  }

  /** The rooms this socket is in (its own id included). */
  get rooms(): Set<Room> {
    return this.nsp.adapter.socketRooms(this.id) ?? new Set();
  }

  // ---- emitting -----------------------------------------------------------------------------------------------

  /** Emit to this client. A trailing function is the ack callback (`(err, ...args)` after `timeout(ms)`). */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    if (isReservedName(ev)) throw new SocketError("LADDER_ERR_SOCKET_RESERVED_EVENT", String(ev));
    const data: unknown[] = [ev, ...args];
    const packet: SocketPacket = { type: EVENT, nsp: this.nsp.name, data };
    const flags = this._flags;
    this._flags = undefined;
    const last = data[data.length - 1];
    if (typeof last === "function") {
      data.pop();
      packet.id = this.nsp._nextAckId();
      this._registerAck(packet.id, last as AckCallback, flags?.timeout);
    }
    if (this.nsp._recovery && packet.id === undefined && !flags?.volatile) {
      // Through the adapter, so the packet gets an offset and is logged for a later replay.
      this.nsp.adapter.broadcast(packet, { rooms: new Set([this.id]), flags: flags ?? {} });
      return true;
    }
    const opts =
      flags && (flags.volatile || flags.compress === false)
        ? { compress: flags.compress !== false, volatile: flags.volatile === true }
        : flags?.volatile
          ? SEND_VOLATILE
          : SEND_DEFAULT;
    this._deliver(encodeSocketPacket(packet), opts, packet);
    return true;
  }

  /** Emit and resolve with the client's answer (rejects on timeout after `timeout(ms)`). */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckResult<EmitEvents, Ev>> {
    const withTimeout = this._flags?.timeout !== undefined;
    return new Promise((resolve, reject) => {
      const cb = withTimeout
        ? (err: Error | null, value: unknown) =>
            err ? reject(err) : resolve(value as AckResult<EmitEvents, Ev>)
        : (value: unknown) => resolve(value as AckResult<EmitEvents, Ev>);
      (this.emit as (ev: string, ...a: unknown[]) => boolean)(ev, ...args, cb);
    });
  }

  /** Alias of `emit("message", ...args)`. */
  send(...args: unknown[]): this {
    (this.emit as (ev: string, ...a: unknown[]) => boolean)("message", ...args);
    return this;
  }

  /** Alias of {@link send}. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /** The next emit waits at most `ms` for its ack; the callback then receives `(err, ...args)`. */
  timeout(ms: number): Omit<
    Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData>,
    "emitWithAck"
  > & {
    emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
      ev: Ev,
      ...args: AllButLast<EventParams<EmitEvents, Ev>>
    ): Promise<AckResult<EmitEvents, Ev>>;
  } {
    this._flags ??= {};
    this._flags.timeout = ms;
    return this as never;
  }

  /** The next emit may be dropped if the transport is not writable right now. */
  get volatile(): this {
    this._flags ??= {};
    this._flags.volatile = true;
    return this;
  }

  compress(compress: boolean): this {
    this._flags ??= {};
    this._flags.compress = compress;
    return this;
  }

  // ---- broadcasting from this socket (excludes itself, as in socket.io) ------------------------------------------

  to(room: Room | readonly Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this._operator().to(room);
  }

  in(room: Room | readonly Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  except(room: Room | readonly Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this._operator().except(room);
  }

  /** Everyone in the namespace but this socket. */
  get broadcast(): BroadcastOperator<EmitEvents, SocketData> {
    return this._operator();
  }

  /** Only this node's sockets (matters with a cluster adapter). */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this._operator().local;
  }

  private _operator(): BroadcastOperator<EmitEvents, SocketData> {
    const flags = this._flags;
    this._flags = undefined;
    return new BroadcastOperator<EmitEvents, SocketData>(
      this.nsp,
      new Set(),
      new Set([this.id]),
      flags ? { ...flags } : {},
    );
  }

  // ---- rooms ----------------------------------------------------------------------------------------------------

  join(rooms: Room | readonly Room[]): void | Promise<void> {
    return this.nsp.adapter.addAll(this.id, typeof rooms === "string" ? [rooms] : rooms);
  }

  leave(room: Room): void | Promise<void> {
    return this.nsp.adapter.del(this.id, room);
  }

  // ---- listeners ----------------------------------------------------------------------------------------------

  override on<Ev extends EventNames<ListenEvents> | keyof SocketReservedEvents>(
    ev: Ev,
    listener: Ev extends keyof SocketReservedEvents
      ? SocketReservedEvents[Ev]
      : EventListener<ListenEvents, Ev & EventNames<ListenEvents>>,
  ): this {
    return super.on(ev as string, listener);
  }

  override once<Ev extends EventNames<ListenEvents> | keyof SocketReservedEvents>(
    ev: Ev,
    listener: Ev extends keyof SocketReservedEvents
      ? SocketReservedEvents[Ev]
      : EventListener<ListenEvents, Ev & EventNames<ListenEvents>>,
  ): this {
    return super.once(ev as string, listener);
  }

  override off<Ev extends EventNames<ListenEvents> | keyof SocketReservedEvents>(
    ev: Ev,
    listener?: Ev extends keyof SocketReservedEvents
      ? SocketReservedEvents[Ev]
      : EventListener<ListenEvents, Ev & EventNames<ListenEvents>>,
  ): this {
    return super.off(ev as string, listener);
  }

  /** Listen to every incoming event: `(event, ...args)`. */
  onAny(listener: AnyListener): this {
    this._anyIn ??= [];
    this._anyIn.push(listener);
    return this;
  }

  prependAny(listener: AnyListener): this {
    this._anyIn ??= [];
    this._anyIn.unshift(listener);
    return this;
  }

  offAny(listener?: AnyListener): this {
    this._anyIn = removeListener(this._anyIn, listener);
    return this;
  }

  listenersAny(): AnyListener[] {
    return this._anyIn ? [...this._anyIn] : [];
  }

  /** Listen to every outgoing event (direct and broadcast): `(event, ...args)`. */
  onAnyOutgoing(listener: AnyListener): this {
    this._anyOut ??= [];
    this._anyOut.push(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    this._anyOut ??= [];
    this._anyOut.unshift(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this._anyOut = removeListener(this._anyOut, listener);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this._anyOut ? [...this._anyOut] : [];
  }

  /** Per-socket middleware for incoming events; `next(err)` drops the event and emits `error` locally. */
  use(fn: SocketMiddleware): this {
    this._fns ??= [];
    this._fns.push(fn);
    return this;
  }

  /** Leave the namespace (`close`: close the whole connection). Reason: "server namespace disconnect". */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client._disconnect();
    } else {
      this._sendPacket({ type: DISCONNECT, nsp: this.nsp.name });
      this._onclose("server namespace disconnect");
    }
    return this;
  }

  // ---- internals used by Client, Namespace and adapters -----------------------------------------------------------

  /** @internal Queue an already-encoded packet. */
  _deliver(encoded: ReadonlyArray<string | Uint8Array>, opts: SendOptions, packet: SocketPacket): void {
    if (this._anyOut && packet.type === EVENT) {
      const data = packet.data as unknown[];
      for (const l of [...this._anyOut]) l(...(data as [string, ...unknown[]]));
    }
    this.client.session.sendAll(encoded, opts);
  }

  /** @internal */
  _expectAck(handler: BroadcastAckHandler): void {
    this._acks ??= new Map();
    this._acks.set(handler.ackId, handler);
  }

  /** @internal */
  _dropAck(handler: BroadcastAckHandler): void {
    if (this._acks?.get(handler.ackId) === handler) this._acks.delete(handler.ackId);
  }

  /** @internal Called by the namespace once middlewares passed. */
  _onconnect(previous: RestoredSession | undefined): void {
    this.connected = true;
    const adapter = this.nsp.adapter;
    adapter.addAll(this.id, previous ? [this.id, ...previous.rooms] : [this.id]);
    if (this.nsp._recovery) {
      this._pid ??= this.nsp.server._generateId();
      this._connectedOffset = (adapter as { latestOffset?: () => string | undefined }).latestOffset?.();
    }
    if (previous) {
      // Missed packets first (in order, before anything new), then CONNECT: the official client buffers events
      // received before CONNECT and emits them right before "connect".
      for (const data of previous.missedPackets) this._sendPacket({ type: EVENT, nsp: this.nsp.name, data });
    }
    this._sendPacket({
      type: 0,
      nsp: this.nsp.name,
      data: this._pid === undefined ? { sid: this.id } : { sid: this.id, pid: this._pid },
    });
  }

  /** @internal One decoded packet for this namespace. */
  _onpacket(packet: SocketPacket): void {
    switch (packet.type) {
      case EVENT:
      case 5:
        this._onevent(packet);
        return;
      case ACK:
      case 6:
        this._onack(packet);
        return;
      case DISCONNECT:
        this._onclose("client namespace disconnect");
        return;
      default:
      // CONNECT again, or CONNECT_ERROR from a client: ignored.
    }
  }

  private _onevent(packet: SocketPacket): void {
    const args = packet.data as unknown[];
    const ev = args[0] as string | number;
    if (isReservedName(ev)) return; // the codec already refuses these; never let a client fire them
    let ack: ((...a: unknown[]) => void) | undefined;
    if (packet.id !== undefined) ack = this._ackFor(packet.id);
    const dd = this.nsp.server._dedupOptions;
    if (dd) {
      const key = dd.key(ev, args.slice(1));
      if (key !== undefined) {
        this._dedup ??= new DedupWindow(dd.windowSize);
        const window = this._dedup;
        if (window.seen(key, ack)) return;
        if (ack) {
          const inner = ack;
          ack = (...a: unknown[]) => {
            inner(...a);
            window.answer(key, a);
          };
        }
      }
    }
    if (ack) args.push(ack);
    if (this._fns) this._runMiddlewares(args, 0);
    else this._dispatch(args);
  }

  private _runMiddlewares(args: unknown[], i: number): void {
    const fns = this._fns!;
    if (i >= fns.length) {
      this._dispatch(args);
      return;
    }
    let called = false;
    const next = (err?: Error): void => {
      if (called) return;
      called = true;
      if (err) {
        if (this.connected) emitLocal(this, "error", [err]);
        return;
      }
      this._runMiddlewares(args, i + 1);
    };
    const r = fns[i]!(args, next) as unknown;
    if (r && typeof (r as PromiseLike<unknown>).then === "function") {
      (r as PromiseLike<unknown>).then(undefined, (e: unknown) =>
        next(e instanceof Error ? e : new Error(String(e))),
      );
    }
  }

  private _dispatch(args: unknown[]): void {
    if (!this.connected) return;
    if (this._anyIn) for (const l of [...this._anyIn]) l(...(args as [string, ...unknown[]]));
    emitLocal(this, args[0] as string | number, args.slice(1));
  }

  /** The ack function handed to a handler: answers once, whatever the handler does. */
  private _ackFor(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent || !this.connected) return;
      sent = true;
      this._sendPacket({ type: ACK, nsp: this.nsp.name, id, data: args });
    };
  }

  private _registerAck(id: number, fn: AckCallback, timeout: number | undefined): void {
    const entry = new DirectAck(fn, timeout !== undefined);
    this._acks ??= new Map();
    this._acks.set(id, entry);
    if (timeout !== undefined) {
      const timers = this.nsp.server._timers;
      entry.timer = timers.setTimeout(() => {
        entry.timer = undefined;
        if (this._acks?.get(id) !== entry) return;
        this._acks.delete(id);
        entry.reject(new SocketError("LADDER_ERR_SOCKET_ACK_TIMEOUT"), timers);
      }, timeout);
    }
  }

  private _onack(packet: SocketPacket): void {
    const id = packet.id;
    if (id === undefined || !this._acks) return;
    const entry = this._acks.get(id);
    if (!entry) return; // unknown, already answered or timed out: ignored
    this._acks.delete(id);
    const data = packet.data as unknown[];
    if (entry instanceof DirectAck) entry.resolve(data, this.nsp.server._timers);
    else entry.response(data[0]);
  }

  /** @internal Encode and queue one packet for this client. */
  _sendPacket(packet: SocketPacket): void {
    this.client.session.sendAll(encodeSocketPacket(packet), SEND_DEFAULT);
  }

  /** @internal The connection ended or the namespace was left. */
  _onclose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    emitLocal(this, "disconnecting", [reason, description]);
    if (this.nsp._recovery && RECOVERABLE.has(reason) && this._pid !== undefined) {
      const session: PersistedSession = {
        sid: this.id,
        pid: this._pid,
        rooms: [...this.rooms].filter((r) => r !== this.id),
        data: this.data,
      };
      if (this._connectedOffset !== undefined) session.connectedOffset = this._connectedOffset;
      if (this._dedup) session.dedup = this._dedup.export();
      void Promise.resolve(this.nsp.adapter.persistSession(session)).catch(() => {});
    }
    this.nsp.adapter.delAll(this.id);
    this.nsp._remove(this);
    this.client._remove(this as never);
    this.connected = false;
    this._rejectAcks();
    emitLocal(this, "disconnect", [reason, description]);
  }

  private _rejectAcks(): void {
    const acks = this._acks;
    if (!acks) return;
    this._acks = undefined;
    const timers = this.nsp.server._timers;
    for (const entry of acks.values()) {
      if (entry instanceof DirectAck) entry.reject(new SocketError("LADDER_ERR_SOCKET_DISCONNECTED"), timers);
      else entry.gone();
    }
  }
}

const NO_AUTH: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function hasKeys(o: object): boolean {
  for (const _k in o) return true;
  return false;
}

function removeListener(
  list: AnyListener[] | undefined,
  fn: AnyListener | undefined,
): AnyListener[] | undefined {
  if (!list || !fn) return undefined;
  const i = list.indexOf(fn);
  if (i >= 0) list.splice(i, 1);
  return list.length > 0 ? list : undefined;
}
