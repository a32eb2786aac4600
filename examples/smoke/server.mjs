// A tiny Engine.IO echo server: `node examples/smoke/server.mjs [port]` (after `pnpm build`).
// Prints its URL on the first line of stdout; echoes every message (text or binary) back to its session.
// PORT=0 (the default) picks a free port. HOST defaults to 127.0.0.1. SIGINT/SIGTERM close it gracefully.
import { createServer } from "node:http";
import { Engine } from "@ladder/server";

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";

const server = createServer((_req, res) => {
  res.writeHead(404);
  res.end("not found\n");
});
const engine = new Engine();
engine.attach(server, { path: "/engine.io/" });
engine.on("connection", (session) => {
  session.on("message", (data) => session.send(data));
});

server.listen(port, host, () => {
  const address = server.address();
  console.log(`http://${host}:${address.port}/engine.io/`);
});

function shutdown() {
  engine.close();
  server.close();
  server.closeIdleConnections();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
