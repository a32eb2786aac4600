import { type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import { parseStreamingContentType, StreamParser } from "@ladder/protocol";
import { EIO, http, type RawResponse, until } from "./helpers.js";

/** One open streaming GET read raw: the literal body so far, the parsed parts, and how it ended. */
export class RawStream {
  status = 0;
  headers: IncomingHttpHeaders = {};
  boundary = "";
  /** The response body exactly as received (latin1-safe: decoded as UTF-8 at the end of each chunk). */
  raw = "";
  parts: string[] = [];
  /** The closing delimiter was parsed. */
  closed = false;
  /** The response finished (end or error). */
  finished = false;
  error: Error | undefined;
  private res: IncomingMessage | undefined;
  private readonly req: ReturnType<typeof request>;
  private parser: StreamParser | undefined;

  constructor(port: number, path: string) {
    this.req = request({ host: "127.0.0.1", port, path, method: "GET", agent: false }, (res) => {
      this.res = res;
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      const boundary = parseStreamingContentType(String(res.headers["content-type"] ?? ""));
      if (boundary) {
        this.boundary = boundary;
        this.parser = new StreamParser({ boundary });
      }
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        this.raw = Buffer.concat(chunks).toString("utf8");
        if (!this.parser) return;
        try {
          for (const part of this.parser.push(new Uint8Array(chunk))) this.parts.push(part);
          this.closed = this.parser.ended;
        } catch (err) {
          this.error = err as Error;
        }
      });
      res.on("end", () => {
        this.finished = true;
      });
      res.on("error", () => {
        this.finished = true;
      });
    });
    this.req.on("error", (err) => {
      this.error = err;
      this.finished = true;
    });
    this.req.end();
  }

  /** Resolves once the response headers arrived. */
  started(): Promise<void> {
    return until(() => this.status !== 0 || this.finished);
  }

  /** Resolves once `n` parts arrived. */
  waitParts(n: number, timeoutMs = 3000): Promise<void> {
    return until(() => this.parts.length >= n || this.error !== undefined, timeoutMs);
  }

  /** Resolves once the response ended. */
  waitEnd(timeoutMs = 3000): Promise<void> {
    return until(() => this.finished, timeoutMs);
  }

  /** Closes the connection from the client side (an abort). */
  abort(): void {
    this.req.destroy();
    this.res?.destroy();
  }
}

export function streamGet(port: number, query: string): RawStream {
  return new RawStream(port, `${EIO}&transport=streaming${query}`);
}

/** A POST of a polling payload naming `transport` (polling, or streaming for a streaming session / probe). */
export function postAs(port: number, sid: string, transport: string, body: string): Promise<RawResponse> {
  return http(port, "POST", `${EIO}&transport=${transport}&sid=${encodeURIComponent(sid)}`, {
    body,
    headers: { "Content-Type": "text/plain;charset=UTF-8" },
  });
}

/** The literal bytes of one part (as docs/streaming.md specifies them). */
export function literalPart(boundary: string, body: string): string {
  return `--${boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}\r\n`;
}
