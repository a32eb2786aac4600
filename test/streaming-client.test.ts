// The Ladder client's streaming transport and the transport ladder against our Engine (and the official
// engine.io, which must not notice anything), in Node: fetch + ReadableStream reading, reopen at the byte budget,
// probes both ways, streaming → websocket.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type EngineOptions as ClientOptions, EngineSocket, io } from "@ladder/client";
import { Engine, type EngineOptions, Server } from "@ladder/server";
import { expect } from "chai";
import { Server as OfficialEngine } from "engine.io";
import { until } from "./client-helpers.js";

interface Running {
  url: string;
  engine: Engine;
  requests: string[];
  stop(): Promise<void>;
}

async function start(options: Partial<EngineOptions> = {}): Promise<Running> {
  const requests: string[] = [];
  const http: HttpServer = createServer();
  const engine = new Engine(options);
  engine.attach(http);
  // After attach: the engine routes its own paths and calls only the listeners it found for other paths.
  http.on("request", (req) => requests.push(`${req.method} ${req.url}`));
  engine.on("connection", (session) => {
    // Echo: every message comes back prefixed, in order.
    session.on("message", (d) => session.send(typeof d === "string" ? `echo:${d}` : d));
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    engine,
    requests,
    async stop() {
      engine.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

/** Opens a client, records every transport it runs on, and resolves once it is on `final`. */
async function climb(
  url: string,
  opts: ClientOptions,
  final: string,
): Promise<{ s: EngineSocket; path: string[] }> {
  const s = new EngineSocket(url, opts);
  const path: string[] = [];
  s.on("open", () => path.push(s.transport!.name));
  s.on("upgrade", (t) => path.push(t.name));
  await until(() => s.transport?.name === final && s.readyState === "open" && path.length > 0, `on ${final}`);
  return { s, path };
}

/** n messages out, n echoes back, all in order, none twice. */
async function roundTrip(s: EngineSocket, n: number, size = 20): Promise<void> {
  const got: string[] = [];
  const onMessage = (d: unknown) => got.push(String(d));
  s.on("message", onMessage);
  const sent: string[] = [];
  for (let i = 0; i < n; i++) {
    const text = `m${i}:${"é".repeat(size)}`;
    sent.push(text);
    s.send(text);
  }
  await until(() => got.length >= n, `${n} echoes`, 15000);
  s.off("message", onMessage);
  expect(got).to.deep.equal(sent.map((t) => `echo:${t}`));
}

describe("client: streaming transport and the transport ladder (Node)", function () {
  this.timeout(30000);
  let server: Running | undefined;
  const sockets: EngineSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server?.stop();
    server = undefined;
  });

  it("default options climb polling → websocket, advertising ladder=1; official clients' handshake is untouched", async () => {
    server = await start();
    const { s, path } = await climb(server.url, {}, "websocket");
    sockets.push(s);
    expect(path).to.deep.equal(["polling", "websocket"]);
    expect(server.requests[0])
      .to.match(/transport=polling/)
      .and.match(/[?&]ladder=1(&|$)/);
    await roundTrip(s, 100);
  });

  it("when the server offers no websocket, the client climbs polling → streaming and chats both ways", async () => {
    server = await start({ transports: ["polling", "streaming"] });
    const { s, path } = await climb(server.url, {}, "streaming");
    sockets.push(s);
    expect(path).to.deep.equal(["polling", "streaming"]);
    await roundTrip(s, 500);
    const binary = new Promise<unknown>((r) => s.once("message", r));
    s.send(new Uint8Array([1, 2, 255]));
    expect(Buffer.from((await binary) as Uint8Array)).to.deep.equal(Buffer.from([1, 2, 255]));
  });

  it("a session can start on streaming (handshake on a streaming GET) and upgrade to websocket", async () => {
    server = await start();
    const { s, path } = await climb(server.url, { transports: ["streaming", "websocket"] }, "websocket");
    sockets.push(s);
    expect(path).to.deep.equal(["streaming", "websocket"]);
    await roundTrip(s, 200);
  });

  it("reopens the stream at the server's byte budget without losing or duplicating a message", async () => {
    server = await start({ streamingResponseLimit: 2048 });
    const { s } = await climb(server.url, { transports: ["streaming"] }, "streaming");
    sockets.push(s);
    await roundTrip(s, 1000, 30);
    const gets = server.requests.filter((r) => r.startsWith("GET") && r.includes("transport=streaming"));
    expect(gets.length).to.be.greaterThan(2);
  });

  it("streaming disabled on the server: the client stays on polling (official-server behaviour)", async () => {
    server = await start({ transports: ["polling"] });
    const { s, path } = await climb(server.url, {}, "polling");
    sockets.push(s);
    await roundTrip(s, 50);
    expect(path).to.deep.equal(["polling"]);
    expect(s.upgrades).to.deep.equal([]);
  });

  it("the Manager reports the transport on open and after every upgrade ('transport' event)", async () => {
    const http = createServer();
    const engine = new Engine({ transports: ["polling", "streaming"] });
    engine.attach(http, { path: "/socket.io/" });
    new Server().bind(engine);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const socket = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      forceNew: true,
      reconnection: false,
    });
    const seen: string[] = [];
    socket.io.on("transport", (name) => seen.push(name));
    try {
      await until(() => seen.length >= 2 && socket.connected, "two transport events");
      expect(seen).to.deep.equal(["polling", "streaming"]);
    } finally {
      socket.disconnect();
      engine.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });

  it("rememberTransport: the reached transport is remembered per origin (localStorage) and the next session starts there", async () => {
    server = await start({ transports: ["polling", "streaming"] });
    const store: Record<string, string> = {};
    const g = globalThis as { localStorage?: unknown };
    g.localStorage = {
      getItem: (k: string) => (k in store ? store[k]! : null),
      setItem: (k: string, v: string) => {
        store[k] = v;
      },
      removeItem: (k: string) => {
        delete store[k];
      },
    };
    try {
      const first = await climb(server.url, { rememberTransport: true }, "streaming");
      sockets.push(first.s);
      expect(first.path).to.deep.equal(["polling", "streaming"]);
      expect(Object.values(store)).to.deep.equal(["streaming"]);
      const second = await climb(server.url, { rememberTransport: true }, "streaming");
      sockets.push(second.s);
      expect(second.path).to.deep.equal(["streaming"]);
      await roundTrip(second.s, 50);
      // Without the option nothing is read or written.
      const third = await climb(server.url, {}, "streaming");
      sockets.push(third.s);
      expect(third.path).to.deep.equal(["polling", "streaming"]);
    } finally {
      delete g.localStorage;
    }
  });

  it("against the official engine.io server the ladder=1 marker is ignored and the client ends on websocket", async () => {
    const http = createServer();
    const official = new OfficialEngine();
    official.attach(http);
    official.on("connection", (socket) =>
      socket.on("message", (d: unknown) => socket.send(`echo:${String(d)}`)),
    );
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const { s, path } = await climb(url, {}, "websocket");
      sockets.push(s);
      expect(path).to.deep.equal(["polling", "websocket"]);
      expect(s.upgrades).to.deep.equal(["websocket"]);
      await roundTrip(s, 20);
      s.close();
    } finally {
      official.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});
