import { utf8ByteLength } from "../utf8.js";
import { assertBoundary } from "./boundary.js";

/** Padding bytes of the default prelude: old IE-class XHR fires no progress before ~2 KB have arrived. */
export const STREAM_PRELUDE_SIZE = 2048;

/** The largest prelude padding {@link encodeStreamPrelude} writes (the parser allows twice as much). */
export const STREAM_MAX_PRELUDE_SIZE = 65536;

let defaultPrelude: string | undefined;

function padding(size: number): string {
  // Doubling instead of String.prototype.repeat, which the ES5 targets lack.
  let out = "";
  let piece = " ";
  let n = size;
  while (n > 0) {
    if (n & 1) out += piece;
    piece += piece;
    n >>= 1;
  }
  return out;
}

/**
 * The MIME preamble a streaming response starts with: `size` spaces, then CRLF. Receivers ignore it; it
 * exists so that clients which buffer the beginning of a response start delivering parts immediately.
 * @param size padding bytes, an integer in [0, {@link STREAM_MAX_PRELUDE_SIZE}]; default 2048.
 * @throws RangeError for any other size (a programming error, not wire input).
 */
export function encodeStreamPrelude(size: number = STREAM_PRELUDE_SIZE): string {
  if (typeof size !== "number" || size !== Math.floor(size) || size < 0 || size > STREAM_MAX_PRELUDE_SIZE) {
    throw new RangeError(`encodeStreamPrelude: size must be an integer in [0, ${STREAM_MAX_PRELUDE_SIZE}]`);
  }
  if (size === STREAM_PRELUDE_SIZE) {
    if (defaultPrelude === undefined) defaultPrelude = padding(size) + "\r\n";
    return defaultPrelude;
  }
  return padding(size) + "\r\n";
}

/**
 * One part carrying `body` (one polling-payload record: a text packet, or "b" + base64 for binary):
 * `--<boundary>\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: <n>\r\n\r\n<body>\r\n`,
 * where n is the body's length in UTF-8 bytes (lone surrogates count as the 3 bytes of U+FFFD, which is
 * what a UTF-8 writer puts on the wire for them).
 * @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY
 */
export function encodeStreamPart(body: string, boundary: string): string {
  return encodeStreamPartWithHead(encodeStreamPartHead(boundary), body, utf8ByteLength(body));
}

/**
 * The start every part of one response shares, through `Content-Length: `: a writer of many parts builds it once
 * per response and finishes each part with {@link encodeStreamPartWithHead}.
 * @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY
 */
export function encodeStreamPartHead(boundary: string): string {
  assertBoundary(boundary);
  return "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: ";
}

/**
 * The part of {@link encodeStreamPart} from a head made by {@link encodeStreamPartHead} and the body's length in
 * UTF-8 bytes, which the caller may count with a faster host function (Node's Buffer.byteLength counts the same).
 */
export function encodeStreamPartWithHead(head: string, body: string, byteLength: number): string {
  return head + byteLength + "\r\n\r\n" + body + "\r\n";
}

/**
 * The closing delimiter `--<boundary>--\r\n`: the response ends after it, and the client reopens.
 * @throws ProtocolError LADDER_ERR_STREAM_BAD_BOUNDARY
 */
export function encodeStreamEnd(boundary: string): string {
  assertBoundary(boundary);
  return "--" + boundary + "--\r\n";
}
