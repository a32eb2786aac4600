/**
 * An immutable description of "who" (rooms, except, flags) plus the operations on them. Every modifier returns a
 * new operator, so `const admins = io.to("admins")` can be reused safely.
 */
import type {
  AllButLast,
  DecorateAcknowledgementsWithMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  SocketPacket,
} from "@ladder/protocol";
import { BroadcastAckCollector } from "./acks.js";
import type { Adapter, BroadcastFlags, BroadcastOptions, RemoteSocketData, Room } from "./adapter.js";
import type { SocketTimers } from "./engine-types.js";
import { SocketError } from "./errors.js";
import { type FetchedSocket, RemoteSocket } from "./remote-socket.js";
import { isReservedName } from "./reserved.js";
import type { DefaultSocketData } from "./typed-events.js";

/** What an operator needs from its namespace (kept small so RemoteSocket can use it too). */
export interface OperatorNamespace {
  readonly name: string;
  readonly adapter: Adapter;
  _nextAckId(): number;
  readonly server: { readonly _timers: SocketTimers };
}

export class BroadcastOperator<
  EmitEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> {
  constructor(
    private readonly nsp: OperatorNamespace,
    private readonly rooms: ReadonlySet<Room> = new Set(),
    private readonly exceptRooms: ReadonlySet<Room> = new Set(),
    private readonly flags: BroadcastFlags = {},
  ) {}

  /** Target sockets in `room` (several calls: the union). */
  to(room: Room | readonly Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.rooms);
    for (const r of typeof room === "string" ? [room] : room) rooms.add(r);
    return new BroadcastOperator(this.nsp, rooms, this.exceptRooms, this.flags);
  }

  in(room: Room | readonly Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Exclude sockets in `room`. */
  except(room: Room | readonly Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const except = new Set(this.exceptRooms);
    for (const r of typeof room === "string" ? [room] : room) except.add(r);
    return new BroadcastOperator(this.nsp, this.rooms, except, this.flags);
  }

  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.nsp, this.rooms, this.exceptRooms, { ...this.flags, compress });
  }

  /** Drop the packet for clients whose transport is not writable right now. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.nsp, this.rooms, this.exceptRooms, { ...this.flags, volatile: true });
  }

  /** This node's sockets only. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.nsp, this.rooms, this.exceptRooms, { ...this.flags, local: true });
  }

  /** Wait at most `ms` for every recipient's ack; the callback gets `(err, responses)`. */
  timeout(
    ms: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return new BroadcastOperator(this.nsp, this.rooms, this.exceptRooms, { ...this.flags, timeout: ms });
  }

  /**
   * Emit to every selected socket. The packet is encoded once. With a trailing callback, it collects every
   * recipient's first ack argument: `cb(null, responses)` when all answered (or left), `cb(err, partial)` on timeout.
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    if (isReservedName(ev)) throw new SocketError("LADDER_ERR_SOCKET_RESERVED_EVENT", String(ev));
    const data: unknown[] = [ev, ...args];
    const packet: SocketPacket = { type: 2, nsp: this.nsp.name, data };
    const last = data[data.length - 1];
    const opts: BroadcastOptions = { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
    if (typeof last !== "function") {
      this.nsp.adapter.broadcast(packet, opts);
      return true;
    }
    data.pop();
    const cb = last as (err: Error | null, responses: unknown[]) => void;
    const timers = this.nsp.server._timers;
    const collector = new BroadcastAckCollector(this.nsp._nextAckId(), cb, timers, this.flags.timeout);
    this.nsp.adapter.broadcastWithAck(packet, opts, collector);
    if (this.flags.local) collector.expectNodes(1);
    else
      this.nsp.adapter.serverCount().then(
        (n) => collector.expectNodes(n),
        () => collector.expectNodes(1),
      );
    return true;
  }

  /** Emit and resolve with every recipient's answer (rejects on timeout). */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const cb = (err: Error | null, responses: unknown[]) => (err ? reject(err) : resolve(responses));
      (this.emit as (ev: string, ...a: unknown[]) => boolean)(ev, ...args, cb);
    });
  }

  /** The selected sockets, on every node (local ones are the Socket objects themselves). */
  async fetchSockets(): Promise<FetchedSocket<EmitEvents, SocketData>[]> {
    const found = await this.nsp.adapter.fetchSockets(this.options());
    return found.map((s) =>
      typeof (s as { emit?: unknown }).emit === "function"
        ? (s as unknown as FetchedSocket<EmitEvents, SocketData>)
        : new RemoteSocket<EmitEvents, SocketData>(this.nsp, s as RemoteSocketData<SocketData>),
    );
  }

  /** Make the selected sockets join `room`. */
  socketsJoin(room: Room | readonly Room[]): void {
    this.nsp.adapter.addSockets(this.options(), typeof room === "string" ? [room] : [...room]);
  }

  /** Make the selected sockets leave `room`. */
  socketsLeave(room: Room | readonly Room[]): void {
    this.nsp.adapter.delSockets(this.options(), typeof room === "string" ? [room] : [...room]);
  }

  /** Disconnect the selected sockets (`close`: close their whole connection). */
  disconnectSockets(close = false): void {
    this.nsp.adapter.disconnectSockets(this.options(), close);
  }

  private options(): BroadcastOptions {
    return { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
  }
}
