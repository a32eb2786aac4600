export { hasBinary } from "./binary.js";
export { decodeSocketPacket, SocketDecoder } from "./decoder.js";
export { encodeSocketPacket } from "./encoder.js";
export { deconstructPacket, reconstructPacket } from "./placeholders.js";
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
} from "./typed-events.js";
export {
  type DecoderOptions,
  RESERVED_EVENTS,
  type SocketPacket,
  SocketPacketType,
  type SocketPacketTypeCode,
} from "./types.js";
