import {
  decodeHandshake,
  type EnginePacket,
  type EnginePacketType,
  type Handshake,
  utf8ByteLength,
} from "@ladder/protocol";
import { Emitter, on } from "../emitter.js";
import { clientError, type LadderClientError } from "../errors.js";
import { transports as registry } from "../registry.js";
import type { Timers } from "../timers.js";
import type { CloseDetails, Transport, TransportOptions } from "../transports/transport.js";
import { assign } from "../url.js";
import { defaultBinaryType, toBinaryType, toBytes } from "./binary.js";
import type { BinaryType, EngineOptions } from "./options.js";
import { probe } from "./probe.js";
import { recallTransport, rememberTransport } from "./remember.js";
import { transportOptions } from "./transport-options.js";
import type { EngineData, EngineSocketEvents, EngineState } from "./types.js";

// The transport that the last upgrade in this page/process reached (for `rememberUpgrade`).
let remembered: string | null = null;

export type { EngineData, EngineSocketEvents, EngineState } from "./types.js";

/**
 * The Engine.IO v4 client session: handshake, heartbeat watchdog, ordered write buffer, upgrade probes. It never
 * asks which transport it holds; transports differ only in their properties (see {@link Transport}).
 */
export class EngineSocket extends Emitter<EngineSocketEvents> {
  /** The session id, once open. */
  id: string | null = null;
  readyState: EngineState = "closed";
  /** The transport carrying the session. */
  transport: Transport | null = null;
  /** Transport names the server offered to upgrade to (filtered by what this client can use). */
  upgrades: string[] = [];
  pingInterval = 0;
  pingTimeout = 0;
  maxPayload = 0;
  readonly binaryType: BinaryType;

  private readonly _topts: TransportOptions;
  private readonly _names: string[];
  private readonly _upgrade: boolean;
  private readonly _remember: boolean;
  /** localStorage key suffix of `rememberTransport`, or null when that option is off. */
  private readonly _origin: string | null;
  private readonly _tryAll: boolean;
  private readonly _upgradeTimeout: number;
  private readonly _timers: Timers;
  private _writeBuffer: EnginePacket[] = [];
  private _prevBufferLen = 0;
  private _upgrading = false;
  private _pingTimer: unknown = null;
  private _unsub: Array<() => void> = [];
  private _cancelProbe: (() => void) | null = null;
  private _failed: { [name: string]: boolean } = {};

  /**
   * @param uri server URL (`http://host:port`, `ws://...`); the path comes from `opts.path`.
   * @param opts see {@link EngineOptions}
   */
  constructor(uri?: string, opts?: EngineOptions) {
    super();
    const o = opts || {};
    this._topts = transportOptions(uri, o);
    this._timers = this._topts.timers;
    this._names = (o.transports || ["polling", "websocket", "streaming"]).slice();
    // Ladder's extensions (streaming) are offered only to a client that asks with ladder=1 (PROTOCOL.md); an
    // official server ignores the parameter.
    if (this._names.indexOf("streaming") >= 0) this._topts.query.ladder = "1";
    this._upgrade = o.upgrade !== false;
    this._remember = !!o.rememberUpgrade;
    const t = this._topts;
    this._origin = o.rememberTransport
      ? (t.secure ? "https://" : "http://") + t.hostname + ":" + t.port + t.path
      : null;
    this._tryAll = !!o.tryAllTransports;
    this._upgradeTimeout = o.upgradeTimeout !== undefined ? o.upgradeTimeout : 10000;
    this.binaryType = o.binaryType || defaultBinaryType();
    this.open();
  }

  /** Opens the session (called by the constructor; call again after a close to reconnect). */
  open(): void {
    if (this.readyState === "opening" || this.readyState === "open") return;
    let names: string[] = [];
    for (let i = 0; i < this._names.length; i++) {
      const name = this._names[i]!;
      const factory = registry[name];
      if (factory?.available(this._topts)) names.push(name);
    }
    const recalled = this._origin ? recallTransport(this._origin) : this._remember ? remembered : null;
    if (recalled && names.indexOf(recalled) > 0) {
      names = [recalled].concat(names.filter((n) => n !== recalled));
    }
    this.readyState = "opening";
    this._failed = {};
    if (names.length === 0) {
      this._timers.setTimeout(() => {
        const err = clientError("LADDER_ERR_CLIENT_NO_TRANSPORT");
        this.emit("error", err);
        this._onClose("transport error", err);
      }, 0);
      return;
    }
    this._openWith(names);
  }

