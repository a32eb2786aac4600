/**
 * Standard base64 (RFC 4648 §4, alphabet `A-Z a-z 0-9 + /`, `=` padding) without Buffer, btoa or any Node
 * API, so the same code runs in Node and in the ES5 legacy browser bundle (which only needs Uint8Array).
 * Engine.IO carries binary as `b<base64>` in polling payloads and for clients that asked for `b64=1`, so
 * both directions sit on a hot path.
 *
 * Engines that have the standard `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` (current
 * browsers, Node 25+) get them; elsewhere the table-driven code below runs.
 */
import { ProtocolError } from "./errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 61; // "="

// Up to this many bytes, concatenating two-character strings from a table is the fastest encoder (the
// engine's rope strings make each step cheap); above it, writing ASCII into a buffer and decoding that in
// one call wins, when the engine has TextDecoder.
const SMALL_INPUT = 96;

// Ambient declarations only: TextDecoder and the ES2026 base64 methods are feature-detected before use.
declare const TextDecoder: (new () => { decode(input: Uint8Array): string }) | undefined;
interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeBase64Constructor {
  fromBase64?: (text: string, options: { lastChunkHandling: "strict" }) => Uint8Array;
}

/**
 * A faster base64 the host platform may offer (on Node: Buffer). The protocol package cannot import it — it
 * stays free of Node APIs so the same code ships to browsers — so the Node server plugs it in with
 * {@link useHostBase64}. `decode` may be lenient: {@link fromBase64} validates the text strictly before
 * handing it over, so the accepted language is the same with or without a host codec.
 */
export interface HostBase64 {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}
let host: HostBase64 | undefined;

/** Installs (or, with `undefined`, removes) the host's base64 codec. Process-wide; the Node server calls it. */
export function useHostBase64(codec: HostBase64 | undefined): void {
  host = codec;
}

// Tables are built on first use so that importing the package costs nothing when no binary is ever sent.
let pairs: string[] | undefined; // 12 bits -> two characters
let pairCodes: Uint16Array | undefined; // 12 bits -> two ASCII bytes, in memory order
let decodeTable: Uint8Array | undefined; // char code (< 128) -> 6 bits, 255 when not in the alphabet
let asciiDecoder: { decode(input: Uint8Array): string } | undefined;

function getPairs(): string[] {
  if (pairs === undefined) {
    const table: string[] = new Array(4096);
    for (let i = 0; i < 4096; i++) table[i] = ALPHABET.charAt(i >> 6) + ALPHABET.charAt(i & 63);
    pairs = table;
  }
  return pairs;
}

function getPairCodes(): Uint16Array {
  if (pairCodes === undefined) {
    // Each entry is stored as two bytes, first character first, whatever the platform's byte order.
    const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    const table = new Uint16Array(4096);
    for (let i = 0; i < 4096; i++) {
      const first = ALPHABET.charCodeAt(i >> 6);
      const second = ALPHABET.charCodeAt(i & 63);
      table[i] = littleEndian ? first | (second << 8) : (first << 8) | second;
    }
    pairCodes = table;
  }
  return pairCodes;
}

function getDecodeTable(): Uint8Array {
  if (decodeTable === undefined) {
    const table = new Uint8Array(128);
    for (let i = 0; i < 128; i++) table[i] = 255;
    for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i;
    decodeTable = table;
  }
  return decodeTable;
}

function getAsciiDecoder(): { decode(input: Uint8Array): string } | undefined {
  if (typeof TextDecoder !== "function") return undefined;
  if (asciiDecoder === undefined) asciiDecoder = new TextDecoder();
  return asciiDecoder;
}

/** Encodes bytes as standard, padded base64 (`Uint8Array.of(1, 2, 3)` → `"AQID"`). */
export function toBase64(bytes: Uint8Array): string {
  // Looked up on every call (a property read) so a polyfill installed after import is honoured too.
  const native = (Uint8Array.prototype as NativeBase64).toBase64;
  if (typeof native === "function") return native.call(bytes);
  const length = bytes.length;
  if (host !== undefined && length > SMALL_INPUT) return host.encode(bytes);
  const tail = length % 3;
  const whole = length - tail;
  let out: string;
  if (length <= SMALL_INPUT) out = encodeByConcatenation(bytes, whole);
  else {
    const decoder = getAsciiDecoder();
    out =
      decoder === undefined
        ? encodeByConcatenation(bytes, whole)
        : encodeThroughBuffer(bytes, whole, decoder);
  }
  if (tail === 1) {
    const a = bytes[whole]!;
    out += ALPHABET.charAt(a >> 2) + ALPHABET.charAt((a & 3) << 4) + "==";
  } else if (tail === 2) {
    const a = bytes[whole]!;
    const b = bytes[whole + 1]!;
    out +=
      ALPHABET.charAt(a >> 2) +
      ALPHABET.charAt(((a & 3) << 4) | (b >> 4)) +
      ALPHABET.charAt((b & 15) << 2) +
      "=";
  }
  return out;
}

function encodeByConcatenation(bytes: Uint8Array, whole: number): string {
  const table = getPairs();
  let out = "";
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += table[n >> 12]! + table[n & 4095]!;
  }
  return out;
}

function encodeThroughBuffer(
  bytes: Uint8Array,
  whole: number,
  decoder: { decode(input: Uint8Array): string },
): string {
  const table = getPairCodes();
  // Two characters per 16-bit store: half the writes of one byte per character.
  const ascii = new Uint16Array((whole / 3) * 2);
  let j = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    ascii[j] = table[n >> 12]!;
    ascii[j + 1] = table[n & 4095]!;
    j += 2;
  }
  return decoder.decode(new Uint8Array(ascii.buffer, 0, j * 2));
}

