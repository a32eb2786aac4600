/**
 * Pending acknowledgements. A socket keeps `ack id → entry` (created lazily); an entry is either a direct ack
 * (one callback, maybe with a timer) or a broadcast's shared handler (one object for every recipient, so a
 * broadcast with acks allocates nothing per recipient beyond the map entry).
 */
import type { BroadcastAckHandler } from "./adapter.js";
import type { SocketTimers } from "./engine-types.js";
import { SocketError } from "./errors.js";

export type AckCallback = (...args: unknown[]) => void;

/** The ack of one direct emit. `withError`: called as `(err, ...args)` (after `timeout(ms)`). */
export class DirectAck {
  timer: unknown;

  constructor(
    readonly fn: AckCallback,
    readonly withError: boolean,
  ) {}

  resolve(args: unknown[], timers: SocketTimers): void {
    if (this.timer !== undefined) timers.clearTimeout(this.timer);
    if (this.withError) this.fn(null, ...args);
    else this.fn(...args);
  }

  /** The ack will never come (timeout or disconnection); only error-first callbacks are told. */
  reject(err: Error, timers: SocketTimers): void {
    if (this.timer !== undefined) timers.clearTimeout(this.timer);
    if (this.withError) this.fn(err);
  }
}

export type PendingAck = DirectAck | BroadcastAckHandler;

/** Register the ack of one direct emit; with a timeout, the entry is dropped and rejected when it fires first. */
export function addDirectAck(
  acks: Map<number, PendingAck>,
  id: number,
  fn: AckCallback,
  timeout: number | undefined,
  timers: SocketTimers,
): void {
  const entry = new DirectAck(fn, timeout !== undefined);
  acks.set(id, entry);
  if (timeout !== undefined) {
    entry.timer = timers.setTimeout(() => {
      entry.timer = undefined;
      if (acks.get(id) !== entry) return;
      acks.delete(id);
      entry.reject(new SocketError("LADDER_ERR_SOCKET_ACK_TIMEOUT"), timers);
    }, timeout);
  }
}

/** An ACK packet arrived: answer its entry once; unknown, already answered or timed-out ids are ignored. */
export function settleAck(
  acks: Map<number, PendingAck>,
  id: number,
  data: unknown,
  timers: SocketTimers,
): void {
  const entry = acks.get(id);
  if (!entry) return;
  acks.delete(id);
  const args = data as unknown[];
  if (entry instanceof DirectAck) entry.resolve(args, timers);
  else entry.response(args[0]);
}

/** The socket is gone: no pending ack will ever be answered. */
export function rejectAcks(acks: Map<number, PendingAck>, timers: SocketTimers): void {
  for (const entry of acks.values()) {
    if (entry instanceof DirectAck) entry.reject(new SocketError("LADDER_ERR_SOCKET_DISCONNECTED"), timers);
    else entry.gone();
  }
}

/**
 * Collects the answers of one broadcast with acks across every node: done when every node reported its recipient
 * count and every counted recipient answered or left; on timeout, the callback gets the answers so far and every
 * node drops its pending entries.
 */
export class BroadcastAckCollector implements BroadcastAckHandler {
  private readonly responses: unknown[] = [];
  private expected = 0;
  private nodesReported = 0;
  private expectedNodes = Number.POSITIVE_INFINITY;
  private done = false;
  private timer: unknown;
  private releases: Array<() => void> | undefined;

  constructor(
    readonly ackId: number,
    private readonly cb: (err: Error | null, responses: unknown[]) => void,
    private readonly timers: SocketTimers,
    timeout: number | undefined,
  ) {
    if (timeout !== undefined) {
      this.timer = timers.setTimeout(() => {
        this.timer = undefined;
        this.finish(new SocketError("LADDER_ERR_SOCKET_ACK_TIMEOUT"));
      }, timeout);
    }
  }

  /** How many nodes take part (known asynchronously, from `adapter.serverCount()`). */
  expectNodes(n: number): void {
    this.expectedNodes = n;
    this.check();
  }

  clientCount(count: number, release?: () => void): void {
    if (this.done) {
      release?.();
      return;
    }
    this.expected += count;
    this.nodesReported++;
    if (release) {
      this.releases ??= [];
      this.releases.push(release);
    }
    this.check();
  }

  response(value: unknown): void {
    if (this.done) return;
    this.responses.push(value);
    this.check();
  }

  gone(): void {
    if (this.done) return;
    this.expected--;
    this.check();
  }

  private check(): void {
    if (!this.done && this.nodesReported >= this.expectedNodes && this.responses.length >= this.expected) {
      this.finish(null);
    }
  }

  private finish(err: Error | null): void {
    this.done = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    if (this.releases) for (const release of this.releases) release();
    this.releases = undefined;
    this.cb(err, this.responses);
  }
}
