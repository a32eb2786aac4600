import type { EnginePacket, EnginePacketType } from "@ladder/protocol";
import { EventEmitter } from "eventemitter3";
import { LadderServerError } from "../errors.js";
import type { TimerHandle } from "../timers.js";
import type { CloseReason, OutPacket, Transport, TransportSink } from "../transports/transport.js";
import type { HandshakeInfo } from "./handshake.js";
import { pingScheduleOf } from "./heartbeat.js";
import type { EngineOptions } from "./options.js";
import { UpgradeAttempt } from "./upgrade.js";

export type SessionReadyState = "opening" | "open" | "closing" | "closed";

/** Events of an {@link EngineSession}. */
export interface SessionEvents {
  /** A message from the client: text as string, binary as Buffer. */
  message: [data: string | Buffer];
  close: [reason: CloseReason, description?: unknown];
  upgrading: [transport: { readonly name: string }];
  upgrade: [transport: { readonly name: string }];
  /** The write buffer was handed to the transport. */
  drain: [];
  packet: [packet: EnginePacket];
  packetCreate: [packet: EnginePacket];
  /** A pong arrived: the client is alive. */
  heartbeat: [];
  error: [err: Error];
}

/** Data accepted by {@link EngineSession.send}. */
export type SendData = string | Uint8Array | ArrayBuffer;

export interface SendOptions {
  /** Allow compression (httpCompression / perMessageDeflate) for this packet. Default true. */
  compress?: boolean;
}

/** The session interface the socket layer codes against (see the engine/session contract). */
export interface EngineSession extends EventEmitter<SessionEvents> {
  readonly id: string;
  readonly readyState: SessionReadyState;
  readonly transport: { readonly name: string };
  readonly handshake: HandshakeInfo;
  readonly protocol: 4;
  readonly bufferedCount: number;
  send(data: SendData, options?: SendOptions, callback?: () => void): this;
  sendAll(data: ReadonlyArray<string | Uint8Array>, options?: SendOptions & { volatile?: boolean }): this;
  close(discard?: boolean): this;
}

interface QueuedPacket extends OutPacket {
  callback?: (() => void) | undefined;
}

/**
 * One Engine.IO session: lives above its transport and survives a transport switch (upgrade). It never asks
 * which transport it holds; it only uses `writable`, `send`, `close`, `discard` and the transport events.
 *
 * Write buffer policy: packets wait here while the transport is not writable (between two polls, while a
 * WebSocket is congested, during an upgrade). The buffer holds at most `maxBufferedPackets`; a non-volatile
 * packet beyond that closes the session with reason `"buffer overflow"` (a client that cannot keep up is
 * disconnected rather than allowed to grow server memory without bound). Volatile packets are never buffered.
 */
export class Session extends EventEmitter<SessionEvents> implements EngineSession, TransportSink {
  readonly id: string;
  readonly handshake: HandshakeInfo;
  readonly protocol = 4 as const;
  readyState: SessionReadyState = "opening";
  transport: Transport;
  private readonly options: EngineOptions;
  /** Shares one empty array while nothing is queued (the usual state of an idle session). */
  private writeBuffer: QueuedPacket[] = NO_PACKETS;
  private pingTimer: TimerHandle | undefined;
  private pingTimeoutTimer: TimerHandle | undefined;
  private upgradeAttempt: UpgradeAttempt | undefined;
  /** Set when a close is initiated here, so the transport's `close` maps to this reason. */
  private closeReason: CloseReason | undefined;

  constructor(id: string, handshake: HandshakeInfo, transport: Transport, options: EngineOptions) {
    super();
    this.id = id;
    this.handshake = handshake;
    this.options = options;
    this.transport = transport;
    this.attachTransport(transport);
  }

  /** Packets queued and not yet handed to the transport. */
  get bufferedCount(): number {
    return this.writeBuffer.length;
  }

  /** True while a probe transport is being tested. */
  get upgrading(): boolean {
    return this.upgradeAttempt !== undefined;
  }

  /** Sends the open packet and starts the heartbeat. Called once by the engine. */
  open(openPacketData: string): void {
    this.readyState = "open";
    this.sendPacket("open", openPacketData);
    this.schedulePing();
  }

  send(data: SendData, options?: SendOptions, callback?: () => void): this {
    this.sendPacket("message", normalize(data), options?.compress, callback);
    return this;
  }

