/**
 * Interop: the official socket.io-client 4.8.4 against our Server, over polling, websocket and the default
 * polling → websocket upgrade.
 */
import { type EventEmitter, once as onceEvent } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import { Server, type Socket as ServerSocket } from "@ladder/server";
import { expect } from "chai";
import {
  type Socket as ClientSocket,
  io as connectClient,
  type ManagerOptions,
  type SocketOptions,
} from "socket.io-client";

type ClientOpts = Partial<ManagerOptions & SocketOptions>;

/**
 * node's events.once, for the http server and for socket.io-client sockets too: their component-emitter has the
 * on/once/removeListener that events.once calls, but its type is neither EventEmitter nor EventTarget.
 */
const once = (emitter: HttpServer | ClientSocket, event: string) => onceEvent(emitter as EventEmitter, event);

/**
 * emitWithAck as an untyped (DefaultEventsMap) emitter should offer it. @ladder/server's AllButLast<any[]> is
 * never, so with the default event map its signature accepts no arguments at all (a src typing bug, reported).
 */
type UntypedEmitWithAck = { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> };

const modes: Array<[string, ClientOpts]> = [
  ["polling", { transports: ["polling"] }],
  ["websocket", { transports: ["websocket"] }],
  ["polling → websocket upgrade", {}],
];

