import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { WebSocketServer } from "ws";
import { destroyPollingAgent, PollingClient } from "../src/load/polling-client.js";
import { WsClient } from "../src/load/ws-client.js";

/**
 * The raw load clients against scripted servers speaking literal Engine.IO / Socket.IO frames, so the
 * handshakes the benchmark relies on are pinned down without any real server implementation.
 */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("bench raw WebSocket client", () => {
  let http: Server;
  let wss: WebSocketServer;
  let received: string[];
  let pong: Promise<void>;

  beforeEach(() => {
    received = [];
    let gotPong!: () => void;
    pong = new Promise<void>((resolve) => {
      gotPong = resolve;
    });
    http = createServer();
    wss = new WebSocketServer({ server: http });
    wss.on("connection", (ws, req) => {
      expect(req.url).to.equal("/socket.io/?EIO=4&transport=websocket");
      ws.send('0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
      ws.on("message", (data) => {
        const frame = data.toString();
        received.push(frame);
        if (frame === "3") gotPong();
        if (frame === "40") {
          // CONNECT reply, a ping and an event in one burst: the event must not be lost to the handshake.
          ws.send('40{"sid":"s1"}');
          ws.send("2");
          ws.send('42["hello"]');
        }
      });
    });
  });

  afterEach(async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it("performs the Socket.IO handshake by hand, answers pings and delivers the first event", async () => {
    const port = await listen(http);
    const frames: string[] = [];
    let gotHello!: () => void;
    const hello = new Promise<void>((resolve) => {
      gotHello = resolve;
    });
    const client = await WsClient.connect(port, "/socket.io/", "sio", (frame) => {
      frames.push(frame);
      if (frame === '42["hello"]') gotHello();
    });
    await hello;
    await pong;
    expect(frames).to.deep.equal(['42["hello"]']);
    expect(received).to.deep.equal(["40", "3"]);
    client.close();
  });
});

describe("bench raw polling client", () => {
  it("handshakes, connects the main namespace by POST and polls until the CONNECT reply", async () => {
    const log: string[] = [];
    let polls = 0;
    const http = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        log.push(`${req.method} ${req.url} ${body}`);
        if (req.method === "POST") return res.end("ok");
        if (!req.url?.includes("sid="))
          return res.end(
            '0{"sid":"a b","upgrades":["websocket"],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
          );
        polls++;
        res.end(polls === 1 ? "6" : '40{"sid":"s"}\x1e42["hello"]');
      });
    });
    const port = await listen(http);
    const frames: string[] = [];
    const client = await PollingClient.open(port, "/socket.io/", "sio", (f) => frames.push(f));
    expect(frames).to.deep.equal(['42["hello"]']);
    await client.close();
    expect(log).to.deep.equal([
      "GET /socket.io/?EIO=4&transport=polling ",
      "POST /socket.io/?EIO=4&transport=polling&sid=a%20b 40",
      "GET /socket.io/?EIO=4&transport=polling&sid=a%20b ",
      "GET /socket.io/?EIO=4&transport=polling&sid=a%20b ",
      "POST /socket.io/?EIO=4&transport=polling&sid=a%20b 1",
    ]);
    destroyPollingAgent();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
});
