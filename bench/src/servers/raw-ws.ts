/**
 * Baseline: plain `ws` 8 on a Node HTTP server. Echo sends the frame back; a one-byte "b" message triggers a
 * send loop of the payload to every client (the "raw ws send loop" of issue 4); streaming uses send callbacks
 * as its drain signal.
 */
import { type WebSocket, WebSocketServer } from "ws";
import { closeHttp, listenHttp } from "./listen.js";
import { nowMs, onceNextTurn, payloadOf, type StartServer } from "./types.js";

export const start: StartServer = async (config) => {
  const { http, port } = await listenHttp();
  const wss = new WebSocketServer({ server: http });
  const payload = payloadOf(config.payloadSize);
  let batch = 0;
  const refills = new WeakMap<WebSocket, () => void>();
  const pump = (ws: WebSocket): void => {
    if (batch === 0 || ws.readyState !== ws.OPEN) return;
    let refill = refills.get(ws);
    if (!refill) {
      refill = onceNextTurn(() => pump(ws));
      refills.set(ws, refill);
    }
    for (let i = 1; i < batch; i++) ws.send(`m${nowMs()}`);
    // ws has no drain event: the last send's callback says the batch went to the socket.
    ws.send(`m${nowMs()}`, refill);
  };
  wss.on("connection", (ws) => {
    if (config.hello) ws.send("hello");
    ws.on("message", (data: Buffer, isBinary) => {
      if (!isBinary && data.length === 1 && data[0] === 0x62) {
        for (const client of wss.clients) client.send(payload);
      } else {
        ws.send(data, { binary: isBinary });
      }
    });
    ws.on("error", () => {});
  });
  return {
    port,
    clients: () => wss.clients.size,
    startStream(size) {
      batch = size;
      for (const ws of wss.clients) pump(ws);
    },
    stopStream() {
      batch = 0;
    },
    async close() {
      batch = 0;
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp(http);
    },
  };
};
