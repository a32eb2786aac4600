import { decodePacket, type EnginePacket, type EnginePacketType, encodePacket } from "@ladder/protocol";
import type { RawData, WebSocket } from "ws";
import { LadderServerError } from "../errors.js";
import { type OutPacket, Transport, type TransportContext } from "./transport.js";

/**
 * Above this many bytes queued in the socket, the transport stops being writable and the session buffers
 * (bounded by maxBufferedPackets) until ws reports the queued frames written.
 */
const HIGH_WATER_MARK = 1 << 20;
const COMPRESS = { compress: true };
const NO_COMPRESS = { compress: false };
const TEXT_COMPRESS = { binary: false, compress: true };
const TEXT = { binary: false, compress: false };

// The last text message framed and its bytes. Strings compare by content, so a hit is always the same frame;
// Buffers handed to ws are never written to (server frames are not masked), so sharing one is safe.
let lastText: string | undefined;
let lastFrame: Buffer = Buffer.alloc(0);

const TRANSPORT = Symbol("ladder.websocketTransport");

interface TaggedWebSocket extends WebSocket {
  [TRANSPORT]?: WebSocketTransport;
}

function textFrame(text: string): Buffer {
  if (text !== lastText) {
    lastFrame = Buffer.from(`4${text}`);
    lastText = text;
  }
  return lastFrame;
}

/**
 * WebSocket via `ws` (public API only): one packet per frame; binary messages as binary frames unless the client
 * asked for `b64`. Incoming binary frames are message packets and reach the session as Buffer.
 */
export class WebSocketTransport extends Transport {
  readonly name = "websocket";
  readonly handlesUpgrades = false;
  readonly supportsFraming = true;
  private readonly ws: WebSocket;
  private readonly supportsBinary: boolean;
  private readonly deflate: boolean;
  /** Sequence number of the batch whose write completion makes the transport writable again (-1: none). */
  private drainSeq = -1;
  private seq = 0;

  constructor(ctx: TransportContext, ws: WebSocket) {
    super(ctx);
    this.ws = ws;
    this.supportsBinary = ctx.query.b64 === undefined;
    this.deflate = ctx.options.perMessageDeflate !== false;
    // Shared listeners that find their transport through a tag on the socket, rather than three closures (and
    // a `once` wrapper) per connection: about 0.3 KB less per idle session. ws emits "close" only once.
    (ws as TaggedWebSocket)[TRANSPORT] = this;
    ws.on("message", WebSocketTransport.onWsMessage);
    ws.on("close", WebSocketTransport.onWsClose);
    ws.on("error", WebSocketTransport.onWsError);
    this.writable = true;
  }

  private static onWsMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    // biome-ignore lint/complexity/noThisInStatic: ws (a Node EventEmitter) calls listeners with the socket as `this`
    (this as TaggedWebSocket)[TRANSPORT]?.onMessage(data, isBinary);
  }

  private static onWsClose(this: WebSocket): void {
    // biome-ignore lint/complexity/noThisInStatic: ws (a Node EventEmitter) calls listeners with the socket as `this`
    (this as TaggedWebSocket)[TRANSPORT]?.onClose();
  }

  private static onWsError(this: WebSocket, err: Error): void {
    // biome-ignore lint/complexity/noThisInStatic: ws (a Node EventEmitter) calls listeners with the socket as `this`
    (this as TaggedWebSocket)[TRANSPORT]?.onError(
      "transport error",
      new LadderServerError("LADDER_ERR_TRANSPORT", err.message),
    );
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let packet: EnginePacket;
    if (isBinary) {
      packet = { type: "message", data: Array.isArray(data) ? Buffer.concat(data) : toBuffer(data) };
    } else {
      const text = data.toString();
      // Fast path for the common case, a text message ("4..."): no general decode needed.
      if (text.charCodeAt(0) === 52) {
        this.onPacket({ type: "message", data: text.slice(1) });
        return;
      }
      try {
        packet = decodePacket(text);
      } catch (err) {
        this.onError("parse error", new LadderServerError("LADDER_ERR_PARSE", (err as Error).message));
        this.ws.close();
        return;
      }
    }
    if (packet.type === "close") {
      this.close();
      return;
    }
    this.onPacket(packet);
  }

  protected override doSend(packets: readonly OutPacket[], written?: () => void): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    const last = packets.length - 1;
    for (let i = 0; i < last; i++) {
      const packet = packets[i]!;
      this.write(packet.type, packet.data, packet.compress === true);
    }
    const packet = packets[last]!;
    this.write(packet.type, packet.data, packet.compress === true, true, written);
  }

  override sendMessages(data: ReadonlyArray<string | Uint8Array>, compress: boolean): void {
    if (this.readyState === "closed" || data.length === 0) return;
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    const last = data.length - 1;
    for (let i = 0; i < last; i++) this.write("message", data[i], compress);
    this.write("message", data[last], compress, true);
  }

  /**
   * One packet, one frame. Text messages go out as a Buffer from a one-entry cache: a broadcast hands the same
   * payload string to every recipient, so "4" + payload is UTF-8 encoded once instead of once per socket (and
   * ws writes a Buffer without converting). `end` marks the last frame of a batch: only there may a callback be
   * attached, which costs a closure, so only when someone waits for it or when the socket is already backed up
   * (then it doubles as the drain signal: ws runs callbacks in write order).
   */
  private write(
    type: EnginePacketType,
    data: string | Uint8Array | undefined,
    compress: boolean,
    end = false,
    written?: () => void,
  ): void {
    const ws = this.ws;
    const deflate = this.deflate && compress;
    let frame: string | Buffer | Uint8Array;
    let opts: object;
    if (type === "message" && typeof data === "string") {
      frame = textFrame(data);
      opts = deflate ? TEXT_COMPRESS : TEXT;
    } else {
      frame = encodePacket({ type, data }, this.supportsBinary);
      opts = deflate ? COMPRESS : NO_COMPRESS;
    }
    if (!end || (!written && ws.bufferedAmount === 0)) {
      ws.send(frame, opts);
      return;
    }
    const seq = ++this.seq;
    ws.send(frame, opts, (err) => {
      if (!err) written?.();
      if (this.drainSeq === seq) {
        this.drainSeq = -1;
        if (this.readyState !== "open") return;
        this.writable = true;
        this.emit("drain");
      }
    });
    if (ws.bufferedAmount > HIGH_WATER_MARK) {
      this.writable = false;
      this.drainSeq = seq;
    }
  }

  protected override doClose(done: () => void): void {
    // ws emits "close" once the closing handshake ends (or its own timeout fires): onClose runs then.
    void done;
    this.ws.close();
    if (this.discarded) {
      // Shutdown: a peer that never answers the close frame must not hold the process for ws's 30 s timeout.
      const ws = this.ws;
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  }

  protected override onClose(): void {
    // Reached from ws's "close" event, or early when a pending close is cut short: then the socket goes now.
    if (this.ws.readyState !== this.ws.CLOSED) this.ws.terminate();
    super.onClose();
  }

  /** For tests and the upgrade path: the number of bytes queued in the socket. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
}

function toBuffer(data: Buffer | ArrayBuffer): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
