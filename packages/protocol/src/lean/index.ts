/**
 * The lean client-side codecs: what @ladder/client's browser bundles need, and nothing a server needs. The
 * client's bundle script maps `@ladder/protocol` to this file; Node builds keep the full package.
 *
 * Same wire format and the same stable error codes as the full codecs (every rejection is an Error whose `code`
 * is a LADDER_ERR_... code, `name` "ProtocolError"), but:
 * - messages are the bare codes (no description table in the bundle);
 * - validation is what keeps the client from crashing or misrouting on bad input; what only protects a server
 *   (payload limits, namespace character rules, ack id ranges, every placeholder referenced) is left to the
 *   server, which checks everything the client sends anyway;
 * - one small base64 codec, no native/host fast paths (binary rides WebSocket frames in browsers).
 * Everything else of the package (types, streaming framing) is re-exported unchanged: local exports shadow the
 * star export.
 */

import type { Handshake } from "../engine/handshake.js";
import { hasOwn } from "../engine/own.js";
import type { EnginePacket, EnginePacketType } from "../engine/packet-types.js";
import type { ProtocolErrorCode } from "../errors.js";
import type { DecoderOptions, SocketPacket } from "../socket/types.js";
import { ProtocolError } from "./errors.js";

export * from "../index.js";
export { isProtocolError, PROTOCOL_ERRORS, ProtocolError } from "./errors.js";

interface CodedError extends Error {
  code: string;
}

function fail(code: string): never {
  throw new ProtocolError(("LADDER_ERR_" + code) as ProtocolErrorCode);
}

const TYPES = "open close ping pong message upgrade noop".split(" ") as EnginePacketType[];
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HAS_AB = typeof ArrayBuffer === "function";

/** True for an ArrayBuffer or any view on one (typed arrays, DataView, Node Buffer). */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  // Primitives have no ArrayBuffer `buffer`; only null and undefined need the guard.
  return (
    HAS_AB &&
    value != null &&
    (value instanceof ArrayBuffer || (value as { buffer?: unknown }).buffer instanceof ArrayBuffer)
  );
}

/** The bytes of binary data as a (new) Uint8Array view over the same memory. */
export function toUint8Array(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Standard padded base64. */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  for (let i = 0; i < n; i += 3) {
    const v = (bytes[i]! << 16) | ((bytes[i + 1]! | 0) << 8) | (bytes[i + 2]! | 0);
    out +=
      B64[v >> 18]! +
      B64[(v >> 12) & 63] +
      (i + 1 < n ? B64[(v >> 6) & 63] : "=") +
      (i + 2 < n ? B64[v & 63] : "=");
  }
  return out;
}

/** Strict base64: the text must be the one canonical encoding of its bytes (length, alphabet, padding, bits). */
export function fromBase64(text: string): Uint8Array {
  if (typeof Uint8Array === "undefined") fail("EIO_BAD_BASE64");
  const body = text.replace(/==?$/, "");
  const n = body.length;
  const out = new Uint8Array((n * 3) >> 2);
  let bits = 0;
  let j = 0;
  // Each character adds 6 bits; after the 2nd, 3rd and 4th of a quantum a byte is complete (the typed array
  // keeps its low 8 bits). A character outside the alphabet decodes as garbage and fails the check below.
  for (let i = 0; i < n; i++) {
    bits = (bits << 6) | B64.indexOf(body.charAt(i));
    if (i & 3) out[j++] = bits >> (6 - 2 * (i & 3));
  }
  // Only the canonical text survives the round trip: it rejects a bad length, alphabet, padding or padding bits.
  if (toBase64(out) !== text) fail("EIO_BAD_BASE64");
  return out;
}

/** UTF-8 length of `text` (a lone surrogate counts 3 bytes, as its U+FFFD replacement). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return bytes;
}

/** One Engine.IO packet as a frame: text, or raw bytes for binary when `supportsBinary`. */
export function encodePacket(packet: EnginePacket, supportsBinary: boolean): string | Uint8Array {
  const code = TYPES.indexOf(packet.type);
  const data: unknown = packet.data;
  if (code < 0) fail("EIO_UNKNOWN_PACKET_TYPE");
  if (data === undefined || data === null) return "" + code;
  if (typeof data === "string") return code + data;
  if (code !== 4) fail("EIO_BINARY_NOT_MESSAGE");
  const bytes = toUint8Array(data as Uint8Array);
  return supportsBinary ? bytes : "b" + toBase64(bytes);
}

