/**
 * Polling payloads: the body of a long-polling GET response or POST request, several packets in one text
 * joined by the ASCII record separator (`4hello\x1e2\x1ebAQID`). Binary is always `b` + base64 here,
 * whatever the client supports, because the bodies are text.
 */
import { ProtocolError } from "../errors.js";
import { decodeRecord, encodePacket } from "./packet.js";
import type { EnginePacket } from "./packet-types.js";

/** The separator between the packets of a polling payload (ASCII RS, U+001E). */
export const RECORD_SEPARATOR = "\x1e" as const;

/** Options of {@link decodePayload}. */
export interface DecodePayloadOptions {
  /** Reject payloads holding more packets than this (default: no limit). */
  maxPackets?: number;
}

/** Joins packets into one polling payload, binary as `b` + base64. An empty list gives `""`. */
export function encodePayload(packets: readonly EnginePacket[]): string {
  let out = "";
  for (let i = 0; i < packets.length; i++) {
    // encodePacket with supportsBinary false always returns a string.
    const encoded = encodePacket(packets[i]!, false) as string;
    out = i === 0 ? encoded : out + RECORD_SEPARATOR + encoded;
  }
  return out;
}

/**
 * Splits a polling payload into packets, in order. Runs in time linear in the payload length, never
 * building a list of substrings first, so a hostile megabyte costs one pass.
 *
 * Every record must be a valid packet: an empty payload, an empty record (`"4a\x1e"`, `"\x1e"`) or any
 * invalid record rejects the whole payload — the reference parser likewise stops at the first bad record
 * and the server closes the session.
 *
 * @throws ProtocolError `LADDER_ERR_EIO_EMPTY_PACKET`, `LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE`,
 *   `LADDER_ERR_EIO_BAD_BASE64` for a bad record (UNKNOWN_PACKET_TYPE also when `payload` is not a
 *   string); `LADDER_ERR_EIO_PAYLOAD_TOO_LARGE` when the payload holds more than `options.maxPackets`
 *   packets (checked before those extra packets are decoded).
 */
export function decodePayload(payload: string, options?: DecodePayloadOptions): EnginePacket[] {
  if (typeof payload !== "string") {
    throw new ProtocolError("LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE", "a polling payload must be text");
  }
  const maxPackets = options?.maxPackets;
  const limit = typeof maxPackets === "number" && maxPackets >= 0 ? maxPackets : Infinity;
  const packets: EnginePacket[] = [];
  const length = payload.length;
  let start = 0;
  for (;;) {
    if (packets.length >= limit) {
      throw new ProtocolError("LADDER_ERR_EIO_PAYLOAD_TOO_LARGE", `more than ${limit} packets`);
    }
    const separator = payload.indexOf(RECORD_SEPARATOR, start);
    const end = separator === -1 ? length : separator;
    packets.push(decodeRecord(payload, start, end));
    if (separator === -1) return packets;
    start = separator + 1;
  }
}
