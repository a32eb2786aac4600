import type { IncomingMessage, ServerResponse } from "node:http";
import { decodePayload, type EnginePacket, encodePayload } from "@ladder/protocol";
import { LadderServerError } from "../errors.js";
import { readBody } from "../http/body.js";
import { compressBody, negotiateEncoding } from "../http/compression.js";
import { respondEngineError, respondStatus } from "../http/respond.js";
import type { TimerHandle } from "../timers.js";
import { type OutPacket, Transport } from "./transport.js";

/**
 * HTTP long polling (XHR / fetch): a pending GET is the downstream channel (writable while it is open),
 * each POST carries a `\x1e`-separated payload upstream. JSONP differs only in framing: it overrides
 * {@link PollingTransport.encodeResponse} and {@link PollingTransport.decodeRequest}.
 */
export class PollingTransport extends Transport {
  readonly name: string = "polling";
  readonly handlesUpgrades = true;
  readonly supportsFraming = false;
  /** Content type of GET responses. */
  protected contentType = "text/plain; charset=UTF-8";

  private getReq: IncomingMessage | undefined;
  private getRes: ServerResponse | undefined;
  private postReq: IncomingMessage | undefined;
  private firstResponse = true;
  /** A close requested while no GET was pending: delivered with the next GET, or after closeTimeout. */
  private pendingClose: (() => void) | undefined;
  private closeTimer: TimerHandle | undefined;

