/**
 * The load client's multipart reader for Ladder's streaming responses: a bench-only parser that works on the
 * Buffers Node hands out and uses Buffer.indexOf (native) to find line ends, instead of @ladder/protocol's
 * StreamParser, which steps byte by byte because it must also take XHR responseText strings in old browsers.
 * Measured at 100 clients, that parser kept the load process at ~96% of its core, so the benchmark measured
 * the client rather than the server (BENCHMARKS.md section 6).
 *
 * It is strict about what Ladder writes (docs/streaming.md): a preamble line, then parts
 * `--<boundary>\r\n<headers>\r\n\r\n<Content-Length bytes>\r\n`, then `--<boundary>--`. Anything else throws,
 * so a framing bug still fails the benchmark instead of being counted.
 */

const CRLF = Buffer.from("\r\n");
const CRLFCRLF = Buffer.from("\r\n\r\n");
const CONTENT_LENGTH = Buffer.from("\r\ncontent-length:");
const MAX_PREAMBLE = 128 * 1024;
const MAX_HEADERS = 1024;

export class MultipartReader {
  private readonly dashBoundary: Buffer;
  private pending: Buffer | undefined;
  private inPreamble = true;
  private done = false;

  constructor(boundary: string) {
    this.dashBoundary = Buffer.from(`--${boundary}`, "latin1");
  }

  get ended(): boolean {
    return this.done;
  }

  /** Feeds one chunk; calls `onPart` with every body it completes, in order. Throws on bad framing. */
  push(chunk: Buffer, onPart: (body: string) => void): void {
    if (this.done) return;
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let pos = 0;
    if (this.inPreamble) {
      // The first delimiter sits at the start of a line after the padding.
      const at = buf.indexOf(this.dashBoundary);
      if (at < 0 || at + this.dashBoundary.length + 2 > buf.length) {
        if (buf.length > MAX_PREAMBLE) throw new Error("streaming: no delimiter after the preamble");
        this.pending = buf;
        return;
      }
      if (at > 0 && buf[at - 1] !== 0x0a) throw new Error("streaming: delimiter not at a line start");
      this.inPreamble = false;
      pos = at;
    }
    const dash = this.dashBoundary;
    const dl = dash.length;
    while (pos < buf.length) {
      // At a delimiter: "--<boundary>" then CRLF (a part) or "--" (the end).
      if (buf.length - pos < dl + 2) break;
      if (buf.compare(dash, 0, dl, pos, pos + dl) !== 0) throw new Error("streaming: expected a delimiter");
      const a = buf[pos + dl];
      const b = buf[pos + dl + 1];
      if (a === 0x2d && b === 0x2d) {
        this.done = true;
        return;
      }
      if (a !== 0x0d || b !== 0x0a) throw new Error("streaming: bad delimiter line");
      const headersStart = pos + dl; // the CRLF before the first header line
      const headersEnd = buf.indexOf(CRLFCRLF, headersStart);
      if (headersEnd < 0) {
        if (buf.length - headersStart > MAX_HEADERS) throw new Error("streaming: part headers too long");
        break;
      }
      const length = contentLength(buf, headersStart, headersEnd + 2);
      const bodyStart = headersEnd + 4;
      const bodyEnd = bodyStart + length;
      if (buf.length < bodyEnd + 2) break;
      if (buf[bodyEnd] !== 0x0d || buf[bodyEnd + 1] !== 0x0a)
        throw new Error("streaming: part longer than its length");
      onPart(buf.toString("utf8", bodyStart, bodyEnd));
      pos = bodyEnd + 2;
    }
    if (pos < buf.length) this.pending = buf.subarray(pos);
  }
}

/** Content-Length of the header block buf[start, end) (which starts with the CRLF ending the delimiter). */
function contentLength(buf: Buffer, start: number, end: number): number {
  // Header names are case-insensitive: lower-case a copy of the (short) block only when the exact one misses.
  let at = indexOfHeader(buf, start, end);
  if (at < 0) throw new Error("streaming: part without Content-Length");
  at += CONTENT_LENGTH.length;
  while (buf[at] === 0x20 || buf[at] === 0x09) at++;
  let n = 0;
  let digits = 0;
  for (; at < end; at++) {
    const c = buf[at]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
    digits++;
  }
  if (digits === 0 || digits > 15 || buf.compare(CRLF, 0, 2, at, at + 2) !== 0) {
    throw new Error("streaming: bad Content-Length");
  }
  return n;
}

function indexOfHeader(buf: Buffer, start: number, end: number): number {
  const exact = buf.indexOf("\r\nContent-Length:", start, "latin1");
  if (exact >= 0 && exact < end) return exact;
  const lower = Buffer.from(buf.toString("latin1", start, end).toLowerCase(), "latin1");
  const at = lower.indexOf(CONTENT_LENGTH);
  return at < 0 ? -1 : start + at;
}
