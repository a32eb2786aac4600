import { gunzipSync, inflateSync } from "node:zlib";
import { decodeJsonpResponse } from "@ladder/protocol";
import { expect } from "chai";
import {
  assertHealthy,
  EIO,
  handshake,
  http,
  nextConnection,
  poll,
  rawExchange,
  startEngine,
  type TestServer,
  WsClient,
  wsUrl,
} from "./helpers.js";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const wsUpgrade = (origin: string) =>
  `GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`;

describe("engine: Origin allow-list (HTTP and WebSocket)", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
  });

  const evil = [
    "https://app.example.evil.com",
    "https://evil-app.example",
    "https://app.example.",
    "http://app.example",
    "https://app.example:8443",
    "https://APP.EXAMPLE",
    "null",
    "https://app.example/",
    "https://sub.example.com.evil.org",
    "https://evilexample.com",
  ];

  it("refuses every evil Origin over polling (403 code 4) and WebSocket (raw 403), accepts listed and absent", async () => {
    t = await startEngine({ allowedOrigins: ["https://app.example", /https:\/\/[a-z]+\.example\.com/] });
    for (const origin of evil) {
      const res = await http(t.port, "GET", `${EIO}&transport=polling`, { headers: { Origin: origin } });
      expect(res.status, origin).to.equal(403);
      expect(res.body).to.equal('{"code":4,"message":"Forbidden"}');
      const raw = await rawExchange(t.port, wsUpgrade(origin));
      expect(raw, origin).to.match(/^HTTP\/1\.1 403 Forbidden\r\n/);
    }
    expect(t.engine.clientsCount).to.equal(0);
    await handshake(t.port); // no Origin: not a browser page
    const ok = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://sub.example.com" },
    });
    expect(ok.status).to.equal(200);
    const c = new WsClient(wsUrl(t.port, ""), { origin: "https://app.example" });
    expect(((await c.next()) as string)[0]).to.equal("0");
    await c.close();
  });

  it("Origin: null passes only when 'null' is listed", async () => {
    t = await startEngine({ allowedOrigins: ["null"] });
    const res = await http(t.port, "GET", `${EIO}&transport=polling`, { headers: { Origin: "null" } });
    expect(res.status).to.equal(200);
  });

  it("the allow-list also guards later requests of a session (sid)", async () => {
    t = await startEngine({ allowedOrigins: ["https://app.example"] });
    const { sid } = await handshake(t.port);
    const res = await http(t.port, "GET", `${EIO}&transport=polling&sid=${sid}`, {
      headers: { Origin: "https://evil.example" },
    });
    expect(res.status).to.equal(403);
  });
});

describe("engine: CORS", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
  });

  it("is off unless configured", async () => {
    t = await startEngine();
    const res = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://a.example" },
    });
    expect(res.headers["access-control-allow-origin"]).to.equal(undefined);
  });

  it("reflects listed origins only (strings and whole-match RegExps), answers preflights with 204", async () => {
    t = await startEngine({
      cors: { origin: ["https://a.example", /https:\/\/[a-z]+\.b\.example/], credentials: true, maxAge: 600 },
    });
    const ok = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://a.example" },
    });
    expect(ok.headers["access-control-allow-origin"]).to.equal("https://a.example");
    expect(ok.headers["access-control-allow-credentials"]).to.equal("true");
    expect(ok.headers.vary).to.equal("Origin");
    for (const origin of [
      "https://a.example.evil",
      "https://x.b.example.evil.com",
      "https://evil.com/?https://a.example",
      "null",
    ]) {
      const res = await http(t.port, "GET", `${EIO}&transport=polling`, { headers: { Origin: origin } });
      expect(res.headers["access-control-allow-origin"], origin).to.equal(undefined);
    }
    const pre = await http(t.port, "OPTIONS", `${EIO}&transport=polling`, {
      headers: {
        Origin: "https://x.b.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(pre.status).to.equal(204);
    expect(pre.headers["access-control-allow-origin"]).to.equal("https://x.b.example");
    expect(pre.headers["access-control-allow-headers"]).to.equal("content-type");
    expect(pre.headers["access-control-max-age"]).to.equal("600");
  });

  it("never sends * with credentials (and never reflects instead)", async () => {
    t = await startEngine({ cors: { origin: "*", credentials: true } });
    const res = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://a.example" },
    });
    expect(res.headers["access-control-allow-origin"]).to.equal(undefined);
  });

  it("* without credentials; a function decides per origin", async () => {
    t = await startEngine({ cors: { origin: "*" } });
    const res = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://a.example" },
    });
    expect(res.headers["access-control-allow-origin"]).to.equal("*");
    await t.close();
    t = await startEngine({ cors: { origin: (o) => o.endsWith(".good.example") } });
    const good = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://x.good.example" },
    });
    expect(good.headers["access-control-allow-origin"]).to.equal("https://x.good.example");
    const bad = await http(t.port, "GET", `${EIO}&transport=polling`, {
      headers: { Origin: "https://x.bad.example" },
    });
    expect(bad.headers["access-control-allow-origin"]).to.equal(undefined);
  });
});