  private _openWith(names: string[]): void {
    delete this._topts.query.sid;
    const t = this._create(names[0]!);
    this._setTransport(t);
    // Before the handshake only: a first transport that cannot connect may give way to the next one.
    const onFirstError = (): void => {
      if (this._tryAll && this.readyState === "opening" && names.length > 1) {
        t.off("error", onFirstError);
        this._cleanupTransport();
        t.close();
        this._openWith(names.slice(1));
      }
    };
    if (this._tryAll) this._unsub.unshift(on(t, "error", onFirstError));
    t.open();
  }

  private _create(name: string): Transport {
    return registry[name]!.create(assignOpts(this._topts));
  }

  private _setTransport(t: Transport): void {
    this._cleanupTransport();
    this.transport = t;
    this._unsub.push(
      on(t, "drain", () => this._onDrain()),
      on(t, "packet", (p: EnginePacket) => this._onPacket(p)),
      on(t, "error", (err: LadderClientError) => this._onError(err)),
      on(t, "close", (details?: CloseDetails) => this._onClose("transport close", details)),
    );
  }

  private _cleanupTransport(): void {
    const subs = this._unsub;
    this._unsub = [];
    for (let i = 0; i < subs.length; i++) subs[i]!();
  }

  private _onPacket(packet: EnginePacket): void {
    if (this.readyState === "closed") return;
    this.emit("packet", packet);
    switch (packet.type) {
      case "open":
        this._onHandshake(packet.data);
        break;
      case "ping":
        this._resetPingTimer();
        this._sendPacket("pong");
        this.emit("ping");
        break;
      case "message": {
        const data = packet.data;
        this.emit(
          "message",
          typeof data === "string" || data === undefined ? data || "" : toBinaryType(data, this.binaryType),
        );
        break;
      }
      default:
        break;
    }
  }

  private _onHandshake(data: string | Uint8Array | undefined): void {
    let hs: Handshake;
    try {
      hs = decodeHandshake(typeof data === "string" ? data : "");
    } catch (err) {
      this._onError(clientError("LADDER_ERR_CLIENT_PARSE", "bad handshake", { context: err }));
      return;
    }
    this.emit("handshake", hs);
    this.id = hs.sid;
    this._topts.query.sid = hs.sid;
    this.upgrades = hs.upgrades.filter((n) => this._names.indexOf(n) >= 0 && !!registry[n]);
    this.pingInterval = hs.pingInterval;
    this.pingTimeout = hs.pingTimeout;
    this.maxPayload = hs.maxPayload;
    if (this.readyState === "closed") return;
    this.readyState = "open";
    this.emit("open");
    this._flush();
    this._resetPingTimer();
    this._probeNext();
  }

  /** Probes, best first, the offered transports that rank above the current one; one at a time. */
  private _probeNext(): void {
    if (!this._upgrade || this.readyState !== "open" || this._cancelProbe || !this.transport) return;
    const current = registry[this.transport.name];
    const currentRank = current ? current.rank : 0;
    let best: string | null = null;
    let bestRank = currentRank;
    for (let i = 0; i < this.upgrades.length; i++) {
      const name = this.upgrades[i]!;
      const f = registry[name];
      if (!f || this._failed[name] || !f.available(this._topts)) continue;
      if (f.rank > bestRank) {
        best = name;
        bestRank = f.rank;
      }
    }
    if (!best) return;
    const name = best;
    this._cancelProbe = probe(
      {
        alive: () => this.readyState === "open",
        current: () => this.transport!,
        create: (n) => this._create(n),
        beginUpgrade: (n) => {
          this._upgrading = true;
          this.emit("upgrading", n);
        },
        switchTo: (next) => {
          this._setTransport(next);
          this._upgrading = false;
          remembered = next.name;
          if (this._origin) rememberTransport(this._origin, next.name);
          this.emit("upgrade", next.name);
          this._flush();
        },
        timers: this._timers,
        upgradeTimeout: this._upgradeTimeout,
      },
      name,
      (err) => {
        this._cancelProbe = null;
        if (err) {
          this._failed[name] = true;
          if (this._upgrading) {
            this._upgrading = false;
            if (this.transport) this.transport.resume();
            this._flush();
          }
          if (remembered === name) remembered = null;
          if (this._origin && recallTransport(this._origin) === name) rememberTransport(this._origin, null);
          if (this.readyState === "open") this.emit("upgradeError", err);
        }
        this._probeNext();
      },
    );
  }

  private _resetPingTimer(): void {
    const timers = this._timers;
    if (this._pingTimer !== null) timers.clearTimeout(this._pingTimer);
    // The server pings every pingInterval and waits pingTimeout for the pong; silence beyond both means it is gone.
    this._pingTimer = timers.setTimeout(() => {
      this._pingTimer = null;
      this._onClose("ping timeout");
    }, this.pingInterval + this.pingTimeout);
  }

  /** Sends a message (text or binary); `callback` runs once it was handed to the transport. */
  send(data: EngineData, callback?: () => void): this {
    this._sendPacket("message", typeof data === "string" ? data : toBytes(data), callback);
    return this;
  }

