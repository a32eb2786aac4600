import { expect } from "chai";
import Fastify, { type FastifyInstance } from "fastify";
import type { Engine } from "../src/engine/engine.js";
import { ladderEngine } from "../src/fastify.js";
import { EIO, handshake, http, poll, post, until, WsClient, wsUrl } from "./helpers.js";

async function start(
  options: Record<string, unknown> = {},
): Promise<{ app: FastifyInstance; port: number; seen: string[] }> {
  const app = Fastify();
  const seen: string[] = [];
  app.addHook("onRequest", (request, _reply, done) => {
    seen.push(`${request.method} ${request.url}`);
    done();
  });
  await app.register(ladderEngine, { path: "/engine.io/", ...options });
  app.get("/hello", async () => "world");
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { app, port, seen };
}

describe("engine: Fastify plugin", () => {
  it("routes polling through Fastify (hooks see it), streams the body itself, handles upgrades, decorates app.ladder", async () => {
    const { app, port, seen } = await start({ maxHttpBufferSize: 1000 });
    try {
      const engine: Engine = app.ladder;
      const messages: string[] = [];
      engine.on("connection", (s) => s.on("message", (m) => messages.push(String(m))));
      const { sid } = await handshake(port);
      expect(seen[0]).to.match(/^GET \/engine\.io\/\?EIO=4&transport=polling/);
      expect((await post(port, sid, "4one\x1e4two")).body).to.equal("ok");
      expect(messages).to.deep.equal(["one", "two"]);
      expect(seen.some((s) => s.startsWith("POST /engine.io/"))).to.equal(true);
      // the engine's own limit applies, not Fastify's body parser
      expect((await post(port, sid, `4${"x".repeat(2000)}`)).status).to.equal(413);
      // a POST without content type is still the engine's
      expect(
        (await http(port, "POST", `${EIO}&transport=polling&sid=${sid}`, { body: "4three" })).body,
      ).to.equal("ok");
      expect(messages).to.deep.equal(["one", "two", "three"]);
      // other routes still work
      expect((await http(port, "GET", "/hello")).body).to.equal("world");
      // errors are the engine's
      expect((await http(port, "GET", "/engine.io/?EIO=4&transport=nope")).body).to.equal(
        '{"code":0,"message":"Transport unknown"}',
      );
      const ws = new WsClient(wsUrl(port, ""));
      expect(((await ws.next()) as string)[0]).to.equal("0");
      await ws.close();
    } finally {
      await app.close();
    }
  });

  it("closes every session in preClose: a pending poll gets 1, a websocket closes, app.close() returns", async () => {
    const { app, port } = await start();
    const engine = app.ladder;
    const { sid } = await handshake(port);
    const ws = new WsClient(wsUrl(port, ""));
    await ws.next();
    await until(() => engine.clientsCount === 2);
    const pending = poll(port, sid);
    await until(() => {
      const s = engine.getSession(sid) as unknown as { transport: { writable: boolean } } | undefined;
      return s?.transport.writable === true;
    });
    const reasons: string[] = [];
    for (const s of engine.allSessions()) s.on("close", (r) => reasons.push(r));
    await app.close();
    expect((await pending).body).to.equal("1");
    await ws.closed;
    await until(() => reasons.length === 2);
    expect(reasons).to.deep.equal(["forced close", "forced close"]);
    expect(engine.clientsCount).to.equal(0);
  });
});