function decodeRecord(text: string): EnginePacket {
  if (!text) fail("EIO_EMPTY_PACKET");
  const c = text.charAt(0);
  if (c === "b") return { type: "message", data: fromBase64(text.slice(1)) };
  // A one-character key: only "0".."6" name an element of the array.
  const type = TYPES[c as unknown as number];
  if (!type) fail("EIO_UNKNOWN_PACKET_TYPE");
  return text.length > 1 ? { type, data: text.slice(1) } : { type };
}

/** Decodes one WebSocket frame (text or binary). */
export function decodePacket(data: string | Uint8Array | ArrayBuffer): EnginePacket {
  if (typeof data === "string") return decodeRecord(data);
  if (!isBinary(data)) fail("EIO_UNKNOWN_PACKET_TYPE");
  return { type: "message", data: toUint8Array(data) };
}

/** Joins packets into a polling payload (binary as base64). */
export function encodePayload(packets: readonly EnginePacket[]): string {
  return packets.map((packet) => encodePacket(packet, false)).join("\x1e");
}

/** Splits a polling payload; any bad record rejects the whole payload. */
export function decodePayload(payload: string): EnginePacket[] {
  if (typeof payload !== "string") fail("EIO_UNKNOWN_PACKET_TYPE");
  return payload.split("\x1e").map(decodeRecord);
}

/** Parses the open packet's JSON; the fields the client relies on must have their types. */
export function decodeHandshake(data: string): Handshake {
  let h: Handshake;
  try {
    h = JSON.parse(data);
  } catch {
    fail("EIO_BAD_HANDSHAKE");
  }
  const ok = (v: unknown): boolean => typeof v === "number" && v >= 0 && v < Infinity;
  if (
    !h ||
    typeof h.sid !== "string" ||
    !h.sid ||
    !Array.isArray(h.upgrades) ||
    !ok(h.pingInterval) ||
    !ok(h.pingTimeout) ||
    !ok(h.maxPayload)
  )
    fail("EIO_BAD_HANDSHAKE");
  return h;
}

/** One Socket.IO packet as the Engine.IO messages that carry it: `[text, ...attachments]`. */
export function encodeSocketPacket(packet: SocketPacket): Array<string | Uint8Array> {
  let type: number = packet.type;
  const data = packet.data;
  const buffers: Uint8Array[] = [];
  if (type > 6 || !(type >= 0)) fail("SIO_UNKNOWN_PACKET_TYPE");
  if (type === 5 || type === 6) type -= 3;
  // Events and acks carry binary as attachments: one walk, JSON.stringify's own, whose replacer swaps binary
  // for numbered placeholders. It sees each value after its toJSON, so the holder's value is checked first: a
  // Buffer is binary before its toJSON. Other packet types serialize binary as JSON, as the full encoder does.
  function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
    const raw = this[key];
    if (isBinary(raw)) value = raw;
    return isBinary(value) ? { _placeholder: true, num: buffers.push(toUint8Array(value)) - 1 } : value;
  }
  let text: string | undefined;
  try {
    text = data === undefined ? "" : JSON.stringify(data, type === 2 || type === 3 ? replacer : undefined);
  } catch {
    // A cycle, a BigInt or a throwing toJSON: text stays undefined.
  }
  if (text === undefined) fail("SIO_UNENCODABLE");
  if (buffers.length) type += 3;
  return ([] as Array<string | Uint8Array>).concat(
    type +
      (buffers.length ? buffers.length + "-" : "") +
      (packet.nsp !== "/" ? packet.nsp + "," : "") +
      (packet.id !== undefined ? packet.id : "") +
      text,
    buffers,
  );
}

const RESERVED = /^(connect|connect_error|disconnect|disconnecting|newListener|removeListener)$/;

