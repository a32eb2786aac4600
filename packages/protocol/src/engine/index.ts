export { fromBase64, type HostBase64, toBase64, useHostBase64 } from "../base64.js";
export { type BinaryLike, isBinary, toUint8Array } from "./binary.js";
export { decodeHandshake, encodeHandshake, type Handshake } from "./handshake.js";
export { decodeJsonpResponse, encodeJsonpResponse, isValidJsonpIndex } from "./jsonp.js";
export {
  decodeJsonpBody,
  encodeJsonpBody,
  escapeJsonpNewlines,
  unescapeJsonpNewlines,
} from "./jsonp-body.js";
export { decodePacket, encodePacket } from "./packet.js";
export {
  ENGINE_PACKET_CODES,
  ENGINE_PACKET_TYPES,
  type EnginePacket,
  type EnginePacketType,
  isEnginePacketType,
} from "./packet-types.js";
export { type DecodePayloadOptions, decodePayload, encodePayload, RECORD_SEPARATOR } from "./payload.js";
