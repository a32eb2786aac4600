import { utf8ByteLength } from "@ladder/protocol";
import type { EngineOptions } from "./engine/options.js";
import { type EngineData, EngineSocket } from "./engine/session.js";
import { clientError } from "./errors.js";
import { defaultTimers, nextTick } from "./timers.js";
import { assign, parseUrl } from "./url.js";

/** A W3C-style event object. */
export interface LadderEvent {
  type: string;
  target: LadderSocket;
  /** `message`: the data (string, ArrayBuffer or Blob per binaryType). */
  data?: unknown;
  /** `close`: the close code (1000 normal, 1005 no code given, 1006 abnormal). */
  code?: number;
  reason?: string;
  wasClean?: boolean;
  /** `error`: the underlying error. */
  error?: unknown;
  /** `upgrade`: the new transport's name. */
  transport?: string;
}

/** A listener: a function, or an object with `handleEvent` (as with addEventListener). */
export type LadderEventListener = ((ev: LadderEvent) => void) | { handleEvent(ev: LadderEvent): void };

/** Options of a {@link LadderSocket}: the engine options (path defaults to "/engine.io"). */
export type LadderSocketOptions = EngineOptions;

interface BlobCtor {
  new (parts: unknown[]): unknown;
}

/**
 * The W3C WebSocket interface over a Ladder/Engine.IO session on any transport: a classic WebSocket client works
 * unchanged except for the constructor. On the server it is an engine session (`Engine` `connection` →
 * `message`). Adds `transport` (the current transport's name) and an `upgrade` event.
 */
export class LadderSocket {
  // The state constants, `protocol`/`extensions` and the null `on<type>` handlers live on the class and its
  // prototype (assigned once below the class) rather than being copied onto every instance.
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSING: 2;
  declare static readonly CLOSED: 3;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSING: 2;
  declare readonly CLOSED: 3;

  /** The URL given to the constructor. */
  readonly url: string;
  /** Always "" (no subprotocol negotiation over polling). */
  declare readonly protocol: string;
  declare readonly extensions: string;
  /** "blob" (the W3C default, where Blob exists) or "arraybuffer". */
  binaryType: "blob" | "arraybuffer";
  declare onopen: ((ev: LadderEvent) => void) | null;
  declare onmessage: ((ev: LadderEvent) => void) | null;
  declare onerror: ((ev: LadderEvent) => void) | null;
  declare onclose: ((ev: LadderEvent) => void) | null;
  declare onupgrade: ((ev: LadderEvent) => void) | null;

  /** The underlying engine session (for advanced use and tests). */
  readonly engine: EngineSocket;
  private _state = 0;
  private _listeners: { [type: string]: LadderEventListener[] | undefined } = {};
  private _closeCode: number | undefined;
  private _closeReason = "";

  /**
   * @param url `ws://host:port/path`, `http://...` or a path; a path other than "/" is the engine path
   *   (default "/engine.io/").
   */
  constructor(url: string, options?: LadderSocketOptions) {
    this.url = url;
    this.binaryType = typeof (globalThis as { Blob?: unknown }).Blob === "function" ? "blob" : "arraybuffer";
    const opts: EngineOptions = assign({}, options);
    const path = parseUrl(url).path;
    if (!opts.path && path !== "/") opts.path = path;
    if (!opts.binaryType) opts.binaryType = "arraybuffer";
    const engine = new EngineSocket(url.replace(/^ws(s?):/i, "http$1:"), opts);
    this.engine = engine;
    engine.on("open", () => {
      this._state = 1;
      this._fire("open");
    });
    engine.on("message", (data) => {
      if (this._state === 1) this._fire("message", { data: this._binary(data) });
    });
    engine.on("upgrade", (t) => this._fire("upgrade", { transport: t.name }));
    engine.on("error", (error) => this._fire("error", { error }));
    engine.on("close", (reason) => {
      // close() while CONNECTING fails the connection, as in browsers: error, then an unclean 1006 close.
      const wasClean = reason === "forced close" && this._closeCode !== 1006;
      if (this._closeCode === 1006) this._fire("error");
      const code = wasClean ? (this._closeCode !== undefined ? this._closeCode : 1005) : 1006;
      // As in browsers, CLOSED and the close event come in a later task: close() returns in CLOSING.
      nextTick(() => {
        this._state = 3;
        this._fire("close", { code, reason: wasClean ? this._closeReason : reason, wasClean });
      }, options?.timers || defaultTimers);
    });
  }

