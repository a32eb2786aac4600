import type {
  AckResult,
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  SocketPacket,
} from "@ladder/protocol";
import { offAll, on } from "../emitter.js";
import { clientError, type LadderClientError } from "../errors.js";
import { assign } from "../url.js";
import { SocketAcks } from "./acks.js";
import type { Manager } from "./manager.js";
import type {
  Ack,
  AnyListener,
  AuthOption,
  Flags,
  ListenerArgs,
  Queued,
  SocketOptions,
  SocketReservedEvents,
} from "./types.js";

export type { AuthOption, DisconnectReason, SocketOptions, SocketReservedEvents } from "./types.js";

// Socket.IO packet types as plain constants (the minifier inlines them; a frozen table stays in the bundle).
const CONNECT = 0;
const DISCONNECT = 1;
const EVENT = 2;
const ACK = 3;
const CONNECT_ERROR = 4;
const BINARY_EVENT = 5;
const BINARY_ACK = 6;

/** Names a client may not emit: the server would reject them (they are the socket's own events). Spelled as the
 * protocol decoder's check, which gzip then stores once. */
const RESERVED = /^(connect|connect_error|disconnect|disconnecting|newListener|removeListener)$/;

/**
 * A namespace socket: events, acks, timeouts, offline buffering, at-least-once retries and connection state
 * recovery, over a {@link Manager}'s connection. socket.io-client compatible, typings included: `Socket<
 * ServerToClient, ClientToServer>` checks listeners against the first event map and emits against the second
 * (`const socket: Socket<S2C, C2S> = io(url)`); without them any event and any arguments are accepted.
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends SocketAcks<ListenerArgs<ListenEvents & SocketReservedEvents>> {
  /** The socket id the server gave (not the engine sid); undefined while disconnected. */
  id: string | undefined;
  connected = false;
  /** True when the last reconnection restored the previous session (id, rooms, missed packets). */
  recovered = false;
  auth: AuthOption | undefined;
  readonly io: Manager;
  readonly nsp: string;
  /** Events received before `connect` fired. */
  receiveBuffer: unknown[][] = [];
  /** Packets emitted while offline, sent on connect. */
  sendBuffer: SocketPacket[] = [];

  private _subs: Array<() => void> | null = null;
  private _ids = 0;
  protected _acks: { [id: string]: Ack | undefined } = {};
  protected _flags: Flags = {};
  protected _opts: SocketOptions;
  protected _queue: Queued[] = [];
  private _pid: string | undefined;
  private _lastOffset: string | undefined;
  private _any: AnyListener[] = [];
  private _anyOut: AnyListener[] = [];

  constructor(io: Manager, nsp: string, opts?: SocketOptions) {
    super();
    this.io = io;
    this.nsp = nsp;
    this._opts = assign({}, opts);
    this.auth = this._opts.auth;
    if (io.opts.autoConnect !== false) this.open();
  }

  /** False while disconnected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** True while the socket takes part in (re)connection. */
  get active(): boolean {
    return !!this._subs;
  }

  /** Connects (no-op when active). */
  connect(): this {
    if (this.connected) return this;
    this._subEvents();
    if (!this.io._reconnecting) this.io.open();
    if (this.io._readyState === "open") this._onOpen();
    return this;
  }

  /** Alias of {@link Socket.connect}. */
  open(): this {
    return this.connect();
  }

  private _subEvents(): void {
    if (this._subs) return;
    const io = this.io;
    this._subs = [
      on(io, "open", () => this._onOpen()),
      on(io, "error", (err: LadderClientError) => {
        if (!this.connected) this._emit("connect_error", [err]);
      }),
      on(io, "close", (reason: string, details?: unknown) => this._onClose(reason, details)),
    ];
  }

  /** `emit("message", ...args)`. */
  send(...args: unknown[]): this {
    return (this.emit as Untyped<this>)("message", ...args);
  }

  /**
   * Emits an event to the server. A function as last argument is the ack callback (with a timeout, it receives
   * `(err, ...response)`). While disconnected, packets are buffered and sent on connect (volatile ones dropped).
   */
  emit<Ev extends EventNames<EmitEvents>>(event: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    if (RESERVED.test(event)) {
      throw clientError("LADDER_ERR_CLIENT_RESERVED_EVENT", '"' + event + '" is a reserved event name');
    }
    const flags = this._flags;
    this._flags = {};
    const data = ([event] as unknown[]).concat(args);
    if (this._opts.retries && !flags.fromQueue && !flags.volatile) {
      this._addToQueue(data, flags);
      return this;
    }
    const packet: SocketPacket = { type: EVENT, nsp: this.nsp, data };
    const ack = data[data.length - 1];
    if (typeof ack === "function") {
      packet.id = this._ids++;
      data.pop();
      this._registerAck(packet.id, ack as Ack, this._deadline(flags));
    }
    const engine = this.io.engine;
    // Volatile packets are dropped unless they can be written right now (never buffered).
    if (!flags.volatile || (this.connected && !!engine && engine.writable)) this._send(packet);
    return this;
  }

  /** Sends `packet` while connected (telling the outgoing listeners), else buffers it until the connection. */
  private _send(packet: SocketPacket): void {
    if (!this.connected) {
      this.sendBuffer.push(packet);
      return;
    }
    const list = this._anyOut.slice();
    for (let i = 0; i < list.length; i++) list[i]!.apply(this, packet.data as unknown[]);
    this.io._packet(packet);
  }

  /**
   * Emits and resolves with the ack response (rejects on timeout). Needs Promise; in environments without it,
   * use the callback form of {@link Socket.emit}.
   */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    event: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckResult<EmitEvents, Ev>> {
    const P = (globalThis as { Promise?: PromiseConstructor }).Promise;
    if (typeof P !== "function") throw clientError("LADDER_ERR_CLIENT_NO_PROMISE");
    const withErr = this._deadline(this._flags) !== undefined;
    return new P((resolve, reject) => {
      // The ack callback: with a deadline it gets (err, response), else the response alone.
      (this.emit as Untyped<this>)(
        event,
        ...(args as unknown[]),
        withErr
          ? (err: unknown, response: unknown) => (err ? reject(err) : resolve(response as never))
          : resolve,
      );
    });
  }

  private _onOpen(): void {
    const auth = this.auth;
    if (typeof auth === "function") auth((data) => this._sendConnect(data));
    else this._sendConnect(auth);
  }

  private _sendConnect(data: Record<string, unknown> | undefined): void {
    // Recovery: the previous session's pid and the last offset seen ride along with the auth payload.
    const pid = this._pid;
    this.io._packet({
      type: CONNECT,
      nsp: this.nsp,
      data: pid ? assign({ pid, offset: this._lastOffset }, data) : data,
    });
  }

  private _onClose(reason: string, details?: unknown): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    if (wasConnected || reason === "io server disconnect" || reason === "io client disconnect") {
      this._emit("disconnect", [reason, details]);
    }
    this._clearAcks();
  }

  /** @internal a packet for this namespace. */
  _onPacket(packet: SocketPacket): void {
    if (packet.nsp !== this.nsp) return;
    const type = packet.type;
    // CONNECT: an object; CONNECT_ERROR: an object or a string (the decoder checked).
    const d = packet.data as
      | { sid?: unknown; pid?: unknown; message?: unknown; data?: unknown }
      | string
      | undefined;
    if (type === EVENT || type === BINARY_EVENT) this._onEvent(packet);
    else if (type === ACK || type === BINARY_ACK) this._onAck(packet);
    else if (type === DISCONNECT) {
      this._destroy();
      this._onClose("io server disconnect");
    } else if (type === CONNECT && typeof d === "object" && typeof d.sid === "string") {
      this._onConnect(d.sid, typeof d.pid === "string" ? d.pid : undefined);
    } else {
      // Refused: CONNECT_ERROR (the server's message and data), or a CONNECT without a socket id.
      const err = clientError(
        "LADDER_ERR_CLIENT_CONNECT_REFUSED",
        "the server answered CONNECT without a socket id",
      );
      if (type === CONNECT_ERROR) {
        this._destroy();
        err.message =
          typeof d === "string" ? d : d && typeof d.message === "string" ? d.message : "connect error";
        if (d && typeof d === "object" && "data" in d) err.data = d.data;
      }
      this._emit("connect_error", [err]);
    }
  }

  private _onEvent(packet: SocketPacket): void {
    const args = (packet.data as unknown[]).slice();
    if (packet.id !== undefined && packet.id !== null) args.push(this._ack(packet.id));
    if (this.connected) this._emitEvent(args);
    else this.receiveBuffer.push(args);
  }

  private _emitEvent(args: unknown[]): void {
    const any = this._any.slice();
    for (let i = 0; i < any.length; i++) any[i]!.apply(this, args);
    this._emit(args[0] as string, args.slice(1));
    // Recovery: the server appends the packet's offset as the last argument; remember where we are.
    const last = args[args.length - 1];
    if (this._pid && typeof last === "string") this._lastOffset = last;
  }

  private _onConnect(id: string, pid: string | undefined): void {
    this.id = id;
    this.recovered = !!pid && this._pid === pid;
    this._pid = pid;
    this.connected = true;
    for (let i = 0; i < this.receiveBuffer.length; i++) this._emitEvent(this.receiveBuffer[i]!);
    this.receiveBuffer = [];
    const buffered = this.sendBuffer;
    this.sendBuffer = [];
    for (let i = 0; i < buffered.length; i++) this._send(buffered[i]!);
    this._emit("connect", []);
    this._drainQueue(true);
  }

  private _destroy(): void {
    offAll(this._subs);
    this._subs = null;
    this.io._destroy();
  }

  /** Disconnects this namespace; the connection closes when no namespace is left. */
  disconnect(): this {
    if (this.connected) this.io._packet({ type: DISCONNECT, nsp: this.nsp });
    this._destroy();
    if (this.connected) this._onClose("io client disconnect");
    return this;
  }

  /** Alias of {@link Socket.disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** socket.io-client's per-emit compress flag; accepted and ignored (the engine has no per-packet compression). */
  compress(_compress: boolean): this {
    return this;
  }

  /** The next emit is dropped unless it can be written right now. */
  get volatile(): this {
    this._flags.volatile = true;
    return this;
  }

  /**
   * The next emit's ack gets `(err, ...response)` and an error after `ms`; typed so (the event map's ack
   * callbacks take the error first), while `emitWithAck` still resolves with the response.
   */
  timeout(ms: number): Omit<Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>, "emitWithAck"> & {
    emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
      event: Ev,
      ...args: AllButLast<EventParams<EmitEvents, Ev>>
    ): Promise<AckResult<EmitEvents, Ev>>;
  } {
    this._flags.timeout = ms;
    return this as never;
  }

  /** Called with every incoming event (name first). */
  onAny(fn: AnyListener): this {
    this._any.push(fn);
    return this;
  }

  prependAny(fn: AnyListener): this {
    this._any.unshift(fn);
    return this;
  }

  offAny(fn?: AnyListener): this {
    this._any = removeFrom(this._any, fn);
    return this;
  }

  listenersAny(): AnyListener[] {
    return this._any.slice();
  }

  /** Called with every outgoing event (name first). */
  onAnyOutgoing(fn: AnyListener): this {
    this._anyOut.push(fn);
    return this;
  }

  prependAnyOutgoing(fn: AnyListener): this {
    this._anyOut.unshift(fn);
    return this;
  }

  offAnyOutgoing(fn?: AnyListener): this {
    this._anyOut = removeFrom(this._anyOut, fn);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this._anyOut.slice();
  }
}

/** A socket's emit seen without its event maps (the socket's own sends: `send`, `emitWithAck`). */
type Untyped<T> = (event: string, ...args: unknown[]) => T;

/** `list` without its first `fn`; without `fn`, an empty list. */
function removeFrom(list: AnyListener[], fn?: AnyListener): AnyListener[] {
  const i = fn ? list.indexOf(fn) : -1;
  if (i >= 0) list.splice(i, 1);
  return fn ? list : [];
}
