// LadderSocket (the W3C WebSocket interface) against an official engine.io 6.6 server and against our Engine,
// over polling, websocket and the upgrade.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type LadderEvent, LadderSocket } from "@ladder/client";
import { Engine } from "@ladder/server";
import { expect } from "chai";
import { Server as OfficialEngine } from "engine.io";
import { until } from "./client-helpers.js";

interface EchoServer {
  url: string;
  closes: string[];
  stop(): Promise<void>;
}

type SessionLike = {
  on(ev: "message", fn: (d: unknown) => void): void;
  on(ev: "close", fn: (reason: string) => void): void;
  send(d: unknown): void;
};

function echo(session: SessionLike, closes: string[]): void {
  session.on("message", (d) => session.send(typeof d === "string" ? "echo:" + d : d));
  session.on("close", (reason) => closes.push(reason));
}

async function listen(http: HttpServer): Promise<number> {
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return (http.address() as AddressInfo).port;
}

const SERVERS: Array<{ name: string; start(): Promise<EchoServer> }> = [
  {
    name: "official engine.io 6.6",
    async start() {
      const http = createServer();
      const engine = new OfficialEngine();
      engine.attach(http);
      const closes: string[] = [];
      engine.on("connection", (s: SessionLike) => echo(s, closes));
      const port = await listen(http);
      return {
        url: `ws://127.0.0.1:${port}/engine.io/`,
        closes,
        stop: async () => {
          engine.close();
          // Node's fetch may hold a spare idle keep-alive connection that http.close() would wait ~3 s for.
          const closed = new Promise((r) => http.close(r));
          http.closeAllConnections();
          await closed;
        },
      };
    },
  },
  {
    name: "Ladder Engine",
    async start() {
      const http = createServer();
      const engine = new Engine();
      engine.attach(http);
      const closes: string[] = [];
      engine.on("connection", (s) => echo(s as unknown as SessionLike, closes));
      const port = await listen(http);
      return {
        url: `ws://127.0.0.1:${port}/engine.io/`,
        closes,
        stop: async () => {
          engine.close();
          // Node's fetch may hold a spare idle keep-alive connection that http.close() would wait ~3 s for.
          const closed = new Promise((r) => http.close(r));
          http.closeAllConnections();
          await closed;
        },
      };
    },
  },
];

for (const srv of SERVERS) {
  for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
    describe(`LadderSocket ↔ ${srv.name} (${transports.join(" → ")})`, () => {
      let server: EchoServer;
      beforeEach(async () => {
        server = await srv.start();
      });
      afterEach(() => server.stop());

      it("is a W3C WebSocket: readyState, events, text and binary echo, close code and reason", async () => {
        const ws = new LadderSocket(server.url, { transports });
        ws.binaryType = "arraybuffer";
        expect(ws.readyState).to.equal(LadderSocket.CONNECTING);
        expect(ws.url).to.equal(server.url);
        expect(() => ws.send("too early"))
          .to.throw()
          .with.property("name", "InvalidStateError");
        const seen: string[] = [];
        const messages: unknown[] = [];
        ws.addEventListener("open", { handleEvent: (e: LadderEvent) => seen.push("listener " + e.type) });
        ws.onopen = (e) => seen.push("on" + e.type);
        ws.onmessage = (e) => messages.push(e.data);
        const upgrades: string[] = [];
        ws.addEventListener("upgrade", (e) => upgrades.push(String((e as LadderEvent).transport)));
        await new Promise((r) => ws.addEventListener("open", r));
        expect(ws.readyState).to.equal(ws.OPEN);
        expect(seen).to.deep.equal(["onopen", "listener open"]);
        if (transports.length === 2) await until(() => upgrades.length === 1, "the upgrade");
        expect(ws.transport).to.equal(transports[transports.length - 1]);
        for (let i = 0; i < 30; i++) ws.send("m" + i);
        ws.send(new Uint8Array([1, 2, 3]));
        ws.send(new Uint16Array([258]).buffer);
        await until(() => messages.length === 32, "32 echoes");
        expect(messages.slice(0, 30)).to.deep.equal(Array.from({ length: 30 }, (_, i) => "echo:m" + i));
        expect(messages[30]).to.be.instanceOf(ArrayBuffer);
        expect([...new Uint8Array(messages[30] as ArrayBuffer)]).to.deep.equal([1, 2, 3]);
        expect([...new Uint8Array(messages[31] as ArrayBuffer)]).to.deep.equal([2, 1]);
        expect(() => ws.close(999))
          .to.throw()
          .with.property("name", "InvalidAccessError");
        const closed = new Promise<LadderEvent>((r) => {
          ws.onclose = r;
        });
        ws.close(4000, "bye");
        expect(ws.readyState).to.equal(ws.CLOSING);
        const ev = await closed;
        expect([ev.code, ev.reason, ev.wasClean]).to.deep.equal([4000, "bye", true]);
        expect(ws.readyState).to.equal(LadderSocket.CLOSED);
        ws.send("ignored after close");
        await until(() => server.closes.length === 1, "server-side close");
      });

      it("close() while CONNECTING fails the connection as browsers do (error, then 1006 unclean); a long reason is a SyntaxError", async () => {
        const ws = new LadderSocket(server.url, { transports });
        const events: string[] = [];
        ws.onopen = () => events.push("open");
        ws.onerror = () => events.push("error");
        const closed = new Promise<LadderEvent>((r) => {
          ws.onclose = r;
        });
        expect(() => ws.close(1000, "é".repeat(62)))
          .to.throw()
          .with.property("name", "SyntaxError");
        expect(ws.readyState).to.equal(ws.CONNECTING);
        ws.close(1000, "é".repeat(61) + "x");
        expect(ws.readyState).to.equal(ws.CLOSING);
        const ev = await closed;
        expect(events).to.deep.equal(["error"]);
        expect([ev.code, ev.wasClean]).to.deep.equal([1006, false]);
        expect(ws.readyState).to.equal(ws.CLOSED);
      });

      it("reports an abnormal close (1006) when the server goes away", async () => {
        const ws = new LadderSocket(server.url, { transports });
        await new Promise((r) => ws.addEventListener("open", r));
        const closed = new Promise<LadderEvent>((r) =>
          ws.addEventListener("close", (e) => r(e as LadderEvent)),
        );
        await server.stop();
        const ev = await closed;
        expect(ev.code).to.equal(1006);
        expect(ev.wasClean).to.equal(false);
        server = await srv.start();
      });
    });
  }
}
