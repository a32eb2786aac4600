// The chat demo: a Fastify server with the Ladder engine plugin and the Socket.IO-compatible Server on top.
// Serves the page and the client bundle; `node server.mjs` (or `pnpm start` at the root) prints the URL.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, Server } from "@ladder/server";
import { ladderEngine } from "@ladder/server/fastify";
import Fastify from "fastify";

const here = dirname(fileURLToPath(import.meta.url));
const clientDist = join(
  dirname(createRequire(import.meta.url).resolve("@ladder/client/package.json")),
  "dist",
);

/** Names are shown to everyone: keep them short and printable. */
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
 * Starts the chat server. Returns the Fastify app, the Socket.IO-compatible server and the URL.
 * @param {{ port?: number, host?: string, logger?: boolean, redisUrl?: string }} [options]
 */
export async function startChat(options = {}) {
  const app = Fastify({ logger: options.logger ?? false });
  // Several nodes: set REDIS_URL (opt-in; the in-memory adapter is the default). No sticky sessions needed: the
  // session router forwards a request for another node's session to that node.
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const cluster = redisUrl ? await import("@ladder/redis-adapter") : undefined;
  const router = cluster?.createSessionRouter({ url: redisUrl, keyPrefix: "ladder-chat" });
  const engine = new Engine({ pingInterval: 10000, pingTimeout: 5000, ...router?.engineOptions });
  await app.register(ladderEngine, { path: "/socket.io/", engine });
  const io = new Server(
    cluster ? { adapter: cluster.createAdapter({ url: redisUrl, keyPrefix: "ladder-chat" }) } : {},
  );
  io.bind(engine);

  const page = await readFile(join(here, "public/index.html"), "utf8");
  app.get("/", (_req, reply) => reply.type("text/html; charset=utf-8").send(page));
  // The bundle, and beside it the streaming add-on it fetches when a session needs the streaming transport (when
  // WebSocket is missing or blocked on the way).
  for (const file of ["ladder.min.js", "ladder.streaming.min.js"]) {
    app.get(`/${file}`, async (_req, reply) =>
      reply.type("text/javascript; charset=utf-8").send(await readFile(join(clientDist, file), "utf8")),
    );
  }

  io.on("connection", (socket) => {
    const name = cleanName(socket.handshake.auth?.name);
    socket.broadcast.emit("system", `${name} joined`);
    socket.on("chat", (text, ack) => {
      if (typeof text !== "string" || text.length === 0 || text.length > 2000) return;
      io.emit("chat", { name, text });
      if (typeof ack === "function") ack("ok");
    });
    socket.on("disconnect", () => socket.broadcast.emit("system", `${name} left`));
  });

  app.addHook("preClose", (done) => {
    io.close()
      .then(() => router?.close())
      .then(() => done(), done);
  });
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  // The address the other nodes forward to (LADDER_ADDRESS when they reach this node under another name).
  await router?.start(process.env.LADDER_ADDRESS ?? address);
  return { app, io, url: address };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 3000);
  const { url, app } = await startChat({ port, host: process.env.HOST ?? "127.0.0.1" });
  console.log(`Ladder chat running at ${url}/?name=yundream  (open it in two tabs; Ctrl+C to stop)`);
  const stop = () => app.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
