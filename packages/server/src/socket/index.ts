export type {
  AckResult,
  AllButLast,
  DecorateAcknowledgements,
  DecorateAcknowledgementsWithMultipleResponses,
  DefaultEventsMap,
  EventListener,
  EventNames,
  EventNamesWithAck,
  EventParams,
  EventsMap,
  RemoveAcknowledgements,
} from "@ladder/protocol";
export { BroadcastAckCollector } from "./acks.js";
export type {
  Adapter,
  AdapterFactory,
  AdapterNamespace,
  AdapterSocket,
  BroadcastAckHandler,
  BroadcastFlags,
  BroadcastOptions,
  PersistedSession,
  RemoteSocketData,
  RestoredSession,
  Room,
  SendOptions as SocketSendOptions,
  SocketId,
} from "./adapter.js";
export { BroadcastOperator } from "./broadcast-operator.js";
export { type DedupKey, type DeduplicateOptions, defaultDedupKey } from "./dedup.js";
export type { EngineLike, SessionHandshake, SessionLike, SocketTimers } from "./engine-types.js";
export { SOCKET_ERRORS, SocketError, type SocketErrorCode } from "./errors.js";
export type { Handshake } from "./handshake.js";
export { InMemoryAdapter, inMemoryAdapter } from "./in-memory-adapter.js";
export { type Middleware, Namespace, type NamespaceReservedEvents } from "./namespace.js";
export { type NamespaceMatcher, ParentNamespace } from "./parent-namespace.js";
export { RecoveryStore } from "./recovery-store.js";
export { type FetchedSocket, RemoteSocket } from "./remote-socket.js";
export { CLIENT_FILES } from "./serve-client.js";
export { type ConnectionStateRecoveryOptions, Server, type ServerOptions } from "./server.js";
export { type DisconnectReason, Socket, type SocketMiddleware, type SocketReservedEvents } from "./socket.js";
export type { DefaultSocketData } from "./typed-events.js";