function parse(text: string, max: number): [SocketPacket, number] {
  const m = /^([0-6])(?:(\d+)-)?(?:(\/[^,]*),?)?(\d*)([\s\S]*)$/.exec(text);
  if (!m) fail("SIO_UNKNOWN_PACKET_TYPE");
  const type = +m[1]! as SocketPacket["type"];
  const count = m[2] ? +m[2] : 0;
  if (type > 4 !== !!m[2] || (m[2] && m[2].charAt(0) === "0")) fail("SIO_BAD_ATTACHMENTS");
  if (count > max) fail("SIO_TOO_MANY_ATTACHMENTS");
  const packet: SocketPacket = { type, nsp: m[3] || "/" };
  const acks = type === 3 || type === 6;
  let json = m[5]!;
  // Only EVENT and ACK headers carry an id; elsewhere the digits belong to the JSON.
  if (acks || type === 2 || type === 5) {
    if (m[4]) packet.id = +m[4];
    else if (acks) fail("SIO_BAD_ACK_ID");
  } else json = m[4] + json;
  if (json) {
    try {
      packet.data = JSON.parse(json);
    } catch {
      fail("SIO_BAD_JSON");
    }
  }
  const data = packet.data as unknown[];
  const isArray = Array.isArray(data);
  if (type === 2 || type === 5) {
    if (!isArray || !data.length) fail("SIO_BAD_PAYLOAD");
    const name = data[0];
    if (typeof name === "string") {
      if (RESERVED.test(name)) fail("SIO_RESERVED_EVENT");
    } else if (typeof name !== "number") fail("SIO_BAD_EVENT_NAME");
  } else if (
    acks
      ? !isArray
      : type === 1
        ? data !== undefined
        : // CONNECT: absent or an object; CONNECT_ERROR: an object or a string (the client reads their fields).
          isArray ||
          ((typeof data !== "object" || data === null) &&
            (type ? typeof data !== "string" : data !== undefined))
  )
    fail("SIO_BAD_PAYLOAD");
  return [packet, count];
}

function fill(value: unknown, buffers: unknown[]): unknown {
  if (typeof value !== "object" || value === null) return value;
  const ph = value as { _placeholder?: unknown; num?: unknown };
  if (ph._placeholder === true && hasOwn(value, "_placeholder")) {
    const num = ph.num as number;
    if (!(num in buffers) || typeof num !== "number") fail("SIO_BAD_PLACEHOLDER");
    return buffers[num];
  }
  for (const key in value) {
    if (hasOwn(value, key))
      (value as Record<string, unknown>)[key] = fill((value as Record<string, unknown>)[key], buffers);
  }
  return value;
}

/**
 * Incremental Socket.IO decoder: `add` each Engine.IO message in order; it returns the packet, or null while
 * binary attachments are still to come. Bad input throws a coded error and resets the decoder.
 */
export class SocketDecoder {
  private _max: number;
  private _pending: [SocketPacket, number] | null = null;
  private _buffers: unknown[] = [];

  constructor(options?: DecoderOptions) {
    this._max = options && options.maxAttachments !== undefined ? options.maxAttachments : 10;
  }

  /** How many attachments the current packet still waits for. */
  get pendingAttachments(): number {
    return this._pending ? this._pending[1] - this._buffers.length : 0;
  }

  add(chunk: string | Uint8Array | ArrayBuffer): SocketPacket | null {
    try {
      const pending = this._pending;
      if (typeof chunk === "string") {
        if (pending) fail("SIO_UNEXPECTED_TEXT");
        const parsed = parse(chunk, this._max);
        if (!parsed[1]) return parsed[0];
        this._pending = parsed;
        return null;
      }
      if (!pending || !isBinary(chunk)) fail("SIO_UNEXPECTED_BINARY");
      const buffers = this._buffers;
      if (buffers.push(chunk) < pending[1]) return null;
      this.reset();
      const packet = pending[0];
      packet.data = fill(packet.data, buffers);
      packet.type = (packet.type - 3) as SocketPacket["type"];
      return packet;
    } catch (err) {
      this.reset();
      throw (err as CodedError).code ? err : fail("SIO_BAD_PAYLOAD");
    }
  }

  /** Drops a half-received packet. */
  reset(): void {
    this._pending = null;
    this._buffers = [];
  }
}
