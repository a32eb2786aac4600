// The page events a session follows (packages/client/src/engine/page-events.ts), in Node with a stand-in page
// global (an EventTarget whose add/removeEventListener become globalThis's for the test): `offline` ends the
// session at once and io() reconnects; "localhost" sessions ignore it; `closeOnBeforeunload` closes the transport
// silently; every listener is removed when the session ends. The real browser case is in browser-chat.test.ts.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EngineSocket, io } from "@ladder/client";
import { Engine, Server } from "@ladder/server";
import { expect } from "chai";
import { until } from "./client-helpers.js";

type PageGlobal = {
  addEventListener?: (type: string, fn: () => void) => void;
  removeEventListener?: (type: string, fn: () => void) => void;
};

describe("client: page events (offline, closeOnBeforeunload)", function () {
  this.timeout(15000);
  let http: HttpServer;
  let engine: Engine;
  let port: number;
  let page: EventTarget;
  let listening: Map<string, number>;
  const g = globalThis as PageGlobal;

  beforeEach(async () => {
    http = createServer();
    engine = new Engine({ pingInterval: 10000, pingTimeout: 10000 });
    engine.attach(http);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    port = (http.address() as AddressInfo).port;
    page = new EventTarget();
    listening = new Map();
    g.addEventListener = (type, fn) => {
      listening.set(type, (listening.get(type) ?? 0) + 1);
      page.addEventListener(type, fn);
    };
    g.removeEventListener = (type, fn) => {
      listening.set(type, (listening.get(type) ?? 0) - 1);
      page.removeEventListener(type, fn);
    };
  });
  afterEach(async () => {
    delete g.addEventListener;
    delete g.removeEventListener;
    engine.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  });

  it("offline ends the session at once with 'transport close' (network connection lost); the listener goes with it", async () => {
    const s = new EngineSocket(`http://127.0.0.1:${port}`, { transports: ["polling"] });
    await new Promise<void>((r) => s.once("open", () => r()));
    expect(listening.get("offline")).to.equal(1);
    expect(listening.has("beforeunload")).to.equal(false);
    const closed: unknown[][] = [];
    s.on("close", (...args: unknown[]) => closed.push(args));
    page.dispatchEvent(new Event("offline"));
    expect(closed).to.deep.equal([["transport close", { description: "network connection lost" }]]);
    expect(s.readyState).to.equal("closed");
    expect(listening.get("offline")).to.equal(0);
    // The server learns of it too: the transport was closed, not just forgotten.
    await until(() => engine.clientsCount === 0, "the server's session to end");
  });

  it("io(): offline → disconnect 'transport close' → reconnects by itself", async () => {
    const ioServer = new Server();
    ioServer.bind(engine);
    const socket = io(`http://127.0.0.1:${port}`, {
      path: "/engine.io",
      transports: ["polling"],
      reconnectionDelay: 50,
      randomizationFactor: 0,
    });
    try {
      await until(() => socket.connected, "connected");
      const firstId = socket.id;
      const reasons: string[] = [];
      socket.on("disconnect", (reason: string) => reasons.push(reason));
      page.dispatchEvent(new Event("offline"));
      expect(reasons).to.deep.equal(["transport close"]);
      await until(() => socket.connected && socket.id !== firstId, "reconnected");
      // One session, one listener: the old session's went with it.
      expect(listening.get("offline")).to.equal(1);
    } finally {
      socket.disconnect();
      ioServer.close();
    }
    // The session ends once its DISCONNECT packet is written; its listener with it.
    await until(() => listening.get("offline") === 0, "the offline listener to be removed");
  });

  it("a session to localhost does not listen for offline (loopback works offline)", async () => {
    const s = new EngineSocket(`http://localhost:${port}`, { transports: ["polling"] });
    await new Promise<void>((r) => s.once("open", () => r()));
    expect(listening.has("offline")).to.equal(false);
    page.dispatchEvent(new Event("offline"));
    expect(s.readyState).to.equal("open");
    s.close();
  });

  it("closeOnBeforeunload: beforeunload closes the transport silently (the server sees the client leave)", async () => {
    const s = new EngineSocket(`http://127.0.0.1:${port}`, {
      transports: ["polling"],
      closeOnBeforeunload: true,
    });
    await new Promise<void>((r) => s.once("open", () => r()));
    expect(listening.get("beforeunload")).to.equal(1);
    const events: string[] = [];
    s.on("close", () => events.push("close"));
    s.on("error", () => events.push("error"));
    page.dispatchEvent(new Event("beforeunload"));
    await until(() => engine.clientsCount === 0, "the server's session to end");
    expect(events).to.deep.equal([]);
    s.close();
    expect(listening.get("beforeunload")).to.equal(0);
    expect(listening.get("offline")).to.equal(0);
  });
});
