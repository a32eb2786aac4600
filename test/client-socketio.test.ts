// Our client against the OFFICIAL socket.io 4.8 server and against ours, over polling, websocket, and polling
// upgraded to websocket.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Socket as ClientSocket, io } from "@ladder/client";
import { Server as LadderServer } from "@ladder/server";
import { expect } from "chai";
import { Server as OfficialServer } from "socket.io";
import { once, until } from "./client-helpers.js";

// The same scenarios run against the official server and ours; both expose the socket.io server API used here.
type Server = OfficialServer;
const SERVER_KINDS: Array<{ name: string; make: (http: HttpServer, opts: object) => Server }> = [
  { name: "official socket.io 4.8", make: (http, opts) => new OfficialServer(http, opts) },
  { name: "Ladder Server", make: (http, opts) => new LadderServer(http, opts) as unknown as Server },
];

interface Ctx {
  http: HttpServer;
  server: Server;
  url: string;
}

let makeServer: (http: HttpServer, opts: object) => Server = SERVER_KINDS[0]!.make;

async function start(opts: object = {}): Promise<Ctx> {
  const http = createServer();
  const server = makeServer(http, opts);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return { http, server, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function stop(ctx: Ctx): Promise<void> {
  await new Promise<void>((r) => ctx.server.close(() => r()));
}

const MODES: Array<{ name: string; transports: string[]; final: string }> = [
  { name: "polling", transports: ["polling"], final: "polling" },
  { name: "websocket", transports: ["websocket"], final: "websocket" },
  { name: "polling → websocket upgrade", transports: ["polling", "websocket"], final: "websocket" },
];

for (const kind of SERVER_KINDS)
  for (const mode of MODES) {
    describe(`client ↔ ${kind.name} (${mode.name})`, () => {
      before(() => {
        makeServer = kind.make;
      });
      let ctx: Ctx;
      let sockets: ClientSocket[];
      const connect = (path = "", extra: Record<string, unknown> = {}): ClientSocket => {
        const s = io(ctx.url + path, { transports: mode.transports, forceNew: true, ...extra });
        sockets.push(s);
        return s;
      };

      beforeEach(async () => {
        ctx = await start();
        sockets = [];
      });
      afterEach(async () => {
        for (const s of sockets) s.disconnect();
        await stop(ctx);
      });

      it("connects, exchanges events both ways, and ends on the expected transport", async () => {
        const received: unknown[][] = [];
        ctx.server.on("connection", (s) => {
          s.on("chat", (...args) => {
            received.push(args);
            s.emit("chat", "echo:" + String(args[0]), args.length);
          });
        });
        const client = connect();
        const echoes: unknown[][] = [];
        client.on("chat", (...args: unknown[]) => echoes.push(args));
        // The engine's upgrade events carry the transport object, as engine.io-client's do (code written for
        // socket.io-client reads `transport.name` from them). Subscribed on open, before any probe can finish.
        const upgrades: unknown[][] = [];
        client.io.on("open", () => {
          client.io.engine!.on("upgrading", (t) => upgrades.push(["upgrading", t.name]));
          client.io.engine!.on("upgrade", (t) =>
            upgrades.push(["upgrade", t.name, t === client.io.engine!.transport]),
          );
        });
        await once(client, "connect");
        expect(client.connected).to.equal(true);
        expect(client.id).to.be.a("string");
        if (mode.final !== client.io.engine!.transport!.name) await once(client.io.engine!, "upgrade");
        expect(client.io.engine!.transport!.name).to.equal(mode.final);
        expect(upgrades).to.deep.equal(
          mode.transports.length > 1
            ? [
                ["upgrading", "websocket"],
                ["upgrade", "websocket", true],
              ]
            : [],
        );
        for (let i = 0; i < 20; i++) client.emit("chat", "m" + i, { n: i }, [i, null, "ü€😀"]);
        await until(() => echoes.length === 20, "20 echoes");
        expect(received.map((a) => a[0])).to.deep.equal(Array.from({ length: 20 }, (_, i) => "m" + i));
        expect(received[5]).to.deep.equal(["m5", { n: 5 }, [5, null, "ü€😀"]]);
        expect(echoes.map((a) => a[0])).to.deep.equal(Array.from({ length: 20 }, (_, i) => "echo:m" + i));
      });

      it("acks both ways, with timeout and emitWithAck", async () => {
        ctx.server.on("connection", (s) => {
          s.on("sum", (a: number, b: number, ack: (n: number) => void) => ack(a + b));
          s.on("silent", () => {});
          s.emit("ask", "question?", (answer: string) => s.emit("got", answer));
        });
        const client = connect();
        client.on("ask", (q: string, ack: (a: string) => void) => ack("answer to " + q));
        const got = once<[string]>(client, "got");
        await once(client, "connect");
        const sum = await new Promise((r) => client.emit("sum", 2, 3, r));
        expect(sum).to.equal(5);
        expect(await client.emitWithAck("sum", 10, 20)).to.equal(30);
        expect(await client.timeout(2000).emitWithAck("sum", 1, 1)).to.equal(2);
        const err = await new Promise<Error & { code?: string }>((r) => client.timeout(50).emit("silent", r));
        expect(err).to.be.instanceOf(Error);
        expect(err.code).to.equal("LADDER_ERR_CLIENT_ACK_TIMEOUT");
        let rejected: unknown = null;
        await client
          .timeout(50)
          .emitWithAck("silent")
          .catch((e: unknown) => {
            rejected = e;
          });
        expect((rejected as { code?: string }).code).to.equal("LADDER_ERR_CLIENT_ACK_TIMEOUT");
        expect((await got)[0]).to.equal("answer to question?");
      });

      it("carries binary both ways (nested, several attachments, typed arrays)", async () => {
        ctx.server.on("connection", (s) => {
          s.on("bin", (payload: { a: Buffer; list: Buffer[] }, ack: (x: unknown) => void) => {
            ack({
              len: payload.a.length,
              sum: [...payload.list[1]!].reduce((x, y) => x + y, 0),
              back: payload.a,
            });
          });
          s.emit("fromServer", Buffer.from([1, 2, 3]), { deep: [Buffer.from("héllo")] });
        });
        const client = connect();
        const fromServer = once<[Buffer, { deep: Buffer[] }]>(client, "fromServer");
        await once(client, "connect");
        const [buf, obj] = await fromServer;
        expect([...buf]).to.deep.equal([1, 2, 3]);
        expect(Buffer.from(obj.deep[0]!).toString()).to.equal("héllo");
        const reply = (await client.emitWithAck("bin", {
          a: new Uint8Array([5, 6, 7, 8]),
          list: [new ArrayBuffer(2), new Uint16Array([1, 2]).buffer, new DataView(new ArrayBuffer(3))],
        })) as { len: number; sum: number; back: Buffer };
        expect(reply.len).to.equal(4);
        expect(reply.sum).to.equal(3); // bytes 1,0,2,0
        expect([...reply.back]).to.deep.equal([5, 6, 7, 8]);
      });

      it("multiplexes namespaces over one connection and reports connect_error with the server's data", async () => {
        ctx.server.of("/admin").on("connection", (s) => s.emit("hello", "admin"));
        ctx.server.on("connection", (s) => s.emit("hello", "main"));
        ctx.server.of("/private").use((_s, next) => {
          const err = new Error("not authorized") as Error & { data?: unknown };
          err.data = { reason: "token" };
          next(err);
        });
        // Without forceNew, io() caches the manager per server: the second namespace rides the same connection.
        const main = io(ctx.url, { transports: mode.transports });
        const adminSock = io(ctx.url + "/admin", { transports: mode.transports });
        sockets.push(main, adminSock);
        expect(adminSock.io).to.equal(main.io);
        const hellos: string[] = [];
        main.on("hello", (w: string) => hellos.push(w));
        adminSock.on("hello", (w: string) => hellos.push(w));
        await until(() => hellos.length === 2, "both namespaces");
        expect(hellos.sort()).to.deep.equal(["admin", "main"]);
        expect(ctx.server.engine.clientsCount).to.equal(1);
        const priv = main.io.socket("/private");
        sockets.push(priv);
        const [err] = await once<[Error & { data?: unknown }]>(priv, "connect_error");
        expect(err.message).to.equal("not authorized");
        expect(err.data).to.deep.equal({ reason: "token" });
        const [err2] = await once<[Error]>(main.io.socket("/nope"), "connect_error");
        expect(err2.message).to.equal("Invalid namespace");
      });

      it("sends auth and query, buffers offline emits, drops volatile ones", async () => {
        const seen: unknown[] = [];
        ctx.server.on("connection", (s) => {
          seen.push(s.handshake.auth, s.handshake.query.room);
          s.onAny((...args) => seen.push(args));
        });
        const client = connect("?room=42", {
          auth: (cb: (d: Record<string, unknown>) => void) => cb({ token: "t1" }),
        });
        client.volatile.emit("lost", 1);
        client.emit("early", 1);
        client.emit("early", 2);
        await once(client, "connect");
        client.emit("late", 3);
        await until(() => seen.length === 5, "3 events");
        expect(seen).to.deep.equal([{ token: "t1" }, "42", ["early", 1], ["early", 2], ["late", 3]]);
      });

      it("disconnect reasons: server-side disconnect is final, client-side too", async () => {
        ctx.server.on("connection", (s) => s.on("kick", () => s.disconnect()));
        const client = connect();
        await once(client, "connect");
        const outgoing: unknown[][] = [];
        client.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
        client.emit("kick");
        const [reason] = await once<[string]>(client, "disconnect");
        expect(reason).to.equal("io server disconnect");
        expect(client.connected).to.equal(false);
        expect(outgoing).to.deep.equal([["kick"]]);
        const other = connect();
        await once(other, "connect");
        const done = once<[string]>(other, "disconnect");
        other.disconnect();
        expect((await done)[0]).to.equal("io client disconnect");
      });

      it("reconnects after the connection drops (transport close) and flushes what was emitted meanwhile", async () => {
        const got: unknown[] = [];
        ctx.server.on("connection", (s) => {
          s.on("msg", (m) => got.push(m));
          s.on("drop", () => s.conn.close());
        });
        const client = connect("", { reconnectionDelay: 20, reconnectionDelayMax: 50 });
        await once(client, "connect");
        const firstId = client.id;
        const events: string[] = [];
        client.io.on("reconnect_attempt", (n) => events.push("attempt " + n));
        client.io.on("reconnect", (n) => events.push("reconnect " + n));
        client.on("disconnect", (r: string) => {
          events.push("disconnect " + r);
          client.emit("msg", "while offline");
        });
        client.emit("drop");
        await once(client.io, "reconnect");
        await until(() => got.length === 1, "buffered message");
        expect(events).to.deep.equal(["disconnect transport close", "attempt 1", "reconnect 1"]);
        expect(got).to.deep.equal(["while offline"]);
        expect(client.connected).to.equal(true);
        expect(client.id).to.not.equal(firstId);
        expect(client.recovered).to.equal(false);
      });
    });
  }

for (const kind of SERVER_KINDS)
  describe(`client ↔ ${kind.name}: connection state recovery and retries`, () => {
    let ctx: Ctx;
    before(() => {
      makeServer = kind.make;
    });
    let client: ClientSocket | null = null;
    beforeEach(async () => {
      ctx = await start({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 } });
    });
    afterEach(async () => {
      client?.disconnect();
      client = null;
      await stop(ctx);
    });

    for (const transports of [["polling"], ["websocket"]]) {
      it(`recovers id and missed packets after a drop (${transports[0]})`, async () => {
        ctx.server.on("connection", (s) => {
          s.join("room1");
          s.on("drop", () => {
            s.conn.close();
          });
        });
        client = io(ctx.url, { transports, forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 40 });
        const c = client;
        const got: unknown[] = [];
        c.on("news", (n: unknown) => got.push(n));
        await once(c, "connect");
        ctx.server.to("room1").emit("news", 1);
        await until(() => got.length === 1, "news 1");
        const id = c.id;
        c.once("disconnect", () => {
          // Sent while the client is away: the server stores it and replays it on recovery.
          ctx.server.to("room1").emit("news", 2);
          ctx.server.to("room1").emit("news", 3);
        });
        c.emit("drop");
        await once(c.io, "reconnect");
        await until(() => got.length === 3, "missed news");
        expect(got).to.deep.equal([1, 2, 3]);
        expect(c.recovered).to.equal(true);
        expect(c.id).to.equal(id);
      });
    }

    it("retries an emit until acked (at-least-once)", async () => {
      let calls = 0;
      ctx.server.on("connection", (s) => {
        s.on("job", (n: number, ack: (r: string) => void) => {
          calls++;
          if (calls >= 3) ack("done " + n);
        });
      });
      client = io(ctx.url, { transports: ["websocket"], forceNew: true, retries: 3, ackTimeout: 60 });
      const c = client;
      await once(c, "connect");
      const [err, res] = await new Promise<unknown[]>((r) => c.emit("job", 7, (...a: unknown[]) => r(a)));
      expect(err).to.equal(null);
      expect(res).to.equal("done 7");
      expect(calls).to.equal(3);
      // retries exhausted → the error
      let calls2 = 0;
      for (const s of ctx.server.sockets.sockets.values()) s.on("never", () => calls2++);
      const [err2] = await new Promise<unknown[]>((r) => c.emit("never", (...a: unknown[]) => r(a)));
      expect((err2 as { code: string }).code).to.equal("LADDER_ERR_CLIENT_ACK_TIMEOUT");
      expect(calls2).to.equal(4);
    });
  });
