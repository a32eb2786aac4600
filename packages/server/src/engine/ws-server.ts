/**
 * The `ws` server behind WebSocket sessions and probes. Its `headers` hook gives the 101 response the same
 * `initial_headers` / `headers` events (and the session cookie) as an HTTP response, so users edit headers in one
 * place whatever the transport.
 */
import type { IncomingMessage } from "node:http";
import type { EventEmitter } from "eventemitter3";
import { WebSocketServer } from "ws";
import { sessionCookie } from "../http/cookie.js";
import type { EngineEvents, ResponseHeaders } from "./events.js";
import type { EngineOptions } from "./options.js";

/** `pendingWsIds`: ids chosen for WebSocket handshakes still in progress (their 101 carries the cookie). */
export function createWebSocketServer(
  options: Readonly<EngineOptions>,
  pendingWsIds: WeakMap<IncomingMessage, string>,
  engine: EventEmitter<EngineEvents>,
): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxHttpBufferSize,
    perMessageDeflate: options.perMessageDeflate,
  });
  wss.on("headers", (lines: string[], req: IncomingMessage) => {
    const sid = pendingWsIds.get(req);
    const cookie = sid === undefined ? undefined : sessionCookie(options.cookie, sid);
    if (!cookie && engine.listenerCount("headers") === 0 && engine.listenerCount("initial_headers") === 0)
      return;
    const headers: ResponseHeaders = {};
    if (sid !== undefined) {
      if (cookie) headers["Set-Cookie"] = [cookie];
      engine.emit("initial_headers", headers, req);
    }
    engine.emit("headers", headers, req);
    for (const key of Object.keys(headers)) {
      const value = headers[key]!;
      for (const v of Array.isArray(value) ? value : [value]) lines.push(`${key}: ${v}`);
    }
  });
  return wss;
}
