import { encodeSocketPacket, SocketDecoder, type SocketPacket } from "@ladder/protocol";
import { Emitter, offAll, on } from "../emitter.js";
import type { EngineOptions } from "../engine/options.js";
import { EngineSocket } from "../engine/session.js";
import { clientError, type LadderClientError } from "../errors.js";
import { unrefTimers } from "../node-unref.js";
import { defaultTimers, type Timers } from "../timers.js";
import type { Transport } from "../transports/transport.js";
import { Backoff } from "./backoff.js";
import { Socket, type SocketOptions } from "./socket.js";

/** Options of a {@link Manager} (and of `io()`). */
export interface ManagerOptions extends EngineOptions {
  /** Reconnect automatically. Default true. */
  reconnection?: boolean;
  /** Attempts before giving up. Default Infinity. */
  reconnectionAttempts?: number;
  /** First reconnection delay in ms. Default 1000. */
  reconnectionDelay?: number;
  /** Largest reconnection delay in ms. Default 5000. */
  reconnectionDelayMax?: number;
  /** Jitter fraction 0..1. Default 0.5. */
  randomizationFactor?: number;
  /** Connection timeout in ms (handshake), or false. Default 20000. */
  timeout?: number | false;
  /** Connect on creation. Default true. */
  autoConnect?: boolean;
  /** Random source for the jitter (tests). */
  random?: () => number;
}

/** Events of a {@link Manager}. */
export type ManagerEvents = {
  open: [];
  packet: [packet: SocketPacket];
  error: [err: LadderClientError];
  ping: [];
  close: [reason: string, details?: unknown];
  reconnect_attempt: [attempt: number];
  reconnect: [attempt: number];
  reconnect_error: [err: LadderClientError];
  reconnect_failed: [];
  /** The transport the connection runs on: once when it opens, then after every upgrade (issue 6's ladder). */
  transport: [name: string];
};

/**
 * One Engine.IO connection shared by the sockets of several namespaces; owns reconnection (exponential backoff
 * with jitter) and the Socket.IO packet codec.
 */
export class Manager extends Emitter<ManagerEvents> {
  /** The Engine.IO session, while one exists. */
  engine: EngineSocket | null = null;
  /** "closed" | "opening" | "open". */
  _readyState: "closed" | "opening" | "open" = "closed";
  /** True between a lost connection and the successful reconnection. */
  _reconnecting = false;
  readonly uri: string;
  readonly opts: ManagerOptions;
  readonly backoff: Backoff;
  /** Sockets by namespace. */
  nsps: { [nsp: string]: Socket } = {};
  private _subs: Array<() => void> = [];
  private _decoder = new SocketDecoder();
  private _skipReconnect = false;
  /** @internal the timers option or the defaults (the sockets' ack deadlines use them too). */
  _timers: Timers;
  private _reconnectTimer: unknown = null;
  private _timeoutTimer: unknown = null;
  private _reconnection: boolean;

  constructor(uri?: string, opts?: ManagerOptions) {
    super();
    const o: ManagerOptions = opts || {};
    if (!o.path) o.path = "/socket.io";
    this.uri = uri || "";
    this.opts = o;
    this._timers = unrefTimers(o.timers || defaultTimers, o.autoUnref);
    this._reconnection = o.reconnection !== false;
    // Backoff's own defaults are the manager's (1000 / 5000 ms) except for the jitter.
    this.backoff = new Backoff({
      min: o.reconnectionDelay,
      max: o.reconnectionDelayMax,
      jitter: o.randomizationFactor !== undefined ? o.randomizationFactor : 0.5,
      random: o.random,
    });
    if (o.autoConnect !== false) this.open();
  }

  // Option accessors as socket.io-client's Manager has them: without an argument the current value, with one the
  // manager (for chaining). They act on the next (re)connection attempt.

  /** Whether to reconnect; `false` also stops a reconnection loop under way. */
  reconnection(): boolean;
  reconnection(value: boolean): this;
  reconnection(value?: boolean): boolean | this {
    if (value === undefined) return this._reconnection;
    this._reconnection = value;
    if (!value) this._skipReconnect = true;
    return this;
  }

  /** Attempts before `reconnect_failed` (default Infinity). */
  reconnectionAttempts(): number;
  reconnectionAttempts(value: number): this;
  reconnectionAttempts(value?: number): number | this {
    const o = this.opts;
    if (value === undefined) return o.reconnectionAttempts !== undefined ? o.reconnectionAttempts : Infinity;
    o.reconnectionAttempts = value;
    return this;
  }

  /** First reconnection delay in ms (the backoff's minimum). */
  reconnectionDelay(): number;
  reconnectionDelay(value: number): this;
  reconnectionDelay(value?: number): number | this {
    if (value === undefined) return this.backoff.min;
    this.backoff.min = value;
    return this;
  }

  /** Largest reconnection delay in ms. */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(value: number): this;
  reconnectionDelayMax(value?: number): number | this {
    if (value === undefined) return this.backoff.max;
    this.backoff.max = value;
    return this;
  }

  /** Jitter fraction 0..1 of every delay. */
  randomizationFactor(): number;
  randomizationFactor(value: number): this;
  randomizationFactor(value?: number): number | this {
    if (value === undefined) return this.backoff.jitter;
    this.backoff.jitter = value;
    return this;
  }

  /** Connection (handshake) timeout in ms, or false. */
  timeout(): number | false;
  timeout(value: number | false): this;
  timeout(value?: number | false): number | false | this {
    const o = this.opts;
    if (value === undefined) return o.timeout !== undefined ? o.timeout : 20000;
    o.timeout = value;
    return this;
  }

