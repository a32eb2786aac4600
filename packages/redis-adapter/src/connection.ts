/**
 * The Redis connections one `createAdapter` call shares between all namespaces of a server: a command client and a
 * subscriber (a connection in subscribe mode cannot run other commands). Channels are reference-counted so that a
 * room channel is subscribed while at least one local socket is in the room, and unsubscribed after.
 */
import { Redis, type RedisOptions } from "ioredis";

export type MessageHandler = (channel: string, message: Uint8Array) => void;

export interface ConnectionOptions {
  /** `redis://host:port/db`, when the adapter creates its own clients. */
  url?: string;
  /** ioredis options for the clients the adapter creates. */
  redisOptions?: RedisOptions;
  /** Reported Redis errors (connection refused during an outage...). Default: ignored. */
  onError?: (err: Error) => void;
}

export class RedisConnection {
  readonly pub: Redis;
  readonly sub: Redis;
  private readonly ownsPub: boolean;
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly refs = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();
  private users = 0;
  private closed = false;

  constructor(existing: Redis | undefined, opts: ConnectionOptions) {
    const onError = opts.onError ?? (() => {});
    // Cross-node traffic during an outage is dropped, not queued: a queue would replay stale broadcasts minutes
    // later and grow without bound. Commands therefore fail fast while disconnected (see isReady()).
    // commandTimeout: a Redis that hangs (rather than closes) must not stall the broadcasts queued behind an XADD.
    // No offline queue and no resending after a reconnect: what could not be sent during an outage is dropped,
    // never replayed late.
    const base: RedisOptions = {
      maxRetriesPerRequest: 1,
      commandTimeout: 5000,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      ...opts.redisOptions,
    };
    this.ownsPub = !existing;
    this.pub = existing ?? (opts.url ? new Redis(opts.url, base) : new Redis(base));
    // The subscriber queues its SUBSCRIBEs until connected (and ioredis renews them after every reconnect).
    this.sub = this.pub.duplicate({ enableOfflineQueue: true });
    this.pub.on("error", onError);
    this.sub.on("error", onError);
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      this.handlers.get(name)?.(name, message);
    });
  }

  /** True when commands can be sent now. */
  isReady(): boolean {
    return this.pub.status === "ready";
  }

  isClosed(): boolean {
    return this.closed;
  }

  acquire(): void {
    this.users++;
  }

  /** Close the clients when the last namespace adapter releases them (an existing client is left to its owner). */
  async release(): Promise<void> {
    if (--this.users > 0 || this.closed) return;
    this.closed = true;
    this.sub.disconnect();
    if (this.ownsPub) this.pub.disconnect();
  }

  /** Resolves once Redis confirmed the subscription (at once when it already was). */
  subscribe(channel: string, handler: MessageHandler): Promise<void> {
    const n = (this.refs.get(channel) ?? 0) + 1;
    this.refs.set(channel, n);
    this.handlers.set(channel, handler);
    const pending = this.pending.get(channel);
    if (pending) return pending;
    if (n > 1 || this.closed) return Promise.resolve();
    const done = this.sub.subscribe(channel).then(
      () => {},
      () => {}, // ioredis resubscribes on reconnect
    );
    this.pending.set(channel, done);
    void done.then(() => this.pending.delete(channel));
    return done;
  }

  /** The subscription of `channel` still waiting for Redis' confirmation, if any. */
  subscribing(channel: string): Promise<void> | undefined {
    return this.pending.get(channel);
  }

  unsubscribe(channel: string): void {
    const n = (this.refs.get(channel) ?? 0) - 1;
    if (n > 0) {
      this.refs.set(channel, n);
      return;
    }
    this.refs.delete(channel);
    this.handlers.delete(channel);
    if (!this.closed) this.sub.unsubscribe(channel).catch(() => {});
  }

  /** Publish now, or drop when Redis is away. */
  publish(channel: string, message: Uint8Array): void {
    if (!this.isReady()) return;
    this.pub
      .publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength))
      .catch(() => {});
  }

  /** Subscribers of `channel` (one per node subscribed to it). */
  async numsub(channel: string): Promise<number> {
    const reply = (await this.pub.pubsub("NUMSUB", channel)) as [string, number];
    return Number(reply[1]) || 0;
  }
}