/**
 * Decodes standard, padded base64. Strict: the length must be a multiple of four, only the 64 alphabet
 * characters are allowed (no whitespace, no URL-safe `-`/`_`), `=` may only end the text (one or two of
 * them), and the bits the padding discards must be zero — so every byte sequence has exactly one accepted
 * encoding. Anything else throws a ProtocolError `LADDER_ERR_EIO_BAD_BASE64`.
 */
export function fromBase64(text: string): Uint8Array {
  return decodeBase64Range(text, 0, text.length);
}

/**
 * {@link fromBase64} of `text.substring(start, end)`, without making that substring (the payload decoder
 * reads base64 in place).
 * @internal
 */
export function decodeBase64Range(text: string, start: number, end: number): Uint8Array {
  const length = end - start;
  if (length % 4 !== 0) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", `length ${length} is not a multiple of 4`);
  }
  // IE9 and older have no typed arrays: the bytes cannot be represented, so refuse the packet cleanly.
  if (typeof Uint8Array === "undefined") {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "binary data needs typed arrays, which are missing");
  }
  if (length === 0) return new Uint8Array(0);
  let padding = 0;
  if (text.charCodeAt(end - 1) === PAD) padding = text.charCodeAt(end - 2) === PAD ? 2 : 1;
  const size = (length / 4) * 3 - padding;
  const native = (Uint8Array as NativeBase64Constructor).fromBase64;
  if (typeof native === "function") return decodeNatively(native, text, start, end, size);
  if (host !== undefined && length > SMALL_INPUT) return decodeByHost(host, text, start, end, padding, size);
  const out = new Uint8Array(size);
  const table = getDecodeTable();
  // The last group is handled apart so the main loop needs no padding checks.
  const last = end - 4;
  let j = 0;
  for (let i = start; i < last; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    // One test covers non-ASCII input: the table only has 128 entries.
    if ((c0 | c1 | c2 | c3) > 127) throw badCharacter(text, i, start);
    const a = table[c0]!;
    const b = table[c1]!;
    const c = table[c2]!;
    const d = table[c3]!;
    // Values are 0..63, or 255 for a character outside the alphabet (including "=").
    if ((a | b | c | d) > 63) throw badCharacter(text, i, start);
    out[j] = (a << 2) | (b >> 4);
    out[j + 1] = ((b & 15) << 4) | (c >> 2);
    out[j + 2] = ((c & 3) << 6) | d;
    j += 3;
  }
  const c0 = text.charCodeAt(last);
  const c1 = text.charCodeAt(last + 1);
  const c2 = text.charCodeAt(last + 2);
  const c3 = text.charCodeAt(last + 3);
  if ((c0 | c1 | c2 | c3) > 127) throw badCharacter(text, last, start);
  const a = table[c0]!;
  const b = table[c1]!;
  const c = padding === 2 ? 0 : table[c2]!;
  const d = padding > 0 ? 0 : table[c3]!;
  if ((a | b | c | d) > 63) throw badCharacter(text, last, start);
  if ((padding === 2 && (b & 15) !== 0) || (padding === 1 && (c & 3) !== 0)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "non-zero bits before the padding");
  }
  out[j] = (a << 2) | (b >> 4);
  if (padding < 2) out[j + 1] = ((b & 15) << 4) | (c >> 2);
  if (padding < 1) out[j + 2] = ((c & 3) << 6) | d;
  return out;
}

function decodeByHost(
  codec: HostBase64,
  text: string,
  start: number,
  end: number,
  padding: number,
  size: number,
): Uint8Array {
  // A lenient host decoder (Buffer) skips characters outside its alphabet and stops at "=", and every skipped
  // character costs at least one output byte — so the length check below rejects whitespace, foreign and
  // non-ASCII characters and misplaced padding. Its alphabet also takes the URL-safe "-" and "_", which
  // standard base64 does not: two native scans refuse them. That is cheaper than a per-character check.
  const dash = text.indexOf("-", start);
  const underscore = text.indexOf("_", start);
  if ((dash !== -1 && dash < end) || (underscore !== -1 && underscore < end)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "URL-safe characters in standard base64");
  }
  // The bits the padding discards must be zero, as in the table-driven decoder.
  const lastBits = getDecodeTable()[text.charCodeAt(end - padding - 1)];
  if (
    lastBits === undefined ||
    (padding === 2 && (lastBits & 15) !== 0) ||
    (padding === 1 && (lastBits & 3) !== 0)
  ) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "non-zero bits before the padding");
  }
  const out = codec.decode(start === 0 && end === text.length ? text : text.substring(start, end));
  if (out.length !== size) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "invalid character or misplaced padding");
  }
  return out;
}

function decodeNatively(
  native: NonNullable<NativeBase64Constructor["fromBase64"]>,
  text: string,
  start: number,
  end: number,
  size: number,
): Uint8Array {
  let out: Uint8Array;
  try {
    // "strict" requires the padding and zero padding bits, like the code above.
    out = native(start === 0 && end === text.length ? text : text.substring(start, end), {
      lastChunkHandling: "strict",
    });
  } catch {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "rejected by the native base64 decoder");
  }
  // The native decoder skips ASCII whitespace; we do not. Any skipped character shows in the length.
  if (out.length !== size) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "whitespace or misplaced padding");
  }
  return out;
}

function badCharacter(text: string, groupStart: number, start: number): ProtocolError {
  return new ProtocolError(
    "LADDER_ERR_EIO_BAD_BASE64",
    `invalid character in the group at offset ${groupStart - start}: ${JSON.stringify(text.substring(groupStart, groupStart + 4))}`,
  );
}
