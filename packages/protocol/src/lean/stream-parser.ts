/**
 * The browser bundles' streaming parser: the client's bundle script maps ../streaming/parser.ts here. It reads the
 * format of docs/streaming.md with the same API, limits and error codes as the full StreamParser (the tests
 * compare the two on encoder output split at random points and on hostile input), in a fraction of the code:
 *
 * - one state machine over code units (string chunks: XHR responseText slices) or bytes (fetch chunks), with
 *   the delimiters matched against one expected string instead of separate states;
 * - string bodies are counted, never re-encoded, so the old-browser path needs no TextDecoder;
 * - byte bodies go through the native fatal TextDecoder (every browser with fetch + ReadableStream has it);
 * - messages are bare codes (./errors.ts), and there is no fast path for long header runs (ours are 70 bytes).
 */
import type { ProtocolErrorCode } from "../errors.js";
import { isValidBoundary } from "../streaming/boundary.js";
import { ProtocolError } from "./errors.js";

/** Default largest part body (the full parser's value: a 1e6-byte binary message as a base64 record + slack). */
export const STREAM_MAX_PART_BYTES = 1400000;

/** Largest header section of one part (ours is about 70 bytes). */
export const STREAM_MAX_HEADER_BYTES = 1024;

// No delimiter line within this many units of preamble: not our stream (twice the largest prelude).
const MAX_PREAMBLE_UNITS = 131072;

/** Options of a {@link StreamParser}. */
export interface StreamParserOptions {
  /** The boundary from the response's Content-Type (see parseStreamingContentType). */
  boundary: string;
  /** Largest accepted Content-Length of one part, in bytes. Default {@link STREAM_MAX_PART_BYTES}. */
  maxPartBytes?: number;
}

interface Decoder {
  decode(input: Uint8Array, options: { stream: boolean }): string;
}
declare const TextDecoder: new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => Decoder;

const CR = 13;
const LF = 10;
const DASH = 45;

// States. MATCH compares the input with `_d` = "\r\n--<boundary>" from `_m` on: from 2 in the preamble (a line
// that starts with "--<boundary>"; a mismatch skips the line), from 0 after a body (a mismatch is an error).
const MATCH = 0;
const DELIMITER = 1; // after "--<boundary>": "\r\n" opens a part, "--" ends the stream; `_m` = first unit seen
const HEADERS = 2;
const BODY = 3;

function fail(code: string): never {
  throw new ProtocolError(("LADDER_ERR_" + code) as ProtocolErrorCode);
}

/**
 * Incremental parser of one streaming response: push the chunks as they arrive — all strings or all
 * Uint8Array, split anywhere — and receive the complete part bodies in order. A body is delivered once it and
 * the CRLF after it have arrived; the delimiter after that is checked when it arrives.
 *
 * Errors are coded ProtocolErrors (LADDER_ERR_STREAM_* or LADDER_ERR_UTF8_INVALID); after one the parser is dead
 * and every later push throws it again.
 */
export class StreamParser {
  /** True once the closing delimiter `--<boundary>--` has been read; later input is ignored. */
  ended = false;
  private _d: string;
  private _max: number;
  private _kind: string | undefined;
  private _error: unknown;
  private _s = MATCH;
  private _m = 2;
  private _pre = 0; // preamble units seen; -1 once the first part has begun
  private _line = "";
  private _cr = false;
  private _headerBytes = 0;
  private _length = -1;
  private _left = 0;
  private _high = false;
  private _body = "";
  private _decoder: Decoder | undefined;

  /** @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY; RangeError for a bad maxPartBytes. */
  constructor(options: StreamParserOptions) {
    if (!isValidBoundary(options.boundary)) fail("STREAM_BAD_BOUNDARY");
    const max = options.maxPartBytes === undefined ? STREAM_MAX_PART_BYTES : options.maxPartBytes;
    if (typeof max !== "number" || max !== Math.floor(max) || max < 0) {
      throw new RangeError("maxPartBytes");
    }
    this._max = max;
    this._d = "\r\n--" + options.boundary;
  }

  /**
   * Feeds the next chunk and returns the part bodies it completed, in order (often none).
   * @throws ProtocolError on malformed framing or invalid UTF-8; TypeError when string and byte chunks are mixed.
   */
  push(chunk: string | Uint8Array): string[] {
    if (this._error) throw this._error;
    const kind = typeof chunk === "string" ? "s" : chunk instanceof Uint8Array ? "b" : "";
    if (!kind || (this._kind && this._kind !== kind)) {
      throw new TypeError("StreamParser.push: strings or Uint8Arrays");
    }
    this._kind = kind;
    const out: string[] = [];
    try {
      for (let i = 0; i < chunk.length && !this.ended; ) {
        if (this._s === BODY) {
          i = typeof chunk === "string" ? this._text(chunk, i) : this._bytes(chunk, i);
        } else {
          this._step(typeof chunk === "string" ? chunk.charCodeAt(i) : chunk[i]!, out);
          i++;
        }
      }
    } catch (err) {
      this._error = err;
      throw err;
    }
    return out;
  }

