// Interop: the official engine.io-client 6.6.8 against Ladder's Engine, over polling, websocket, and upgrade.
import { createServer, type Server } from "node:http";
import { Engine, type EngineOptions, type EngineSession } from "@ladder/server";
import { expect } from "chai";
import { Socket as EioSocket, type SocketOptions } from "engine.io-client";

interface Setup {
  engine: Engine;
  server: Server;
  url: string;
}

async function start(options: Partial<EngineOptions> = {}): Promise<Setup> {
  const server = createServer();
  const engine = new Engine(options);
  engine.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { engine, server, url: `http://127.0.0.1:${port}` };
}

async function stop(s: Setup): Promise<void> {
  s.engine.close();
  await new Promise<void>((resolve) => {
    s.server.close(() => resolve());
    s.server.closeIdleConnections();
  });
}

function open(url: string, opts: Partial<SocketOptions>): Promise<EioSocket> {
  return new Promise((resolve, reject) => {
    const socket = new EioSocket(url, opts);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function nextMessage(socket: EioSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once("message", resolve));
}

function bytes(data: unknown): number[] {
  if (data instanceof ArrayBuffer) return [...new Uint8Array(data)];
  if (ArrayBuffer.isView(data)) return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  throw new Error(`not binary: ${typeof data}`);
}

const modes: [string, Partial<SocketOptions>, string][] = [
  ["polling", { transports: ["polling"] }, "polling"],
  ["websocket directly", { transports: ["websocket"] }, "websocket"],
  ["polling upgraded to websocket", { transports: ["polling", "websocket"] }, "websocket"],
];

describe("interop: engine.io-client 6.6.8 → Ladder Engine", () => {
  for (const [name, opts, finalTransport] of modes) {
    describe(name, () => {
      let s: Setup;
      let client: EioSocket | undefined;
      afterEach(async () => {
        client?.close();
        client = undefined;
        await stop(s);
        expect(s.engine.clientsCount).to.equal(0);
      });

      it("connects, echoes text and binary both ways, and ends on the expected transport", async () => {
        s = await start();
        const sessions: EngineSession[] = [];
        s.engine.on("connection", (session) => {
          sessions.push(session);
          session.on("message", (data) => session.send(data));
        });
        client = await open(s.url, opts);
        if (name.includes("upgraded")) {
          await new Promise((resolve) => client!.once("upgrade", resolve));
          while (sessions[0]!.transport.name !== "websocket") await new Promise((r) => setTimeout(r, 5));
        }
        expect(client.transport.name).to.equal(finalTransport);
        expect(sessions[0]!.transport.name).to.equal(finalTransport);
        expect(sessions[0]!.id).to.equal(client.id);
        const text = nextMessage(client);
        client.send("héllo ✓");
        expect(await text).to.equal("héllo ✓");
        const bin = nextMessage(client);
        client.send(new Uint8Array([0, 1, 2, 255]));
        expect(bytes(await bin)).to.deep.equal([0, 1, 2, 255]);
        // server-initiated binary
        const pushed = nextMessage(client);
        sessions[0]!.send(Buffer.from([9, 8, 7]));
        expect(bytes(await pushed)).to.deep.equal([9, 8, 7]);
      });

      it("server-initiated close reaches the client", async () => {
        s = await start();
        const sessions: EngineSession[] = [];
        s.engine.on("connection", (session) => sessions.push(session));
        client = await open(s.url, opts);
        if (name.includes("upgraded")) await new Promise((resolve) => client!.once("upgrade", resolve));
        const closed = new Promise<string>((resolve) => client!.once("close", (reason) => resolve(reason)));
        const serverReason = new Promise<string>((resolve) => sessions[0]!.once("close", (r) => resolve(r)));
        sessions[0]!.close();
        expect(await closed).to.equal("transport close");
        expect(await serverReason).to.equal("forced close");
      });

      it("ping timeout: a client that stops answering pings is closed with reason ping timeout", async () => {
        s = await start({ pingInterval: 40, pingTimeout: 40 });
        const sessions: EngineSession[] = [];
        s.engine.on("connection", (session) => sessions.push(session));
        client = await open(s.url, opts);
        if (name.includes("upgraded")) await new Promise((resolve) => client!.once("upgrade", resolve));
        const beats = await new Promise<number>((resolve) => {
          let n = 0;
          sessions[0]!.on("heartbeat", () => {
            if (++n === 2) resolve(n);
          });
        });
        expect(beats).to.equal(2);
        // Silence the client's pongs (test-only interception of its transport's send).
        const transport = client.transport as unknown as { send(packets: { type: string }[]): void };
        const send = transport.send.bind(transport);
        transport.send = (packets) => {
          const kept = packets.filter((p) => p.type !== "pong");
          if (kept.length) send(kept);
        };
        const reason = await new Promise<string>((resolve) => sessions[0]!.once("close", (r) => resolve(r)));
        expect(reason).to.equal("ping timeout");
      });
    });
  }
});
