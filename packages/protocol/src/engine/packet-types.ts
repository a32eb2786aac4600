import { hasOwn } from "./own.js";

/** The seven Engine.IO v4 packet types. */
export type EnginePacketType = "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop";

/**
 * One Engine.IO packet. `data` is text for every type; only `message` packets may carry binary.
 * Decoders leave `data` out when a text packet has none (`"2"` → `{ type: "ping" }`).
 */
export interface EnginePacket {
  type: EnginePacketType;
  data?: string | Uint8Array;
}

/** The type digit of each packet type, as it starts a text packet on the wire (`message` → `"4"`). */
export const ENGINE_PACKET_CODES: Readonly<Record<EnginePacketType, string>> = Object.freeze({
  open: "0",
  close: "1",
  ping: "2",
  pong: "3",
  message: "4",
  upgrade: "5",
  noop: "6",
});

/** The reverse of {@link ENGINE_PACKET_CODES}: `ENGINE_PACKET_TYPES[4] === "message"`. */
export const ENGINE_PACKET_TYPES: readonly EnginePacketType[] = Object.freeze([
  "open",
  "close",
  "ping",
  "pong",
  "message",
  "upgrade",
  "noop",
] as EnginePacketType[]);

/** True when `value` is one of the seven packet type names. */
export function isEnginePacketType(value: unknown): value is EnginePacketType {
  // An own-property test, so inherited names such as "toString" or "__proto__" are not packet types.
  return typeof value === "string" && hasOwn(ENGINE_PACKET_CODES, value);
}
