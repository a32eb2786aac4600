/**
 * The Redis adapter of one namespace. It extends the in-memory adapter (this node's rooms and sockets) and carries
 * every cluster-wide operation over Redis pub/sub:
 *
 * - `<prefix>#<nsp>#` — broadcasts that select several rooms or use `except` (every node with the namespace);
 * - `<prefix>#<nsp>#<room>#` — broadcasts to exactly one room: only nodes with a local member subscribe, so a
 *   room message reaches only the nodes that have someone to deliver it to (a socket's own id is such a room);
 * - `<prefix>#<nsp>#req#` — requests (acks, fetchSockets, join/leave/disconnect, serverSideEmit); its subscriber
 *   count (PUBSUB NUMSUB) is the node count, so a node that died stops being waited for at once;
 * - `<prefix>#<nsp>#res#<uid>#` — answers addressed to one node.
 */
import { randomBytes } from "node:crypto";
import type { SocketPacket } from "@ladder/protocol";
import {
  type AdapterNamespace,
  type BroadcastAckHandler,
  type BroadcastOptions,
  InMemoryAdapter,
  type PersistedSession,
  type RemoteSocketData,
  type RestoredSession,
  type Room,
  type SocketId,
} from "@ladder/server";
import { decodeMessage, encodeMessage, MSG, unwire, wire } from "./codec.js";
import type { RedisConnection } from "./connection.js";
import { RedisAdapterError } from "./errors.js";
import { LiveSnapshots } from "./live-snapshots.js";
import { answerFetch, answerServerSideEmit, forwardAcks, PendingRequests } from "./requests.js";
import { StreamRecovery } from "./stream-recovery.js";

const EVENT = 2;

export interface RedisAdapterOptions {
  /** Prefix of every channel and key (isolate apps or tests sharing a Redis). Default "ladder". */
  keyPrefix: string;
  /** How long fetchSockets waits for the other nodes, ms. Default 5000. */
  requestsTimeout: number;
  /** Cap of the recovery stream in entries (approximate), instead of trimming by the recovery window. */
  maxStreamLength: number | undefined;
  /**
   * Per-room channels (default true): a one-room broadcast reaches only nodes with a member, at the price of one
   * SUBSCRIBE per room (and per connected socket, whose id is a room) on each node. `false`: every broadcast goes
   * to the namespace channel and every node filters (fewer subscriptions, more traffic).
   */
  roomChannels: boolean;
}

export class RedisAdapter extends InMemoryAdapter {
  readonly uid = randomBytes(8).toString("base64url");
  private readonly base: string;
  private readonly nspChannel: string;
  private readonly reqChannel: string;
  private readonly resChannel: string;
  private readonly stream: StreamRecovery | undefined;
  private lastOffset: string | undefined;
  /** This node's requests waiting for answers from the others. */
  private readonly pending = new PendingRequests(this.uid);
  /** Broadcasts waiting for their XADD, in order: a broadcast is delivered only after all earlier ones. */
  private readonly outbox: Array<{ ready: boolean; run: () => void }> = [];
  private readonly subscribedRooms = new Set<Room>();
  /** Crash-safe copies of connected sockets' state (recovery on). */
  private readonly snapshots: LiveSnapshots | undefined;
  private closed = false;

  constructor(
    nsp: AdapterNamespace,
    private readonly conn: RedisConnection,
    private readonly opts: RedisAdapterOptions,
  ) {
    super(nsp);
    this.base = `${opts.keyPrefix}#${nsp.name}#`;
    this.nspChannel = this.base;
    this.reqChannel = `${this.base}req#`;
    this.resChannel = `${this.base}res#${this.uid}#`;
    this.stream = nsp.recovery
      ? new StreamRecovery(
          conn.pub,
          `${this.base}`,
          nsp.recovery.maxDisconnectionDuration,
          opts.maxStreamLength,
        )
      : undefined;
    conn.acquire();
    this.snapshots =
      this.stream && nsp.recovery
        ? new LiveSnapshots(
            nsp,
            this.stream,
            () => conn.isReady(),
            (id) => this.sids.get(id),
            nsp.recovery.maxDisconnectionDuration,
          )
        : undefined;
  }

  override async init(): Promise<void> {
    const onMessage = (_channel: string, bytes: Uint8Array) => this.onMessage(bytes);
    await Promise.all([
      this.conn.subscribe(this.nspChannel, onMessage),
      this.conn.subscribe(this.reqChannel, onMessage),
      this.conn.subscribe(this.resChannel, onMessage),
    ]);
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.snapshots?.close();
    for (const ch of [this.nspChannel, this.reqChannel, this.resChannel]) this.conn.unsubscribe(ch);
    for (const room of this.subscribedRooms) this.conn.unsubscribe(this.roomChannel(room));
    this.subscribedRooms.clear();
    this.pending.close();
    await this.conn.release();
  }

