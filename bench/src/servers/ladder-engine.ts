/**
 * Ladder's Engine (issue 3) from the built @ladder/server, mirroring servers/engineio.ts. Typed through a
 * local interface of the engine/session contract so the harness compiles whether or not the package has
 * landed; servers/registry.ts checks availability first.
 */
import type { Server as HttpServer } from "node:http";
import { closeHttp, listenHttp } from "./listen.js";
import { nowMs, onceNextTurn, payloadOf, type StartServer } from "./types.js";

interface LadderSession {
  send(data: string | Uint8Array): unknown;
  on(event: "message", listener: (data: string | Uint8Array) => void): unknown;
  on(event: "drain", listener: () => void): unknown;
}

interface LadderEngine {
  attach(server: HttpServer, options?: { path?: string }): unknown;
  on(event: "connection", listener: (session: LadderSession) => void): unknown;
  close(): void;
  readonly clientsCount: number;
}

export const start: StartServer = async (config) => {
  const mod = (await import("@ladder/server")) as Record<string, unknown>;
  const Engine = mod.Engine as new () => LadderEngine;
  const { http, port } = await listenHttp();
  const engine = new Engine();
  engine.attach(http, { path: "/engine.io/" });
  const payload = payloadOf(config.payloadSize);
  const sessions = new Set<LadderSession>();
  let batch = 0;
  const pump = (session: LadderSession): void => {
    for (let i = 0; i < batch; i++) session.send(`m${nowMs()}`);
  };
  engine.on("connection", (session) => {
    sessions.add(session);
    (session as unknown as { on(e: "close", l: () => void): void }).on("close", () =>
      sessions.delete(session),
    );
    if (config.hello) session.send("hello");
    session.on("message", (data) => {
      if (data === "b") {
        for (const s of sessions) s.send(payload);
      } else {
        session.send(data);
      }
    });
    session.on(
      "drain",
      onceNextTurn(() => pump(session)),
    );
  });
  return {
    port,
    clients: () => engine.clientsCount,
    startStream(size) {
      batch = size;
      for (const s of sessions) pump(s);
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
