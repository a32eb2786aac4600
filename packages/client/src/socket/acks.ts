import type { SocketPacket } from "@ladder/protocol";
import { clientError } from "../errors.js";
import { defaultTimers } from "../timers.js";
import { assign } from "../url.js";
import type { Manager } from "./manager.js";
import type { Ack, Flags, Queued, SocketOptions } from "./types.js";

/**
 * @internal The ack half of a {@link Socket}: acks both ways, deadlines, failing acks on disconnect, and the
 * at-least-once retry queue. A base class rather than free functions so that these stay plain methods (the
 * minifier would inline single-use functions as closures on the emit and receive paths).
 */
export abstract class SocketAcks {
  abstract readonly io: Manager;
  abstract readonly nsp: string;
  abstract connected: boolean;
  abstract sendBuffer: SocketPacket[];
  // The fields live in Socket (initialised there, in their original order); declared here for the methods.
  protected abstract _acks: { [id: string]: Ack | undefined };
  protected abstract _flags: Flags;
  protected abstract _opts: SocketOptions;
  protected abstract _queue: Queued[];
  protected abstract _queueSeq: number;

  abstract emit(event: string, ...args: unknown[]): this;
  protected abstract _packet(packet: SocketPacket): void;

  /** Stores `ack` under `id`; with a timeout (flag or default), it gets `(err, ...response)` and fails after it. */
  protected _registerAck(id: number, ack: Ack, flags: Flags): void {
    const timeout = flags.timeout !== undefined ? flags.timeout : this._opts.ackTimeout;
    if (timeout === undefined) {
      this._acks[id] = ack;
      return;
    }
    const timers = this.io.opts.timers || defaultTimers;
    const timer = timers.setTimeout(() => {
      delete this._acks[id];
      for (let i = 0; i < this.sendBuffer.length; i++) {
        if (this.sendBuffer[i]!.id === id) this.sendBuffer.splice(i, 1);
      }
      ack.call(this, clientError("LADDER_ERR_CLIENT_ACK_TIMEOUT"));
    }, timeout);
    const wrapped: Ack = (...args: unknown[]) => {
      timers.clearTimeout(timer);
      ack.apply(this, [null].concat(args as null[]));
    };
    wrapped.withError = true;
    this._acks[id] = wrapped;
  }

  /** On disconnect: fails the acks that expect an error, unless their packet still waits in the send buffer. */
  protected _clearAcks(): void {
    for (const id in this._acks) {
      const ack = this._acks[id];
      if (!ack) continue;
      let buffered = false;
      for (let i = 0; i < this.sendBuffer.length; i++)
        if (String(this.sendBuffer[i]!.id) === id) buffered = true;
      // Acks of packets still waiting in the send buffer may yet be answered after the reconnection.
      if (!buffered && ack.withError) {
        delete this._acks[id];
        ack.call(this, clientError("LADDER_ERR_CLIENT_DISCONNECTED"));
      }
    }
  }

  /** Queues an emit for at-least-once delivery: it is resent until acked or out of retries. */
  protected _addToQueue(args: unknown[], flags: Flags): void {
    let ack: Ack | undefined;
    if (typeof args[args.length - 1] === "function") ack = args.pop() as Ack;
    const packet: Queued = {
      id: this._queueSeq++,
      tryCount: 0,
      pending: false,
      args,
      flags: assign({ fromQueue: true }, flags),
    };
    args.push((err: unknown, ...response: unknown[]) => {
      if (packet !== this._queue[0]) return;
      if (err) {
        if (packet.tryCount > (this._opts.retries || 0)) {
          this._queue.shift();
          if (ack) ack(err);
        }
      } else {
        this._queue.shift();
        if (ack) ack.apply(this, [null].concat(response as null[]));
      }
      packet.pending = false;
      this._drainQueue();
    });
    this._queue.push(packet);
    this._drainQueue();
  }

  /** Sends the head of the retry queue (again, with `force`) while connected. */
  protected _drainQueue(force?: boolean): void {
    if (!this.connected || this._queue.length === 0) return;
    const packet = this._queue[0]!;
    if (packet.pending && !force) return;
    packet.pending = true;
    packet.tryCount++;
    this._flags = assign({}, packet.flags);
    // At-least-once needs an ack deadline even if none was set.
    if (this._flags.timeout === undefined && this._opts.ackTimeout === undefined) this._flags.timeout = 5000;
    const args = packet.args;
    this.emit(args[0] as string, ...args.slice(1));
  }

  /** The callback handed to a listener of an event that asked for an ack (ACK = 3). */
  protected _ack(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      // An ack answers once; a second call would confuse the server's ack table.
      if (sent) return;
      sent = true;
      this._packet({ type: 3, nsp: this.nsp, id, data: args });
    };
  }

  /** An ACK from the server: calls (and forgets) the ack registered under its id. */
  protected _onAck(packet: SocketPacket): void {
    const id = packet.id;
    if (id === undefined) return;
    const ack = this._acks[id];
    if (typeof ack !== "function") return;
    delete this._acks[id];
    ack.apply(this, Array.isArray(packet.data) ? (packet.data as unknown[]) : []);
  }
}