  override onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === "GET") this.onPoll(req, res);
    else if (req.method === "POST") this.onData(req, res);
    else respondEngineError(res, 3);
  }

  /** Body of a GET response for an encoded payload. */
  protected encodeResponse(payload: string): string {
    return payload;
  }

  /** Payload text from a POST body. May throw a ProtocolError. */
  protected decodeRequest(body: string): string {
    return body;
  }

  /** A GET: the downstream channel, writable until answered. */
  protected onPoll(req: IncomingMessage, res: ServerResponse): void {
    if (this.getRes) {
      // Two GETs at once means a broken or malicious client: the session cannot tell which one is live.
      respondEngineError(res, 3);
      this.onError("transport error", new LadderServerError("LADDER_ERR_REQUEST_OVERLAP", "GET"));
      return;
    }
    if (this.readyState === "closed" || this.discarded) {
      respondEngineError(res, 3);
      return;
    }
    this.getReq = req;
    this.getRes = res;
    res.once("close", this.onPollAborted);
    this.writable = true;
    this.emit("drain");
    // A close was requested while no GET was pending: this GET carries it (after whatever was flushed).
    if (this.writable && this.pendingClose) this.send([{ type: "noop" }]);
  }

  private readonly onPollAborted = (): void => {
    // Reached only when the client closes the connection before we answered.
    this.getReq = this.getRes = undefined;
    this.writable = false;
    this.onError("transport error", new LadderServerError("LADDER_ERR_POLL_ABORTED", "GET"));
  };

  /** A POST: a payload upstream, read with the size limit while it streams. */
  protected onData(req: IncomingMessage, res: ServerResponse): void {
    if (this.postReq) {
      respondEngineError(res, 3);
      this.onError("transport error", new LadderServerError("LADDER_ERR_REQUEST_OVERLAP", "POST"));
      return;
    }
    const type = req.headers["content-type"];
    if (typeof type === "string" && type.toLowerCase().startsWith("application/octet-stream")) {
      // v4 polling bodies are text; the response is ended here so no socket is left hanging.
      respondEngineError(res, 3);
      this.onError("transport error", new LadderServerError("LADDER_ERR_BINARY_POST"));
      return;
    }
    this.postReq = req;
    readBody(req, this.ctx.options.maxHttpBufferSize, (failure, body) => {
      this.postReq = undefined;
      if (failure === "too-large") {
        // The payload is dropped but the session stays open; Connection: close stops the upload.
        respondStatus(res, 413, { Connection: "close" });
        return;
      }
      if (failure === "aborted") {
        this.onError("transport error", new LadderServerError("LADDER_ERR_POLL_ABORTED", "POST"));
        return;
      }
      let packets: EnginePacket[];
      try {
        packets = decodePayload(this.decodeRequest(body));
      } catch (err) {
        respondEngineError(res, 3);
        this.onError("parse error", new LadderServerError("LADDER_ERR_PARSE", (err as Error).message));
        return;
      }
      const headers: Record<string, string | string[]> = {
        // text/html rather than text/plain: some old user agents offer a download for text/plain.
        "Content-Type": "text/html",
        "Content-Length": "2",
      };
      this.addHeaders(headers, req, false);
      res.writeHead(200, headers);
      res.end("ok");
      for (const packet of packets) {
        if (this.readyState === "closed") break;
        if (packet.type === "close") {
          this.onClose();
          break;
        }
        this.onPacket(packet);
      }
    });
  }

  protected override doSend(packets: readonly OutPacket[], written?: () => void): void {
    const res = this.getRes;
    const req = this.getReq;
    if (!res || !req) return;
    this.writable = false;
    this.getReq = this.getRes = undefined;
    res.off("close", this.onPollAborted);
    let list = packets;
    let afterWrite = written;
    const close = this.pendingClose;
    if (close) {
      this.pendingClose = undefined;
      list = [...packets, { type: "close" }];
      afterWrite = () => {
        written?.();
        close();
      };
    }
    const body = this.encodeResponse(encodePayload(list));
    let compress = false;
    for (const p of list) if (p.compress) compress = true;
    this.writeResponse(req, res, body, compress, afterWrite);
  }

  private addHeaders(
    headers: Record<string, string | string[]>,
    req: IncomingMessage,
    response: boolean,
  ): void {
    const ua = req.headers["user-agent"];
    // Old IE's XSS filter mangles polling responses.
    if (ua && (ua.includes(";MSIE") || ua.includes("Trident/"))) headers["X-XSS-Protection"] = "0";
    headers["Cache-Control"] = "no-store";
    const initial = response && this.firstResponse && this.ctx.handshake;
    if (response) this.firstResponse = false;
    this.ctx.onHeaders(headers, req, initial);
  }

  private writeResponse(
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    compress: boolean,
    written: (() => void) | undefined,
  ): void {
    const headers: Record<string, string | string[]> = { "Content-Type": this.contentType };
    this.addHeaders(headers, req, true);
    const finish = (data: string | Buffer) => {
      headers["Content-Length"] = String(typeof data === "string" ? Buffer.byteLength(data) : data.length);
      if (!res.writable || res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(200, headers);
      res.end(data, written);
    };
    const compression = this.ctx.options.httpCompression;
    if (!compress || !compression || Buffer.byteLength(body) < compression.threshold) {
      finish(body);
      return;
    }
    const encoding = negotiateEncoding(req);
    if (!encoding) {
      finish(body);
      return;
    }
    compressBody(Buffer.from(body), encoding, { level: compression.level }, (err, out) => {
      if (err) {
        finish(body);
        return;
      }
      headers["Content-Encoding"] = encoding;
      finish(out);
    });
  }

  protected override onClose(): void {
    // End a pending GET with a noop rather than leaving the client's request hanging.
    if (this.writable && this.getRes) this.send([{ type: "noop" }]);
    if (this.closeTimer !== undefined) this.ctx.options.timers.clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.pendingClose = undefined;
    super.onClose();
  }

  override discard(): void {
    super.discard();
    if (this.writable && this.getRes) this.send([{ type: "noop" }]);
  }

  protected override doClose(done: () => void): void {
    // An upload in flight can't be completed meaningfully once the session is going away.
    this.postReq?.destroy();
    this.postReq = undefined;
    if (this.writable) {
      this.send([{ type: "close" }]);
      done();
    } else if (this.discarded) {
      done();
    } else {
      const timers = this.ctx.options.timers;
      const finish = () => {
        if (this.closeTimer !== undefined) timers.clearTimeout(this.closeTimer);
        this.closeTimer = undefined;
        done();
      };
      this.pendingClose = finish;
      this.closeTimer = timers.setTimeout(finish, this.ctx.options.closeTimeout);
    }
  }
}
