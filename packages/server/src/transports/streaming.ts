import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createBoundary,
  encodePacket,
  encodeStreamEnd,
  encodeStreamPartHead,
  encodeStreamPartWithHead,
  encodeStreamPrelude,
  streamingContentType,
} from "@ladder/protocol";
import { LadderServerError } from "../errors.js";
import { respondEngineError } from "../http/respond.js";
import type { TimerHandle } from "../timers.js";
import { PollingTransport } from "./polling.js";
import type { OutPacket } from "./transport.js";

/** Default byte budget of one streaming response (the figure SockJS uses). */
export const DEFAULT_STREAMING_RESPONSE_LIMIT = 128 * 1024;

/**
 * Ladder streaming (docs/streaming.md in @ladder/protocol): a GET answered with a long-lived
 * `multipart/x-mixed-replace` response, one part per Engine.IO packet; upstream POSTs are exactly polling's
 * (inherited). Writable while a response is open and the socket is not congested.
 *
 * A response ends with the closing delimiter, at a part boundary, when:
 * - it has carried `streamingResponseLimit` bytes (the client reopens it on the same sid; packets sent in
 *   between wait in the session's buffer, as between two polls);
 * - a `noop` is sent: the session only sends noops to release a client's pending downstream request (an
 *   upgrade in progress, a close), which for a stream means ending it — so an upgrade from streaming pauses
 *   exactly as one from polling does;
 * - a `close` packet is sent.
 *
 * Binary messages are written as base64 records (`b...`), so every part is text: the old-browser reader only
 * has `responseText`. The client aborting an open response is an error, as for a pending poll.
 */
export class StreamingTransport extends PollingTransport {
  override readonly name: string = "streaming";

  private res: ServerResponse | undefined;
  private boundary = "";
  /** `--<boundary>\r\nContent-Type: …\r\nContent-Length: ` of the open response, built once per response. */
  private partHead = "";
  private bytes = 0;
  /** Parts gathered for one write (see doSend), and their write callbacks. */
  private pending = "";
  private pendingWritten: (() => void)[] = [];
  private flushQueued = false;
  private firstStream = true;
  private congested = false;
  /** A close requested while no stream was open: delivered by the next one, or dropped after closeTimeout. */
  private closeWaiting: (() => void) | undefined;
  private closeWaitTimer: TimerHandle | undefined;

  private get limit(): number {
    const limit = this.ctx.options.streamingResponseLimit;
    return typeof limit === "number" && limit > 0 ? limit : DEFAULT_STREAMING_RESPONSE_LIMIT;
  }

