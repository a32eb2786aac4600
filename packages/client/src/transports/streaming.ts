import {
  decodePacket,
  type EnginePacket,
  encodePayload,
  parseStreamingContentType,
  StreamParser,
} from "@ladder/protocol";
import { type StreamHandlers, streamRequest } from "./streaming-readers.js";
import { Transport } from "./transport.js";

/** Default time a streaming response has to deliver its first part (see {@link Streaming}). */
export const STREAMING_FIRST_PART_TIMEOUT = 3000;

/** True when this environment can read a response while it streams (fetch + ReadableStream, or XHR). */
export function canStream(): boolean {
  return !!streamRequest();
}

/**
 * Ladder streaming (docs/streaming.md in @ladder/protocol): one long-lived GET whose
 * `multipart/x-mixed-replace` response carries one part per packet, read raw and parsed incrementally with the
 * protocol's StreamParser — from `fetch` body chunks where ReadableStream exists, else from the growing XHR
 * `responseText` (see streaming-readers.ts). Upstream is a polling POST, sent the same way.
 *
 * - A response that ends with the closing delimiter is reopened at once on the same sid (the server's byte
 *   budget); one that ends without it was cut off and is an error.
 * - Buffering-proxy detection: the first response must deliver a part (the open packet of a handshake, the
 *   `3probe` of a probe) within `streamingTimeout` ms of the request; otherwise something on the path holds the
 *   response back and the transport fails — a probe then leaves the session on polling.
 * - pause() (an upgrade away from streaming) waits for the in-flight POST and for the server to end the stream
 *   (it does so on the upgrade's noop), and does not reopen it.
 */
export class Streaming extends Transport {
  readonly name = "streaming";
  override readonly batches = true;
  /** Aborts the open GET; null when none is open. */
  private _abort: (() => void) | null = null;
  /** The first-part watchdog; null once a part arrived. */
  private _timer: unknown = null;
  private _onPause: (() => void) | null = null;
  private _seq = 0;

  protected doOpen(): void {
    const ms = this.opts.streamingTimeout;
    const timeout = ms === undefined ? STREAMING_FIRST_PART_TIMEOUT : ms;
    if (timeout > 0) {
      this._timer = this.opts.timers.setTimeout(() => {
        this._timer = null;
        this._fail("no part arrived within " + timeout + " ms: a proxy seems to buffer the stream");
      }, timeout);
    }
    this._stream();
  }

  protected doClose(): void {
    this._clearTimer();
    // Tell an open session goodbye (close() runs doClose only when the state is not "closed").
    if (this.readyState !== "opening") {
      this.writable = false;
      this._post(encodePayload([{ type: "close" }]), noop);
    }
    this._stop();
  }

  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    this._post(encodePayload(packets), () => {
      this.writable = true;
      this.emit("drain");
      this._checkPaused();
    });
  }

  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    this._onPause = onPause;
    this._checkPaused();
  }

  override resume(): void {
    const wasPaused = this.readyState === "pausing" || this.readyState === "paused";
    this._onPause = null;
    super.resume();
    if (wasPaused && !this._abort) this._stream();
  }

  private _checkPaused(): void {
    const fn = this._onPause;
    if (this.readyState !== "pausing" || this._abort || !this.writable || !fn) return;
    this._onPause = null;
    this.readyState = "paused";
    fn();
  }

  private _clearTimer(): void {
    if (this._timer !== null) this.opts.timers.clearTimeout(this._timer);
    this._timer = null;
  }

  private _fail(message: string, context?: unknown): void {
    if (this.readyState === "closed") return;
    this._clearTimer();
    this._stop();
    this.onError(message, context);
  }

  private _stop(): void {
    const abort = this._abort;
    this._abort = null;
    if (abort) abort();
  }

  /** Sends a request of this transport (a fresh URL each, timestamped when asked); returns its abort. */
  private _send(method: string, body: string | null, on: StreamHandlers): () => void {
    const o = this.opts;
    const extra: Record<string, string> = {};
    if (o.timestampRequests)
      extra[o.timestampParam] = Date.now().toString(36) + "." + (this._seq++).toString(36);
    const url = this.uri(o.secure ? "https" : "http", extra);
    return streamRequest()!(method, url, body, o, on);
  }

  /** Opens the next streaming GET, with a new parser for its boundary. */
  private _stream(): void {
    let parser: StreamParser | null = null;
    const abort = this._send("GET", null, {
      _head: (status, contentType) => {
        const boundary = status === 200 && parseStreamingContentType(contentType || "");
        if (!boundary) return this._fail("streaming GET error", status);
        parser = new StreamParser({ boundary });
        // A stream that answered a probe is open as soon as the server accepted it; a handshake opens with its
        // open packet.
        if (this.readyState === "opening" && this.opts.query.sid) this.onOpen();
      },
      _chunk: (data) => {
        let bodies: string[];
        try {
          bodies = parser!.push(data);
        } catch (err) {
          return this._fail("stream parse error", err);
        }
        // A part may close the transport or end this request: the rest of the chunk is then dropped.
        for (let i = 0; i < bodies.length && this._abort === abort; i++) this._part(bodies[i]!);
      },
      _end: (error) => {
        this._abort = null;
        if (error !== undefined || !parser || !parser.ended) this._fail("stream cut off", error);
        else if (this.readyState === "open" || this.readyState === "opening") this._stream();
        else this._checkPaused();
      },
    });
    this._abort = abort;
  }

  private _part(body: string): void {
    this._clearTimer();
    let packet: EnginePacket;
    try {
      packet = decodePacket(body);
    } catch (err) {
      this._fail("stream packet parse error", err);
      return;
    }
    if (packet.type === "close") {
      this._stop();
      this.onClose({ description: "transport closed by the server" });
      return;
    }
    if (this.readyState === "opening" && packet.type === "open") this.onOpen();
    this.onPacket(packet);
  }

  /** A polling POST; `done` once the server accepted it. Errors are reported asynchronously. */
  private _post(body: string, done: () => void): void {
    this._send("POST", body, {
      _head: noop,
      _chunk: noop,
      _end: (error) => {
        if (error === undefined) done();
        else
          this.opts.timers.setTimeout(() => {
            if (this.readyState !== "closed") this.onError("streaming POST error", error);
          }, 0);
      },
    });
  }
}

function noop(): void {}