  sendAll(data: ReadonlyArray<string | Uint8Array>, options?: SendOptions & { volatile?: boolean }): this {
    if (this.readyState !== "opening" && this.readyState !== "open") return this;
    if (options?.volatile && !(this.transport.writable && this.writeBuffer.length === 0)) return this;
    const compress = options?.compress !== false;
    if (
      this.transport.writable &&
      this.writeBuffer.length === 0 &&
      data.length !== 0 &&
      data.length <= this.options.maxBufferedPackets &&
      this.listenerCount("packetCreate") === 0
    ) {
      // Fast path (every recipient of a broadcast on an open WebSocket): nothing queued and nobody inspects
      // packets, so the payloads go straight to the transport without a packet object or a buffer round trip.
      this.transport.sendMessages(data, compress);
      this.emit("drain");
      return this;
    }
    for (const item of data) this.enqueue({ type: "message", data: item, compress });
    this.flush();
    return this;
  }

  /**
   * Closes the session: pending packets are flushed first (when the transport can take them), then the
   * transport is closed and `close` is emitted with reason `"forced close"`. With `discard`, nothing waits for
   * the client (used on server shutdown).
   */
  close(discard = false): this {
    if (this.readyState === "closing" && discard) {
      // An orderly close is still waiting for the client; shutdown does not wait.
      this.transport.close(true);
      this.onClose("forced close");
      return this;
    }
    if (this.readyState !== "open" && this.readyState !== "opening") return this;
    this.readyState = "closing";
    this.closeReason = "forced close";
    if (this.writeBuffer.length > 0 && !discard) {
      this.once("drain", () => this.closeTransport(false));
      this.flush();
      return this;
    }
    this.flush();
    this.closeTransport(discard);
    // Shutdown does not wait for the peer: the session is gone now, the transport finishes on its own.
    if (discard) this.onClose("forced close");
    return this;
  }

  /** Routes an HTTP request of this session to its transport (request-driven transports only). */
  handleRequest(...args: Parameters<NonNullable<Transport["onRequest"]>>): boolean {
    if (!this.transport.onRequest) return false;
    this.transport.onRequest(...args);
    return true;
  }

  /**
   * Routes an HTTP request for the transport being probed (the GETs and POSTs of a request-driven probe such as
   * streaming carry its name). False when no probe of that name is in progress.
   */
  handleProbeRequest(name: string, ...args: Parameters<NonNullable<Transport["onRequest"]>>): boolean {
    const probe = this.upgradeAttempt?.probe;
    if (!probe || probe.name !== name || !probe.onRequest) return false;
    probe.onRequest(...args);
    return true;
  }

  /** Starts probing `probe` as the session's next transport (the engine checked it is allowed). */
  beginUpgrade(probe: Transport): void {
    this.upgradeAttempt = new UpgradeAttempt(probe, this.options, {
      current: () => this.transport,
      upgrading: () => this.emit("upgrading", probe),
      commit: () => this.commitUpgrade(probe),
      end: () => {
        this.upgradeAttempt = undefined;
      },
    });
  }

  /** Whether this session may start an upgrade now (not already upgrading, and its transport allows it). */
  canUpgrade(): boolean {
    return this.readyState === "open" && !this.upgradeAttempt && this.transport.handlesUpgrades;
  }

  private commitUpgrade(next: Transport): void {
    const previous = this.transport;
    this.detachTransport(previous);
    previous.discard();
    previous.close();
    this.transport = next;
    this.attachTransport(next);
    this.emit("upgrade", next);
    this.flush();
    if (this.readyState === "closing") this.closeTransport(false);
  }

  private attachTransport(t: Transport): void {
    t.sink = this;
    t.on("drain", this.flush, this);
  }

  private detachTransport(t: Transport): void {
    if (t.sink === this) t.sink = undefined;
    t.off("drain", this.flush, this);
  }

  /** @internal A packet from the current transport (it calls this directly: see TransportSink). */
  onTransportPacket(packet: EnginePacket): void {
    if (this.readyState !== "open") return;
    this.emit("packet", packet);
    switch (packet.type) {
      case "message": {
        const data = packet.data ?? "";
        this.emit("message", typeof data === "string" ? data : toBuffer(data));
        break;
      }
      case "pong":
        this.schedulePing();
        this.emit("heartbeat");
        break;
      case "ping":
        // v4 heartbeats go server → client only; a client ping (other than the upgrade probe, which reaches the
        // probe transport, not this one) means a v3 client or a broken one.
        this.onError("transport error", new LadderServerError("LADDER_ERR_CLIENT_PING"));
        break;
      default:
        break;
    }
  }

