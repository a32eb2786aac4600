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
  private readonly dashBoundary: string;
  private readonly bodyDelimiter: string;
  private readonly maxPartBytes: number;
  private kind: "string" | "bytes" | undefined;
  private state = PREAMBLE;
  private match = 0;
  private fromPreamble = true;
  private preambleUnits = 0;
  private line = "";
  private headerBytes = 0;
  private sawCR = false;
  private contentLength = -1;
  private remaining = 0;
  private pendingHigh = false;
  private pieces: string[] = [];
  private decoder: Utf8StreamDecoder | undefined;
  private error: ProtocolError | undefined;

  /** @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY; RangeError for a bad maxPartBytes. */
  constructor(options: StreamParserOptions) {
    assertBoundary(options.boundary);
    const max = options.maxPartBytes === undefined ? STREAM_MAX_PART_BYTES : options.maxPartBytes;
    if (typeof max !== "number" || max !== Math.floor(max) || max < 0) {
      throw new RangeError("StreamParser: maxPartBytes must be a non-negative integer");
    }
    this.maxPartBytes = max;
    this.dashBoundary = "--" + options.boundary;
    this.bodyDelimiter = "\r\n--" + options.boundary;
  }

  /** True once the closing delimiter `--<boundary>--` has been read; later input is ignored. */
  get ended(): boolean {
    return this.state === ENDED;
  }

  /**
   * Feeds the next chunk and returns the part bodies it completed, in order (often none).
   * @throws ProtocolError on malformed framing or invalid UTF-8; TypeError when string and byte chunks are
   *   mixed in one stream.
   */
  push(chunk: string | Uint8Array): string[] {
    if (this.state === FAILED) throw this.error!;
    const kind = typeof chunk === "string" ? "string" : chunk instanceof Uint8Array ? "bytes" : undefined;
    if (kind === undefined) throw new TypeError("StreamParser.push: expected a string or a Uint8Array");
    if (this.kind === undefined) this.kind = kind;
    else if (this.kind !== kind) throw new TypeError("StreamParser.push: do not mix strings and bytes");
    const out: string[] = [];
    try {
      if (typeof chunk === "string") this.run(chunk, null, out);
      else this.run(null, chunk, out);
    } catch (err) {
      this.state = FAILED;
      this.error =
        err instanceof ProtocolError
          ? err
          : new ProtocolError("LADDER_ERR_STREAM_BAD_PART_HEADER", "internal parser error");
      throw this.error;
    }
    return out;
  }

  private run(text: string | null, bytes: Uint8Array | null, out: string[]): void {
    const length = text !== null ? text.length : bytes!.length;
    let i = 0;
    while (i < length) {
      if (this.state === BODY) {
        i = text !== null ? this.bodyText(text, i) : this.bodyBytes(bytes!, i);
      } else if (this.state === ENDED) {
        return;
      } else {
        const code = text !== null ? text.charCodeAt(i) : bytes![i]!;
        i++;
        this.step(code, out);
      }
    }
  }

  private step(code: number, out: string[]): void {
    switch (this.state) {
      case PREAMBLE:
        this.countPreamble();
        if (this.match >= 0 && code === this.dashBoundary.charCodeAt(this.match)) {
          this.match++;
          if (this.match === this.dashBoundary.length) this.enterDelimiter(true);
        } else this.match = code === LF ? 0 : -1;
        return;
      case DELIMITER:
        if (this.fromPreamble) this.countPreamble();
        this.delimiter(code);
        return;
      case HEADERS:
        this.header(code);
        return;
      case AFTER_BODY:
        if (code !== this.bodyDelimiter.charCodeAt(this.match)) {
          throw new ProtocolError(
            "LADDER_ERR_STREAM_MISSING_DELIMITER",
            this.match < 2 ? "no CRLF after the part body" : "no boundary after the part body",
          );
        }
        this.match++;
        if (this.match === 2) {
          out.push(this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join(""));
          this.pieces = [];
        } else if (this.match === this.bodyDelimiter.length) this.enterDelimiter(false);
        return;
    }
  }

  private countPreamble(): void {
    if (++this.preambleUnits > MAX_PREAMBLE_UNITS) {
      throw new ProtocolError(
        "LADDER_ERR_STREAM_MISSING_DELIMITER",
        `no boundary delimiter within the first ${MAX_PREAMBLE_UNITS} bytes`,
      );
    }
  }

  private enterDelimiter(fromPreamble: boolean): void {
    this.state = DELIMITER;
    this.fromPreamble = fromPreamble;
    this.match = 0;
  }

  // After "--<boundary>". In the preamble a line that merely starts like a delimiter is more preamble; after
  // a body only "\r\n" or "--" may follow.
  private delimiter(code: number): void {
    if (this.match === 0 && code === CR) this.match = 1;
    else if (this.match === 0 && code === DASH) this.match = 2;
    else if (this.match === 1 && code === LF) {
      this.state = HEADERS;
      this.line = "";
      this.headerBytes = 0;
      this.sawCR = false;
      this.contentLength = -1;
    } else if (this.match === 2 && code === DASH) this.state = ENDED;
    else if (this.fromPreamble) {
      this.state = PREAMBLE;
      this.match = code === LF ? 0 : -1;
    } else {
      throw new ProtocolError(
        "LADDER_ERR_STREAM_MISSING_DELIMITER",
        "the boundary is not followed by CRLF or by the closing --",
      );
    }
  }

  private header(code: number): void {
    if (++this.headerBytes > STREAM_MAX_HEADER_BYTES) {
      throw badHeader(`the header section is longer than ${STREAM_MAX_HEADER_BYTES} bytes`);
    }
    if (this.sawCR) {
      if (code !== LF) throw badHeader("CR not followed by LF");
      this.sawCR = false;
      this.headerLine();
    } else if (code === CR) this.sawCR = true;
    else if (code === TAB || (code >= 0x20 && code <= 0x7e)) this.line += String.fromCharCode(code);
    else throw badHeader(code === LF ? "bare LF" : "a control or non-ASCII character");
  }

  private headerLine(): void {
    const line = this.line;
    this.line = "";
    if (line === "") {
      if (this.contentLength < 0) throw badHeader("no Content-Length");
      this.startBody(this.contentLength);
      return;
    }
    const colon = line.indexOf(":");
    // A name must be a token: this also rejects obsolete line folding (a line starting with space or tab).
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) throw badHeader("not a Name: value line");
    if (line.slice(0, colon).toLowerCase() !== "content-length") return;
    if (this.contentLength >= 0) throw badHeader("Content-Length given twice");
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!DIGITS.test(value)) throw badHeader("Content-Length is not a decimal number");
    const length = parseInt(value, 10);
    if (length > this.maxPartBytes) {
      throw new ProtocolError(
        "LADDER_ERR_STREAM_PART_TOO_LARGE",
        `Content-Length ${length} is above the limit of ${this.maxPartBytes} bytes`,
      );
    }
    this.contentLength = length;
  }

  private startBody(length: number): void {
    this.remaining = length;
    this.pendingHigh = false;
    this.pieces = [];
    if (length === 0) {
      this.pieces.push("");
      this.afterBody();
    } else {
      this.state = BODY;
      if (this.kind === "bytes" && !this.decoder) this.decoder = new Utf8StreamDecoder();
    }
  }

  private afterBody(): void {
    this.state = AFTER_BODY;
    this.match = 0;
  }

  /**
   * Takes body characters from a string chunk, counting the UTF-8 bytes each stands for (the string is the
   * already-decoded response, so counting replaces re-encoding). A high surrogate counts 3 bytes (U+FFFD,
   * should it stay alone) and the low surrogate completing it 1 more; a body that ends on a high surrogate
   * therefore needs one unit of look-ahead to know the pair is not completed inside the part.
   */
  private bodyText(text: string, start: number): number {
    const length = text.length;
    let remaining = this.remaining;
    let pendingHigh = this.pendingHigh;
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
    if (i > start) this.pieces.push(text.slice(start, i));
    this.remaining = remaining;
    this.pendingHigh = pendingHigh;
    if (remaining === 0 && !pendingHigh) this.afterBody();
    return i;
  }

  private bodyBytes(bytes: Uint8Array, start: number): number {
    const take = Math.min(this.remaining, bytes.length - start);
    const decoder = this.decoder!;
    const piece = decoder.write(bytes.subarray(start, start + take));
    if (piece) this.pieces.push(piece);
    this.remaining -= take;
    if (this.remaining === 0) {
      // The body must be valid UTF-8 on its own: end() rejects a character cut by the Content-Length.
      const rest = decoder.end();
      if (rest) this.pieces.push(rest);
      if (this.pieces.length === 0) this.pieces.push("");
      this.afterBody();
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
