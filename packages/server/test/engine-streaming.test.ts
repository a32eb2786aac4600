import type { Socket } from "node:net";
import { expect } from "chai";
import type { EngineSession } from "../src/engine/session.js";
import {
  EIO,
  handshake,
  http,
  nextConnection,
  poll,
  startEngine,
  type TestServer,
  until,
  WsClient,
  wsUrl,
} from "./helpers.js";
import { literalPart, postAs, type RawStream, streamGet } from "./streaming-helpers.js";

const PRELUDE = `${" ".repeat(2048)}\r\n`;

function closeCodes(session: EngineSession): string[] {
  const reasons: string[] = [];
  session.on("close", (reason) => reasons.push(reason));
  return reasons;
}

describe("engine: streaming transport (multipart/x-mixed-replace)", () => {
  let t: TestServer;
  const streams: RawStream[] = [];
  afterEach(async () => {
    for (const s of streams.splice(0)) s.abort();
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });

  function open(query: string): RawStream {
    const s = streamGet(t.port, query);
    streams.push(s);
    return s;
  }

  it("handshakes on a streaming GET: headers, prelude and the open packet as the first part, byte for byte", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(1);
    const session = await conn;
    expect(s.status).to.equal(200);
    expect(s.headers["content-type"]).to.equal(`multipart/x-mixed-replace; boundary=${s.boundary}`);
    expect(s.boundary).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(s.headers["cache-control"]).to.equal("no-store");
    expect(s.headers["x-accel-buffering"]).to.equal("no");
    expect(s.headers["x-content-type-options"]).to.equal("nosniff");
    expect(s.headers["content-length"]).to.equal(undefined);
    const openPacket = `0{"sid":"${session.id}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`;
    expect(s.raw).to.equal(PRELUDE + literalPart(s.boundary, openPacket));
    expect(session.transport.name).to.equal("streaming");

    // One part per packet, binary as a base64 record; the response stays open.
    session.send("hé€😀");
    session.send(new Uint8Array([0, 1, 2, 255]));
    await s.waitParts(3);
    expect(s.raw).to.equal(
      PRELUDE +
        literalPart(s.boundary, openPacket) +
        literalPart(s.boundary, "4hé€😀") +
        literalPart(s.boundary, "bAAEC/w=="),
    );
    expect(s.finished).to.equal(false);

    // Upstream is a polling POST on the streaming transport.
    const got: unknown[] = [];
    session.on("message", (m) => got.push(m));
    const res = await postAs(t.port, session.id, "streaming", "4up\x1ebAQID");
    expect(res.status).to.equal(200);
    expect(res.body).to.equal("ok");
    expect(got).to.deep.equal(["up", Buffer.from([1, 2, 3])]);

    // A server close writes the close packet, then the closing delimiter, and ends the response.
    session.close();
    await s.waitEnd();
    expect(s.raw.endsWith(literalPart(s.boundary, "1") + `--${s.boundary}--\r\n`)).to.equal(true);
    expect(s.closed).to.equal(true);
  });

  it("a stream's part leaves for the kernel once the next part goes to another stream, not at the tick's end", async () => {
    // Node corks a response's socket on every res.write until nextTick: a loop sending to many streams would put
    // every part on the wire only after the loop. The transport uncorks when the loop moves to the next stream.
    t = await startEngine();
    const sockets: Socket[] = [];
    t.server.on("request", (req, res) => {
      if (req.method === "GET" && /transport=streaming/.test(req.url ?? "") && res.socket)
        sockets.push(res.socket);
    });
    const connA = nextConnection(t.engine);
    const a = open("");
    await a.waitParts(1);
    const sessionA = await connA;
    const connB = nextConnection(t.engine);
    const b = open("");
    await b.waitParts(1);
    const sessionB = await connB;
    expect(sockets).to.have.length(2);

    sessionA.send("to A");
    sessionB.send("to B");
    // Same tick, before any nextTick: A's part is already out of Node's buffers.
    expect(sockets[0]!.writableCorked).to.equal(0);
    expect(sockets[0]!.writableLength).to.equal(0);
    await a.waitParts(2);
    await b.waitParts(2);
  });

  it("a new boundary for every response", async () => {
    t = await startEngine({ streamingResponseLimit: 1 });
    const conn = nextConnection(t.engine);
    const a = open("");
    await a.waitEnd();
    const session = await conn;
    const b = open(`&sid=${session.id}`);
    await b.started();
    expect(a.boundary).to.not.equal(b.boundary);
  });

  it("official clients are offered exactly ['websocket']; a Ladder client that sends ladder=1 also gets streaming", async () => {
    t = await startEngine();
    const plain = await handshake(t.port);
    expect(plain.raw.body).to.contain('"upgrades":["websocket"]');
    const ladder = await handshake(t.port, "&ladder=1");
    expect(ladder.raw.body).to.contain('"upgrades":["websocket","streaming"]');
    const noStreaming = await startEngine({ transports: ["polling", "websocket"] });
    try {
      const r = await handshake(noStreaming.port, "&ladder=1");
      expect(r.raw.body).to.contain('"upgrades":["websocket"]');
      const refused = await http(noStreaming.port, "GET", `${EIO}&transport=streaming`);
      expect(refused.status).to.equal(400);
      expect(refused.body).to.equal('{"code":0,"message":"Transport unknown"}');
    } finally {
      await noStreaming.close();
    }
  });

  it("ends a response at the byte budget on a part boundary; the reopened stream loses and duplicates nothing", async () => {
    t = await startEngine({ streamingResponseLimit: 4096 });
    const conn = nextConnection(t.engine);
    let s = open("");
    await s.waitParts(1);
    const session = await conn;
    const sent: string[] = [];
    for (let i = 0; i < 300; i++) sent.push(`message ${i} ${"x".repeat(i % 50)}`);
    const received: string[] = [];
    let responses = 0;
    let next = 0;
    const pump = setInterval(() => {
      for (let k = 0; k < 10 && next < sent.length; k++) session.send(sent[next++]!);
    }, 1);
    const messages = (stream: RawStream) => stream.parts.filter((p) => p[0] === "4").map((p) => p.slice(1));
    try {
      for (;;) {
        await until(() => s.finished || received.length + messages(s).length >= sent.length, 5000);
        if (!s.finished) {
          // The last response: everything arrived before the budget was reached again.
          received.push(...messages(s));
          break;
        }
        responses++;
        expect(s.closed, "every response ends with the closing delimiter").to.equal(true);
        expect(s.error).to.equal(undefined);
        // The response ended only after the part that crossed the budget.
        expect(Buffer.byteLength(s.raw)).to.be.greaterThan(4096);
        received.push(...messages(s));
        if (received.length >= sent.length) break;
        s = open(`&sid=${session.id}`);
        await s.started();
      }
    } finally {
      clearInterval(pump);
    }
    expect(responses).to.be.greaterThan(3);
    expect(received).to.deep.equal(sent);
    expect(session.readyState).to.equal("open");
  });

  it("a payload that contains the boundary text (even a whole fake part) is delivered as data", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(1);
    const session = await conn;
    const b = s.boundary;
    const evil = [
      `\r\n--${b}--\r\n`,
      `x\r\n--${b}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 2\r\n\r\n41\r\n`,
      `--${b}`,
    ];
    for (const e of evil) session.send(e);
    session.send("after");
    await s.waitParts(5);
    expect(s.parts.slice(1)).to.deep.equal([...evil.map((e) => `4${e}`), "4after"]);
    expect(s.closed).to.equal(false);
  });

  it("a second concurrent streaming GET is an overlap: 400 and the session closes with a transport error", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(1);
    const session = await conn;
    const reasons = closeCodes(session);
    const second = await http(t.port, "GET", `${EIO}&transport=streaming&sid=${session.id}`);
    expect(second.status).to.equal(400);
    expect(second.body).to.equal('{"code":3,"message":"Bad request"}');
    await until(() => reasons.length > 0);
    expect(reasons).to.deep.equal(["transport error"]);
    await s.waitEnd();
  });

  it("a client that aborts its open stream closes the session with a transport error (as an aborted poll)", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(1);
    const session = await conn;
    const reasons = closeCodes(session);
    s.abort();
    await until(() => reasons.length > 0);
    expect(reasons).to.deep.equal(["transport error"]);
  });

  it("a POST naming polling on a streaming session is refused (400), the session lives on", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(1);
    const session = await conn;
    const res = await postAs(t.port, session.id, "polling", "4x");
    expect(res.status).to.equal(400);
    expect(session.readyState).to.equal("open");
  });

  it("polling → streaming upgrade: probe on the stream, the pending poll gets a noop, 5 switches, nothing lost", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port, "&ladder=1");
    const session = await conn;
    const upgraded: string[] = [];
    session.on("upgrade", (tr) => upgraded.push(tr.name));
    session.send("before");
    expect((await poll(t.port, sid)).body).to.equal("4before");
    const pending = poll(t.port, sid);
    await until(() => (session.transport as unknown as { writable: boolean }).writable);
    const s = open(`&sid=${sid}`);
    await s.started();
    expect(s.status).to.equal(200);
    expect(s.parts).to.deep.equal([]);
    expect((await postAs(t.port, sid, "streaming", "2probe")).status).to.equal(200);
    await s.waitParts(1);
    expect(s.parts).to.deep.equal(["3probe"]);
    expect((await pending).body).to.equal("6");
    session.send("during");
    expect((await postAs(t.port, sid, "streaming", "5")).status).to.equal(200);
    expect(session.transport.name).to.equal("streaming");
    expect(upgraded).to.deep.equal(["streaming"]);
    session.send("after");
    await s.waitParts(3);
    expect(s.parts).to.deep.equal(["3probe", "4during", "4after"]);
  });

  it("an official polling session cannot be probed to streaming unless it upgrades to it; a second probe is refused", async () => {
    t = await startEngine({ transports: ["polling", "websocket", "streaming"] });
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port, "&ladder=1");
    const session = await conn;
    const s = open(`&sid=${sid}`);
    await s.started();
    const second = await http(t.port, "GET", `${EIO}&transport=streaming&sid=${sid}`);
    // The probe stream is open: a second GET for it is an overlap on the probe, which fails the probe only.
    expect(second.status).to.equal(400);
    await s.waitEnd();
    expect(session.readyState).to.equal("open");
    expect(session.transport.name).to.equal("polling");
  });

  it("streaming → websocket upgrade: the stream is ended with the closing delimiter, 5 switches", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(1);
    const session = await conn;
    expect(s.parts[0]).to.contain('"upgrades":["websocket"]');
    const ws = new WsClient(wsUrl(t.port, `&sid=${session.id}`));
    await ws.opened();
    ws.send("2probe");
    expect(await ws.next()).to.equal("3probe");
    await s.waitEnd();
    expect(s.closed).to.equal(true);
    session.send("buffered");
    ws.send("5");
    await until(() => session.transport.name === "websocket");
    expect(await ws.next()).to.equal("4buffered");
    await ws.close();
    await until(() => session.readyState === "closed");
  });

  it("the server's pings are parts on the stream and pongs come back by POST", async () => {
    t = await startEngine({ pingInterval: 50, pingTimeout: 1000 });
    const conn = nextConnection(t.engine);
    const s = open("");
    await s.waitParts(2);
    const session = await conn;
    expect(s.parts[1]).to.equal("2");
    expect((await postAs(t.port, session.id, "streaming", "3")).status).to.equal(200);
    await s.waitParts(3);
    expect(s.parts[2]).to.equal("2");
    expect(session.readyState).to.equal("open");
  });
});
