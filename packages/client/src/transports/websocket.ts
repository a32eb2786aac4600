import { decodePacket, type EnginePacket, encodePacket } from "@ladder/protocol";
import { unrefWebSocket } from "../node-unref.js";
import { nextTick } from "../timers.js";
import { assign } from "../url.js";
import { requestHeaders } from "./fetch-init.js";
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
  const g = globalThis as { WebSocket?: WebSocketConstructor };
  return typeof g.WebSocket === "function" ? g.WebSocket : undefined;
}

/** One Engine.IO packet per WebSocket frame; binary message packets as binary frames (unless b64 was asked). */
export class WebSocketTransport extends Transport {
  readonly name = "websocket";
  private _ws: WebSocketLike | null = null;

  protected doOpen(): void {
    const o = this.opts;
    const Ctor = webSocketConstructor(o);
    // Constructor failures are reported asynchronously, like a failed connection.
    const fail = (message: string, context?: unknown): unknown =>
      o.timers.setTimeout(() => this.onError(message, context), 0);
    if (!Ctor) {
      fail("no WebSocket implementation");
      return;
    }
    const uri = this.uri(o.secure ? "wss" : "ws");
    let ws: WebSocketLike;
    try {
      // Only `ws` takes a third argument (headers etc.); browser bundles have no NodeWebSocket, so this branch
      // folds away there. Some old browsers reject an undefined `protocols`, hence the two browser forms.
      ws =
        NodeWebSocket && Ctor === NodeWebSocket
          ? unrefWebSocket(
              new Ctor(
                uri,
                o.protocols,
                assign(assign({}, o.tls?.options), o.wsOptions, {
                  headers: assign({}, o.wsOptions && (o.wsOptions.headers as object), requestHeaders(o, uri)),
                }),
              ),
              o.tls?.unref,
            )
          : o.protocols
            ? new Ctor(uri, o.protocols)
            : new Ctor(uri);
    } catch (err) {
      fail("websocket constructor error", err);
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

  protected write(packets: EnginePacket[]): void {
    this.writable = false;
    for (let i = 0; i < packets.length; i++) {
      try {
        this._ws!.send(encodePacket(packets[i]!, !this.opts.forceBase64) as string | Uint8Array);
      } catch {
        // A send on a socket that is closing; the close event reports it.
      }
    }
    // Asynchronous, so a burst of writes from one tick becomes one flush (and ordering matches polling).
    nextTick(() => {
      if (this.readyState !== "closed") {
        this.writable = true;
        this.emit("drain");
      }
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