  override async serverCount(): Promise<number> {
    if (!this.conn.isReady()) return 1;
    try {
      return Math.max(1, await this.conn.numsub(this.reqChannel));
    } catch {
      return 1;
    }
  }

  // ---- room channels follow local membership ------------------------------------------------------------------

  /** Resolves once this node receives the rooms' broadcasts from the other nodes (`await socket.join(room)`). */
  override addAll(id: SocketId, rooms: Iterable<Room>): void | Promise<void> {
    const list = [...rooms];
    super.addAll(id, list);
    if (!this.closed) this.snapshots?.touched(id);
    const waits: Promise<void>[] = [];
    for (const room of list) {
      const wait = this.watchRoom(room);
      if (wait) waits.push(wait);
    }
    return waits.length > 0 ? Promise.all(waits).then(() => {}) : undefined;
  }

  override del(id: SocketId, room: Room): void {
    super.del(id, room);
    if (!this.closed) this.snapshots?.touched(id);
    this.unwatchIfEmpty(room, id);
  }

  override delAll(id: SocketId): void {
    this.snapshots?.left(id);
    const rooms = this.sids.get(id);
    const list = rooms ? [...rooms] : [];
    super.delAll(id);
    for (const room of list) this.unwatchIfEmpty(room, id);
    this.unwatchIfEmpty(id, id);
  }

  private watchRoom(room: Room): Promise<void> | undefined {
    if (this.closed || !this.opts.roomChannels) return undefined;
    if (this.subscribedRooms.has(room)) return this.conn.subscribing(this.roomChannel(room));
    this.subscribedRooms.add(room);
    return this.conn.subscribe(this.roomChannel(room), (_c, bytes) => this.onMessage(bytes));
  }

  private unwatchIfEmpty(room: Room, leaving: SocketId): void {
    if (!this.subscribedRooms.has(room) || this.rooms.has(room)) return;
    if (room !== leaving && this.nsp.sockets.has(room)) return; // still a connected socket's own room
    this.subscribedRooms.delete(room);
    this.conn.unsubscribe(this.roomChannel(room));
  }

  private roomChannel(room: Room): string {
    return `${this.base}${room}#`;
  }

