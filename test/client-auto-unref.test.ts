// `autoUnref` (Node, as socket.io-client's option): a process whose only remaining work is a connected client
// exits by itself, on every transport (fetch polling with a long poll in flight, `ws`, fetch streaming); without
// the option the same process stays alive. Each child keeps itself alive with an interval until it is connected on
// the transport asked for, then clears it and sets an unref'd guard that reports "still alive" (exit 3) if the
// process has not ended 2 s later.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Engine, Server } from "@ladder/server";
import { expect } from "chai";
import { runClientProcess } from "./client-helpers.js";

const CHILD = `
import { io } from "@ladder/client";
const keep = setInterval(() => {}, 1000);
const socket = io(process.env.URL, {
  transports: JSON.parse(process.env.TRANSPORTS),
  autoUnref: process.env.UNREF === "1",
  reconnection: false,
});
const check = () => {
  if (socket.connected && socket.io.engine.transport.name === process.env.FINAL) {
    console.log("on " + process.env.FINAL);
    clearInterval(keep);
    // Unref'd: it fires only if something else keeps the process alive.
    setTimeout(() => { console.log("still alive"); process.exit(3); }, 2000).unref();
  }
};
socket.on("connect", check);
socket.io.on("transport", check);
socket.on("connect_error", (err) => { console.log("connect_error " + err.message); process.exit(4); });
`;

describe("client: autoUnref lets a connected Node process exit", function () {
  this.timeout(30000);
  let http: HttpServer;
  let io: Server;
  let url: string;

  before(async () => {
    http = createServer();
    const engine = new Engine({ pingInterval: 20000, pingTimeout: 20000 });
    engine.attach(http, { path: "/socket.io/" });
    io = new Server();
    io.bind(engine);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    io.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  });

  for (const c of [
    { final: "polling", transports: ["polling"], unref: true, exit: 0 },
    { final: "polling", transports: ["polling"], unref: false, exit: 3 },
    { final: "websocket", transports: ["polling", "websocket"], unref: true, exit: 0 },
    { final: "websocket", transports: ["polling", "websocket"], unref: false, exit: 3 },
    { final: "streaming", transports: ["polling", "streaming"], unref: true, exit: 0 },
  ]) {
    it(`on ${c.final}, autoUnref ${c.unref}: ${c.exit === 0 ? "exits by itself" : "stays alive"}`, async () => {
      const { code, out } = await runClientProcess(CHILD, {
        URL: url,
        TRANSPORTS: JSON.stringify(c.transports),
        UNREF: c.unref ? "1" : "0",
        FINAL: c.final,
      });
      expect(out).to.contain("on " + c.final);
      expect(code, out).to.equal(c.exit);
      if (c.exit === 0) expect(out).to.not.contain("still alive");
    });
  }
});
