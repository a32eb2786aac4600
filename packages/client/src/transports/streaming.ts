import {
  decodePacket,
  type EnginePacket,
  encodePayload,
  parseStreamingContentType,
  StreamParser,
} from "@ladder/protocol";
import { assign, hasOwn } from "../url.js";
import {
  type FetchLike,
  fetchStream,
  globalFetch,
  type StreamRequest,
  xhrConstructor,
  xhrStream,
} from "./streaming-readers.js";
import { Transport } from "./transport.js";

/** Default time a streaming response has to deliver its first part (see {@link Streaming}). */
export const STREAMING_FIRST_PART_TIMEOUT = 3000;

/** True when this environment can read a response while it streams (fetch + ReadableStream, or XHR). */
export function canStream(): boolean {
  return !!globalFetch() || !!xhrConstructor();
}

/**
 * Ladder streaming (docs/streaming.md in @ladder/protocol): one long-lived GET whose
 * `multipart/x-mixed-replace` response carries one part per packet, read raw and parsed incrementally with the
 * protocol's StreamParser — from `fetch` body chunks where ReadableStream exists, else from the growing XHR
 * `responseText` (readyState 3 / progress, sliced from the last offset). Upstream is a polling POST.
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
  private _req: StreamRequest | null = null;
  private _firstPart = true;
  private _timer: unknown = null;
  private _afterStream: (() => void) | null = null;
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
    if (this.readyState === "open" || this.readyState === "pausing" || this.readyState === "paused") {
      this.writable = false;
      this._post(encodePayload([{ type: "close" }]), () => {});
    }
    this._abort();
  }

  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    this._post(encodePayload(packets), () => {
      this.writable = true;
      this.emit("drain");
      if (this.readyState === "pausing") this._checkPaused();
    });
  }

  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    this._afterStream = onPause;
    this._checkPaused();
  }

  override resume(): void {
    const wasPaused = this.readyState === "pausing" || this.readyState === "paused";
    this._afterStream = null;
    super.resume();
    if (wasPaused && !this._req) this._stream();
  }

  private _checkPaused(): void {
    if (this.readyState !== "pausing" || this._req || !this.writable || !this._afterStream) return;
    const fn = this._afterStream;
    this._afterStream = null;
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
    this._abort();
    this.onError(message, context);
  }

  private _abort(): void {
    const req = this._req;
    this._req = null;
    if (req) req.abort();
  }

  private _url(): string {
    const extra: Record<string, string> = {};
    if (this.opts.timestampRequests) {
      extra[this.opts.timestampParam] = Date.now().toString(36) + "." + (this._seq++).toString(36);
    }
    return this.uri(this.opts.secure ? "https" : "http", extra);
  }

  /** Opens the next streaming GET. */
  private _stream(): void {
    let parser: StreamParser | null = null;
    let done = false;
    const self = this;
    // Every callback checks it is still the current request: an aborted one may still report.
    const req: StreamRequest = { abort: () => {} };
    const current = (): boolean => !done && self._req === req;
    function headers(status: number, contentType: string | null): boolean {
      if (!current()) return false;
      const boundary = status === 200 ? parseStreamingContentType(contentType || "") : null;
      if (!boundary) {
        done = true;
        self._fail("streaming GET error", status);
        return false;
      }
      parser = new StreamParser({ boundary });
      // A stream that answered a probe is open as soon as the server accepted it; a handshake opens with its
      // open packet.
      if (self.readyState === "opening" && self.opts.query.sid) self._opened();
      return true;
    }
    function chunk(data: string | Uint8Array): void {
      if (!current() || !parser) return;
      let bodies: string[];
      try {
        bodies = parser.push(data);
      } catch (err) {
        done = true;
        self._fail("stream parse error", err);
        return;
      }
      for (let i = 0; i < bodies.length; i++) {
        if (!current()) return;
        self._part(bodies[i]!);
      }
    }
    function end(error?: unknown): void {
      if (!current()) return;
      done = true;
      self._req = null;
      if (error !== undefined || !parser || !parser.ended) {
        self._fail("stream cut off", error);
        return;
      }
      if (self.readyState === "open" || self.readyState === "opening") self._stream();
      else if (self.readyState === "pausing") self._checkPaused();
    }
    this._req = req;
    const url = this._url();
    const f = globalFetch();
    if (f) fetchStream(f, url, this.opts, req, headers, chunk, end);
    else xhrStream(url, this.opts, req, headers, chunk, end);
  }

  private _opened(): void {
    this.onOpen();
  }

  private _part(body: string): void {
    if (this._firstPart) {
      this._firstPart = false;
      this._clearTimer();
    }
    let packet: EnginePacket;
    try {
      packet = decodePacket(body);
    } catch (err) {
      this._fail("stream packet parse error", err);
      return;
    }
    if (this.readyState === "opening" && packet.type === "open") this._opened();
    if (packet.type === "close") {
      this._clearTimer();
      this._abort();
      this.onClose({ description: "transport closed by the server" });
      return;
    }
    this.onPacket(packet);
  }

  /** A polling POST: fetch where there is no XHR (Node), else XHR. */
  private _post(body: string, done: () => void): void {
    const o = this.opts;
    const url = this._url();
    const fail = (context: unknown): void => {
      if (this.readyState !== "closed") this.onError("streaming POST error", context);
    };
    const X = xhrConstructor();
    if (X) {
      const xhr = new X();
      xhr.open("POST", url, true);
      try {
        const h = o.extraHeaders;
        if (h) for (const key in h) if (hasOwn(h, key)) xhr.setRequestHeader(key, h[key]!);
        xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
      } catch {
        // refused headers are not fatal
      }
      try {
        xhr.withCredentials = o.withCredentials;
      } catch {
        // not fatal
      }
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== 4) return;
        xhr.onreadystatechange = null;
        if (xhr.status === 200 || xhr.status === 1223) done();
        else o.timers.setTimeout(() => fail(xhr.status), 0);
      };
      try {
        xhr.send(body);
      } catch (err) {
        o.timers.setTimeout(() => fail(err), 0);
      }
      return;
    }
    const f = (globalThis as { fetch?: FetchLike }).fetch;
    if (!f) {
      o.timers.setTimeout(() => fail("no fetch"), 0);
      return;
    }
    const headers: Record<string, string> = assign({}, o.extraHeaders);
    headers["content-type"] = "text/plain;charset=UTF-8";
    f(url, {
      method: "POST",
      headers,
      body,
      credentials: o.withCredentials ? "include" : "same-origin",
      cache: "no-store",
    }).then(
      (res) =>
        res.text().then(
          () => (res.ok ? done() : fail(res.status)),
          (err) => fail(err),
        ),
      (err) => fail(err),
    );
  }
}
