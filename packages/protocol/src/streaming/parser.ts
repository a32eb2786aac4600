import { ProtocolError } from "../errors.js";
import { Utf8StreamDecoder } from "../utf8.js";
import { assertBoundary } from "./boundary.js";
import { STREAM_MAX_PRELUDE_SIZE } from "./encode.js";

/**
 * Default largest part body: a 1e6-byte binary message (the default maxPayload) is 1,333,337 bytes as a
 * "b" + base64 record; the rest is slack for text packets of the same order.
 */
export const STREAM_MAX_PART_BYTES = 1_400_000;

/** Largest header section of one part (ours is about 70 bytes). */
export const STREAM_MAX_HEADER_BYTES = 1024;

// The preamble is skipped, not stored, but a stream that shows no delimiter line for this long is not ours.
const MAX_PREAMBLE_UNITS = 2 * STREAM_MAX_PRELUDE_SIZE;

const CR = 13;
const LF = 10;
const DASH = 45;
const TAB = 9;

// Parser states.
const PREAMBLE = 0; // skipping MIME preamble lines; `match` = chars of "--<boundary>" seen on this line, -1 = none
const DELIMITER = 1; // after "--<boundary>": CRLF opens a part, "--" closes the stream (`match` 0/1 = CR/dash seen)
const HEADERS = 2;
const BODY = 3;
const AFTER_BODY = 4; // `match` = chars of "\r\n--<boundary>" seen
const ENDED = 5;
const FAILED = 6;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]{1,15}$/;

/** Options of a {@link StreamParser}. */
export interface StreamParserOptions {
  /** The boundary from the response's Content-Type (see parseStreamingContentType). */
  boundary: string;
  /** Largest accepted Content-Length of one part, in bytes. Default {@link STREAM_MAX_PART_BYTES}. */
  maxPartBytes?: number;
}

/**
 * Incremental parser of one streaming response (multipart/x-mixed-replace with length-delimited parts, see
 * docs/streaming.md). Push the chunks as they arrive — all strings (XHR responseText increments) or all
 * Uint8Array (fetch body chunks), split anywhere — and receive the complete part bodies in order.
 *
 * Each body is delivered once its bytes and the CRLF that follows it have arrived; the delimiter after that
 * CRLF is checked when it arrives. A body is never searched for the boundary, so a payload cannot forge a
 * part. Linear time in the input; memory is bounded by maxPartBytes plus the header limit.
 *
 * Errors are ProtocolError (LADDER_ERR_STREAM_* or LADDER_ERR_UTF8_INVALID). After an error the parser is
 * dead: every later push throws the same error, and bodies completed earlier in the failing chunk are not
 * delivered (a stream with broken framing is closed as a whole by the transport).
 */
export class StreamParser {
  private readonly _dashBoundary: string;
  private readonly _bodyDelimiter: string;
  private readonly _maxPartBytes: number;
  private _kind: "string" | "bytes" | undefined;
  private _state = PREAMBLE;
  private _match = 0;
  private _fromPreamble = true;
  private _preambleUnits = 0;
  private _line = "";
  private _headerBytes = 0;
  private _sawCR = false;
  private _contentLength = -1;
  private _remaining = 0;
  private _pendingHigh = false;
  private _pieces: string[] = [];
  private _decoder: Utf8StreamDecoder | undefined;
  private _error: ProtocolError | undefined;

  /** @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY; RangeError for a bad maxPartBytes. */
  constructor(options: StreamParserOptions) {
    assertBoundary(options.boundary);
    const max = options.maxPartBytes === undefined ? STREAM_MAX_PART_BYTES : options.maxPartBytes;
    if (typeof max !== "number" || max !== Math.floor(max) || max < 0) {
      throw new RangeError("StreamParser: maxPartBytes must be a non-negative integer");
    }
    this._maxPartBytes = max;
    this._dashBoundary = "--" + options.boundary;
    this._bodyDelimiter = "\r\n--" + options.boundary;
  }

  /** True once the closing delimiter `--<boundary>--` has been read; later input is ignored. */
  get ended(): boolean {
    return this._state === ENDED;
  }

  /**
   * Feeds the next chunk and returns the part bodies it completed, in order (often none).
   * @throws ProtocolError on malformed framing or invalid UTF-8; TypeError when string and byte chunks are
   *   mixed in one stream.
   */
  push(chunk: string | Uint8Array): string[] {
    if (this._state === FAILED) throw this._error!;
    const kind = typeof chunk === "string" ? "string" : chunk instanceof Uint8Array ? "bytes" : undefined;
    if (kind === undefined) throw new TypeError("StreamParser.push: expected a string or a Uint8Array");
    if (this._kind === undefined) this._kind = kind;
    else if (this._kind !== kind) throw new TypeError("StreamParser.push: do not mix strings and bytes");
    const out: string[] = [];
    try {
      if (typeof chunk === "string") this._run(chunk, null, out);
      else this._run(null, chunk, out);
    } catch (err) {
      this._state = FAILED;
      this._error =
        err instanceof ProtocolError
          ? err
          : new ProtocolError("LADDER_ERR_STREAM_BAD_PART_HEADER", "internal parser error");
      throw this._error;
    }
    return out;
  }

