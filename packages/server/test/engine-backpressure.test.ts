import { connect } from "node:net";
import { expect } from "chai";
import {
  assertHealthy,
  handshake,
  nextConnection,
  poll,
  startEngine,
  type TestServer,
  WsClient,
  wsUrl,
} from "./helpers.js";

describe("engine: write callbacks and backpressure", () => {
  let t: TestServer;
  afterEach(async () => {
    await assertHealthy(t);
    await t.close();
    expect(t.engine.clientsCount).to.equal(0);
  });

  it("send callbacks run once the packet is written (websocket and polling), in order", async () => {
    t = await startEngine();
    const conn = nextConnection(t.engine);
    const c = new WsClient(wsUrl(t.port, ""));
    await c.next();
    const session = await conn;
    const order: number[] = [];
    await new Promise<void>((resolve) => {
      session.send("a", {}, () => order.push(1));
      session.send("b", {}, () => {
        order.push(2);
        resolve();
      });
    });
    expect(order).to.deep.equal([1, 2]);
    await c.close();

    const conn2 = nextConnection(t.engine);
    const { sid } = await handshake(t.port);
    const polling = await conn2;
    let called = false;
    polling.send("x", {}, () => {
      called = true;
    });
    expect(called).to.equal(false);
    expect((await poll(t.port, sid)).body).to.equal("4x");
    expect(called).to.equal(true);
  });

  it("a WebSocket client that stops reading: the transport stops being writable, the bounded buffer overflows, the session closes", async () => {
    t = await startEngine({ maxBufferedPackets: 50 });
    const conn = nextConnection(t.engine);
    // A raw client that completes the upgrade and then never reads again.
    const socket = connect(t.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.write(
      "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    const session = await conn;
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.pause();
    const closed = new Promise<string>((resolve) => session.once("close", (r) => resolve(r)));
    const chunk = "x".repeat(64 * 1024);
    let sent = 0;
    let maxBuffered = 0;
    while (session.readyState === "open" && sent < 5000) {
      session.send(chunk);
      sent++;
      maxBuffered = Math.max(maxBuffered, session.bufferedCount);
      if (sent % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await closed).to.equal("buffer overflow");
    expect(maxBuffered).to.equal(50);
    // far less than 5000 × 64 KiB was accepted before the client was cut off
    expect(sent).to.be.below(1000);
    socket.destroy();
  });
});
