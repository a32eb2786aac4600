import type { SocketPacket } from "@ladder/protocol";
import { type EventMap, Listeners } from "../emitter.js";
import { clientError } from "../errors.js";
import { assign } from "../url.js";
import type { Manager } from "./manager.js";
import type { Ack, Flags, Queued, SocketOptions } from "./types.js";

/**
 * @internal The ack half of a {@link Socket}: acks both ways, deadlines, failing acks on disconnect, and the
 * at-least-once retry queue. A base class rather than free functions so that these stay plain methods (the
 * minifier would inline single-use functions as closures on the emit and receive paths).
 */
export abstract class SocketAcks<Events extends EventMap> extends Listeners<Events> {
  abstract readonly io: Manager;
  abstract readonly nsp: string;
  abstract connected: boolean;
  abstract sendBuffer: SocketPacket[];
  // The fields live in Socket (initialised there, in their original order); declared here for the methods.
  protected abstract _acks: { [id: string]: Ack | undefined };
  protected abstract _flags: Flags;
  protected abstract _opts: SocketOptions;
  protected abstract _queue: Queued[];

  /** The ack timeout of an emit with these flags: `timeout(ms)`, else the `ackTimeout` option, else none. */
  protected _deadline(flags: Flags): number | undefined {
    return flags.timeout !== undefined ? flags.timeout : this._opts.ackTimeout;
  }

  /** Stores `ack` under `id`; with a timeout (flag or default), it gets `(err, ...response)` and fails after it. */
  protected _registerAck(id: number, ack: Ack, timeout: number | undefined): void {
    if (timeout === undefined) {
      this._acks[id] = ack;
      return;
    }
    const timers = this.io._timers;
    const timer = timers.setTimeout(() => {
      delete this._acks[id];
      const buffer = this.sendBuffer;
      for (let i = 0; i < buffer.length; i++) if (buffer[i]!.id === id) buffer.splice(i, 1);
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
      const ack = this._acks[id]!;
      // Acks of packets still waiting in the send buffer may yet be answered after the reconnection.
      if (ack.withError && !this.sendBuffer.some((packet) => String(packet.id) === id)) {
        delete this._acks[id];
        ack.call(this, clientError("LADDER_ERR_CLIENT_DISCONNECTED"));
      }
    }
  }

  /** Queues an emit (`[event, ...args]`) for at-least-once delivery: resent until acked or out of retries. */
  protected _addToQueue(args: unknown[], flags: Flags): void {
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    const item: Queued = {
      tryCount: 0,
      _pending: false,
      _args: args,
      _flags: assign({ fromQueue: true }, flags),
    };
    // At-least-once needs an ack deadline even if none was set.
    if (this._deadline(flags) === undefined) item._flags.timeout = 5000;
    args.push((err: unknown, ...response: unknown[]) => {
      if (item !== this._queue[0]) return;
      if (!err || item.tryCount > (this._opts.retries || 0)) {
        this._queue.shift();
        if (ack) ack.apply(this, err ? [err] : [null].concat(response as null[]));
      }
      item._pending = false;
      this._drainQueue();
    });
    this._queue.push(item);
    this._drainQueue();
  }

  /** Sends the head of the retry queue (again, with `force`) while connected. */
  protected _drainQueue(force?: boolean): void {
    const item = this._queue[0];
    if (!this.connected || !item || (item._pending && !force)) return;
    item._pending = true;
    item.tryCount++;
    this._flags = item._flags;
    // Socket.emit, seen untyped: the queue resends whatever event was queued.
    (this as unknown as { emit(...args: unknown[]): unknown }).emit.apply(this, item._args);
  }

  /** The callback handed to a listener of an event that asked for an ack (ACK = 3). */
  protected _ack(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      // An ack answers once; a second call would confuse the server's ack table.
      if (sent) return;
      sent = true;
      this.io._packet({ type: 3, nsp: this.nsp, id, data: args });
    };
  }

  /** An ACK from the server (the decoder guarantees an id and an array): calls and forgets its ack. */
  protected _onAck(packet: SocketPacket): void {
    const id = packet.id as number;
    const ack = this._acks[id];
    if (!ack) return;
    delete this._acks[id];
    ack.apply(this, packet.data as unknown[]);
  }
}
