/**
 * The embedded default adapter: rooms are Maps of Sets on this node, a broadcast is encoded once and the same
 * encoded array is handed to every recipient's session. Cluster adapters extend this class: the `*Local` methods
 * act on this node only; the public methods are the cluster-wide entry points (here: the same, one node).
 */
import { encodeSocketPacket, type SocketPacket } from "@ladder/protocol";
import type {
  Adapter,
  AdapterNamespace,
  AdapterSocket,
  BroadcastAckHandler,
  BroadcastOptions,
  PersistedSession,
  RemoteSocketData,
  RestoredSession,
  Room,
  SendOptions,
  SocketId,
} from "./adapter.js";
import { RecoveryStore } from "./recovery-store.js";

const EVENT = 2;

/**
 * Every socket is in the room named by its own id; that membership is implicit here (not stored in `rooms` or
 * `sids`), which saves two Sets per connected socket: a room name that is a connected socket's id selects that
 * socket in addition to the room's explicit members. `socketRooms(id)` reports it as usual.
 */
export class InMemoryAdapter implements Adapter {
  readonly rooms = new Map<Room, Set<SocketId>>();
  readonly sids = new Map<SocketId, Set<Room>>();
  /** The recovery log; present only when connection state recovery is on. */
  protected readonly recovery: RecoveryStore | undefined;

  constructor(readonly nsp: AdapterNamespace) {
    this.recovery = nsp.recovery ? new RecoveryStore(nsp.recovery.maxDisconnectionDuration) : undefined;
  }

  init(): void {}

  close(): void {}

  serverCount(): Promise<number> {
    return Promise.resolve(1);
  }

  addAll(id: SocketId, rooms: Iterable<Room>): void {
    let mine = this.sids.get(id);
    for (const room of rooms) {
      if (room === id) continue; // implicit (see the class comment)
      if (!mine) {
        mine = new Set();
        this.sids.set(id, mine);
      }
      mine.add(room);
      let members = this.rooms.get(room);
      if (!members) {
        members = new Set();
        this.rooms.set(room, members);
      }
      members.add(id);
    }
  }

  del(id: SocketId, room: Room): void {
    const mine = this.sids.get(id);
    if (!mine) return;
    mine.delete(room);
    if (mine.size === 0) this.sids.delete(id);
    this.leaveRoom(id, room);
  }

  delAll(id: SocketId): void {
    const mine = this.sids.get(id);
    if (!mine) return;
    for (const room of mine) this.leaveRoom(id, room);
    this.sids.delete(id);
  }

  /** The socket's rooms, its own id included (a fresh Set: the own-id room is implicit). */
  socketRooms(id: SocketId): Set<Room> | undefined {
    const mine = this.sids.get(id);
    if (!this.nsp.sockets.has(id)) return mine ? new Set(mine) : undefined;
    const rooms = new Set<Room>([id]);
    if (mine) for (const r of mine) rooms.add(r);
    return rooms;
  }

  broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    this.storeForRecovery(packet, opts);
    this.broadcastLocal(packet, opts);
  }

  broadcastWithAck(packet: SocketPacket, opts: BroadcastOptions, handler: BroadcastAckHandler): void {
    this.broadcastLocalWithAck(packet, opts, handler);
  }

  sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.forEachLocal({ rooms }, (s) => {
      ids.add(s.id);
    });
    return Promise.resolve(ids);
  }

  fetchSockets(opts: BroadcastOptions): Promise<RemoteSocketData[]> {
    return Promise.resolve(this.fetchLocalSockets(opts));
  }

  // The mutating operations take a snapshot first: joining, leaving and disconnecting change the very sets that
  // the selection walks.
  addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    for (const s of this.fetchLocalSockets(opts)) s.join(rooms);
  }

  delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    for (const s of this.fetchLocalSockets(opts)) for (const r of rooms) s.leave(r);
  }

  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    for (const s of this.fetchLocalSockets(opts)) s.disconnect(close);
  }

  serverSideEmit(_args: unknown[], handler?: BroadcastAckHandler): void {
    // One node: there is nobody else to tell; an ack handler learns (asynchronously, as callbacks always are)
    // that no answers will come.
    if (handler) queueMicrotask(() => handler.clientCount(0));
  }

  persistSession(session: PersistedSession): void {
    this.recovery?.persist(session);
  }

  restoreSession(pid: string, offset: string | undefined): Promise<RestoredSession | null> {
    return Promise.resolve(this.recovery ? this.recovery.restore(pid, offset) : null);
  }

  /** The offset a socket starts from when it connects (recovery on), for clients that send none back. */
  latestOffset(): string | undefined {
    return this.recovery?.latestOffset();
  }

  // ---- this node only -------------------------------------------------------------------------------------

  /**
   * Append the recovery offset and log the packet (events without ack, not volatile), as socket.io 4.6+ does:
   * the offset is the last argument, so an unaware client just sees one extra argument it ignores.
   */
  protected storeForRecovery(packet: SocketPacket, opts: BroadcastOptions): void {
    if (!this.recovery || packet.type !== EVENT || packet.id !== undefined || opts.flags?.volatile) return;
    const data = packet.data as unknown[];
    data.push(this.recovery.store(data, opts.rooms, opts.except));
  }

  /** Encode once, hand the same array to every recipient on this node. */
  broadcastLocal(packet: SocketPacket, opts: BroadcastOptions): void {
    const encoded = encodeSocketPacket(packet);
    const sendOpts = sendOptionsOf(opts);
    if (opts.rooms.size === 0 && (!opts.except || opts.except.size === 0)) {
      // `io.emit(...)`, the hot case: every socket, no selection work and no visitor call per recipient.
      for (const socket of this.nsp.sockets.values()) socket._deliver(encoded, sendOpts, packet);
      return;
    }
    this.forEachLocal(opts, (s) => s._deliver(encoded, sendOpts, packet));
  }

  broadcastLocalWithAck(packet: SocketPacket, opts: BroadcastOptions, handler: BroadcastAckHandler): void {
    packet.id = handler.ackId;
    const encoded = encodeSocketPacket(packet);
    const sendOpts = sendOptionsOf(opts);
    const recipients: AdapterSocket[] = [];
    this.forEachLocal(opts, (s) => {
      recipients.push(s);
      s._expectAck(handler);
      s._deliver(encoded, sendOpts, packet);
    });
    handler.clientCount(recipients.length, () => {
      for (const s of recipients) s._dropAck(handler);
    });
  }

  fetchLocalSockets(opts: BroadcastOptions): AdapterSocket[] {
    const out: AdapterSocket[] = [];
    this.forEachLocal(opts, (s) => {
      out.push(s);
    });
    return out;
  }

  /**
   * Visit every connected socket of this node that the options select, once each. The except set and the
   * "seen" set are computed once per call; the common cases (everyone, one room) need neither. Visitors must
   * not join or leave rooms (Map/Set iteration tolerates deletion, e.g. a session closing mid-broadcast).
   */
  forEachLocal(
    opts: Pick<BroadcastOptions, "rooms" | "except">,
    visit: (socket: AdapterSocket) => void,
  ): void {
    const sockets = this.nsp.sockets;
    const excluded = this.excludedIds(opts.except);
    if (opts.rooms.size === 0) {
      for (const socket of sockets.values()) {
        if (excluded?.has(socket.id)) continue;
        visit(socket);
      }
      return;
    }
    if (opts.rooms.size === 1) {
      const [room] = opts.rooms;
      const members = this.rooms.get(room!);
      if (members) {
        for (const id of members) {
          if (excluded?.has(id)) continue;
          const socket = sockets.get(id);
          if (socket) visit(socket);
        }
      }
      const owner = sockets.get(room!);
      if (owner && !excluded?.has(owner.id)) visit(owner);
      return;
    }
    const seen = new Set<SocketId>();
    for (const room of opts.rooms) {
      const members = this.rooms.get(room);
      if (members) {
        for (const id of members) {
          if (seen.has(id) || excluded?.has(id)) continue;
          seen.add(id);
          const socket = sockets.get(id);
          if (socket) visit(socket);
        }
      }
      const owner = sockets.get(room);
      if (owner && !seen.has(room) && !excluded?.has(room)) {
        seen.add(room);
        visit(owner);
      }
    }
  }

  private excludedIds(except: ReadonlySet<Room> | undefined): Set<SocketId> | undefined {
    if (!except || except.size === 0) return undefined;
    const ids = new Set<SocketId>();
    for (const room of except) {
      const members = this.rooms.get(room);
      if (members) for (const id of members) ids.add(id);
      if (this.nsp.sockets.has(room)) ids.add(room);
    }
    return ids;
  }

  private leaveRoom(id: SocketId, room: Room): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(id);
    if (members.size === 0) this.rooms.delete(room);
  }
}

function sendOptionsOf(opts: BroadcastOptions): SendOptions {
  return { compress: opts.flags?.compress !== false, volatile: opts.flags?.volatile === true };
}

/** The default `adapter` option. */
export const inMemoryAdapter = (nsp: AdapterNamespace): InMemoryAdapter => new InMemoryAdapter(nsp);
