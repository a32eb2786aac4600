import { ProtocolError } from "./errors.js";

/*
 * UTF-8 without relying on TextEncoder/TextDecoder: the legacy (ES5) browser targets do not have them. When
 * the native classes exist they are used as a fast path; the hand-written code below produces the same
 * results (tests run both). The presence check happens on every call (a `typeof` is cheap) so that the
 * fallback can be exercised by removing the globals, and a cached native instance is dropped when the
 * global constructor changes.
 *
 * Lone surrogates: a JS string may hold a high or low surrogate that is not part of a pair. UTF-8 cannot
 * represent it, so utf8Encode writes U+FFFD (EF BF BD) in its place, exactly as TextEncoder does, and
 * utf8ByteLength counts it as 3 bytes, so utf8ByteLength(s) === utf8Encode(s).length for every string.
 *
 * Decoding is strict (WHATWG "fatal" mode): overlong forms, encoded surrogates (ED A0..BF), code points
 * above U+10FFFF, stray continuation bytes and truncated sequences are rejected with
 * LADDER_ERR_UTF8_INVALID. A leading byte-order mark is kept as U+FEFF, never stripped.
 */

interface NativeEncoder {
  encode(input: string): Uint8Array;
}
interface NativeDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
type NativeEncoderCtor = new () => NativeEncoder;
type NativeDecoderCtor = new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => NativeDecoder;

// Not in lib ES2022 (the package compiles without DOM or Node types); declared here, looked up with typeof.
declare const TextEncoder: NativeEncoderCtor | undefined;
declare const TextDecoder: NativeDecoderCtor | undefined;

let encoderCtor: NativeEncoderCtor | undefined;
let encoder: NativeEncoder | undefined;
let decoderCtor: NativeDecoderCtor | undefined;
let decoder: NativeDecoder | undefined;

function nativeEncoder(): NativeEncoder | undefined {
  if (typeof TextEncoder !== "function") return undefined;
  if (encoderCtor !== TextEncoder || !encoder) {
    encoderCtor = TextEncoder;
    encoder = new TextEncoder();
  }
  return encoder;
}

function newNativeDecoder(): NativeDecoder | undefined {
  if (typeof TextDecoder !== "function") return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  } catch {
    // An implementation without the fatal option: the portable decoder is strict by construction.
    return undefined;
  }
}

function nativeDecoder(): NativeDecoder | undefined {
  if (typeof TextDecoder !== "function") return undefined;
  if (decoderCtor !== TextDecoder || !decoder) {
    decoderCtor = TextDecoder;
    decoder = newNativeDecoder();
  }
  return decoder;
}

function invalid(detail: string): ProtocolError {
  return new ProtocolError("LADDER_ERR_UTF8_INVALID", detail);
}

/**
 * Number of bytes `text` takes in UTF-8, computed from the UTF-16 code units without encoding.
 * A lone surrogate counts as 3 bytes (it is encoded as U+FFFD), so this always equals
 * `utf8Encode(text).length`.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function encodePortable(text: string): Uint8Array {
  const out = new Uint8Array(utf8ByteLength(text));
  const length = text.length;
  let at = 0;
  for (let i = 0; i < length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else cp = 0xfffd;
    }
    if (cp < 0x80) out[at++] = cp;
    else if (cp < 0x800) {
      out[at++] = 0xc0 | (cp >> 6);
      out[at++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[at++] = 0xe0 | (cp >> 12);
      out[at++] = 0x80 | ((cp >> 6) & 0x3f);
      out[at++] = 0x80 | (cp & 0x3f);
    } else {
      out[at++] = 0xf0 | (cp >> 18);
      out[at++] = 0x80 | ((cp >> 12) & 0x3f);
      out[at++] = 0x80 | ((cp >> 6) & 0x3f);
      out[at++] = 0x80 | (cp & 0x3f);
    }
  }
  return out;
}

/** Encodes `text` as UTF-8. Lone surrogates become U+FFFD (EF BF BD), as with TextEncoder. */
export function utf8Encode(text: string): Uint8Array {
  const native = nativeEncoder();
  return native ? native.encode(text) : encodePortable(text);
}