  /** CONNECTING 0, OPEN 1, CLOSING 2, CLOSED 3. */
  get readyState(): number {
    return this._state;
  }

  /** The current transport's name ("polling", "websocket", ...). */
  get transport(): string {
    return this.engine.transport ? this.engine.transport.name : "";
  }

  /** Bytes queued but not yet sent (approximate: 0 once flushed). */
  get bufferedAmount(): number {
    return 0;
  }

  /** Sends text or binary; throws InvalidStateError while CONNECTING, ignored once closing. */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (!this._state)
      throw clientError("LADDER_ERR_CLIENT_INVALID_STATE", "Still in CONNECTING state.", {
        name: "InvalidStateError",
      });
    if (this._state === 1) this.engine.send(data as EngineData);
  }

  /**
   * Closes; `code` must be 1000 or 3000-4999 and `reason` at most 123 UTF-8 bytes. The close event carries the code
   * and reason given here (while CONNECTING: an error event, then 1006 unclean, as browsers do).
   */
  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999))
      throw clientError("LADDER_ERR_CLIENT_INVALID_ACCESS", "", { name: "InvalidAccessError" });
    if (reason && utf8ByteLength(reason) > 123)
      throw clientError("LADDER_ERR_CLIENT_CLOSE_REASON", "", { name: "SyntaxError" });
    if (this._state >= 2) return;
    this._closeCode = this._state ? code : 1006;
    this._closeReason = reason || "";
    this._state = 2;
    this.engine.close();
  }

  addEventListener(type: string, listener: LadderEventListener | null): void {
    const list = this._listeners[type] || [];
    this._listeners[type] = list;
    if (listener && list.indexOf(listener) < 0) list.push(listener);
  }

  removeEventListener(type: string, listener: LadderEventListener | null): void {
    const list = this._listeners[type] || [];
    const i = listener ? list.indexOf(listener) : -1;
    if (i >= 0) list.splice(i, 1);
  }

  /** Delivers `ev` to the `on<type>` handler and the listeners. */
  dispatchEvent(ev: LadderEvent): boolean {
    const handler = (this as unknown as Record<string, unknown>)["on" + ev.type];
    if (typeof handler === "function") handler.call(this, ev);
    // A copy, so listeners added or removed while dispatching do not change this round.
    const list = (this._listeners[ev.type] || []).slice();
    for (let i = 0; i < list.length; i++) {
      const l = list[i]!;
      if (typeof l === "function") l.call(this, ev);
      else l.handleEvent(ev);
    }
    return true;
  }

  private _fire(type: string, extra?: Partial<LadderEvent>): void {
    this.dispatchEvent(assign({ type, target: this } as LadderEvent, extra));
  }

  private _binary(data: string | ArrayBuffer | Uint8Array): unknown {
    const Blob = (globalThis as { Blob?: BlobCtor }).Blob;
    return typeof data !== "string" && this.binaryType === "blob" && Blob ? new Blob([data]) : data;
  }
}

const proto = LadderSocket.prototype as unknown as Record<string, unknown>;
const states = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
for (let i = 0; i < 4; i++)
  proto[states[i]!] = (LadderSocket as unknown as Record<string, number>)[states[i]!] = i;
proto.protocol = proto.extensions = "";
proto.onopen = proto.onmessage = proto.onerror = proto.onclose = proto.onupgrade = null;
