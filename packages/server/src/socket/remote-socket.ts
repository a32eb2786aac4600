/**
 * A socket returned by fetchSockets(): its data, plus the operations that work wherever it lives (they travel
 * through the adapter, addressed to the socket's own room).
 */

import type {
  DecorateAcknowledgementsWithMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
} from "@ladder/protocol";
import type { RemoteSocketData, Room, SocketId } from "./adapter.js";
import { BroadcastOperator, type OperatorNamespace } from "./broadcast-operator.js";
import type { Handshake } from "./handshake.js";
import type { DefaultSocketData } from "./typed-events.js";

/** What fetchSockets() returns for each socket: a local Socket or a RemoteSocket, both of this shape. */
export interface FetchedSocket<
  EmitEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean;
  join(room: Room | readonly Room[]): unknown;
  leave(room: Room): unknown;
  disconnect(close?: boolean): unknown;
}

export class RemoteSocket<EmitEvents extends EventsMap = DefaultEventsMap, SocketData = DefaultSocketData>
  implements FetchedSocket<EmitEvents, SocketData>
{
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly rooms: Set<Room>;
  readonly data: SocketData;
  private readonly operator: BroadcastOperator<EmitEvents, SocketData>;

  constructor(nsp: OperatorNamespace, details: RemoteSocketData<SocketData>) {
    this.id = details.id;
    this.handshake = details.handshake;
    this.rooms = new Set(details.rooms);
    this.data = details.data;
    this.operator = new BroadcastOperator<EmitEvents, SocketData>(nsp, new Set([this.id]));
  }

  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return this.operator.emit(ev, ...args);
  }

  timeout(
    ms: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator.timeout(ms);
  }

  join(room: Room | readonly Room[]): void {
    this.operator.socketsJoin(room);
  }

  leave(room: Room | readonly Room[]): void {
    this.operator.socketsLeave(room);
  }

  disconnect(close = false): this {
    this.operator.disconnectSockets(close);
    return this;
  }
}