// String.fromCharCode.apply takes its arguments on the stack; flush well below engine limits.
const FLUSH_UNITS = 4096;

/**
 * The strict decoding state machine, resumable across chunks: `need` continuation bytes are still expected
 * for the code point accumulated in `cp`, and the next one must lie in [lower, upper] (the narrowed ranges
 * after E0, ED, F0 and F4 are what exclude overlong forms, surrogates and values above U+10FFFF).
 */
class PortableDecoder {
  private need = 0;
  private cp = 0;
  private lower = 0x80;
  private upper = 0xbf;

  get pending(): boolean {
    return this.need !== 0;
  }

  reset(): void {
    this.need = 0;
    this.cp = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  decode(bytes: Uint8Array): string {
    let text = "";
    const units: number[] = [];
    let need = this.need;
    let cp = this.cp;
    let lower = this.lower;
    let upper = this.upper;
    const length = bytes.length;
    for (let i = 0; i < length; i++) {
      const byte = bytes[i]!;
      if (need === 0) {
        if (byte < 0x80) {
          units.push(byte);
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          need = 1;
          cp = byte & 0x1f;
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) lower = 0xa0;
          else if (byte === 0xed) upper = 0x9f;
          need = 2;
          cp = byte & 0x0f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) lower = 0x90;
          else if (byte === 0xf4) upper = 0x8f;
          need = 3;
          cp = byte & 0x07;
        } else {
          this.reset();
          throw invalid(`byte 0x${byte.toString(16)} cannot start a character`);
        }
      } else {
        if (byte < lower || byte > upper) {
          this.reset();
          throw invalid(`byte 0x${byte.toString(16)} is not a valid continuation`);
        }
        lower = 0x80;
        upper = 0xbf;
        cp = (cp << 6) | (byte & 0x3f);
        need--;
        if (need === 0) {
          if (cp >= 0x10000) {
            units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
          } else units.push(cp);
        }
      }
      if (units.length >= FLUSH_UNITS) {
        text += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
    }
    this.need = need;
    this.cp = cp;
    this.lower = lower;
    this.upper = upper;
    return units.length > 0 ? text + String.fromCharCode.apply(null, units) : text;
  }
}

/**
 * Decodes complete UTF-8 `bytes` strictly.
 * @throws ProtocolError LADDER_ERR_UTF8_INVALID on any invalid or truncated sequence.
 */
export function utf8Decode(bytes: Uint8Array): string {
  const native = nativeDecoder();
  if (native) {
    try {
      return native.decode(bytes);
    } catch {
      throw invalid("rejected by the native decoder");
    }
  }
  const portable = new PortableDecoder();
  const text = portable.decode(bytes);
  if (portable.pending) throw invalid("truncated sequence at the end of the input");
  return text;
}

/**
 * Strict incremental UTF-8 decoder: a character whose bytes are split between two `write` calls is held
 * back and returned by the call that completes it. `end()` returns what is left (always "" for valid input)
 * and makes the decoder ready for a new stream. After a throw the decoder is reset as well.
 */
export class Utf8StreamDecoder {
  private native: NativeDecoder | undefined = newNativeDecoder();
  private readonly portable = new PortableDecoder();

  /**
   * Decodes `chunk`, holding back the bytes of an incomplete trailing character.
   * @throws ProtocolError LADDER_ERR_UTF8_INVALID
   */
  write(chunk: Uint8Array): string {
    if (this.native) {
      try {
        return this.native.decode(chunk, { stream: true });
      } catch {
        this.native = newNativeDecoder();
        throw invalid("rejected by the native decoder");
      }
    }
    return this.portable.decode(chunk);
  }

  /**
   * Finishes the stream.
   * @throws ProtocolError LADDER_ERR_UTF8_INVALID when the input ended inside a character.
   */
  end(): string {
    if (this.native) {
      try {
        return this.native.decode();
      } catch {
        this.native = newNativeDecoder();
        throw invalid("truncated sequence at the end of the input");
      }
    }
    if (this.portable.pending) {
      this.portable.reset();
      throw invalid("truncated sequence at the end of the input");
    }
    return "";
  }
}
