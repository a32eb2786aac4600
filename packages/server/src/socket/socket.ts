/**
 * One client's connection to one namespace: events in and out, acks, rooms, per-socket middleware. Kept lean
 * (the acks map, flags, catch-all listeners and the handshake object are created only when first needed) because
 * an idle socket should cost little heap.
 */
import {
  type AckResult,
  type AllButLast,
  type DecorateAcknowledgements,
  type DefaultEventsMap,
  type EventNames,
  type EventNamesWithAck,
  type EventParams,
  type EventsMap,
  encodeSocketPacket,
  type SocketPacket,
} from "@ladder/protocol";
import { type AckCallback, addDirectAck, type PendingAck, rejectAcks, settleAck } from "./acks.js";
import type { BroadcastAckHandler, PersistedSession, RestoredSession, Room, SendOptions } from "./adapter.js";
import { BroadcastOperator } from "./broadcast-operator.js";
import type { Client } from "./client.js";
import { DedupWindow } from "./dedup.js";
import { emitLocal } from "./emitter.js";
import type { SessionLike } from "./engine-types.js";
import { SocketError } from "./errors.js";
import { buildHandshake, type Handshake } from "./handshake.js";
import type { Namespace } from "./namespace.js";
import { isRecoverable, persistForRecovery } from "./recovery-store.js";
import { isReservedName } from "./reserved.js";
import { type DisconnectReason, SocketListeners } from "./socket-listeners.js";
import type { DefaultSocketData } from "./typed-events.js";

const EVENT = 2;
const ACK = 3;
const DISCONNECT = 1;

interface EmitFlags {
  timeout?: number;
  volatile?: boolean;
  compress?: boolean;
}

const SEND_DEFAULT: SendOptions = { compress: true, volatile: false };
const SEND_VOLATILE: SendOptions = { compress: true, volatile: true };

export type { DisconnectReason, SocketMiddleware, SocketReservedEvents } from "./socket-listeners.js";

export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends SocketListeners<ListenEvents> {
  /** The socket id (not the engine session id, which is a secret of the transport). */
  readonly id: string;
  override connected = false;
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
        if (this._dedup.seen(key, ack)) return;
        if (ack) ack = this._dedup.recording(key, ack);
      }
    }
    if (ack) args.push(ack);
    if (this._fns) this._runMiddlewares(args, 0);
    else this._dispatch(args);
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
    this._acks ??= new Map();
    addDirectAck(this._acks, id, fn, timeout, this.nsp.server._timers);
  }

  private _onack(packet: SocketPacket): void {
    if (packet.id !== undefined && this._acks)
      settleAck(this._acks, packet.id, packet.data, this.nsp.server._timers);
  }

  /** @internal Encode and queue one packet for this client. */
  _sendPacket(packet: SocketPacket): void {
    this.client.session.sendAll(encodeSocketPacket(packet), SEND_DEFAULT);
  }

  /** @internal The connection ended or the namespace was left. */
  _onclose(reason: DisconnectReason, description?: unknown): void {
    if (!this.connected) return;
    emitLocal(this, "disconnecting", [reason, description]);
    if (this.nsp._recovery && isRecoverable(reason) && this._pid !== undefined) {
      const rooms = [...this.rooms].filter((r) => r !== this.id);
      const session: PersistedSession = { sid: this.id, pid: this._pid, rooms, data: this.data };
      persistForRecovery(this.nsp.adapter, session, this._connectedOffset, this._dedup);
    }
    this.nsp.adapter.delAll(this.id);
    this.nsp._remove(this);
    this.client._remove(this as never);
    this.connected = false;
    const acks = this._acks;
    this._acks = undefined;
    if (acks) rejectAcks(acks, this.nsp.server._timers);
    emitLocal(this, "disconnect", [reason, description]);
  }
}

const NO_AUTH: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function hasKeys(o: object): boolean {
  for (const _k in o) return true;
  return false;
}