  // ---- broadcasts ----------------------------------------------------------------------------------------------

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    const recoverable =
      this.stream !== undefined && packet.type === EVENT && packet.id === undefined && !opts.flags?.volatile;
    if (recoverable && this.conn.isReady()) {
      const item = { ready: false, run: () => this.deliverAndPublish(packet, opts) };
      this.outbox.push(item);
      const data = packet.data as unknown[];
      this.stream!.append(data, opts.rooms, opts.except)
        .then(
          (offset) => {
            data.push(offset);
            this.lastOffset = offset;
          },
          () => {}, // Redis went away between the check and the reply: delivered without an offset
        )
        .finally(() => {
          item.ready = true;
          this.flushOutbox();
        });
      return;
    }
    if (this.outbox.length > 0) {
      this.outbox.push({ ready: true, run: () => this.deliverAndPublish(packet, opts) });
      return;
    }
    this.deliverAndPublish(packet, opts);
  }

  private flushOutbox(): void {
    while (this.outbox.length > 0 && this.outbox[0]!.ready) this.outbox.shift()!.run();
  }

  private deliverAndPublish(packet: SocketPacket, opts: BroadcastOptions): void {
    this.broadcastLocal(packet, opts);
    if (opts.flags?.local || this.closed) return;
    const single =
      this.opts.roomChannels && opts.rooms.size === 1 && (!opts.except || opts.except.size === 0);
    const channel = single ? this.roomChannel([...opts.rooms][0]!) : this.nspChannel;
    this.conn.publish(
      channel,
      encodeMessage([MSG.BROADCAST, this.uid, packet.type, packet.data, ...wire(opts)]),
    );
  }

  override broadcastWithAck(
    packet: SocketPacket,
    opts: BroadcastOptions,
    handler: BroadcastAckHandler,
  ): void {
    this.broadcastLocalWithAck(packet, opts, handler);
    if (opts.flags?.local || this.closed || !this.conn.isReady()) return;
    const requestId = this.pending.nextId();
    // Without a timeout the origin waits as long as the recipients do; bound the bookkeeping anyway.
    this.pending.trackAcks(requestId, handler, (opts.flags?.timeout ?? 60_000) + this.opts.requestsTimeout);
    this.publishRequest([
      MSG.BROADCAST_ACK,
      this.uid,
      requestId,
      handler.ackId,
      packet.type,
      packet.data,
      ...wire(opts),
    ]);
  }

  // ---- requests ------------------------------------------------------------------------------------------------

  override async sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const all = await this.fetchSockets({ rooms });
    return new Set(all.map((s) => s.id));
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<RemoteSocketData[]> {
    const local: RemoteSocketData[] = this.fetchLocalSockets(opts);
    if (opts.flags?.local || this.closed) return local;
    if (!this.conn.isReady()) throw new RedisAdapterError("LADDER_ERR_REDIS_UNAVAILABLE");
    const others = (await this.serverCount()) - 1;
    if (others <= 0) return local;
    const requestId = this.pending.nextId();
    const remote = await this.pending.fetch(requestId, others, this.opts.requestsTimeout, () =>
      this.publishRequest([MSG.FETCH, this.uid, requestId, ...wire(opts)]),
    );
    return [...local, ...remote];
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.addSockets(opts, rooms);
    if (!opts.flags?.local) this.publishRequest([MSG.JOIN, this.uid, rooms, ...wire(opts)]);
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    super.delSockets(opts, rooms);
    if (!opts.flags?.local) this.publishRequest([MSG.LEAVE, this.uid, rooms, ...wire(opts)]);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    super.disconnectSockets(opts, close);
    if (!opts.flags?.local) this.publishRequest([MSG.DISCONNECT, this.uid, close, ...wire(opts)]);
  }

  override serverSideEmit(args: unknown[], handler?: BroadcastAckHandler): void {
    if (!handler) {
      this.publishRequest([MSG.SERVER_SIDE_EMIT, this.uid, "", args]);
      return;
    }
    const requestId = this.pending.nextId();
    this.serverCount().then((n) => {
      handler.clientCount(n - 1);
      if (n <= 1) return;
      this.pending.trackAcks(requestId, handler, this.opts.requestsTimeout * 2);
      this.publishRequest([MSG.SERVER_SIDE_EMIT, this.uid, requestId, args]);
    });
  }

  // ---- recovery ------------------------------------------------------------------------------------------------

  override async persistSession(session: PersistedSession): Promise<void> {
    if (!this.stream) return;
    this.snapshots?.persisted(session.pid);
    await this.stream.persist(session);
  }

  override async restoreSession(pid: string, offset: string | undefined): Promise<RestoredSession | null> {
    if (!this.stream) return null;
    return this.stream.restore(pid, offset);
  }

  /** The latest offset this node delivered: a socket connecting now has seen everything up to it. */
  override latestOffset(): string | undefined {
    if (!this.stream) return undefined;
    return this.lastOffset ?? `${Date.now()}-0`;
  }

  // ---- incoming ------------------------------------------------------------------------------------------------

  private onMessage(bytes: Uint8Array): void {
    if (this.closed) return;
    const m = decodeMessage(bytes);
    if (!m || m[1] === this.uid) return;
    try {
      this.handle(m);
    } catch {
      // A message we cannot apply (foreign or from a newer version) is dropped, never fatal.
    }
  }

  private handle(m: unknown[]): void {
    const origin = m[1] as string;
    switch (m[0]) {
      case MSG.BROADCAST: {
        const data = m[3] as unknown[];
        const opts = unwire(m, 4);
        const last = data[data.length - 1];
        if (this.stream && typeof last === "string" && /^\d+-\d+$/.test(last)) this.lastOffset = last;
        this.broadcastLocal({ type: m[2] as number, nsp: this.nsp.name, data } as SocketPacket, opts);
        return;
      }
      case MSG.BROADCAST_ACK: {
        const requestId = m[2] as string;
        const opts = unwire(m, 6);
        const reply = (fields: unknown[]) => this.reply(origin, fields);
        const forward = forwardAcks(this.uid, requestId, m[3] as number, opts.flags?.timeout, reply);
        this.broadcastLocalWithAck(
          { type: m[4] as number, nsp: this.nsp.name, data: m[5] as unknown[] } as SocketPacket,
          opts,
          forward,
        );
        return;
      }
      case MSG.FETCH:
        answerFetch(this.uid, m[2], this.fetchLocalSockets(unwire(m, 3)), (f) => this.reply(origin, f));
        return;
      case MSG.JOIN:
        super.addSockets(unwire(m, 3), m[2] as Room[]);
        return;
      case MSG.LEAVE:
        super.delSockets(unwire(m, 3), m[2] as Room[]);
        return;
      case MSG.DISCONNECT:
        super.disconnectSockets(unwire(m, 3), m[2] === true);
        return;
      case MSG.SERVER_SIDE_EMIT:
        answerServerSideEmit(this.nsp, this.uid, m[2] as string, m[3] as unknown[], (f) =>
          this.reply(origin, f),
        );
        return;
      default: // an answer to one of this node's requests (ACK_*, FETCH_RESPONSE, SERVER_SIDE_RESPONSE)
        this.pending.onResponse(m);
    }
  }

  private reply(originUid: string, fields: unknown[]): void {
    this.conn.publish(`${this.base}res#${originUid}#`, encodeMessage(fields));
  }

  private publishRequest(fields: unknown[]): void {
    if (this.closed) return;
    this.conn.publish(this.reqChannel, encodeMessage(fields));
  }
}