describe("engine: JSONP polling", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
  });

  it("answers GETs as ___eio[j](...) scripts and accepts form-encoded d= POSTs", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const res = await http(t.port, "GET", `${EIO}&transport=polling&j=3`);
    expect(res.headers["content-type"]).to.equal("text/javascript; charset=UTF-8");
    expect(res.body.startsWith('___eio[3]("0{\\"sid\\":')).to.equal(true);
    const { index, payload } = decodeJsonpResponse(res.body);
    expect(index).to.equal("3");
    const sid = JSON.parse(payload.slice(1)).sid as string;
    const session = await conn;
    const got: string[] = [];
    session.on("message", (m) => got.push(String(m)));
    const post = await http(t.port, "POST", `${EIO}&transport=polling&j=3&sid=${sid}`, {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `d=${encodeURIComponent("4hello world\x1e4a\u2028b")}`,
    });
    expect(post.body).to.equal("ok");
    expect(got).to.deep.equal(["hello world", "a\u2028b"]);
    session.send('</script>"\u2028');
    const poll = await http(t.port, "GET", `${EIO}&transport=polling&j=3&sid=${sid}`);
    expect(decodeJsonpResponse(poll.body).payload).to.equal('4</script>"\u2028');
    expect(poll.body).to.not.include("\u2028");
  });
});

describe("engine: compression, cookie, headers events", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
  });

  it("gzip/deflate polling responses at or above the threshold; not below, not when compress is false", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const big = "x".repeat(2000);
    session.send(big);
    const gz = await http(t.port, "GET", `${EIO}&transport=polling&sid=${sid}`, {
      headers: { "Accept-Encoding": "gzip, deflate" },
    });
    expect(gz.headers["content-encoding"]).to.equal("gzip");
    const { request } = await import("node:http");
    // re-fetch raw bytes to decompress (the helper decodes as UTF-8)
    session.send(big);
    const bytes = await new Promise<Buffer>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: t.port,
          path: `${EIO}&transport=polling&sid=${sid}`,
          headers: { "Accept-Encoding": "deflate" },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(Buffer.concat(chunks)));
        },
      );
      req.end();
    });
    expect(inflateSync(bytes).toString()).to.equal(`4${big}`);
    session.send("small");
    const small = await http(t.port, "GET", `${EIO}&transport=polling&sid=${sid}`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(small.headers["content-encoding"]).to.equal(undefined);
    session.send(big, { compress: false });
    const off = await http(t.port, "GET", `${EIO}&transport=polling&sid=${sid}`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(off.headers["content-encoding"]).to.equal(undefined);
    expect(off.body).to.equal(`4${big}`);
    expect(typeof gunzipSync).to.equal("function");
  });

  it("cookie: true sets io=<sid>; Path=/; HttpOnly; SameSite=Lax on the handshake only (polling and websocket)", async () => {
    t = await startEngine({ cookie: true });
    const conn = nextConnection(t.engine);
    const { sid, raw } = await handshake(t.port);
    expect(raw.headers["set-cookie"]).to.deep.equal([`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
    (await conn).send("x");
    const next = await poll(t.port, sid);
    expect(next.headers["set-cookie"]).to.equal(undefined);
    const c = new WsClient(wsUrl(t.port, ""));
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve) =>
      c.ws.once("upgrade", (res) => resolve(res.headers)),
    );
    const open = JSON.parse(((await c.next()) as string).slice(1));
    expect(headers["set-cookie"]).to.deep.equal([`io=${open.sid}; Path=/; HttpOnly; SameSite=Lax`]);
    await c.close();
  });

  it("initial_headers then headers let users edit response headers", async () => {
    t = await startEngine();
    const order: string[] = [];
    t.engine.on("initial_headers", (h) => {
      order.push("initial");
      h["X-Initial"] = "1";
    });
    t.engine.on("headers", (h) => {
      order.push("headers");
      h["X-Every"] = "1";
    });
    const conn = nextConnection(t.engine);
    const { sid, raw } = await handshake(t.port);
    expect(raw.headers["x-initial"]).to.equal("1");
    expect(raw.headers["x-every"]).to.equal("1");
    (await conn).send("x");
    const next = await poll(t.port, sid);
    expect(next.headers["x-initial"]).to.equal(undefined);
    expect(next.headers["x-every"]).to.equal("1");
    expect(order.slice(0, 3)).to.deep.equal(["initial", "headers", "headers"]);
    const c = new WsClient(wsUrl(t.port, ""));
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve) =>
      c.ws.once("upgrade", (res) => resolve(res.headers)),
    );
    expect(headers["x-initial"]).to.equal("1");
    await c.next();
    await c.close();
  });

  it("handshake info is plain data (no request retained)", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    await http(t.port, "GET", `${EIO}&transport=polling&foo=bar`, {
      headers: { Origin: "https://o.example", "X-Y": "z" },
    });
    const session = await conn;
    const h = session.handshake;
    expect(h.query.foo).to.equal("bar");
    expect(Object.getPrototypeOf(h.query)).to.equal(null);
    expect(h.headers["x-y"]).to.equal("z");
    expect(h.address).to.equal("127.0.0.1");
    expect(h.url).to.equal(`${EIO}&transport=polling&foo=bar`);
    expect(h.secure).to.equal(false);
    expect(h.xdomain).to.equal(true);
    expect(h.time).to.equal(new Date(h.issued).toString());
    for (const value of Object.values(session as unknown as Record<string, unknown>)) {
      expect(value?.constructor?.name).to.not.equal("IncomingMessage");
    }
  });
});