  /** Opens the connection (no-op while open or opening); `callback(err?)` reports the outcome. */
  open(callback?: (err?: LadderClientError) => void): this {
    if (this._readyState !== "closed") return this;
    const engine = new EngineSocket(this.uri, this.opts);
    this.engine = engine;
    this._readyState = "opening";
    this._skipReconnect = false;
    let settled = false;
    // The first of open, error, close or the timeout decides.
    const settle = (err?: LadderClientError): void => {
      if (settled) return;
      settled = true;
      this._clearTimeoutTimer();
      if (err) {
        this._cleanup();
        this._readyState = "closed";
        this.emit("error", err);
      } else this._onOpen();
      if (callback) callback(err);
      // Only the first connection of a manager that never reconnected starts the loop here; later ones are
      // driven by _reconnect's own callback.
      else if (err && !this._reconnecting && this._reconnection && this.backoff.attempts === 0)
        this._reconnect();
    };
    this._subs.push(
      on(engine, "open", settle),
      on(engine, "error", settle),
      on(engine, "close", (reason: string, details?: unknown) =>
        settle(clientError("LADDER_ERR_CLIENT_TRANSPORT", reason, { context: details })),
      ),
    );
    const timeout = this.opts.timeout;
    if (timeout !== false) {
      this._timeoutTimer = this._timers.setTimeout(
        () => {
          this._timeoutTimer = null;
          settle(clientError("LADDER_ERR_CLIENT_TIMEOUT", "timeout"));
          engine.close();
        },
        timeout === undefined ? 20000 : timeout,
      );
    }
    return this;
  }

  /** Alias of {@link Manager.open}. */
  connect(callback?: (err?: LadderClientError) => void): this {
    return this.open(callback);
  }

  private _clearTimeoutTimer(): void {
    if (this._timeoutTimer !== null) this._timers.clearTimeout(this._timeoutTimer);
    this._timeoutTimer = null;
  }

  private _onOpen(): void {
    this._cleanup();
    this._readyState = "open";
    const engine = this.engine!;
    this._subs.push(
      on(engine, "message", (data: string | ArrayBuffer | Uint8Array) => this._onData(data)),
      on(engine, "ping", () => {
        this.emit("ping");
      }),
      on(engine, "error", (err: LadderClientError) => {
        this.emit("error", err);
      }),
      on(engine, "close", (reason: string, details?: unknown) => this._onClose(reason, details)),
      on(engine, "upgrade", (t: Transport) => this.emit("transport", t.name)),
    );
    this.emit("open");
    if (engine.transport) this.emit("transport", engine.transport.name);
  }

  private _onData(data: string | ArrayBuffer | Uint8Array): void {
    let packet: SocketPacket | null;
    try {
      packet = this._decoder.add(data);
    } catch (err) {
      this._onClose("parse error", err);
      return;
    }
    if (!packet) return;
    this.emit("packet", packet);
    const socket = this.nsps[packet.nsp];
    if (socket) socket._onPacket(packet);
  }

  /** The socket for namespace `nsp` (one per namespace per manager). */
  socket(nsp: string, opts?: SocketOptions): Socket {
    let socket = this.nsps[nsp];
    if (!socket) {
      socket = new Socket(this, nsp, opts);
      this.nsps[nsp] = socket;
    } else if (this.opts.autoConnect !== false && !socket.active) {
      socket.connect();
    }
    return socket;
  }

  /** @internal a socket became inactive; close the connection when none is left. */
  _destroy(): void {
    for (const nsp in this.nsps) if (this.nsps[nsp]!.active) return;
    this.disconnect();
  }

  /** @internal encodes and writes one Socket.IO packet (with its attachments, kept together). */
  _packet(packet: SocketPacket): void {
    if (this.engine) this.engine.write(encodeSocketPacket(packet));
  }

  private _cleanup(): void {
    offAll(this._subs);
    this._subs = [];
    this._decoder.reset();
  }

  /** Closes the connection and stops reconnecting. */
  disconnect(): void {
    this._skipReconnect = true;
    this._reconnecting = false;
    if (this._reconnectTimer !== null) this._timers.clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    this._clearTimeoutTimer();
    const engine = this.engine;
    this._onClose("forced close");
    if (engine) engine.close();
  }

  private _onClose(reason: string, details?: unknown): void {
    if (this._readyState === "closed" && !this.engine) return;
    const engine = this.engine;
    this._cleanup();
    this.engine = null;
    if (engine && reason !== "forced close") engine.close();
    this.backoff.reset();
    this._readyState = "closed";
    this.emit("close", reason, details);
    if (this._reconnection && !this._skipReconnect) this._reconnect();
  }

  private _reconnect(): void {
    if (this._reconnecting || this._skipReconnect) return;
    const backoff = this.backoff;
    const max = this.opts.reconnectionAttempts;
    if (max !== undefined && backoff.attempts >= max) {
      backoff.reset();
      this.emit("reconnect_failed");
      return;
    }
    this._reconnecting = true;
    this._reconnectTimer = this._timers.setTimeout(() => {
      this._reconnectTimer = null;
      if (this._skipReconnect) return;
      this.emit("reconnect_attempt", backoff.attempts);
      if (this._skipReconnect) return;
      this.open((err) => {
        this._reconnecting = false;
        if (err) {
          this._reconnect();
          this.emit("reconnect_error", err);
        } else {
          const attempt = backoff.attempts;
          backoff.reset();
          this.emit("reconnect", attempt);
        }
      });
    }, backoff.duration());
  }
}
