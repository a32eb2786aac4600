import { connect } from "node:net";
import { expect } from "chai";
import {
  assertHealthy,
  handshake,
  nextConnection,
  rawExchange,
  startEngine,
  type TestServer,
  WsClient,
  wsUrl,
} from "./helpers.js";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const upgradeRequest = (path: string, extra: string[] = [], key: string | null = KEY) =>
  [
    `GET ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Connection: Upgrade",
    "Upgrade: websocket",
    ...(key ? [`Sec-WebSocket-Key: ${key}`] : []),
    "Sec-WebSocket-Version: 13",
    ...extra,
    "",
    "",
  ].join("\r\n");
const WS_PATH = "/engine.io/?EIO=4&transport=websocket";

describe("engine: hostile upgrades (raw TCP)", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("curl-style upgrade without Sec-WebSocket-Key → raw 400 whose body names the missing header", async () => {
    t = await startEngine();
    const out = await rawExchange(t.port, upgradeRequest(WS_PATH, [], null));
    expect(out.startsWith("HTTP/1.1 400 Bad Request\r\n")).to.equal(true);
    expect(out).to.include("Sec-WebSocket-Key");
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("curl -N -H 'Connection: Upgrade' -H 'Upgrade: websocket' exactly → 400 naming Sec-WebSocket-Key", async () => {
    t = await startEngine();
    const out = await rawExchange(
      t.port,
      `GET ${WS_PATH} HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8\r\nAccept: */*\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    );
    expect(out).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(out.split("\r\n\r\n")[1]).to.match(/Sec-WebSocket-Key/);
  });

  it("errors in the query → raw 400 with the Engine.IO message (unknown transport, EIO=3, unknown sid)", async () => {
    t = await startEngine();
    expect(await rawExchange(t.port, upgradeRequest("/engine.io/?EIO=4&transport=__proto__"))).to.match(
      /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\nTransport unknown$/,
    );
    expect(await rawExchange(t.port, upgradeRequest("/engine.io/?EIO=3&transport=websocket"))).to.match(
      /\r\n\r\nUnsupported protocol version$/,
    );
    expect(await rawExchange(t.port, upgradeRequest(`${WS_PATH}&sid=constructor`))).to.match(
      /\r\n\r\nSession ID unknown$/,
    );
    expect(await rawExchange(t.port, upgradeRequest("/engine.io/?EIO=4&transport=polling"))).to.match(
      /\r\n\r\nBad request$/,
    );
  });

  it("Upgrade: h2c → 400 naming the Upgrade header; h2c followed by a reset does not disturb the server", async () => {
    t = await startEngine();
    const h2c = `GET ${WS_PATH} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`;
    const out = await rawExchange(t.port, h2c);
    expect(out).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(out).to.include("Upgrade");
    await new Promise<void>((resolve) => {
      const s = connect(t.port, "127.0.0.1", () => {
        s.write(h2c);
        s.resetAndDestroy();
        resolve();
      });
      s.on("error", () => {});
    });
  });

  it("garbage bytes after a valid upgrade (fresh handshake) → the connection is closed, no session lingers", async () => {
    t = await startEngine();
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef]);
    const out = await rawExchange(t.port, Buffer.concat([Buffer.from(upgradeRequest(WS_PATH)), garbage]));
    expect(out.startsWith("HTTP/1.1 101 Switching Protocols\r\n")).to.equal(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("garbage bytes after a probe upgrade (with sid) → the probe is closed, the polling session lives on", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const session = await conn;
    const garbage = Buffer.from("\x81\xfe\xff\xffnot a frame at all");
    const out = await rawExchange(
      t.port,
      Buffer.concat([Buffer.from(upgradeRequest(`${WS_PATH}&sid=${sid}`)), garbage]),
    );
    expect(out.startsWith("HTTP/1.1 101")).to.equal(true);
    expect(session.readyState).to.equal("open");
    expect(session.transport.name).to.equal("polling");
  });

  it("2,001 headers with Upgrade last → refused with a 4xx, connection closed", async () => {
    t = await startEngine();
    const headers = Array.from({ length: 2001 }, (_, i) => `x${i}: y`);
    const req = [
      `GET ${WS_PATH} HTTP/1.1`,
      "Host: x",
      `Sec-WebSocket-Key: ${KEY}`,
      "Sec-WebSocket-Version: 13",
      ...headers,
      "Connection: Upgrade",
      "Upgrade: websocket",
      "",
      "",
    ].join("\r\n");
    const out = await rawExchange(t.port, req);
    expect(out).to.match(/^HTTP\/1\.1 4\d\d /);
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("Sec-WebSocket-Protocol 'b' + 10,000 spaces + 'x' → 400 quickly", async () => {
    t = await startEngine();
    const started = Date.now();
    const out = await rawExchange(
      t.port,
      upgradeRequest(WS_PATH, [`Sec-WebSocket-Protocol: b${" ".repeat(10000)}x`]),
    );
    expect(out).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(Date.now() - started).to.be.below(2000);
  });

  for (const perMessageDeflate of [false, true]) {
    it(`Sec-WebSocket-Extensions: constructor (perMessageDeflate ${perMessageDeflate}) → a normal session, no crash`, async () => {
      t = await startEngine({ perMessageDeflate });
      const c = new WsClient(wsUrl(t.port, ""), {
        headers: { "Sec-WebSocket-Extensions": "constructor" },
        perMessageDeflate: false,
      });
      const open = (await c.next()) as string;
      expect(open[0]).to.equal("0");
      await c.close();
    });
  }

  it("an upgrade on another path is refused with 400 (nobody else handles upgrades)", async () => {
    t = await startEngine();
    const out = await rawExchange(t.port, upgradeRequest("/elsewhere"));
    expect(out).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
