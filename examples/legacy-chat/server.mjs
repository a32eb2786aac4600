// The legacy chat: a bare Ladder Engine (no Socket.IO layer) behind Fastify. Each engine session is one
// LadderSocket in a page; a text message is broadcast to every session as "<name>: <text>".
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "@ladder/server";
import { ladderEngine } from "@ladder/server/fastify";
import Fastify from "fastify";

const here = dirname(fileURLToPath(import.meta.url));
const clientDist = join(
  dirname(createRequire(import.meta.url).resolve("@ladder/client/package.json")),
  "dist",
);

function cleanName(value) {
  const name =
    typeof value === "string"
      ? value
          .replace(/[^\p{L}\p{N} _.-]/gu, "")
          .slice(0, 32)
          .trim()
      : "";
  return name || "anonymous";
}

/**
 * Starts the legacy chat server.
 * @param {{ port?: number, host?: string }} [options]
 */
export async function startLegacyChat(options = {}) {
  const app = Fastify();
  const engine = new Engine({ pingInterval: 10000, pingTimeout: 5000 });
  await app.register(ladderEngine, { path: "/engine.io/", engine });

  const page = await readFile(join(here, "public/index.html"), "utf8");
  app.get("/", (_req, reply) => reply.type("text/html; charset=utf-8").send(page));
  // The ES5 bundle and its optional streaming add-on (ladder.legacy-streaming.min.js, loaded after it).
  for (const file of ["ladder.legacy.min.js", "ladder.legacy-streaming.min.js"]) {
    app.get(`/${file}`, async (_req, reply) =>
      reply.type("text/javascript; charset=utf-8").send(await readFile(join(clientDist, file), "utf8")),
    );
  }

  const broadcast = (text) => {
    for (const session of engine.allSessions()) session.send(text);
  };
  engine.on("connection", (session) => {
    const name = cleanName(session.handshake.query.name);
    broadcast(`* ${name} joined`);
    session.on("message", (data) => {
      if (typeof data !== "string" || data.length === 0 || data.length > 2000) return;
      broadcast(`${name}: ${data}`);
    });
    session.on("close", () => broadcast(`* ${name} left`));
  });

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  return { app, engine, url: address };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 3001);
  const { url, app } = await startLegacyChat({ port, host: process.env.HOST ?? "127.0.0.1" });
  console.log(`Ladder legacy chat running at ${url}/?name=yundream`);
  const stop = () => app.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
