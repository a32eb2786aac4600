/** Baseline: socket.io 4.8.4 with its defaults (client not served). */
import { Server, type Socket } from "socket.io";
import { closeHttp, listenHttp } from "./listen.js";
import { nowMs, onceNextTurn, paced, payloadOf, type StartServer } from "./types.js";

export const start: StartServer = async (config) => {
  const { http, port } = await listenHttp();
  const io = new Server(http, { serveClient: false });
  const payload = payloadOf(config.payloadSize);
  let batch = 0;
  let stopPaced = (): void => {};
  const pump = (socket: Socket): void => {
    for (let i = 0; i < batch; i++) socket.emit("m", nowMs());
  };
  io.on("connection", (socket) => {
    if (config.hello) socket.emit("hello");
    socket.on("echo", (data: unknown) => {
      socket.emit("echo", data);
    });
    socket.on("ack", (data: unknown, callback: unknown) => {
      if (typeof callback === "function") callback(data);
    });
    socket.on("bcast", () => {
      io.emit("msg", payload);
    });
    // The engine socket's "drain": the write buffer went to the transport; refill it.
    socket.conn.on(
      "drain",
      onceNextTurn(() => pump(socket)),
    );
  });
  return {
    port,
    clients: () => io.engine.clientsCount,
    startStream(size) {
      batch = size;
      for (const socket of io.sockets.sockets.values()) pump(socket);
    },
    startPaced(everyMs) {
      stopPaced = paced(
        everyMs,
        () => io.sockets.sockets.values(),
        (s) => s.emit("m", nowMs()),
      );
    },
    stopStream() {
      batch = 0;
      stopPaced();
    },
    async close() {
      batch = 0;
      stopPaced();
      io.disconnectSockets(true);
      io.engine.close();
      await closeHttp(http);
    },
  };
};
