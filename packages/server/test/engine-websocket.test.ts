import { expect } from "chai";
import type { EngineSession } from "../src/engine/session.js";
import { ManualTimers } from "../src/timers.js";
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

function writable(session: EngineSession): boolean {
  return (session.transport as unknown as { writable: boolean }).writable;
}

describe("engine: websocket transport", () => {
  let t: TestServer;
  const clients: WsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });
  function client(query: string): WsClient {
    const c = new WsClient(wsUrl(t.port, query));
    clients.push(c);
    return c;
  }

  it("handshakes directly over WebSocket with upgrades [] and exchanges text and binary", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const c = client("");
    const open = (await c.next()) as string;
    expect(open[0]).to.equal("0");
    const data = JSON.parse(open.slice(1));
    expect(Object.keys(data)).to.deep.equal(["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"]);
    expect(data.upgrades).to.deep.equal([]);
    const session = await conn;
    expect(session.transport.name).to.equal("websocket");
    const got: (string | Buffer)[] = [];
    session.on("message", (m) => got.push(m));
    c.send("4hello");
    c.send(Buffer.from([1, 2, 3]));
    c.send("bBAU=");
    await until(() => got.length === 3);
    expect(got[0]).to.equal("hello");
    expect(Buffer.isBuffer(got[1]) && [...(got[1] as Buffer)]).to.deep.equal([1, 2, 3]);
    expect([...(got[2] as Buffer)]).to.deep.equal([4, 5]);
    session.send("world");
    session.send(new Uint8Array([9, 8]));
    session.sendAll(["a", new Uint8Array([7])]);
    expect(await c.next()).to.equal("4world");
    const bin = await c.next();
    expect(Buffer.isBuffer(bin) && [...(bin as Buffer)]).to.deep.equal([9, 8]);
    expect(await c.next()).to.equal("4a");
    expect([...((await c.next()) as Buffer)]).to.deep.equal([7]);
  });

  it("b64=1 makes the server send binary as b+base64 text frames", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const c = client("&b64=1");
    await c.next();
    (await conn).send(new Uint8Array([1, 2, 3]));
    expect(await c.next()).to.equal("bAQID");
  });

  it("pings every pingInterval; pong keeps the session; silence closes it with ping timeout", async () => {
    const timers = new ManualTimers();
    t = await startEngine({ timers, pingInterval: 1000, pingTimeout: 500 });
    const conn = nextConnection(t.engine);
    const c = client("");
    await c.next();
    const session = await conn;
    let heartbeats = 0;
    session.on("heartbeat", () => heartbeats++);
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    timers.advance(1000);
    expect(await c.next()).to.equal("2");
    c.send("3");
    await until(() => heartbeats === 1);
    timers.advance(999);
    expect(c.frames).to.deep.equal([]);
    timers.advance(1);
    expect(await c.next()).to.equal("2");
    timers.advance(500);
    expect(await closed).to.equal("ping timeout");
    expect(timers.size).to.equal(0);
    await c.closed;
  });

  it("a client ping is a protocol error that closes the session", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const c = client("");
    await c.next();
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    c.send("2");
    expect(await closed).to.equal("transport error");
    await c.closed;
  });

  it("a frame over maxHttpBufferSize closes the connection (ws maxPayload) and the server keeps serving", async () => {
    t = await startEngine({ maxHttpBufferSize: 100 });
    const conn = nextConnection(t.engine);
    const c = client("");
    await c.next();
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    c.send(`4${"x".repeat(200)}`);
    const { code } = await c.closed;
    expect(code).to.equal(1009);
    expect(await closed).to.be.oneOf(["transport error", "transport close"]);
    const c2 = client("");
    expect(((await c2.next()) as string)[0]).to.equal("0");
  });

  it("server close() closes the socket with reason forced close", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const c = client("");
    await c.next();
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    session.close();
    expect(await closed).to.equal("forced close");
    await c.closed;
  });

  it("a garbage text frame closes the session with parse error", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const c = client("");
    await c.next();
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    c.send("9nope");
    expect(await closed).to.equal("parse error");
    await c.closed;
  });
});

