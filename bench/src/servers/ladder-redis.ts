/**
 * Ladder's Server with @ladder/redis-adapter (issue 8), one node of a cluster; the application is
 * servers/ladder-server.ts's, only the adapter differs. Removes its keys on close.
 */
import type { Server as HttpServer } from "node:http";
import { Redis } from "ioredis";
import { closeHttp, listenHttp } from "./listen.js";
import { payloadOf, type StartServer } from "./types.js";

interface LadderSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface LadderServer {
  on(event: "connection", listener: (socket: LadderSocket) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
  readonly engine: { readonly clientsCount: number };
}

export const start: StartServer = async (config) => {
  const server = (await import("@ladder/server")) as Record<string, unknown>;
  const adapter = (await import("@ladder/redis-adapter")) as Record<string, unknown>;
  const Server = server.Server as new (http: HttpServer, options?: object) => LadderServer;
  const createAdapter = adapter.createAdapter as (options: { url: string; keyPrefix: string }) => unknown;
  const keyPrefix = config.redisPrefix ?? "ladder-bench";
  const { http, port } = await listenHttp();
  const io = new Server(http, {
    serveClient: false,
    adapter: createAdapter({ url: "redis://127.0.0.1:6379", keyPrefix }),
  });
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
      await Promise.resolve(io.close());
      await closeHttp(http).catch(() => {});
      // Whatever the adapter stored under this run's prefix goes with it.
      const redis = new Redis({ host: "127.0.0.1", port: 6379 });
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
};
