/**
 * Standard base64 (RFC 4648 §4, alphabet `A-Z a-z 0-9 + /`, `=` padding) without Buffer, btoa or
 * TextEncoder, so the same code runs in Node and in the ES5 legacy browser bundle (which only needs
 * Uint8Array). Engine.IO carries binary as `b<base64>` in polling payloads and for clients that asked for
 * `b64=1`, so both directions sit on a hot path.
 */
import { ProtocolError } from "./errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 61; // "="

// Inputs up to this many bytes are encoded by concatenating two-character strings (cheapest for the small
// binaries typical of Socket.IO attachments); larger ones are written as char codes into a byte buffer and
// turned into a string in slices, which avoids one rope node per two characters.
const SMALL_INPUT = 384;
// String.fromCharCode.apply takes its arguments on the stack; engines limit that to tens of thousands.
const SLICE = 8192;

// Built on first use so that importing the package costs nothing when no binary is ever sent.
let pairs: string[] | undefined; // 12 bits -> two characters
let encodeCodes: Uint8Array | undefined; // 6 bits -> char code
let decodeTable: Uint8Array | undefined; // char code (< 128) -> 6 bits, 255 when not in the alphabet

function getPairs(): string[] {
  if (pairs === undefined) {
    const table: string[] = new Array(4096);
    for (let i = 0; i < 4096; i++) table[i] = ALPHABET.charAt(i >> 6) + ALPHABET.charAt(i & 63);
    pairs = table;
  }
  return pairs;
}

function getEncodeCodes(): Uint8Array {
  if (encodeCodes === undefined) {
    const table = new Uint8Array(64);
    for (let i = 0; i < 64; i++) table[i] = ALPHABET.charCodeAt(i);
    encodeCodes = table;
  }
  return encodeCodes;
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

/** Encodes bytes as standard, padded base64 (`Uint8Array.of(1, 2, 3)` → `"AQID"`). */
export function toBase64(bytes: Uint8Array): string {
  const length = bytes.length;
  const tail = length % 3;
  const whole = length - tail;
  let out = length > SMALL_INPUT ? encodeLarge(bytes, whole) : encodeSmall(bytes, whole);
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

function encodeSmall(bytes: Uint8Array, whole: number): string {
  const table = getPairs();
  let out = "";
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += table[n >> 12]! + table[n & 4095]!;
  }
  return out;
}

function encodeLarge(bytes: Uint8Array, whole: number): string {
  const codes = getEncodeCodes();
  const ascii = new Uint8Array((whole / 3) * 4);
  let j = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    ascii[j] = codes[n >> 18]!;
    ascii[j + 1] = codes[(n >> 12) & 63]!;
    ascii[j + 2] = codes[(n >> 6) & 63]!;
    ascii[j + 3] = codes[n & 63]!;
    j += 4;
  }
  let out = "";
  for (let start = 0; start < j; start += SLICE) {
    const end = Math.min(start + SLICE, j);
    // A typed array is array-like, which is all Function.prototype.apply needs (ES5).
    out += String.fromCharCode.apply(null, ascii.subarray(start, end) as unknown as number[]);
  }
  return out;
}

/**
 * Decodes standard, padded base64. Strict: the length must be a multiple of four, only the 64 alphabet
 * characters are allowed (no whitespace, no URL-safe `-`/`_`), `=` may only end the text (one or two of
 * them), and the bits the padding discards must be zero — so every byte sequence has exactly one accepted
 * encoding. Anything else throws a ProtocolError `LADDER_ERR_EIO_BAD_BASE64`.
 */
export function fromBase64(text: string): Uint8Array {
  const length = text.length;
  if (length % 4 !== 0) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", `length ${length} is not a multiple of 4`);
  }
  if (length === 0) return new Uint8Array(0);
  let padding = 0;
  if (text.charCodeAt(length - 1) === PAD) padding = text.charCodeAt(length - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((length / 4) * 3 - padding);
  const table = getDecodeTable();
  // The last group is handled apart so the main loop needs no padding checks.
  const full = length - 4;
  let j = 0;
  for (let i = 0; i < full; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    // One test covers non-ASCII input: the table only has 128 entries.
    if ((c0 | c1 | c2 | c3) > 127) throw badCharacter(text, i);
    const a = table[c0]!;
    const b = table[c1]!;
    const c = table[c2]!;
    const d = table[c3]!;
    // Values are 0..63, or 255 for a character outside the alphabet (including "=").
    if ((a | b | c | d) > 63) throw badCharacter(text, i);
    out[j] = (a << 2) | (b >> 4);
    out[j + 1] = ((b & 15) << 4) | (c >> 2);
    out[j + 2] = ((c & 3) << 6) | d;
    j += 3;
  }
  const c0 = text.charCodeAt(full);
  const c1 = text.charCodeAt(full + 1);
  const c2 = text.charCodeAt(full + 2);
  const c3 = text.charCodeAt(full + 3);
  if ((c0 | c1 | c2 | c3) > 127) throw badCharacter(text, full);
  const a = table[c0]!;
  const b = table[c1]!;
  const c = padding === 2 ? 0 : table[c2]!;
  const d = padding > 0 ? 0 : table[c3]!;
  if ((a | b | c | d) > 63) throw badCharacter(text, full);
  if ((padding === 2 && (b & 15) !== 0) || (padding === 1 && (c & 3) !== 0)) {
    throw new ProtocolError("LADDER_ERR_EIO_BAD_BASE64", "non-zero bits before the padding");
  }
  out[j] = (a << 2) | (b >> 4);
  if (padding < 2) out[j + 1] = ((b & 15) << 4) | (c >> 2);
  if (padding < 1) out[j + 2] = ((c & 3) << 6) | d;
  return out;
}

function badCharacter(text: string, groupStart: number): ProtocolError {
  return new ProtocolError(
    "LADDER_ERR_EIO_BAD_BASE64",
    `invalid character in the group at offset ${groupStart}: ${JSON.stringify(text.substring(groupStart, groupStart + 4))}`,
  );
}