  private _step(code: number, out: string[]): void {
    const pre = this._pre >= 0;
    if (pre && ++this._pre > MAX_PREAMBLE_UNITS) fail("STREAM_MISSING_DELIMITER");
    const m = this._m;
    if (this._s === MATCH) {
      if (m >= 0 && code === this._d.charCodeAt(m)) {
        this._m++;
        if (m === 1 && !pre) {
          out.push(this._body);
          this._body = "";
        }
        if (this._m === this._d.length) {
          this._s = DELIMITER;
          this._m = 0;
        }
      } else if (pre) this._m = code === LF ? 2 : -1;
      else fail("STREAM_MISSING_DELIMITER");
    } else if (this._s === DELIMITER) {
      if (!m && (code === CR || code === DASH)) this._m = code;
      else if (m === CR && code === LF) {
        this._s = HEADERS;
        this._pre = -1;
        this._headerBytes = 0;
        this._length = -1;
      } else if (m === DASH && code === DASH) this.ended = true;
      else if (pre) {
        this._s = MATCH;
        this._m = code === LF ? 2 : -1;
      } else fail("STREAM_MISSING_DELIMITER");
    } else {
      if (++this._headerBytes > STREAM_MAX_HEADER_BYTES) fail("STREAM_BAD_PART_HEADER");
      if (this._cr) {
        if (code !== LF) fail("STREAM_BAD_PART_HEADER");
        this._cr = false;
        this._header();
      } else if (code === CR) this._cr = true;
      else if (code === 9 || (code > 31 && code < 127)) this._line += String.fromCharCode(code);
      else fail("STREAM_BAD_PART_HEADER");
    }
  }

  /** One complete header line; the empty line ends the section and starts the body. */
  private _header(): void {
    const line = this._line;
    this._line = "";
    if (!line) {
      if (this._length < 0) fail("STREAM_BAD_PART_HEADER");
      this._left = this._length;
      this._high = false;
      if (this._left) this._s = BODY;
      else this._endBody();
      return;
    }
    // A name must be a token, which also rejects obsolete line folding (a line that starts with a space or tab).
    if (!/^[!#$%&'*+.^`|~\w-]+:/.test(line)) fail("STREAM_BAD_PART_HEADER");
    if (!/^content-length:/i.test(line)) return;
    const value = line.slice(15);
    if (this._length >= 0 || !/^[ \t]*\d{1,15}[ \t]*$/.test(value)) fail("STREAM_BAD_PART_HEADER");
    this._length = +value;
    if (this._length > this._max) fail("STREAM_PART_TOO_LARGE");
  }

  private _endBody(): void {
    this._s = MATCH;
    this._m = 0;
  }

  /**
   * Takes body units from a string chunk, counting the UTF-8 bytes each stands for (as utf8ByteLength does): a
   * high surrogate counts 3 (U+FFFD should it stay alone) and the low surrogate completing it 1 more, so a body
   * that ends on a high surrogate looks one unit ahead (a body is followed by "\r", never by a low surrogate).
   */
  private _text(text: string, start: number): number {
    let left = this._left;
    let high = this._high;
    let i = start;
    while (i < text.length) {
      const unit = text.charCodeAt(i);
      const low = (unit & 0xfc00) === 0xdc00;
      if (high && !low && !left) {
        high = false;
        break;
      }
      const weight = high && low ? 1 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
      if (weight > left) fail("UTF8_INVALID");
      left -= weight;
      i++;
      high = (unit & 0xfc00) === 0xd800;
      if (!left && !high) break;
    }
    this._body += text.slice(start, i);
    this._left = left;
    this._high = high;
    if (!left && !high) this._endBody();
    return i;
  }

  /** Takes body bytes from a byte chunk; the body must be valid UTF-8 on its own (fatal decoder, flushed at its end). */
  private _bytes(bytes: Uint8Array, start: number): number {
    const end = Math.min(bytes.length, start + this._left);
    this._left -= end - start;
    if (!this._decoder) this._decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    try {
      this._body += this._decoder.decode(bytes.subarray(start, end), { stream: this._left > 0 });
    } catch {
      fail("UTF8_INVALID");
    }
    if (!this._left) this._endBody();
    return end;
  }
}
