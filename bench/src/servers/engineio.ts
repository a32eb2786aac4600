/** Baseline: engine.io 6.6.12 with its defaults (the layer under socket.io). */
import { Server, type Socket } from "engine.io";
import { closeHttp, listenHttp } from "./listen.js";
import { nowMs, onceNextTurn, payloadOf, type StartServer } from "./types.js";

export const start: StartServer = async (config) => {
  const { http, port } = await listenHttp();
  const engine = new Server();
  engine.attach(http);
  const payload = payloadOf(config.payloadSize);
  // engine.clients is protected in the typings: keep our own set, as an application would.
  const sockets = new Set<Socket>();
  let batch = 0;
  const pump = (socket: Socket): void => {
    for (let i = 0; i < batch; i++) socket.send(`m${nowMs()}`);
  };
  engine.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (config.hello) socket.send("hello");
    socket.on("message", (data: string | Buffer) => {
      if (data === "b") {
        for (const s of sockets) s.send(payload);
      } else {
        socket.send(data);
      }
    });
    // "drain" fires once the write buffer has been handed to the transport: refill it.
    socket.on(
      "drain",
      onceNextTurn(() => pump(socket)),
    );
  });
  return {
    port,
    clients: () => engine.clientsCount,
    startStream(size) {
      batch = size;
      for (const s of sockets) pump(s);
    },
    stopStream() {
      batch = 0;
    },
    async close() {
      batch = 0;
      engine.close();
      await closeHttp(http);
    },
  };
};
