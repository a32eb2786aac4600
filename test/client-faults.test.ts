// Fault scenarios with an injected clock: heartbeat loss, a probe that never answers, a server restart.
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { EngineSocket, io } from "@ladder/client";
import { expect } from "chai";
import { Server } from "socket.io";
import { WebSocketServer } from "ws";
import { once, runClientProcess, TestClock, until } from "./client-helpers.js";

function listen(http: HttpServer, port = 0): Promise<number> {
  return new Promise((r) => http.listen(port, "127.0.0.1", () => r((http.address() as AddressInfo).port)));
}

describe("client faults", () => {
  it("a server that stops answering is detected exactly at pingInterval + pingTimeout", async () => {
    // A minimal Engine.IO polling server that completes the handshake and then goes silent.
    const hanging: ServerResponse[] = [];
    const http = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.method === "POST") {
        req.resume();
        res.end("ok");
      } else if (!(req.url ?? "").includes("sid=")) {
        res.setHeader("content-type", "text/plain; charset=UTF-8");
        res.end('0{"sid":"s1","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}');
      } else hanging.push(res);
    });
    const port = await listen(http);
    const clock = new TestClock();
    const engine = new EngineSocket(`http://127.0.0.1:${port}`, { transports: ["polling"], timers: clock });
    const reasons: string[] = [];
    engine.on("close", (reason) => reasons.push(reason));
    await once(engine, "open");
    await until(() => hanging.length === 1, "the long poll");
    clock.advance(499);
    expect(engine.readyState).to.equal("open");
    clock.advance(1);
    expect(reasons).to.deep.equal(["ping timeout"]);
    expect(engine.readyState).to.equal("closed");
    for (const res of hanging) res.end("6");
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });

  it("io(): a silent server gives disconnect (ping timeout) at pingInterval + pingTimeout, then a reconnection", async () => {
    const http = createServer();
    const server = new Server(http, { pingInterval: 10_000, pingTimeout: 5_000 });
    const port = await listen(http);
    const clock = new TestClock();
    const client = io(`http://127.0.0.1:${port}`, {
      forceNew: true,
      transports: ["websocket"],
      timers: clock,
      reconnectionDelay: 100,
      randomizationFactor: 0,
    });
    await once(client, "connect");
    clock.advance(14_999);
    expect(client.connected).to.equal(true);
    const disconnected = once<[string]>(client, "disconnect");
    clock.advance(1);
    expect((await disconnected)[0]).to.equal("ping timeout");
    expect(clock.scheduled()).to.include(100);
    clock.advance(100);
    await once(client, "connect");
    client.disconnect();
    await new Promise((r) => server.close(r));
  });

  it("an upgrade probe that never answers leaves the session on polling with nothing lost or reordered", async () => {
    const http = createServer();
    const server = new Server(http);
    // Hijack WebSocket upgrades: accept them, then never answer "2probe".
    http.removeAllListeners("upgrade");
    const blackHole = new WebSocketServer({ noServer: true });
    const probes: string[] = [];
    http.on("upgrade", (req, socket, head) => {
      blackHole.handleUpgrade(req, socket, head, (ws) => ws.on("message", (m) => probes.push(String(m))));
    });
    const port = await listen(http);
    const got: number[] = [];
    server.on("connection", (s) => {
      s.on("n", (n: number) => got.push(n));
      for (let i = 0; i < 50; i++) s.emit("n", i);
    });
    const clock = new TestClock();
    const client = io(`http://127.0.0.1:${port}`, { forceNew: true, timers: clock, upgradeTimeout: 3000 });
    const fromServer: number[] = [];
    client.on("n", (n: number) => fromServer.push(n));
    await once(client, "connect");
    await until(() => probes.length === 1, "the probe");
    expect(probes).to.deep.equal(["2probe"]);
    for (let i = 0; i < 25; i++) client.emit("n", i);
    const upgradeErrors: unknown[] = [];
    client.io.engine!.on("upgradeError", (e) => upgradeErrors.push(e));
    const probeClosed = new Promise((r) => {
      for (const ws of blackHole.clients) ws.on("close", r);
    });
    clock.advance(3000);
    expect(upgradeErrors).to.have.length(1);
    await probeClosed;
    for (let i = 25; i < 50; i++) client.emit("n", i);
    await until(() => got.length === 50 && fromServer.length === 50, "100 messages");
    expect(got).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(fromServer).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(client.io.engine!.transport!.name).to.equal("polling");
    client.disconnect();
    blackHole.close();
    await new Promise((r) => server.close(r));
  });

  it("server restart: reconnects with exponential backoff (delays 100, 200, 400) and resumes", async () => {
    const clock = new TestClock();
    let http = createServer();
    let server = new Server(http);
    const port = await listen(http);
    const client = io(`http://127.0.0.1:${port}`, {
      forceNew: true,
      timers: clock,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0,
    });
    const events: string[] = [];
    client.io.on("reconnect_attempt", (n) => events.push("attempt " + n));
    client.io.on("reconnect_error", () => events.push("error"));
    client.io.on("reconnect", (n) => events.push("reconnect " + n));
    await once(client, "connect");
    // Crash: drop every connection and stop listening.
    server.close();
    http.closeAllConnections();
    await once(client, "disconnect");
    expect(clock.scheduled()).to.deep.equal([100]);
    clock.advance(100);
    await until(() => events.includes("error"), "first failed attempt");
    expect(clock.scheduled()).to.deep.equal([200]);
    clock.advance(200);
    await until(() => events.filter((e) => e === "error").length === 2, "second failed attempt");
    expect(clock.scheduled()).to.deep.equal([400]);
    http = createServer();
    server = new Server(http);
    const hello = new Promise<void>((r) => server.on("connection", (s) => s.on("hi", () => r())));
    await listen(http, port);
    clock.advance(400);
    await once(client, "connect");
    client.emit("hi");
    await hello;
    expect(events).to.deep.equal(["attempt 1", "error", "attempt 2", "error", "attempt 3", "reconnect 3"]);
    client.disconnect();
    await new Promise((r) => server.close(r));
  });
});

describe("client in a Node process", () => {
  for (const [label, code] of [
    [
      "io() over polling then websocket",
      `const s = io(process.env.URL); s.on("connect", () => s.emit("ping", (r) => { console.log(r); s.disconnect(); }));`,
    ],
    [
      "io() over polling only",
      `const s = io(process.env.URL, { transports: ["polling"] }); s.on("connect", () => s.emit("ping", (r) => { console.log(r); s.disconnect(); }));`,
    ],
    [
      "LadderSocket",
      `const ws = new LadderSocket(process.env.URL.replace("http", "ws") + "/socket.io/"); ws.onopen = () => { ws.send("0"); }; ws.onmessage = (e) => { if (String(e.data).startsWith("0{")) { console.log("pong"); ws.close(); } };`,
    ],
  ] as const) {
    it(`exits by itself after disconnect (${label})`, async function () {
      this.timeout(15000);
      const http = createServer();
      const server = new Server(http);
      server.on("connection", (s) => s.on("ping", (ack: (r: string) => void) => ack("pong")));
      const port = await listen(http);
      const {
        code: codeOut,
        signal,
        out,
      } = await runClientProcess(`import { io, LadderSocket } from "@ladder/client"; ${code}`, {
        URL: `http://127.0.0.1:${port}`,
      });
      expect(signal, "the child had to be killed: something kept it alive\n" + out).to.equal(null);
      expect(codeOut).to.equal(0);
      expect(out.trim()).to.equal("pong");
      await new Promise((r) => server.close(r));
    });
  }
});