for (const [mode, transportOpts] of modes) {
  describe(`socket.io-client 4.8.4 ↔ Ladder Server (${mode})`, () => {
    let http: HttpServer;
    let io: Server;
    let url: string;
    const clients: ClientSocket[] = [];

    async function start(opts: Record<string, unknown> = {}) {
      http = createServer();
      io = new Server(http, { pingInterval: 500, pingTimeout: 500, serveClient: false, ...opts });
      http.listen(0, "127.0.0.1");
      await once(http, "listening");
      url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    }

    function client(nsp = "/", opts: ClientOpts = {}): ClientSocket {
      const c = connectClient(url + nsp, {
        forceNew: true,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
        ...transportOpts,
        ...opts,
      });
      clients.push(c);
      return c;
    }

    afterEach(async () => {
      for (const c of clients.splice(0)) c.disconnect();
      await io.close();
    });

    it("connects with auth and query; events and acks both ways; binary both ways", async () => {
      await start();
      const serverSide = new Promise<ServerSocket>((resolve) => io.once("connection", resolve));
      io.on("connection", (s) => {
        s.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
      });
      const c = client("/", { auth: { token: "abc" }, query: { name: "bob" } });
      await once(c, "connect");
      const s = await serverSide;
      expect(s.handshake.auth).to.deep.equal({ token: "abc" });
      expect(s.handshake.query.name).to.equal("bob");
      expect(s.id).to.equal(c.id);
      const [a, b] = await new Promise<unknown[]>((resolve) =>
        c.emit("echo", { n: 1 }, Buffer.from([1, 2, 3]), (...args: unknown[]) => resolve(args)),
      );
      expect(a).to.deep.equal({ n: 1 });
      expect([...(b as Buffer)]).to.deep.equal([1, 2, 3]);
      const received = once(c, "news");
      s.emit("news", "hello", { nested: new Uint8Array([9, 8]) });
      const [text, obj] = await received;
      expect(text).to.equal("hello");
      expect([...(obj.nested as Buffer)]).to.deep.equal([9, 8]);
      c.on("ask", (q: string, cb: (v: string) => void) => cb(`${q}!`));
      expect(await (s.timeout(2000) as UntypedEmitWithAck).emitWithAck("ask", "why")).to.equal("why!");
    });

    it("namespaces, rooms and broadcasts", async () => {
      await start();
      io.of("/chat").on("connection", (s) => {
        s.on("join", (room: string, cb: () => void) => {
          s.join(room);
          cb();
        });
      });
      const c1 = client("/chat");
      const c2 = client("/chat");
      const c3 = client("/");
      await Promise.all([once(c1, "connect"), once(c2, "connect"), once(c3, "connect")]);
      await c1.emitWithAck("join", "r1");
      const got: string[] = [];
      c1.on("msg", (m: string) => got.push(`c1:${m}`));
      c2.on("msg", (m: string) => got.push(`c2:${m}`));
      c3.on("msg", (m: string) => got.push(`c3:${m}`));
      io.of("/chat").to("r1").emit("msg", "room");
      io.of("/chat").emit("msg", "all-chat");
      await new Promise((r) => setTimeout(r, 100));
      expect(got.sort()).to.deep.equal(["c1:all-chat", "c1:room", "c2:all-chat"]);
    });

    it("broadcast with acks collects every client's answer", async () => {
      await start();
      const c1 = client();
      const c2 = client();
      await Promise.all([once(c1, "connect"), once(c2, "connect")]);
      c1.on("vote", (cb: (v: number) => void) => cb(1));
      c2.on("vote", (cb: (v: number) => void) => cb(2));
      const responses = await (io.timeout(2000) as UntypedEmitWithAck).emitWithAck("vote");
      expect((responses as number[]).sort()).to.deep.equal([1, 2]);
    });

    it("middleware rejection reaches the client as connect_error with message and data", async () => {
      await start();
      io.use((socket, next) => {
        if (socket.handshake.auth.token === "good") return next();
        next(Object.assign(new Error("unauthorized"), { data: { hint: "login" } }));
      });
      const c = client("/", { auth: { token: "bad" }, reconnection: false });
      const [err] = await once(c, "connect_error");
      expect(err.message).to.equal("unauthorized");
      expect(err.data).to.deep.equal({ hint: "login" });
      const ok = client("/", { auth: { token: "good" } });
      await once(ok, "connect");
    });

    it("unknown namespace → connect_error 'Invalid namespace'", async () => {
      await start();
      const c = client("/nope", { reconnection: false });
      const [err] = await once(c, "connect_error");
      expect(err.message).to.equal("Invalid namespace");
    });

    it("disconnect reasons both ways", async () => {
      await start();
      const reasons: string[] = [];
      io.on("connection", (s) => s.on("disconnect", (r) => reasons.push(`server:${r}`)));
      const c1 = client();
      await once(c1, "connect");
      const serverSocket = [...io.sockets.sockets.values()][0]!;
      const d1 = once(c1, "disconnect");
      serverSocket.disconnect();
      expect((await d1)[0]).to.equal("io server disconnect");
      const c2 = client();
      await once(c2, "connect");
      c2.disconnect();
      await new Promise((r) => setTimeout(r, 100));
      expect(reasons).to.deep.equal([
        "server:server namespace disconnect",
        "server:client namespace disconnect",
      ]);
    });

    it("connection state recovery: socket.io.engine.close() → recovered with id, rooms and missed events", async () => {
      await start({ connectionStateRecovery: { maxDisconnectionDuration: 10000 } });
      io.on("connection", (s) => {
        if (!s.recovered) s.join("team");
      });
      const c = client();
      await once(c, "connect");
      const firstId = c.id;
      const got: string[] = [];
      c.on("m", (v: string) => got.push(v));
      io.emit("m", "before");
      await new Promise((r) => setTimeout(r, 50));
      const disconnected = once(c, "disconnect");
      c.io.engine.close();
      await disconnected;
      io.to("team").emit("m", "while-away-1");
      io.emit("m", "while-away-2");
      await once(c, "connect");
      expect(c.recovered).to.equal(true);
      expect(c.id).to.equal(firstId);
      io.emit("m", "after");
      await new Promise((r) => setTimeout(r, 100));
      expect(got).to.deep.equal(["before", "while-away-1", "while-away-2", "after"]);
      const s = io.sockets.sockets.get(firstId!)!;
      expect([...s.rooms]).to.include("team");
    });

    it("retries: the official client's at-least-once retries reach the handler once with deduplicate", async () => {
      await start({ deduplicate: true });
      let calls = 0;
      let wireCopies = 0;
      io.on("connection", (s) => {
        s.conn.on("message", (d: string | Uint8Array) => {
          if (typeof d === "string" && d.includes('"save"')) wireCopies++;
        });
        s.on("save", (msg: { id: string }, cb: (v: string) => void) => {
          calls++;
          // answer after the client's ackTimeout, so the client retries at least once
          setTimeout(() => cb(`saved ${msg.id}`), 250);
        });
      });
      const c = client("/", { retries: 5, ackTimeout: 100 });
      await once(c, "connect");
      const answer = await c.emitWithAck("save", { id: "m-1" });
      expect(answer).to.equal("saved m-1");
      expect(calls).to.equal(1);
      expect(wireCopies).to.be.greaterThan(1); // the client really retried (new ack id each time)
    });
  });
}