  private _run(text: string | null, bytes: Uint8Array | null, out: string[]): void {
    const length = text !== null ? text.length : bytes!.length;
    let i = 0;
    while (i < length) {
      if (this._state === BODY) {
        i = text !== null ? this._bodyText(text, i) : this._bodyBytes(bytes!, i);
      } else if (this._state === ENDED) {
        return;
      } else if (this._state === HEADERS && !this._sawCR) {
        // A run of header characters is taken at once (per-character string appends dominated the parse time);
        // what ends the run (CR, or a character that is not allowed) goes through _header as before.
        const end = this._headerRun(text, bytes, i, length);
        if (end === i) {
          const code = text !== null ? text.charCodeAt(i) : bytes![i]!;
          i++;
          this._step(code, out);
        } else i = end;
      } else {
        const code = text !== null ? text.charCodeAt(i) : bytes![i]!;
        i++;
        this._step(code, out);
      }
    }
  }

  private _step(code: number, out: string[]): void {
    switch (this._state) {
      case PREAMBLE:
        this._countPreamble();
        if (this._match >= 0 && code === this._dashBoundary.charCodeAt(this._match)) {
          this._match++;
          if (this._match === this._dashBoundary.length) this._enterDelimiter(true);
        } else this._match = code === LF ? 0 : -1;
        return;
      case DELIMITER:
        if (this._fromPreamble) this._countPreamble();
        this._delimiter(code);
        return;
      case HEADERS:
        this._header(code);
        return;
      case AFTER_BODY:
        if (code !== this._bodyDelimiter.charCodeAt(this._match)) {
          throw new ProtocolError(
            "LADDER_ERR_STREAM_MISSING_DELIMITER",
            this._match < 2 ? "no CRLF after the part body" : "no boundary after the part body",
          );
        }
        this._match++;
        if (this._match === 2) {
          out.push(this._pieces.length === 1 ? this._pieces[0]! : this._pieces.join(""));
          this._pieces = [];
        } else if (this._match === this._bodyDelimiter.length) this._enterDelimiter(false);
        return;
    }
  }

  private _countPreamble(): void {
    if (++this._preambleUnits > MAX_PREAMBLE_UNITS) {
      throw new ProtocolError(
        "LADDER_ERR_STREAM_MISSING_DELIMITER",
        `no boundary delimiter within the first ${MAX_PREAMBLE_UNITS} bytes`,
      );
    }
  }

  private _enterDelimiter(fromPreamble: boolean): void {
    this._state = DELIMITER;
    this._fromPreamble = fromPreamble;
    this._match = 0;
  }

  // After "--<boundary>". In the preamble a line that merely starts like a delimiter is more preamble; after
  // a body only "\r\n" or "--" may follow.
  private _delimiter(code: number): void {
    if (this._match === 0 && code === CR) this._match = 1;
    else if (this._match === 0 && code === DASH) this._match = 2;
    else if (this._match === 1 && code === LF) {
      this._state = HEADERS;
      this._line = "";
      this._headerBytes = 0;
      this._sawCR = false;
      this._contentLength = -1;
    } else if (this._match === 2 && code === DASH) this._state = ENDED;
    else if (this._fromPreamble) {
      this._state = PREAMBLE;
      this._match = code === LF ? 0 : -1;
    } else {
      throw new ProtocolError(
        "LADDER_ERR_STREAM_MISSING_DELIMITER",
        "the boundary is not followed by CRLF or by the closing --",
      );
    }
  }

  private _header(code: number): void {
    if (++this._headerBytes > STREAM_MAX_HEADER_BYTES) {
      throw badHeader(`the header section is longer than ${STREAM_MAX_HEADER_BYTES} bytes`);
    }
    if (this._sawCR) {
      if (code !== LF) throw badHeader("CR not followed by LF");
      this._sawCR = false;
      this._headerLine();
    } else if (code === CR) this._sawCR = true;
    else if (code === TAB || (code >= 0x20 && code <= 0x7e)) this._line += String.fromCharCode(code);
    else throw badHeader(code === LF ? "bare LF" : "a control or non-ASCII character");
  }

