import { decodeHandshake, type EnginePacket, type Handshake, utf8ByteLength } from "@ladder/protocol";
import { Emitter } from "../emitter.js";
import { clientError, type LadderClientError } from "../errors.js";
import { transports as registry } from "../registry.js";
import type { Timers } from "../timers.js";
import type { CloseDetails, Transport, TransportOptions } from "../transports/transport.js";
import { assign } from "../url.js";
import { defaultBinaryType, toBinaryType, toBytes } from "./binary.js";
import type { BinaryType, EngineOptions } from "./options.js";
import { watchPage } from "./page-events.js";
import { probe } from "./probe.js";
import { recallTransport, rememberTransport } from "./remember.js";
import { type SessionOptions, transportOptions } from "./transport-options.js";
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

  /** @internal (read by the probe) */
  readonly _timers: Timers;
  /** @internal (read by the probe) */
  readonly _upgradeTimeout: number;
  /** The transports' shared options; the session's own (upgrade, rememberUpgrade, tryAllTransports) ride along. */
  private readonly _topts: SessionOptions;
  private readonly _names: string[];
  /** localStorage key suffix of `rememberTransport`, or null when that option is off. */
  private readonly _origin: string | null;
  // _next and _failed are set by open(), which the constructor calls.
  /** The transports still to try, with `tryAllTransports`, if the current one fails before the handshake. */
  private _next!: string[];
  private _writeBuffer: EnginePacket[] = [];
  /** How many packets of the write buffer the transport is writing (they leave the buffer on `drain`). */
  private _inFlight = 0;
  private _upgrading = false;
  private _pingTimer: unknown = null;
  private _cancelProbe: (() => void) | null = null;
  /** Transports whose probe failed in this session (not probed again). */
  private _failed!: { [name: string]: boolean };
  /** Stops following the page's offline/beforeunload events (page-events.ts); set while the session is not closed. */
  private _unwatch: (() => void) | null = null;

  /**
   * @param uri server URL (`http://host:port`, `ws://...`); the path comes from `opts.path`.
   * @param opts see {@link EngineOptions}
   */
  constructor(uri?: string, opts?: EngineOptions) {
    super();
    const o = opts || {};
    const t = transportOptions(uri, o);
    this._topts = t;
    this._timers = t.timers;
    this._names = (o.transports || ["polling", "websocket", "streaming"]).slice();
    // Ladder's extensions (streaming) are offered only to a client that asks with ladder=1 (PROTOCOL.md); an
    // official server ignores the parameter.
    if (this._names.indexOf("streaming") >= 0) t.query.ladder = "1";
    this._origin = o.rememberTransport
      ? (t.secure ? "https://" : "http://") + t.hostname + ":" + t.port + t.path
      : null;
    this._upgradeTimeout = o.upgradeTimeout !== undefined ? o.upgradeTimeout : 10000;
    this.binaryType = o.binaryType || defaultBinaryType();
    this.open();
  }

  /** Opens the session (called by the constructor; call again after a close to reconnect). */
  open(): void {
    if (this.readyState === "opening" || this.readyState === "open") return;
    // biome-ignore lint/complexity/useOptionalChain: smaller than `?.` once down-levelled (ES2018 has no `?.`)
    const names = this._names.filter((name) => registry[name] && registry[name].available(this._topts));
    const recalled = this._origin
      ? recallTransport(this._origin)
      : this._topts.rememberUpgrade
        ? remembered
        : null;
    const i = recalled ? names.indexOf(recalled) : -1;
    if (i > 0) names.unshift(names.splice(i, 1)[0]!);
    this.readyState = "opening";
    this._failed = {};
    const t = this._topts;
    this._unwatch = watchPage(
      t.hostname,
      t.closeOnBeforeunload,
      () => this._onClose("transport close", { description: "network connection lost" }),
      () => {
        if (this.transport) this.transport.off().close();
      },
    );
    delete this._topts.query.sid;
    this._next = names;
    if (names.length) this._openNext();
    else this._timers.setTimeout(() => this._fail(clientError("LADDER_ERR_CLIENT_NO_TRANSPORT")), 0);
  }

  private _openNext(): void {
    const t = this._create(this._next.shift()!);
    this._setTransport(t);
    t.open();
  }

  private _create(name: string): Transport {
    // The query object is shared on purpose: the sid learnt from the handshake reaches the transport in use.
    const own = this._topts.transportOptions;
    // biome-ignore lint/complexity/useOptionalChain: smaller than `?.` once down-levelled (ES2018 has no `?.`)
    return registry[name]!.create(assign({} as TransportOptions, this._topts, own && own[name]));
  }

  private _setTransport(t: Transport): void {
    // The session owns every listener of the transport it holds.
    if (this.transport) this.transport.off();
    this.transport = t;
    t.on("drain", () => this._onDrain())
      .on("packet", (p) => this._onPacket(p))
      .on("error", (err) => this._onError(err))
      .on("close", (details) => this._onClose("transport close", details));
  }

  private _onPacket(packet: EnginePacket): void {
    if (this.readyState === "closed") return;
    this.emit("packet", packet);
    const data = packet.data;
    if (packet.type === "open") this._onHandshake(data as string);
    else if (packet.type === "ping") {
      this._watchdog(true);
      this._queue([{ type: "pong" }]);
      this.emit("ping");
    } else if (packet.type === "message") {
      this.emit("message", typeof data === "object" ? toBinaryType(data, this.binaryType) : data || "");
    }
  }

  private _onHandshake(data: string): void {
    let hs: Handshake;
    try {
      hs = decodeHandshake(data);
    } catch (err) {
      this._onError(clientError("LADDER_ERR_CLIENT_PARSE", "bad handshake", { context: err }));
      return;
    }
    this.emit("handshake", hs);
    if (this.readyState === "closed") return;
    this.id = this._topts.query.sid = hs.sid;
    this.upgrades = hs.upgrades.filter((n) => this._names.indexOf(n) >= 0 && registry[n]);
    this.pingInterval = hs.pingInterval;
    this.pingTimeout = hs.pingTimeout;
    this.maxPayload = hs.maxPayload;
    this.readyState = "open";
    this.emit("open");
    this._flush();
    this._watchdog(true);
    this._probeNext();
  }

  /** Probes, best first, the offered transports that rank above the current one; one at a time. */
  private _probeNext(): void {
    // No probe once the session is over (_onClose clears the id before cancelling a probe in flight).
    if (this._topts.upgrade === false || this.readyState !== "open" || !this.id || this._cancelProbe) return;
    const current = registry[this.transport!.name];
    let best: string | null = null;
    let bestRank = current ? current.rank : 0;
    for (let i = 0; i < this.upgrades.length; i++) {
      const name = this.upgrades[i]!;
      const f = registry[name];
      if (f && !this._failed[name] && f.available(this._topts) && f.rank > bestRank) {
        best = name;
        bestRank = f.rank;
      }
    }
    if (best) this._cancelProbe = probe(this, this._create(best));
  }

  /** @internal (called by the probe) */
  _beginUpgrade(next: Transport): void {
    this._upgrading = true;
    this.emit("upgrading", next);
  }

  /** @internal (called by the probe) */
  _probed(next: Transport, err: LadderClientError | null): void {
    const name = next.name;
    this._cancelProbe = null;
    if (err) {
      this._failed[name] = true;
      if (this._upgrading) this.transport!.resume();
      this._forget(name, !!this._origin && recallTransport(this._origin) === name);
    } else {
      this._setTransport(next);
      remembered = name;
      if (this._origin) rememberTransport(this._origin, name);
    }
    this._upgrading = false;
    if (!err) this.emit("upgrade", next);
    else if (this.readyState === "open") this.emit("upgradeError", err);
    this._flush();
    this._probeNext();
  }

  /** Clears the heartbeat watchdog and, when `arm`, starts it again. */
  private _watchdog(arm: boolean): void {
    const timers = this._timers;
    if (this._pingTimer !== null) timers.clearTimeout(this._pingTimer);
    // The server pings every pingInterval and waits pingTimeout for the pong; silence beyond both means it is gone.
    this._pingTimer = arm
      ? timers.setTimeout(() => this._onClose("ping timeout"), this.pingInterval + this.pingTimeout)
      : null;
  }

  /** Sends a message (text or binary); `callback` runs once it was handed to the transport. */
  send(data: EngineData, callback?: () => void): this {
    return this.write([typeof data === "string" ? data : toBytes(data)], callback);
  }

  /** Sends several messages that must stay together (a Socket.IO packet and its attachments). */
  write(parts: ReadonlyArray<string | Uint8Array>, callback?: () => void): this {
    this._queue(
      parts.map((data): EnginePacket => ({ type: "message", data })),
      callback,
    );
    return this;
  }

  /** True when a write would go out right now (used to drop volatile packets). */
  get writable(): boolean {
    return this.readyState === "open" && !this._upgrading && this.transport!.writable;
  }

  private _queue(packets: EnginePacket[], callback?: () => void): void {
    if (this.readyState === "closing" || this.readyState === "closed") return;
    for (let i = 0; i < packets.length; i++) {
      this.emit("packetCreate", packets[i]!);
      this._writeBuffer.push(packets[i]!);
    }
    if (callback) this.once("flush", callback);
    this._flush();
  }

  private _flush(): void {
    // Set once the session has an id (the handshake came on a transport).
    const t = this.transport!;
    const buffer = this._writeBuffer;
    // Nothing goes out before the handshake or after the close (no id), during a switch, or while a write is in
    // flight.
    if (!this.id || !t.writable || this._upgrading || this._inFlight || !buffer.length) return;
    let n = buffer.length;
    if (t.batches && this.maxPayload) {
      // A transport that batches gets as many packets as fit in maxPayload (always at least one).
      let size = 1;
      for (let i = 0; i < buffer.length; i++) {
        const data = buffer[i]!.data;
        // type digit or "b", the record separator, and the text or base64 body
        size +=
          2 +
          (typeof data === "string" ? utf8ByteLength(data) : data ? Math.ceil(data.byteLength / 3) * 4 : 0);
        if (i && size > this.maxPayload) {
          n = i;
          break;
        }
      }
    }
    this._inFlight = n;
    t.send(buffer.slice(0, n));
    this.emit("flush");
  }

  private _onDrain(): void {
    this._writeBuffer.splice(0, this._inFlight);
    this._inFlight = 0;
    if (this._writeBuffer.length) this._flush();
    else {
      this.emit("drain");
      // close() waits for the buffer to drain; the session itself, not a listener, so a session that ends
      // another way meanwhile leaves nothing behind to close its next one.
      if (this.readyState === "closing") this._onClose("forced close");
    }
  }

  /** Closes the session after flushing what is buffered (and after an upgrade in progress settles). */
  close(): this {
    if (this.readyState !== "opening" && this.readyState !== "open") return this;
    this.readyState = "closing";
    // With packets still to write, _onDrain ends the session once they are out. A write may never drain if the
    // network is gone; the heartbeat watchdog still ends the session.
    if (!this._writeBuffer.length || !this.transport || this.transport.readyState !== "open")
      this._onClose("forced close");
    return this;
  }

  private _onError(err: LadderClientError): void {
    const t = this.transport!;
    if (
      this._topts.tryAllTransports &&
      this.readyState === "opening" &&
      t.readyState !== "open" &&
      this._next.length
    ) {
      // Before the handshake, a transport that cannot connect gives way to the next one.
      t.off().close();
      this._openNext();
    } else this._fail(err);
  }

  private _fail(err: LadderClientError): void {
    if (this.transport) this._forget(this.transport.name, this.readyState === "opening");
    this.emit("error", err);
    this._onClose("transport error", err);
  }

  /** Forgets `name` as the transport to start the next session with; `stored` also clears rememberTransport's. */
  private _forget(name: string, stored: boolean): void {
    if (remembered === name) remembered = null;
    if (this._origin && stored) rememberTransport(this._origin, null);
  }

  private _onClose(reason: string, details?: CloseDetails | LadderClientError): void {
    if (this.readyState === "closed") return;
    const t = this.transport;
    this._watchdog(false);
    this.id = null;
    if (this._cancelProbe) this._cancelProbe();
    if (this._unwatch) this._unwatch();
    this._unwatch = null;
    this.readyState = "closed";
    if (t) t.off().close();
    this._writeBuffer = [];
    this._inFlight = 0;
    // _upgrading was reset by the probe's end (cancelled above if it was running).
    this.emit("close", reason, details);
  }
}
