import { decodePacket, type EnginePacket, encodePacket } from "@ladder/protocol";
import { nextTick } from "../timers.js";
import { assign } from "../url.js";
import { NodeWebSocket } from "./node-websocket.js";
import {
  Transport,
  type TransportOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./transport.js";

/** The WebSocket implementation to use: injected, then `ws` (Node), then the global (browsers). */
export function webSocketConstructor(
  opts: Pick<TransportOptions, "WebSocket">,
): WebSocketConstructor | undefined {
  if (opts.WebSocket) return opts.WebSocket;
  if (NodeWebSocket) return NodeWebSocket;
  const g = globalThis as { WebSocket?: WebSocketConstructor; MozWebSocket?: WebSocketConstructor };
  return typeof g.WebSocket === "function" ? g.WebSocket : undefined;
}

/** One Engine.IO packet per WebSocket frame; binary message packets as binary frames (unless b64 was asked). */
export class WebSocketTransport extends Transport {
  readonly name = "websocket";
  private _ws: WebSocketLike | null = null;

  protected doOpen(): void {
    const Ctor = webSocketConstructor(this.opts);
    if (!Ctor) {
      this.opts.timers.setTimeout(() => this.onError("no WebSocket implementation"), 0);
      return;
    }
    const uri = this.uri(this.opts.secure ? "wss" : "ws");
    let ws: WebSocketLike;
    try {
      // Only `ws` takes a third argument (headers etc.); a browser's constructor ignores it.
      ws =
        Ctor === NodeWebSocket
          ? new Ctor(uri, this.opts.protocols, this._nodeOptions())
          : this.opts.protocols
            ? new Ctor(uri, this.opts.protocols)
            : new Ctor(uri);
    } catch (err) {
      this.opts.timers.setTimeout(() => this.onError("websocket constructor error", err), 0);
      return;
    }
    ws.binaryType = "arraybuffer";
    ws.onopen = () => this.onOpen();
    ws.onclose = (ev) => this.onClose({ description: "websocket connection closed", context: ev });
    ws.onerror = (ev) => this.onError("websocket error", ev);
    ws.onmessage = (ev) => {
      let packet: EnginePacket;
      try {
        packet = decodePacket(ev.data as string | ArrayBuffer);
      } catch (err) {
        this.onError("websocket parse error", err);
        return;
      }
      this.onPacket(packet);
    };
    this._ws = ws;
  }

  private _nodeOptions(): Record<string, unknown> {
    const options: Record<string, unknown> = assign({}, this.opts.wsOptions);
    if (this.opts.extraHeaders) options.headers = this.opts.extraHeaders;
    return options;
  }

  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    const ws = this._ws!;
    const binary = !this.opts.forceBase64;
    for (let i = 0; i < packets.length; i++) {
      try {
        ws.send(encodePacket(packets[i]!, binary) as string | Uint8Array);
      } catch {
        // A send on a socket that is closing; the close event reports it.
      }
    }
    // Asynchronous, so a burst of writes from one tick becomes one flush (and ordering matches polling).
    nextTick(() => {
      if (this.readyState === "closed") return;
      this.writable = true;
      this.emit("drain");
    }, this.opts.timers);
  }

  protected doClose(): void {
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      // Keep an error handler: closing a connecting `ws` reports an error, which must not become an uncaught one.
      ws.onerror = () => {};
      try {
        ws.close();
      } catch {
        // closing a socket that never opened may throw in some browsers
      }
    }
  }
}