describe("engine: upgrade polling → websocket", () => {
  let t: TestServer;
  const clients: WsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });
  function client(query: string): WsClient {
    const c = new WsClient(wsUrl(t.port, query));
    clients.push(c);
    return c;
  }

  it("runs the probe sequence: 3probe, pending GET gets 6, 5 switches; polling afterwards is a 400", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const events: string[] = [];
    session.on("upgrading", (tr) => events.push(`upgrading:${tr.name}`));
    session.on("upgrade", (tr) => events.push(`upgrade:${tr.name}`));
    const pending = poll(t.port, sid);
    await until(() => writable(session));
    const ws = client(`&sid=${sid}`);
    await ws.opened();
    ws.send("2probe");
    expect(await ws.next()).to.equal("3probe");
    expect((await pending).body).to.equal("6");
    expect(session.transport.name).to.equal("polling");
    ws.send("5");
    await until(() => session.transport.name === "websocket");
    expect(events).to.deep.equal(["upgrading:websocket", "upgrade:websocket"]);
    session.send("over ws");
    expect(await ws.next()).to.equal("4over ws");
    const res = await poll(t.port, sid);
    expect(res.status).to.equal(400);
    expect(res.body).to.equal('{"code":3,"message":"Bad request"}');
    // a second upgrade for the same sid is refused (the socket is closed)
    const again = client(`&sid=${sid}`);
    await again.closed;
    expect(session.readyState).to.equal("open");
  });

  it("loses, duplicates and reorders nothing while a numbered stream is sent across the switch", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const received: string[] = [];
    const total = 400;
    let sent = 0;
    let stop = false;
    const pump = () => {
      if (stop || sent >= total) return;
      session.send(String(sent++));
      setImmediate(pump);
    };
    pump();
    const collect = (body: string) => {
      for (const p of body.split("\x1e")) if (p[0] === "4") received.push(p.slice(1));
    };
    // poll a few times, then upgrade like engine.io-client: probe, wait for the in-flight GET, then 5
    collect((await poll(t.port, sid)).body);
    collect((await poll(t.port, sid)).body);
    const inflight = poll(t.port, sid);
    const ws = client(`&sid=${sid}`);
    await ws.opened();
    ws.send("2probe");
    expect(await ws.next()).to.equal("3probe");
    collect((await inflight).body);
    ws.send("5");
    for (;;) {
      if (received.length >= total) break;
      const f = (await ws.next()) as string;
      if (f[0] === "4") received.push(f.slice(1));
    }
    stop = true;
    expect(received).to.deep.equal(Array.from({ length: total }, (_, i) => String(i)));
  });

  it("a probe without 5 within upgradeTimeout is closed; the polling session lives on", async () => {
    const timers = new ManualTimers();
    t = await startEngine({ timers, upgradeTimeout: 300 });
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const ws = client(`&sid=${sid}`);
    await ws.opened();
    ws.send("2probe");
    expect(await ws.next()).to.equal("3probe");
    // while upgrading, a second probe is refused
    const second = client(`&sid=${sid}`);
    await second.closed;
    timers.advance(300);
    await ws.closed;
    expect(session.transport.name).to.equal("polling");
    expect(session.readyState).to.equal("open");
    session.send("still here");
    expect((await poll(t.port, sid)).body).to.equal("4still here");
  });

  it("any other packet during the probe aborts the upgrade", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const ws = client(`&sid=${sid}`);
    await ws.opened();
    ws.send("4nope");
    await ws.closed;
    expect(session.transport.name).to.equal("polling");
    expect(session.readyState).to.equal("open");
  });

  it("allowUpgrades false advertises no upgrades and refuses probes", async () => {
    t = await startEngine({ allowUpgrades: false });
    const conn = nextConnection(t.engine);
    const { sid, open } = await handshake(t.port);
    const session = await conn;
    expect(open.upgrades).to.deep.equal([]);
    const ws = client(`&sid=${sid}`);
    await ws.closed;
    session.send("x");
    const res = await http(t.port, "GET", `${EIO}&transport=polling&sid=${sid}&t=1`);
    expect(res.body).to.equal("4x");
  });
});
