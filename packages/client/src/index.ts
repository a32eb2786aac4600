export { Emitter, type EventMap, type Listener } from "./emitter.js";
export type { BinaryType, EngineOptions } from "./engine/options.js";
export {
  type EngineData,
  EngineSocket,
  type EngineSocketEvents,
  type EngineState,
} from "./engine/session.js";
export { CLIENT_ERRORS, type ClientErrorCode, clientError, type LadderClientError } from "./errors.js";
export { type IoOptions, io, io as connect, io as default } from "./io.js";
export {
  type LadderEvent,
  type LadderEventListener,
  LadderSocket,
  type LadderSocketOptions,
} from "./ladder-socket.js";
export { type TransportFactory, transports } from "./registry.js";
export { Backoff, type BackoffOptions } from "./socket/backoff.js";
export { Manager, type ManagerEvents, type ManagerOptions } from "./socket/manager.js";
export {
  type AuthOption,
  type DisconnectReason,
  Socket,
  type SocketOptions,
  type SocketReservedEvents,
} from "./socket/socket.js";
export { defaultTimers, type Timers } from "./timers.js";
export {
  Transport,
  type TransportEvents,
  type TransportOptions,
  type WebSocketConstructor,
} from "./transports/transport.js";

/** The Socket.IO protocol revision this client speaks. */
export const protocol = 5;

// The wire codecs, for LadderSocket users who speak Socket.IO by hand (and for the ES5 engine test).
export {
  decodePacket,
  decodePayload,
  type EnginePacket,
  encodePacket,
  encodePayload,
  encodeSocketPacket,
  SocketDecoder,
  type SocketPacket,
} from "@ladder/protocol";
