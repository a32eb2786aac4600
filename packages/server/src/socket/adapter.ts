/**
 * The adapter: who is in which room, and how a packet reaches "everyone". The in-memory adapter is the embedded
 * default (one node). A cluster adapter (Redis, issue 8) implements the same interface — usually by extending
 * {@link InMemoryAdapter}, whose `*Local` methods act on this node's sockets only, and overriding the cluster-wide
 * methods to also reach the other nodes. Every cluster-wide method honours `flags.local` (this node only).
 */
import type { SocketPacket } from "@ladder/protocol";
import type { SocketTimers } from "./engine-types.js";
import type { Handshake } from "./handshake.js";

export type Room = string;
export type SocketId = string;

/** Flags a broadcast carries (they travel to other nodes with the packet). */
export interface BroadcastFlags {
  volatile?: boolean;
  /** Default true: let the transport compress (per-message deflate / HTTP compression). */
  compress?: boolean;
  /** This node only. */
  local?: boolean;
  /** Ack timeout in ms (broadcast with acks). */
  timeout?: number;
}

/** Who receives a broadcast: sockets in any of `rooms` (all sockets when empty), minus sockets in `except`. */
export interface BroadcastOptions {
  rooms: ReadonlySet<Room>;
  except?: ReadonlySet<Room>;
  flags?: BroadcastFlags;
}

/**
 * Collects the answers of one broadcast-with-ack (or one serverSideEmit-with-ack). The origin node's socket layer
 * implements it; a cluster adapter delivering on a remote node implements its own that forwards to the origin.
 */
export interface BroadcastAckHandler {
  /** The ack id written into the packet (the same for every recipient: the packet is encoded once). */
  readonly ackId: number;
  /**
   * How many recipients one node delivered to. Called once per participating node. `release`, when given, drops
   * that node's pending ack entries; the handler calls it when it stops waiting (timeout), so nothing leaks.
   */
  clientCount(count: number, release?: () => void): void;
  /** One recipient's answer (its first ack argument). */
  response(value: unknown): void;
  /** A recipient left before answering: it will never answer. */
  gone(): void;
}

/** The fields a socket's state is saved with when it disconnects and recovery is on. */
export interface PersistedSession {
  /** Socket id (kept across the recovery). */
  sid: SocketId;
  /** Private session id: a bearer secret, never logged or broadcast. */
  pid: string;
  rooms: Room[];
  data: unknown;
  /** The latest offset when the socket connected: replay starts here when the client sends no offset. */
  connectedOffset?: string;
  /** The deduplication window (message keys already delivered), when deduplication is on. */
  dedup?: Array<[string | number, unknown[] | null]>;
}

/** A restored session: the saved state plus the packets the socket missed, in order (each ends with its offset). */
export interface RestoredSession extends PersistedSession {
  missedPackets: unknown[][];
}

/** A socket anywhere in the cluster (a local Socket satisfies this too). */
export interface RemoteSocketData<SocketData = unknown> {
  id: SocketId;
  handshake: Handshake;
  rooms: Set<Room>;
  data: SocketData;
}

/**
 * The adapter interface. "This node" methods: `rooms`, `sids`, `addAll`, `del`, `delAll`, `socketRooms`.
 * Cluster-wide methods (honouring `flags.local`): `broadcast`, `broadcastWithAck`, `sockets`, `fetchSockets`,
 * `addSockets`, `delSockets`, `disconnectSockets`, `serverSideEmit`, `serverCount`, `persistSession`,
 * `restoreSession`.
 */
export interface Adapter {
  /** Room → socket ids on this node. */
  readonly rooms: Map<Room, Set<SocketId>>;
  /** Socket id → rooms on this node. */
  readonly sids: Map<SocketId, Set<Room>>;
  init(): void | Promise<void>;
  close(): void | Promise<void>;
  /** Number of nodes, this one included. */
  serverCount(): Promise<number>;
  addAll(id: SocketId, rooms: Iterable<Room>): void | Promise<void>;
  del(id: SocketId, room: Room): void | Promise<void>;
  delAll(id: SocketId): void;
  socketRooms(id: SocketId): Set<Room> | undefined;
  /** Send `packet` to the recipients; the packet is encoded once. May append a recovery offset to `packet.data`. */
  broadcast(packet: SocketPacket, opts: BroadcastOptions): void;
  /** Same, with `handler.ackId` as the packet's ack id; answers flow into `handler`. */
  broadcastWithAck(packet: SocketPacket, opts: BroadcastOptions, handler: BroadcastAckHandler): void;
  /** Ids of the sockets in any of `rooms` (all when empty). */
  sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>>;
  fetchSockets(opts: BroadcastOptions): Promise<RemoteSocketData[]>;
  addSockets(opts: BroadcastOptions, rooms: Room[]): void;
  delSockets(opts: BroadcastOptions, rooms: Room[]): void;
  disconnectSockets(opts: BroadcastOptions, close: boolean): void;
  /**
   * Emit to the other nodes' namespace listeners. With `handler`: the adapter calls `clientCount(k)` ONCE with the
   * number of other nodes that will answer, then one `response` per answering node.
   */
  serverSideEmit(args: unknown[], handler?: BroadcastAckHandler): void;
  persistSession(session: PersistedSession): void | Promise<void>;
  restoreSession(pid: string, offset: string | undefined): Promise<RestoredSession | null>;
}

/** How a packet is handed to one session. One object per broadcast, shared by every recipient. */
export interface SendOptions {
  compress: boolean;
  volatile: boolean;
}

/** What an adapter may do with a socket of this node. */
export interface AdapterSocket extends RemoteSocketData {
  /**
   * The private session id (recovery on, once connected) and the offset the socket connected at. A cluster adapter
   * reads them to keep a crash-safe copy of a connected socket's state: a node that dies never gets to call
   * `persistSession`, yet its clients must recover on another node.
   */
  readonly _pid?: string | undefined;
  readonly _connectedOffset?: string | undefined;
  /** Queue an already-encoded packet (the broadcast encoded it once for everyone). */
  _deliver(encoded: ReadonlyArray<string | Uint8Array>, opts: SendOptions, packet: SocketPacket): void;
  /** Expect an answer to `handler.ackId` from this socket. */
  _expectAck(handler: BroadcastAckHandler): void;
  /** Stop expecting it (the broadcast timed out). */
  _dropAck(handler: BroadcastAckHandler): void;
  join(rooms: Room | readonly Room[]): void | Promise<void>;
  leave(room: Room): void | Promise<void>;
  disconnect(close?: boolean): unknown;
}

/** What an adapter sees of its namespace. */
export interface AdapterNamespace {
  readonly name: string;
  /** Connected sockets of this node. */
  readonly sockets: ReadonlyMap<SocketId, AdapterSocket>;
  /** Set when connection state recovery is on. */
  readonly recovery: { readonly maxDisconnectionDuration: number } | undefined;
  readonly timers: SocketTimers;
  /** Deliver a serverSideEmit that came from another node to this node's listeners. */
  _onServerSideEmit(args: unknown[]): void;
}

/** Builds the adapter of one namespace (the `adapter` Server option). */
export type AdapterFactory = (nsp: AdapterNamespace) => Adapter;