  /** Sends several messages that must stay together (a Socket.IO packet and its attachments). */
  write(parts: ReadonlyArray<string | Uint8Array>, callback?: () => void): this {
    if (this.readyState === "closing" || this.readyState === "closed") return this;
    for (let i = 0; i < parts.length; i++) {
      const packet: EnginePacket = { type: "message", data: parts[i]! };
      this.emit("packetCreate", packet);
      this._writeBuffer.push(packet);
    }
    if (callback) this.once("flush", callback);
    this._flush();
    return this;
  }

  /** True when a write would go out right now (used to drop volatile packets). */
  get writable(): boolean {
    return this.readyState === "open" && !this._upgrading && !!this.transport && this.transport.writable;
  }

  private _sendPacket(type: EnginePacketType, data?: string | Uint8Array, callback?: () => void): void {
    if (this.readyState === "closing" || this.readyState === "closed") return;
    const packet: EnginePacket = data === undefined ? { type } : { type, data };
    this.emit("packetCreate", packet);
    this._writeBuffer.push(packet);
    if (callback) this.once("flush", callback);
    this._flush();
  }

  private _flush(): void {
    const t = this.transport;
    if (this.readyState === "closed" || !t || !t.writable || this._upgrading || this._prevBufferLen > 0)
      return;
    if (this._writeBuffer.length === 0 || (this.readyState === "opening" && !this.id)) return;
    const packets = this._writablePackets(t);
    t.send(packets);
    this._prevBufferLen = packets.length;
    this.emit("flush");
  }

  /** For transports that batch, as many packets as fit in maxPayload (always at least one). */
  private _writablePackets(t: Transport): EnginePacket[] {
    const buffer = this._writeBuffer;
    if (!t.batches || !this.maxPayload || buffer.length === 1) return buffer.slice();
    let size = 1;
    for (let i = 0; i < buffer.length; i++) {
      const data = buffer[i]!.data;
      if (typeof data === "string") size += utf8ByteLength(data);
      else if (data) size += Math.ceil(data.byteLength / 3) * 4;
      size += 2; // type digit or "b", and the record separator
      if (i > 0 && size > this.maxPayload) return buffer.slice(0, i);
    }
    return buffer.slice();
  }

  private _onDrain(): void {
    this._writeBuffer.splice(0, this._prevBufferLen);
    this._prevBufferLen = 0;
    if (this._writeBuffer.length === 0) this.emit("drain");
    else this._flush();
  }

  /** Closes the session after flushing what is buffered (and after an upgrade in progress settles). */
  close(): this {
    if (this.readyState !== "opening" && this.readyState !== "open") return this;
    this.readyState = "closing";
    const close = (): void => this._onClose("forced close");
    const afterUpgrade = (): void => {
      if (this._cancelProbe) this._cancelProbe();
      close();
    };
    if (this._writeBuffer.length && this.transport && this.transport.readyState === "open") {
      this.once("drain", () => (this._upgrading ? afterUpgrade() : close()));
      // A write may never drain if the network is gone; the heartbeat watchdog still ends the session.
    } else if (this._upgrading) afterUpgrade();
    else close();
    return this;
  }

  private _onError(err: LadderClientError): void {
    if (
      this._tryAll &&
      this.readyState === "opening" &&
      this.transport &&
      this.transport.readyState !== "open"
    ) {
      // _openWith's listener may start the next transport; only give up when it did not.
      const t = this.transport;
      this._timers.setTimeout(() => {
        if (this.transport === t && this.readyState === "opening") this._fail(err);
      }, 0);
      return;
    }
    this._fail(err);
  }

  private _fail(err: LadderClientError): void {
    if (remembered && this.transport && remembered === this.transport.name) remembered = null;
    if (this._origin && this.transport && this.readyState === "opening")
      rememberTransport(this._origin, null);
    this.emit("error", err);
    this._onClose("transport error", err);
  }

  private _onClose(reason: string, details?: CloseDetails | LadderClientError): void {
    if (this.readyState === "closed") return;
    const t = this.transport;
    if (this._pingTimer !== null) this._timers.clearTimeout(this._pingTimer);
    this._pingTimer = null;
    if (this._cancelProbe) this._cancelProbe();
    this._cancelProbe = null;
    this._cleanupTransport();
    this.readyState = "closed";
    if (t) t.close();
    this.id = null;
    this._writeBuffer = [];
    this._prevBufferLen = 0;
    this._upgrading = false;
    this.emit("close", reason, details);
  }
}

function assignOpts(src: TransportOptions): TransportOptions {
  // The query object is shared on purpose: the sid learnt from the handshake reaches the transport in use.
  return assign({} as TransportOptions, src);
}
