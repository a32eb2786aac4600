import { expect } from "chai";
import type { EngineSession } from "../src/engine/session.js";
import {
  EIO,
  handshake,
  http,
  nextConnection,
  poll,
  post,
  startEngine,
  type TestServer,
  until,
} from "./helpers.js";

describe("engine: polling handshake and transport", () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("answers the handshake with exactly the five keys, text/plain and no-store", async () => {
    t = await startEngine();
    const res = await http(t.port, "GET", `${EIO}&transport=polling&t=abc`);
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.equal("text/plain; charset=UTF-8");
    expect(res.headers["cache-control"]).to.equal("no-store");
    expect(res.body[0]).to.equal("0");
    const open = JSON.parse(res.body.slice(1));
    expect(Object.keys(open)).to.deep.equal(["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"]);
    expect(res.body.slice(1)).to.equal(
      `{"sid":"${open.sid}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`,
    );
    // 128 bits of base64url
    expect(open.sid).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(t.engine.clientsCount).to.equal(1);
  });

  it("delivers server messages in one payload, text and binary as b+base64", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    expect(session.id).to.equal(sid);
    expect(session.transport.name).to.equal("polling");
    session.sendAll(["hello", new Uint8Array([1, 2, 3])]);
    session.send("é€😀");
    const res = await poll(t.port, sid);
    expect(res.body).to.equal("4hello\x1ebAQID\x1e4é€😀");
  });

  it("a pending GET is answered as soon as the server sends", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const pending = poll(t.port, sid);
    await until(
      () =>
        session.transport.name === "polling" &&
        (session as unknown as { transport: { writable: boolean } }).transport.writable,
    );
    session.send("late");
    expect((await pending).body).to.equal("4late");
  });

  it("POST payload reaches message events in order; binary as Buffer; answers ok", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const got: (string | Buffer)[] = [];
    session.on("message", (m) => got.push(m));
    const res = await post(t.port, sid, "4a\x1e4b\x1ebAQID\x1e4é");
    expect(res.status).to.equal(200);
    expect(res.body).to.equal("ok");
    expect(got.slice(0, 2)).to.deep.equal(["a", "b"]);
    expect(Buffer.isBuffer(got[2])).to.equal(true);
    expect([...(got[2] as Buffer)]).to.deep.equal([1, 2, 3]);
    expect(got[3]).to.equal("é");
  });

  it("100k tiny packets in one POST are processed (linear decode)", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    let count = 0;
    session.on("message", () => count++);
    const body = new Array(100000).fill("4x").join("\x1e");
    const started = Date.now();
    const res = await post(t.port, sid, body);
    expect(res.status).to.equal(200);
    expect(count).to.equal(100000);
    expect(Date.now() - started).to.be.below(5000);
    expect((await http(t.port, "GET", `${EIO}&transport=polling`)).status).to.equal(200);
  });

  it("POST 1 while a GET is pending: the GET receives 6 and the session closes (transport close)", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    const pending = poll(t.port, sid);
    await until(() => (session.transport as unknown as { writable: boolean }).writable);
    await post(t.port, sid, "1");
    expect((await pending).body).to.equal("6");
    expect(await closed).to.equal("transport close");
    expect((await poll(t.port, sid)).body).to.equal('{"code":1,"message":"Session ID unknown"}');
  });

  it("server close(): a pending GET receives 1; reason forced close", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session: EngineSession = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    const pending = poll(t.port, sid);
    await until(() => (session.transport as unknown as { writable: boolean }).writable);
    session.close();
    expect((await pending).body).to.equal("1");
    expect(await closed).to.equal("forced close");
  });

  it("close() with no pending GET delivers buffered packets then 1 on the next GET", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    session.send("bye");
    session.close();
    expect((await poll(t.port, sid)).body).to.equal("4bye");
    expect((await poll(t.port, sid)).body).to.equal("6\x1e1");
    expect(session.readyState).to.equal("closed");
  });
});
