/**
 * One Engine.IO packet ⇄ one WebSocket frame (or one record of a polling payload).
 *
 * Text: the type digit then the data (`4hello`, `2probe`, `6`). Binary: only message packets carry it; on a
 * connection that takes binary frames the frame is the raw bytes with no type byte, otherwise it is text
 * `b` + base64 (there is no type digit: `b` implies message).
 */
import { decodeBase64Range, toBase64 } from "../base64.js";
import { ProtocolError } from "../errors.js";
import { isBinary, toUint8Array } from "./binary.js";
import { hasOwn } from "./own.js";
import { ENGINE_PACKET_CODES, ENGINE_PACKET_TYPES, type EnginePacket } from "./packet-types.js";

const CHAR_ZERO = 48; // "0"
const CHAR_B = 98; // "b"

/**
 * Encodes one packet as a WebSocket frame: a string for a text frame, a Uint8Array for a binary frame.
 *
 * Binary `data` (a Uint8Array — Node Buffers included —, an ArrayBuffer or any other ArrayBuffer view) is
 * returned as a Uint8Array over the same memory when `supportsBinary`, else as `"b" + base64`.
 *
 * @throws ProtocolError `LADDER_ERR_EIO_BINARY_NOT_MESSAGE` for binary data on a type other than `message`;
 *   `LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE` for a type that is not one of the seven.
 * @throws TypeError when `data` is neither a string nor binary (only possible by bypassing the types).
 */
export function encodePacket(packet: EnginePacket, supportsBinary: boolean): string | Uint8Array {
  const type = packet.type;
  const data: unknown = packet.data;
  if (typeof data === "string") return codeOf(type) + data;
  if (data === undefined || data === null) return codeOf(type);
  if (!isBinary(data)) {
    // Only a caller bypassing the types gets here; that is a bug in the caller, not bad wire input.
    throw new TypeError(`Engine.IO packet data must be a string or binary, got ${typeof data}`);
  }
  if (type !== "message") {
    throw new ProtocolError(
      "LADDER_ERR_EIO_BINARY_NOT_MESSAGE",
      `a ${String(type)} packet carried binary data`,
    );
  }
  const bytes = toUint8Array(data);
  return supportsBinary ? bytes : "b" + toBase64(bytes);
}

function codeOf(type: unknown): string {
  // Own-property lookup only: a type such as "toString" must not find Object.prototype.toString.
  if (typeof type === "string" && hasOwn(ENGINE_PACKET_CODES, type)) {
    return ENGINE_PACKET_CODES[type as keyof typeof ENGINE_PACKET_CODES];
  }
  throw new ProtocolError("LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE", `cannot encode packet type ${String(type)}`);
}

/**
 * Decodes one WebSocket frame or one polling record.
 *
 * - text `"<digit><data>"` → that type, with `data` when there is any (`"2probe"` → ping `"probe"`,
 *   `"6"` → `{ type: "noop" }`);
 * - text `"b<base64>"` → a message whose data is the decoded Uint8Array;
 * - bytes (Uint8Array, ArrayBuffer or another ArrayBuffer view) → a message whose data is a Uint8Array
 *   over the same memory (an empty binary frame is an empty message, not an error).
 *
 * @throws ProtocolError `LADDER_ERR_EIO_EMPTY_PACKET` for an empty string,
 *   `LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE` for a first character that is not `0`–`6` or `b`,
 *   `LADDER_ERR_EIO_BAD_BASE64` for a `b` packet whose base64 is not valid.
 */
export function decodePacket(data: string | Uint8Array | ArrayBuffer): EnginePacket {
  if (typeof data === "string") return decodeRecord(data, 0, data.length);
  if (isBinary(data)) return { type: "message", data: toUint8Array(data) };
  throw new ProtocolError("LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE", "a frame must be a string or binary data");
}

/**
 * Decodes `text.substring(start, end)` without creating that substring first: the payload decoder calls
 * this once per record.
 * @internal
 */
export function decodeRecord(text: string, start: number, end: number): EnginePacket {
  if (start >= end) throw new ProtocolError("LADDER_ERR_EIO_EMPTY_PACKET");
  const first = text.charCodeAt(start);
  const digit = first - CHAR_ZERO;
  if (digit >= 0 && digit <= 6) {
    const type = ENGINE_PACKET_TYPES[digit]!;
    return end - start > 1 ? { type, data: text.substring(start + 1, end) } : { type };
  }
  if (first === CHAR_B) return { type: "message", data: decodeBase64Range(text, start + 1, end) };
  throw new ProtocolError(
    "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE",
    `packet starts with ${JSON.stringify(text.charAt(start))}`,
  );
}
