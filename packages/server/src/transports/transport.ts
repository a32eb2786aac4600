import type { IncomingMessage, ServerResponse } from "node:http";
import type { EnginePacket } from "@ladder/protocol";
import { EventEmitter } from "eventemitter3";
import type { EngineOptions } from "../engine/options.js";
import type { LadderServerError } from "../errors.js";

/** Why a session closed. The strings are engine.io's, so code written for engine.io keeps working. */
export type CloseReason =
  | "transport close"
  | "ping timeout"
  | "transport error"
  | "forced close"
  | "server shutting down"
  | "parse error"
  | "buffer overflow"
  | "forced server close";

/** A packet on its way out, with the per-packet write options. */
export interface OutPacket extends EnginePacket {
  compress?: boolean;
}

/** Parsed query string of a request: a null-prototype object, so `__proto__` / `constructor` are plain keys. */
export type Query = Record<string, string>;

/** Everything a transport gets from the engine; no IncomingMessage is kept beyond a pending request. */
export interface TransportContext {
  query: Query;
  options: EngineOptions;
  /** Lets the engine emit `headers` (and `initial_headers` for the handshake response) before a response is written. */
  onHeaders: (headers: Record<string, string | string[]>, req: IncomingMessage, initial: boolean) => void;
  /** True when this transport was created by a handshake (its first response carries the open packet). */
  handshake: boolean;
}

export interface TransportEvents {
  /** A decoded packet from the client. */
  packet: [packet: EnginePacket];
  /** The transport failed; the session closes with `reason`. */
  error: [reason: CloseReason, err: LadderServerError];
  /** The transport is finished (peer went away, close packet, or our close completed). */
  close: [];
  /** The transport became writable: the session should flush its buffer. */
  drain: [];
}

/**
 * The session that owns a transport. It is called directly rather than through listeners: three listener
 * objects per session are memory every idle connection pays for. Events are still emitted for anyone else
 * (an upgrade attempt watching its probe, tests).
 */
export interface TransportSink {
  onTransportPacket(packet: EnginePacket): void;
  onTransportError(reason: CloseReason, err: LadderServerError): void;
  onTransportClose(): void;
}

/**
 * The transport base (template method): the session talks only to this surface, never to a concrete class and
 * never by transport name. Variation between transports is expressed as properties:
 *
 * - `handlesUpgrades`: a session on this transport may be upgraded (probe) to another one.
 * - `supportsFraming`: the transport delimits packets itself (one packet per WebSocket frame) rather than
 *   batching them into a payload.
 * - `writable` + `drain`: request-driven transports (polling, streaming) are writable while a response is open;
 *   socket-driven ones (websocket) while the socket is not congested. `send` is only called when writable.
 * - `onRequest`: present on request-driven transports; the engine routes every HTTP request of the session here.
 *
 * Subclasses implement `doSend` and `doClose`; the base owns the state machine.
 */
export abstract class Transport extends EventEmitter<TransportEvents> {
  abstract readonly name: string;
  abstract readonly handlesUpgrades: boolean;
  abstract readonly supportsFraming: boolean;
  /** Whether `send` may be called right now. */
  writable = false;
  readyState: "open" | "closing" | "closed" = "open";
  /** Set when the session moved to another transport; a discarded transport closes without a close packet. */
  discarded = false;
  protected readonly ctx: TransportContext;
  /** @internal The session this transport currently serves (set and cleared by the session). */
  sink: TransportSink | undefined = undefined;

  constructor(ctx: TransportContext) {
    super();
    this.ctx = ctx;
  }

  /** Request-driven transports receive each HTTP request of their session here. */
  onRequest?(req: IncomingMessage, res: ServerResponse): void;

  /** Writes packets; `written` runs once they are handed to the OS. Only call while `writable`. */
  send(packets: readonly OutPacket[], written?: () => void): void {
    if (this.readyState === "closed") return;
    this.doSend(packets, written);
  }

  /**
   * Writes message packets given as bare payloads (the session's fast path: nothing queued, transport
   * writable). Transports that frame messages themselves override it to skip the per-packet objects; the
   * payload array may be shared by many sessions (a broadcast), so it is only read.
   */
  sendMessages(data: ReadonlyArray<string | Uint8Array>, compress: boolean): void {
    const packets: OutPacket[] = [];
    for (const item of data) packets.push({ type: "message", data: item, compress });
    this.send(packets);
  }

  /**
   * Closes the transport; `close` is emitted when done. Idempotent. With `immediate`, nothing waits for the
   * client (a close packet still goes out where a response or socket is open right now).
   */
  close(immediate = false): void {
    if (immediate) this.discarded = true;
    if (immediate && this.readyState === "closing") {
      // A close already waiting for the client (e.g. a close packet queued for the next poll) is cut short.
      this.onClose();
      return;
    }
    if (this.readyState !== "open") return;
    this.readyState = "closing";
    this.doClose(() => this.onClose());
  }

  /** The session has moved on; whatever is still pending here must not carry packets anymore. */
  discard(): void {
    this.discarded = true;
  }

  protected abstract doSend(packets: readonly OutPacket[], written?: () => void): void;
  protected abstract doClose(done: () => void): void;

  protected onPacket(packet: EnginePacket): void {
    this.sink?.onTransportPacket(packet);
    this.emit("packet", packet);
  }

  protected onError(reason: CloseReason, err: LadderServerError): void {
    if (this.readyState === "closed") return;
    this.sink?.onTransportError(reason, err);
    this.emit("error", reason, err);
  }

  protected onClose(): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.writable = false;
    this.sink?.onTransportClose();
    this.emit("close");
  }
}
