import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import { expect } from "chai";
import { Server, type Socket } from "../src/socket/index.js";
import { RawClient, type RawTransport } from "./socket-raw-client.js";

/**
 * emitWithAck as an untyped (DefaultEventsMap) emitter should offer it. typed-events.ts's AllButLast<any[]> is
 * never, so with the default event map the src signature accepts no arguments at all (a src typing bug, reported).
 */
type UntypedEmitWithAck = { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> };

async function start(
  opts: Record<string, unknown> = {},
): Promise<{ io: Server; http: HttpServer; port: number }> {
  const http = createServer();
  const io = new Server(http, { pingInterval: 300, pingTimeout: 300, serveClient: false, ...opts });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const port = (http.address() as { port: number }).port;
  return { io, http, port };
}

for (const transport of ["polling", "websocket"] as RawTransport[]) {
  describe(`socket layer over real ${transport} (raw wire)`, () => {
    let io: Server;
    let port: number;
    const clients: RawClient[] = [];
    const open = async (query = "") => {
      const c = await RawClient.open(port, transport, query);
      clients.push(c);
      return c;
    };

    beforeEach(async () => {
      ({ io, port } = await start({ connectTimeout: 400 }));
      io.on("connection", (socket: Socket) => {
        socket.on("echo", (...args: unknown[]) => {
          const ack = args.pop() as (...a: unknown[]) => void;
          ack(...args);
        });
      });
    });

    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await io.close();
    });

    it("connect with auth and query; events, acks and binary both ways", async () => {
      let seen: Socket | undefined;
      io.once("connection", (s) => {
        seen = s;
        s.emit("welcome", s.handshake.auth, s.handshake.query.name, Buffer.from([7, 8]));
      });
      const c = await open("&name=ann");
      await c.send('40{"token":"t1"}');
      const connect = await c.waitText("40{");
      expect(connect).to.match(/^40\{"sid":"[\w-]{20}"\}$/);
      expect(seen!.conn.transport.name).to.equal(transport);
      await c.waitText("451-");
      const header = c.received.find((m) => typeof m === "string" && m.startsWith("451-")) as string;
      expect(header).to.equal('451-["welcome",{"token":"t1"},"ann",{"_placeholder":true,"num":0}]');
      const bin = await c.waitFor((m) => Buffer.isBuffer(m));
      expect([...(bin as Buffer)]).to.deep.equal([7, 8]);
      await c.send('451-2["echo",{"_placeholder":true,"num":0},"x"]', Buffer.from([1, 2, 3]));
      await c.waitText("461-2");
      expect(c.received.find((m) => typeof m === "string" && m.startsWith("461-2"))).to.equal(
        '461-2[{"_placeholder":true,"num":0},"x"]',
      );
      const echoed = c.received.filter((m) => Buffer.isBuffer(m));
      await c.waitFor((m) => Buffer.isBuffer(m) && m.length === 3);
      expect(echoed.length).to.be.greaterThan(0);
      const s = seen!;
      const answer = (s.timeout(2000) as UntypedEmitWithAck).emitWithAck("q", 1);
      const q = await c.waitText(/^42\d+\["q",1\]$/);
      const id = /^42(\d+)/.exec(q)![1];
      await c.send(`43${id}["yes"]`);
      expect(await answer).to.equal("yes");
    });

    it("namespaces and rooms over one connection", async () => {
      io.of("/admin").on("connection", (s) => {
        s.join("ops");
        s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
      });
      const c = await open();
      await c.send("40", "40/admin,");
      await c.waitText("40{");
      await c.waitText("40/admin,{");
      io.of("/admin").to("ops").emit("alert", 1);
      io.to("ops").emit("wrong-namespace");
      await c.waitText('42/admin,["alert",1]');
      expect(c.received).to.not.include('42["wrong-namespace"]');
      await c.send('42/admin,9["echo","a"]');
      await c.waitText('43/admin,9["a"]');
    });

    const hostile: Array<[string, string]> = [
      ["event name is an object", '42[{"toString":"foo"}]'],
      ["event name is a boolean", '42[true,"x"]'],
      ["event name is null", '42[null,"x"]'],
      ["reserved event name", '42["connect"]'],
      ["empty array", "42[]"],
      ["object payload", "42{}"],
      ["placeholder num splice", '451-["x",{"_placeholder":true,"num":"splice"}]'],
      ["huge attachment count", '45999999-["x"]'],
      ["ack id beyond 2^53", '4299999999999999999999["x"]'],
      ["binary without header", "BINARY"],
    ];
    for (const [name, packet] of hostile) {
      it(`hostile: ${name} closes only that client; the process and other clients are fine`, async () => {
        const bystander = await open();
        await bystander.send("40");
        await bystander.waitText("40{");
        const reasons: string[] = [];
        io.once("connection", (s) => s.on("disconnect", (r) => reasons.push(r)));
        const bad = await open();
        await bad.send("40");
        await bad.waitText("40{");
        await bad.send(packet === "BINARY" ? Buffer.from([1, 2]) : packet);
        await bad.waitClosed();
        expect(reasons).to.deep.equal(["parse error"]);
        await bystander.send('421["echo","still here"]');
        await bystander.waitText('431["still here"]');
        expect(io.sockets.sockets.size).to.equal(1);
      });
    }

    it("hostile but legal: 'error' event, unknown and double acks, unknown pid are harmless", async () => {
      const errors: unknown[] = [];
      io.once("connection", (s) => s.on("error", (x: unknown) => errors.push(x)));
      const c = await open();
      await c.send('40{"pid":"unknown","offset":"x"}');
      await c.waitText("40{");
      await c.send('42["error","boom"]', "4377[1]", "4377[1]");
      await c.send('425["echo",1]');
      await c.waitText("435[1]");
      expect(errors).to.deep.equal(["boom"]);
      expect(c.closed).to.equal(false);
    });

    it("CONNECT to an unknown namespace → CONNECT_ERROR; a client that never connects is closed after connectTimeout", async () => {
      const c = await open();
      await c.send("40/nowhere,");
      await c.waitText('44/nowhere,{"message":"Invalid namespace"}');
      await c.waitClosed(3000);
      const idle = await open();
      await idle.waitClosed(3000);
    });

    it("middleware rejection reaches the client with message and data", async () => {
      io.of("/private").use((_s, next) =>
        next(Object.assign(new Error("denied"), { data: { reason: "no" } })),
      );
      const c = await open();
      await c.send("40/private,");
      await c.waitText('44/private,{"message":"denied","data":{"reason":"no"}}');
    });
  });
}