  /** @internal */
  onTransportError(reason: CloseReason, err: LadderServerError): void {
    this.onError(reason, err);
  }

  private onError(reason: CloseReason, err: LadderServerError): void {
    if (this.listenerCount("error") > 0) this.emit("error", err);
    this.onClose(reason, err);
  }

  /** @internal */
  onTransportClose(): void {
    this.onClose(this.closeReason ?? "transport close");
  }

  private schedulePing(): void {
    const timers = this.options.timers;
    timers.clearTimeout(this.pingTimeoutTimer);
    this.pingTimeoutTimer = undefined;
    const shared = pingScheduleOf(this.options);
    if (shared) {
      shared.add(this);
      return;
    }
    timers.clearTimeout(this.pingTimer);
    this.pingTimer = timers.setTimeout(() => {
      this.pingTimer = undefined;
      this._pingDue();
    }, this.options.pingInterval);
  }

  /** @internal The ping interval elapsed: ping, and wait at most pingTimeout for the pong. */
  _pingDue(): void {
    this.sendPacket("ping");
    this.pingTimeoutTimer = this.options.timers.setTimeout(() => {
      this.pingTimeoutTimer = undefined;
      this.onClose("ping timeout");
    }, this.options.pingTimeout);
  }

  private sendPacket(
    type: EnginePacketType,
    data?: string | Uint8Array,
    compress?: boolean,
    callback?: () => void,
  ): void {
    if (this.readyState !== "opening" && this.readyState !== "open") return;
    const packet: QueuedPacket = { type, data, compress: compress !== false, callback };
    if (this.writeBuffer.length === 0 && this.transport.writable && !callback) {
      // Fast path (an open WebSocket, a pending poll): nothing queued, so the packet goes straight out.
      this.emit("packetCreate", packet);
      this.transport.send([packet]);
      this.emit("drain");
      return;
    }
    this.enqueue(packet);
    this.flush();
  }

  private enqueue(packet: QueuedPacket): void {
    if (this.readyState === "closed") return;
    if (this.writeBuffer.length >= this.options.maxBufferedPackets) {
      this.onClose("buffer overflow", new LadderServerError("LADDER_ERR_BUFFER_OVERFLOW"));
      return;
    }
    this.emit("packetCreate", packet);
    if (this.writeBuffer === NO_PACKETS) this.writeBuffer = [];
    this.writeBuffer.push(packet);
  }

  private flush(): void {
    if (this.readyState === "closed" || !this.transport.writable || this.writeBuffer.length === 0) return;
    const packets = this.writeBuffer;
    this.writeBuffer = NO_PACKETS;
    let callbacks: (() => void)[] | undefined;
    for (const p of packets) {
      if (!p.callback) continue;
      if (!callbacks) callbacks = [];
      callbacks.push(p.callback);
    }
    this.transport.send(
      packets,
      callbacks &&
        (() => {
          for (const cb of callbacks) cb();
        }),
    );
    this.emit("drain");
  }

  private closeTransport(discard: boolean): void {
    this.transport.close(discard);
  }

  /** Final state change: clears every timer, drops the buffer, closes what is left. Idempotent. */
  onClose(reason: CloseReason, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    const timers = this.options.timers;
    timers.clearTimeout(this.pingTimer);
    timers.clearTimeout(this.pingTimeoutTimer);
    this.pingTimer = this.pingTimeoutTimer = undefined;
    pingScheduleOf(this.options)?.remove(this);
    this.upgradeAttempt?.cancel();
    this.upgradeAttempt = undefined;
    this.writeBuffer = NO_PACKETS;
    const transport = this.transport;
    this.detachTransport(transport);
    // A failed transport may still report errors while it winds down; nobody is listening for them anymore.
    transport.on("error", noop);
    // Whatever ended the session, nothing is left to wait for: no close timer may outlive it.
    transport.close(true);
    this.emit("close", reason, description);
  }
}

function noop(): void {}

/** Never pushed to: `enqueue` swaps in a fresh array first. */
const NO_PACKETS: QueuedPacket[] = [];

function normalize(data: SendData): string | Uint8Array {
  if (typeof data === "string" || data instanceof Uint8Array) return data;
  return new Uint8Array(data);
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
