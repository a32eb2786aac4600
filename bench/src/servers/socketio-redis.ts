/**
 * Baseline for issue 8: socket.io 4.8.4 with @socket.io/redis-adapter 8.3 (ioredis pub/sub clients), one node
 * of a cluster. The application is servers/socketio.ts's; only the adapter differs.
 */
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { closeHttp, listenHttp } from "./listen.js";
import { payloadOf, type StartServer } from "./types.js";

export const start: StartServer = async (config) => {
  const { http, port } = await listenHttp();
  const pub = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true });
  await pub.connect();
  const sub = pub.duplicate();
  const io = new Server(http, { serveClient: false });
  io.adapter(createAdapter(pub, sub, { key: config.redisPrefix ?? "socket.io-bench" }));
  const payload = payloadOf(config.payloadSize);
  io.on("connection", (socket) => {
    socket.on("bcast", () => {
      io.emit("msg", payload);
    });
  });
  return {
    port,
    clients: () => io.engine.clientsCount,
    async close() {
      io.disconnectSockets(true);
      io.engine.close();
      await closeHttp(http);
      pub.disconnect();
      sub.disconnect();
    },
  };
};