  /** Takes the header-line characters (tab, printable ASCII) from `start`; returns where they stop. */
  private _headerRun(text: string | null, bytes: Uint8Array | null, start: number, length: number): number {
    let j = start;
    if (text !== null) {
      while (j < length) {
        const c = text.charCodeAt(j);
        if (c === TAB || (c >= 0x20 && c <= 0x7e)) j++;
        else break;
      }
    } else {
      const b = bytes!;
      while (j < length) {
        const c = b[j]!;
        if (c === TAB || (c >= 0x20 && c <= 0x7e)) j++;
        else break;
      }
    }
    if (j === start) return start;
    if (this._headerBytes + (j - start) > STREAM_MAX_HEADER_BYTES) {
      throw badHeader(`the header section is longer than ${STREAM_MAX_HEADER_BYTES} bytes`);
    }
    this._headerBytes += j - start;
    this._line +=
      text !== null
        ? text.slice(start, j)
        : String.fromCharCode.apply(null, bytes!.subarray(start, j) as unknown as number[]);
    return j;
  }

  private _headerLine(): void {
    const line = this._line;
    this._line = "";
    if (line === "") {
      if (this._contentLength < 0) throw badHeader("no Content-Length");
      this._startBody(this._contentLength);
      return;
    }
    const colon = line.indexOf(":");
    // A name must be a token: this also rejects obsolete line folding (a line starting with space or tab).
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) throw badHeader("not a Name: value line");
    if (line.slice(0, colon).toLowerCase() !== "content-length") return;
    if (this._contentLength >= 0) throw badHeader("Content-Length given twice");
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!DIGITS.test(value)) throw badHeader("Content-Length is not a decimal number");
    const length = parseInt(value, 10);
    if (length > this._maxPartBytes) {
      throw new ProtocolError(
        "LADDER_ERR_STREAM_PART_TOO_LARGE",
        `Content-Length ${length} is above the limit of ${this._maxPartBytes} bytes`,
      );
    }
    this._contentLength = length;
  }

  private _startBody(length: number): void {
    this._remaining = length;
    this._pendingHigh = false;
    this._pieces = [];
    if (length === 0) {
      this._pieces.push("");
      this._afterBody();
    } else {
      this._state = BODY;
      if (this._kind === "bytes" && !this._decoder) this._decoder = new Utf8StreamDecoder();
    }
  }

  private _afterBody(): void {
    this._state = AFTER_BODY;
    this._match = 0;
  }

  /**
   * Takes body characters from a string chunk, counting the UTF-8 bytes each stands for (the string is the
   * already-decoded response, so counting replaces re-encoding). A high surrogate counts 3 bytes (U+FFFD,
   * should it stay alone) and the low surrogate completing it 1 more; a body that ends on a high surrogate
   * therefore needs one unit of look-ahead to know the pair is not completed inside the part.
   */
  private _bodyText(text: string, start: number): number {
    const length = text.length;
    let remaining = this._remaining;
    let pendingHigh = this._pendingHigh;
    let i = start;
    while (i < length) {
      const unit = text.charCodeAt(i);
      if (pendingHigh) {
        pendingHigh = false;
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          if (remaining === 0) throw cutCharacter();
          remaining -= 1;
          i++;
          if (remaining === 0) break;
          continue;
        }
        if (remaining === 0) break;
      }
      const weight = unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
      if (weight > remaining) throw cutCharacter();
      remaining -= weight;
      i++;
      if (unit >= 0xd800 && unit <= 0xdbff) pendingHigh = true;
      else if (remaining === 0) break;
    }
    if (i > start) this._pieces.push(text.slice(start, i));
    this._remaining = remaining;
    this._pendingHigh = pendingHigh;
    if (remaining === 0 && !pendingHigh) this._afterBody();
    return i;
  }

  private _bodyBytes(bytes: Uint8Array, start: number): number {
    const take = Math.min(this._remaining, bytes.length - start);
    const decoder = this._decoder!;
    const piece = decoder.write(bytes.subarray(start, start + take));
    if (piece) this._pieces.push(piece);
    this._remaining -= take;
    if (this._remaining === 0) {
      // The body must be valid UTF-8 on its own: end() rejects a character cut by the Content-Length.
      const rest = decoder.end();
      if (rest) this._pieces.push(rest);
      if (this._pieces.length === 0) this._pieces.push("");
      this._afterBody();
    }
    return start + take;
  }
}

function badHeader(detail: string): ProtocolError {
  return new ProtocolError("LADDER_ERR_STREAM_BAD_PART_HEADER", detail);
}

function cutCharacter(): ProtocolError {
  return new ProtocolError("LADDER_ERR_UTF8_INVALID", "the Content-Length ends inside a character");
}
