import { decodePayload, type EnginePacket, encodePayload } from "@ladder/protocol";
import { Transport } from "./transport.js";

/**
 * HTTP long polling: one GET in flight receives packets, one POST in flight sends them. Subclasses only know how
 * to make a request (XHR, fetch, JSONP script/form); the poll loop, payload codec and pause rules live here.
 */
export abstract class Polling extends Transport {
  readonly name = "polling";
  override readonly batches = true;
  private _polling = false;
  private _seq = 0;

  private _afterPoll: (() => void) | null = null;

  protected doOpen(): void {
    this._poll();
  }

  protected doClose(): void {
    // Past the handshake (open, pausing or paused): tell the server, so the session ends now instead of at the
    // heartbeat timeout. The pending GET is answered by the server and then dropped; abort() makes sure no request
    // keeps the process (or page) busy.
    if (this.readyState !== "opening") {
      this.writable = false;
      this.doWrite(encodePayload([{ type: "close" }]), () => {});
    }
    this.abortPoll();
  }

  /** Waits for the in-flight GET and POST, so no packet is lost or reordered across an upgrade. */
  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    // Called now, after the GET in flight returns and on the POST's drain: pauses once both are done.
    const check = (): void => {
      if (this.readyState === "pausing" && !this._polling && this.writable) {
        this.readyState = "paused";
        onPause();
      }
    };
    this._afterPoll = check;
    if (!this.writable) this.once("drain", check);
    check();
  }

  override resume(): void {
    const wasPaused = this.readyState === "pausing" || this.readyState === "paused";
    this._afterPoll = null;
    super.resume();
    if (wasPaused && !this._polling) this._poll();
  }

  private _poll(): void {
    this._polling = true;
    this.doPoll(this.postUri());
  }

  /** Subclasses call this with a GET response body. */
  protected onData(body: string): void {
    if (this.readyState === "closed") return;
    let packets: EnginePacket[];
    try {
      packets = decodePayload(body);
    } catch (err) {
      this.onRequestError("poll parse error", err);
      return;
    }
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i]!;
      if (this.readyState === "opening" && packet.type === "open") this.onOpen();
      if (packet.type === "close") {
        this._polling = false;
        this.onClose({ description: "transport closed by the server" });
        return;
      }
      this.onPacket(packet);
      if ((this.readyState as string) === "closed") return;
    }
    this._polling = false;
    if (this.readyState === "open") this._poll();
    else if (this._afterPoll) this._afterPoll();
  }

  /** Subclasses call this when a GET or POST failed. */
  protected onRequestError(message: string, context?: unknown): void {
    if (this.readyState === "closed") return;
    this._polling = false;
    this.onError(message, context);
  }

  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    this.doWrite(encodePayload(packets), () => {
      this.writable = true;
      this.emit("drain");
    });
  }

  /** The URL of the next GET or POST (with the cache-busting stamp when asked). */
  protected postUri(): string {
    const o = this.opts;
    let extra: Record<string, string> | undefined;
    if (o.timestampRequests) {
      extra = {};
      extra[o.timestampParam] = Date.now().toString(36) + "." + (this._seq++).toString(36);
    }
    return this.uri(o.secure ? "https" : "http", extra);
  }

  /** Starts a GET to `uri`; must call onData(body) or onRequestError. */
  protected abstract doPoll(uri: string): void;
  /** POSTs `body` (a polling payload); calls `done` on success or onRequestError. */
  protected abstract doWrite(body: string, done: () => void): void;
  /** Aborts the GET in flight (on close); a POST in flight (the close packet) is left to finish. */
  protected abstract abortPoll(): void;
}
