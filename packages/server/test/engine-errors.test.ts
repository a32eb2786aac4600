import { expect } from "chai";
import type { ConnectionErrorInfo } from "../src/engine/engine.js";
import {
  assertHealthy,
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

const err = (code: number, message: string) => JSON.stringify({ code, message });

describe("engine: HTTP errors (wire-exact)", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });

  const cases: [string, string, string, number, string][] = [
    ["unknown transport", "GET", `${EIO}&transport=carrier-pigeon`, 400, err(0, "Transport unknown")],
    ["transport=__proto__", "GET", `${EIO}&transport=__proto__`, 400, err(0, "Transport unknown")],
    ["transport=constructor", "GET", `${EIO}&transport=constructor`, 400, err(0, "Transport unknown")],
    ["transport=toString", "GET", `${EIO}&transport=toString`, 400, err(0, "Transport unknown")],
    ["missing transport", "GET", `${EIO}`, 400, err(0, "Transport unknown")],
    ["unknown sid", "GET", `${EIO}&transport=polling&sid=nope`, 400, err(1, "Session ID unknown")],
    ["sid=__proto__", "GET", `${EIO}&transport=polling&sid=__proto__`, 400, err(1, "Session ID unknown")],
    [
      "sid=constructor",
      "POST",
      `${EIO}&transport=polling&sid=constructor`,
      400,
      err(1, "Session ID unknown"),
    ],
    ["POST handshake", "POST", `${EIO}&transport=polling`, 400, err(2, "Bad handshake method")],
    ["PUT handshake", "PUT", `${EIO}&transport=polling`, 400, err(2, "Bad handshake method")],
    ["websocket without upgrade", "GET", `${EIO}&transport=websocket`, 400, err(3, "Bad request")],
    ["JSONP j non-digits", "GET", `${EIO}&transport=polling&j=0);alert(1)//`, 400, err(3, "Bad request")],
    ["JSONP j negative", "GET", `${EIO}&transport=polling&j=-1`, 400, err(3, "Bad request")],
    ["JSONP j 11 digits", "GET", `${EIO}&transport=polling&j=12345678901`, 400, err(3, "Bad request")],
    ["EIO=3", "GET", "/engine.io/?EIO=3&transport=polling", 400, err(5, "Unsupported protocol version")],
    ["missing EIO", "GET", "/engine.io/?transport=polling", 400, err(5, "Unsupported protocol version")],
    [
      "EIO=__proto__",
      "GET",
      "/engine.io/?EIO=__proto__&transport=polling",
      400,
      err(5, "Unsupported protocol version"),
    ],
  ];
  for (const [name, method, path, status, body] of cases) {
    it(`${name} → ${status} ${body}`, async () => {
      t = await startEngine();
      const errors: ConnectionErrorInfo[] = [];
      t.engine.on("connection_error", (e) => errors.push(e));
      const res = await http(t.port, method, path);
      expect(res.status).to.equal(status);
      expect(res.headers["content-type"]).to.equal("application/json");
      expect(res.body).to.equal(body);
      expect(errors).to.have.length(1);
      expect(errors[0]!.code).to.equal(JSON.parse(body).code);
      expect(errors[0]!.message).to.equal(JSON.parse(body).message);
      expect(errors[0]!.req.url).to.equal(path);
    });
  }

  it("allowRequest refusing → 403 code 4 (custom message), accepting (async) → handshake", async () => {
    let allow = false;
    t = await startEngine({
      allowRequest: async (req) =>
        allow ? true : { allowed: false, message: `no ${req.headers["x-who"] ?? "one"}` },
    });
    const res = await http(t.port, "GET", `${EIO}&transport=polling`, { headers: { "x-who": "bob" } });
    expect(res.status).to.equal(403);
    expect(res.body).to.equal(err(4, "no bob"));
    allow = true;
    await handshake(t.port);
  });

  it("allowRequest throwing → 403 Forbidden, no crash", async () => {
    let calls = 0;
    t = await startEngine({
      allowRequest: () => {
        if (calls++ === 0) throw new Error("boom");
        return true;
      },
    });
    const res = await http(t.port, "GET", `${EIO}&transport=polling`);
    expect(res.status).to.equal(403);
    expect(res.body).to.equal(err(4, "Forbidden"));
  });

  it("polling with the sid of a websocket session → 400 code 3", async () => {
    t = await startEngine();
    const { WsClient, wsUrl } = await import("./helpers.js");
    const c = new WsClient(wsUrl(t.port, ""));
    const open = JSON.parse(((await c.next()) as string).slice(1));
    const res = await poll(t.port, open.sid);
    expect(res.status).to.equal(400);
    expect(res.body).to.equal(err(3, "Bad request"));
    await c.close();
  });

  it("other methods with a sid → 400 code 3; the session is unaffected", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const res = await http(t.port, "PUT", `${EIO}&transport=polling&sid=${sid}`);
    expect(res.status).to.equal(400);
    expect(res.body).to.equal(err(3, "Bad request"));
    expect(session.readyState).to.equal("open");
  });

  it("oversize POST → 413 and the session stays open", async () => {
    t = await startEngine({ maxHttpBufferSize: 1000 });
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const got: string[] = [];
    session.on("message", (m) => got.push(String(m)));
    const res = await post(t.port, sid, `4${"x".repeat(5000)}`);
    expect(res.status).to.equal(413);
    expect(session.readyState).to.equal("open");
    expect((await post(t.port, sid, "4small")).body).to.equal("ok");
    expect(got).to.deep.equal(["small"]);
  });

  it("oversize chunked POST (no Content-Length) is cut at the limit while streaming", async () => {
    t = await startEngine({ maxHttpBufferSize: 10000 });
    const { sid } = await handshake(t.port);
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: t.port,
          method: "POST",
          path: `${EIO}&transport=polling&sid=${sid}`,
          headers: { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", () => {});
      // keep streaming 1 KB chunks until the server answers: it must answer long before 100 MB
      let sent = 0;
      const pump = () => {
        if (req.destroyed || sent > 100_000_000) return;
        sent += 1024;
        if (req.write("x".repeat(1024))) setImmediate(pump);
        else req.once("drain", pump);
      };
      req.write("4");
      pump();
    });
    expect(status).to.equal(413);
    expect(t.engine.getSession(sid)?.readyState).to.equal("open");
  });

  it("octet-stream POST → 400 with the response ended and the session closed (×1000, no leak)", async () => {
    t = await startEngine();
    const run = async () => {
      const { sid } = await handshake(t.port);
      const res = await post(t.port, sid, "4abc", { "Content-Type": "application/octet-stream" });
      expect(res.status).to.equal(400);
      expect(t.engine.getSession(sid)).to.equal(undefined);
    };
    for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: 20 }, run));
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("overlapping GET: the pending GET receives 1, the overlapping one 400, the session closes", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    const first = poll(t.port, sid);
    await until(() => (session.transport as unknown as { writable: boolean }).writable);
    const second = await poll(t.port, sid);
    expect(second.status).to.equal(400);
    expect((await first).body).to.equal("1");
    expect(await closed).to.equal("transport error");
  });

  it("overlapping POST: 400 and the session closes", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    const { request } = await import("node:http");
    const slow = request({
      host: "127.0.0.1",
      port: t.port,
      method: "POST",
      path: `${EIO}&transport=polling&sid=${sid}`,
      headers: { "Content-Type": "text/plain", "Content-Length": "100" },
      agent: false,
    });
    slow.on("error", () => {});
    slow.on("response", (r) => r.resume());
    slow.write("4abc");
    await new Promise((r) => setTimeout(r, 50));
    const res = await post(t.port, sid, "4x");
    expect(res.status).to.equal(400);
    expect(await closed).to.equal("transport error");
    slow.destroy();
  });

  it("an aborted GET closes the session", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    const { request } = await import("node:http");
    const req = request({
      host: "127.0.0.1",
      port: t.port,
      path: `${EIO}&transport=polling&sid=${sid}`,
      agent: false,
    });
    req.on("error", () => {});
    req.end();
    await until(() => (session.transport as unknown as { writable: boolean }).writable);
    req.destroy();
    expect(await closed).to.equal("transport error");
  });

  it("a client ping over polling closes the session", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    await post(t.port, sid, "2");
    expect(await closed).to.equal("transport error");
  });

  it("an undecodable POST → 400 and the session closes with parse error", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    const res = await post(t.port, sid, "9\x1e\x1e");
    expect(res.status).to.equal(400);
    expect(await closed).to.equal("parse error");
  });

  it("buffer overflow: a slow polling client past maxBufferedPackets is closed; volatile packets are dropped", async () => {
    t = await startEngine({ maxBufferedPackets: 10 });
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const closed = new Promise<string>((resolve) => session.on("close", (r) => resolve(r)));
    session.sendAll(["v"], { volatile: true });
    expect(session.bufferedCount).to.equal(0);
    for (let i = 0; i < 10; i++) session.send(String(i));
    expect(session.bufferedCount).to.equal(10);
    session.send("one too many");
    expect(await closed).to.equal("buffer overflow");
    expect(session.bufferedCount).to.equal(0);
    expect((await poll(t.port, sid)).status).to.equal(400);
  });
});
