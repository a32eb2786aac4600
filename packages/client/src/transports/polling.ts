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

  protected doOpen(): void {
    this._poll();
  }

  protected doClose(): void {
    if (this.readyState === "open" || this.readyState === "pausing" || this.readyState === "paused") {
      // Tell the server, so the session ends now instead of at the heartbeat timeout. The pending GET is answered
      // by the server and then dropped; abort() makes sure no request keeps the process (or page) busy.
      this.writable = false;
      this.doWrite(encodePayload([{ type: "close" }]), () => {});
    }
    this.abortPoll();
  }

  /** Waits for the in-flight GET and POST, so no packet is lost or reordered across an upgrade. */
  override pause(onPause: () => void): void {
    this.readyState = "pausing";
    const done = (): void => {
      this.readyState = "paused";
      onPause();
    };
    if (!this._polling && this.writable) {
      done();
      return;
    }
    let waiting = 0;
    const check = (): void => {
      if (--waiting === 0) done();
    };
    if (this._polling) {
      waiting++;
      this._afterPoll = check;
    }
    if (!this.writable) {
      waiting++;
      this.once("drain", check);
    }
  }

  private _afterPoll: (() => void) | null = null;

  override resume(): void {
    const wasPaused = this.readyState === "pausing" || this.readyState === "paused";
    this._afterPoll = null;
    super.resume();
    if (wasPaused && !this._polling) this._poll();
  }

  private _poll(): void {
    this._polling = true;
    this.doPoll(this.uri(this.opts.secure ? "https" : "http", this._stamp()));
  }

  /** Subclasses call this with a GET response body. */
  protected onData(body: string): void {
    if (this.readyState === "closed") return;
    let packets: EnginePacket[];
    try {
      packets = decodePayload(body);
    } catch (err) {
      this._polling = false;
      this.onError("poll parse error", err);
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
    else if (this.readyState === "pausing" && this._afterPoll) {
      const fn = this._afterPoll;
      this._afterPoll = null;
      fn();
    }
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

  protected postUri(): string {
    return this.uri(this.opts.secure ? "https" : "http", this._stamp());
  }

  private _stamp(): Record<string, string> | undefined {
    if (!this.opts.timestampRequests) return undefined;
    const extra: Record<string, string> = {};
    extra[this.opts.timestampParam] = Date.now().toString(36) + "." + (this._seq++).toString(36);
    return extra;
  }

  /** Starts a GET to `uri`; must call onData(body) or onRequestError. */
  protected abstract doPoll(uri: string): void;
  /** POSTs `body` (a polling payload); calls `done` on success or onRequestError. */
  protected abstract doWrite(body: string, done: () => void): void;
  /** Aborts the GET in flight (on close); a POST in flight (the close packet) is left to finish. */
  protected abstract abortPoll(): void;
}
