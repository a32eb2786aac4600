/**
 * Ladder's Socket.IO-compatible Server (issue 4) from the built @ladder/server, mirroring
 * servers/socketio.ts line for line so the two measure the same application.
 */
import type { Server as HttpServer } from "node:http";
import { closeHttp, listenHttp } from "./listen.js";
import { nowMs, onceNextTurn, paced, payloadOf, type StartServer } from "./types.js";

interface LadderSocket {
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  readonly conn: { on(event: "drain", listener: () => void): unknown };
}

interface LadderServer {
  on(event: "connection", listener: (socket: LadderSocket) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(callback?: () => void): unknown;
  readonly engine: { readonly clientsCount: number };
  readonly sockets: { readonly sockets: Map<string, LadderSocket> };
}

export const start: StartServer = async (config) => {
  const mod = (await import("@ladder/server")) as Record<string, unknown>;
  const Server = mod.Server as new (http: HttpServer, options?: object) => LadderServer;
  const { http, port } = await listenHttp();
  const io = new Server(http, { serveClient: false });
  const payload = payloadOf(config.payloadSize);
  let batch = 0;
  let stopPaced = (): void => {};
  const pump = (socket: LadderSocket): void => {
    for (let i = 0; i < batch; i++) socket.emit("m", nowMs());
  };
  io.on("connection", (socket) => {
    if (config.hello) socket.emit("hello");
    socket.on("echo", (data) => {
      socket.emit("echo", data);
    });
    socket.on("ack", (data, callback) => {
      if (typeof callback === "function") callback(data);
    });
    socket.on("bcast", () => {
      io.emit("msg", payload);
    });
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
      io.close();
      await closeHttp(http).catch(() => {});
    },
  };
};