  /** A GET: opens the stream. */
  protected override onPoll(req: IncomingMessage, res: ServerResponse): void {
    if (this.res) {
      // Two open streams at once: the session cannot tell which one the client reads.
      respondEngineError(res, 3);
      this.onError("transport error", new LadderServerError("LADDER_ERR_REQUEST_OVERLAP", "GET"));
      return;
    }
    if (this.readyState === "closed" || this.discarded) {
      respondEngineError(res, 3);
      return;
    }
    this.boundary = createBoundary();
    this.partHead = encodeStreamPartHead(this.boundary);
    const headers: Record<string, string | string[]> = {
      "Content-Type": streamingContentType(this.boundary),
      // Proxies and browsers must neither cache nor buffer nor sniff the stream.
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
      "X-Content-Type-Options": "nosniff",
    };
    const initial = this.firstStream && this.ctx.handshake;
    this.firstStream = false;
    this.ctx.onHeaders(headers, req, initial);
    if (!res.writable || res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(200, headers);
    const prelude = encodeStreamPrelude();
    res.write(prelude);
    this.bytes = prelude.length;
    this.res = res;
    this.congested = false;
    res.once("close", this.onStreamAborted);
    res.on("drain", this.onStreamDrain);
    this.writable = true;
    this.emit("drain");
    if (this.writable && this.closeWaiting) this.send([{ type: "noop" }]);
  }

  private readonly onStreamAborted = (): void => {
    // Reached only when the client went away before we ended the response.
    this.detachStream();
    this.takePending();
    this.onError("transport error", new LadderServerError("LADDER_ERR_POLL_ABORTED", "GET"));
  };

  private readonly onStreamDrain = (): void => {
    if (!this.congested || !this.res) return;
    this.congested = false;
    this.writable = true;
    this.emit("drain");
  };

  private detachStream(): ServerResponse | undefined {
    const res = this.res;
    this.res = undefined;
    this.writable = false;
    this.congested = false;
    if (res) {
      res.off("close", this.onStreamAborted);
      res.off("drain", this.onStreamDrain);
    }
    return res;
  }

  protected override doSend(packets: readonly OutPacket[], written?: () => void): void {
    const res = this.res;
    if (!res) return;
    const boundary = this.boundary;
    const head = this.partHead;
    let chunk = "";
    let bytes = 0;
    let end = false;
    let list = packets;
    let afterWrite = written;
    const close = this.closeWaiting;
    if (close) {
      this.clearCloseWait();
      list = [...packets, { type: "close" }];
      afterWrite = () => {
        written?.();
        close();
      };
    }
    for (const packet of list) {
      if (packet.type === "noop") {
        end = true;
        continue;
      }
      if (packet.type === "close") end = true;
      // The head is built once per response; Buffer.byteLength counts a lone surrogate as the 3 bytes of U+FFFD,
      // as the protocol's writer does. Everything but the body is ASCII, so the part's bytes are its length with
      // the body's characters counted as bytes.
      const body = encodePacket(packet, false) as string;
      const length = Buffer.byteLength(body);
      const part = encodeStreamPartWithHead(head, body, length);
      chunk += part;
      bytes += part.length - body.length + length;
    }
    this.bytes += bytes;
    if (end || this.bytes >= this.limit) {
      // The budget is checked after each write, so a response ends at a part boundary and a batch (what the
      // session had buffered while no response was open) is never split: splitting would leave packets in the
      // transport that an upgrade committing meanwhile would lose. A response is thus at most the budget plus
      // one batch.
      const [before, callbacks] = this.takePending();
      this.detachStream();
      const all = afterWrite ? [...callbacks, afterWrite] : callbacks;
      res.end(before + chunk + encodeStreamEnd(boundary), joinCallbacks(all));
      return;
    }
    // Consecutive sends to one stream (a burst of emits: each arrives here on its own) leave as one HTTP chunk in
    // one write, instead of one chunk (size line, data, CRLF) and one syscall per send. The gathered parts are
    // written as soon as a part goes to another stream, or at the end of the tick: a loop over many streams (a
    // broadcast, an interval timer) puts each one on the wire when it moves on, not after its last send.
    if (gathering !== this) {
      gathering?._flush();
      gathering = this;
    }
    this.pending += chunk;
    if (afterWrite) this.pendingWritten.push(afterWrite);
    if (!this.flushQueued) {
      this.flushQueued = true;
      process.nextTick(flushPending, this);
    }
  }

  /** @internal Writes what doSend gathered: at the end of the tick, or when another stream is sent to. */
  _flush(): void {
    if (gathering === this) gathering = undefined;
    this.flushQueued = false;
    const res = this.res;
    const [chunk, callbacks] = this.takePending();
    if (!res || chunk === "") return;
    const socket = res.socket;
    const corked = socket ? socket.writableCorked : 0;
    const ok = res.write(chunk, joinCallbacks(callbacks));
    // Node's response corks its socket on a write and uncorks it at nextTick: left to that, a loop sending to 100
    // streams put every part on the wire only after its last send (p50 0.42 vs 0.028 ms, BENCHMARKS.md
    // section 6). Uncorking what this write corked sends it now, in one writev (size line, data, CRLF).
    if (socket && socket.writableCorked > corked) socket.uncork();
    if (!ok) {
      // Backpressure: the session keeps packets (bounded by maxBufferedPackets) until the socket drains.
      this.writable = false;
      this.congested = true;
    }
  }

  private takePending(): [string, (() => void)[]] {
    const taken: [string, (() => void)[]] = [this.pending, this.pendingWritten];
    this.pending = "";
    if (this.pendingWritten.length > 0) this.pendingWritten = [];
    return taken;
  }

  protected override doClose(done: () => void): void {
    if (this.writable) {
      this.send([{ type: "close" }]);
      done();
    } else if (this.discarded || this.res) {
      // No stream, or a congested one: nothing waits for the client.
      done();
    } else {
      const timers = this.ctx.options.timers;
      const finish = () => {
        this.clearCloseWait();
        done();
      };
      this.closeWaiting = finish;
      this.closeWaitTimer = timers.setTimeout(finish, this.ctx.options.closeTimeout);
    }
  }

  private clearCloseWait(): void {
    if (this.closeWaitTimer !== undefined) this.ctx.options.timers.clearTimeout(this.closeWaitTimer);
    this.closeWaitTimer = undefined;
    this.closeWaiting = undefined;
  }

  override discard(): void {
    super.discard();
    this.endStream();
  }

  protected override onClose(): void {
    this.clearCloseWait();
    this.endStream();
    super.onClose();
  }

  /** Ends an open response with the closing delimiter (nothing more is coming on it). */
  private endStream(): void {
    const [chunk, callbacks] = this.takePending();
    const res = this.detachStream();
    if (res && !res.writableEnded) res.end(chunk + encodeStreamEnd(this.boundary), joinCallbacks(callbacks));
  }
}

/** The stream doSend is gathering parts for (at most one at a time). */
let gathering: StreamingTransport | undefined;

function flushPending(transport: StreamingTransport): void {
  transport._flush();
}

function joinCallbacks(callbacks: readonly (() => void)[]): (() => void) | undefined {
  if (callbacks.length === 0) return undefined;
  if (callbacks.length === 1) return callbacks[0];
  return () => {
    for (const cb of callbacks) cb();
  };
}
