// A server that sends what no Engine.IO / Socket.IO server should: the client must end the connection with a coded
// error and a disconnect reason, never throw out of an event handler (mocha fails a test on any uncaught
// exception) and never deliver the bad data as an event. The server here is scripted by hand: a valid handshake
// and namespace CONNECT, then one bad message, over polling, WebSocket and streaming.
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { io, type Socket } from "@ladder/client";
import { expect } from "chai";
import { WebSocketServer } from "ws";
import { once } from "./client-helpers.js";

const HANDSHAKE = (upgrades: string[]) =>
  "0" + JSON.stringify({ sid: "hostile", upgrades, pingInterval: 10000, pingTimeout: 5000, maxPayload: 1e6 });
const CONNECTED = '40{"sid":"nsp-sid"}';

/** What the scripted server sends after the handshake and the namespace CONNECT. */
interface Case {
  name: string;
  /** Polling payload / WebSocket frames / streaming body after CONNECT. */
  bad: string;
  /** The disconnect reason the client must report. */
  reason: string;
}

const CASES: Case[] = [
  { name: "unknown Engine.IO packet type", bad: "9oops", reason: "transport error" },
  { name: "bad base64 binary message", bad: "b@@@", reason: "transport error" },
  { name: "empty Engine.IO packet in a payload", bad: "\x1e", reason: "transport error" },
  { name: "Socket.IO packet with broken JSON", bad: '42["chat",', reason: "parse error" },
  { name: "Socket.IO event named like a reserved one", bad: '42["connect"]', reason: "parse error" },
  {
    name: "Socket.IO binary event that never gets its attachment",
    bad: '451-["x",{"_placeholder":true,"num":0}]\x1e42["y"]',
    reason: "parse error",
  },
  { name: "Socket.IO unknown packet type", bad: "49", reason: "parse error" },
];

/** Streaming framing the server must never send, written raw on the stream after the upgrade. */
const FRAMING: Array<{ name: string; raw: string }> = [
  { name: "a part without Content-Length", raw: "--b0undary\r\nContent-Type: text/plain\r\n\r\n4x\r\n" },
  { name: "a Content-Length that is not a number", raw: "--b0undary\r\nContent-Length: 1e3\r\n\r\n4x\r\n" },
  { name: "a part larger than the client accepts", raw: "--b0undary\r\nContent-Length: 99999999\r\n\r\n4" },
  { name: "a body longer than its Content-Length", raw: "--b0undary\r\nContent-Length: 2\r\n\r\n4xyz\r\n" },
];

interface Scripted {
  http: HttpServer;
  url: string;
  stop(): Promise<void>;
}

/** Listens on a loopback port; `stop` ends what `hangUp` names, then the server. */
async function scripted(http: HttpServer, hangUp: () => void): Promise<Scripted> {
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return {
    http,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((r) => {
        hangUp();
        http.close(() => r());
      }),
  };
}

/**
 * A polling server: handshake, then CONNECT, then `bad` — one response each. With `streaming`, the session upgrades
 * to a streaming response first (its `3probe`, the held poll answered with a noop, `5`), and `bad` comes as the
 * next part of the stream, never over polling.
 */
async function pollingServer(bad: string, streaming: boolean, raw?: string): Promise<Scripted> {
  const queue = streaming ? [CONNECTED] : [CONNECTED, bad];
  let heldPoll: ServerResponse | null = null;
  let stream: ServerResponse | null = null;
  const part = (body: string) =>
    `--b0undary\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}\r\n`;
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const transport = url.searchParams.get("transport");
    if (req.method === "POST") {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        res.end("ok");
        // The upgrade is complete: the stream carries the bad packet.
        if (transport === "streaming" && body === "5" && stream) stream.write(raw ?? part(bad));
      });
      return;
    }
    if (!url.searchParams.get("sid")) {
      res.end(HANDSHAKE(streaming ? ["streaming"] : []));
      return;
    }
    if (transport === "streaming") {
      res.writeHead(200, { "content-type": 'multipart/x-mixed-replace; boundary="b0undary"' });
      res.write(part("3probe"));
      stream = res;
      // The client pauses polling until its pending GET returns: answer it as a server does on upgrade.
      heldPoll?.end("6");
      heldPoll = null;
      return;
    }
    const next = queue.shift();
    if (next !== undefined) res.end(next);
    else if (stream) res.end("6");
    else heldPoll = res;
  });
  return scripted(http, () => http.closeAllConnections());
}

/** A WebSocket-only server: handshake frame, CONNECT, then each record of `bad` as its own frame. */
async function websocketServer(bad: string): Promise<Scripted> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on("connection", (ws) => {
    ws.send(HANDSHAKE([]));
    ws.on("message", (data) => {
      if (String(data).startsWith("40")) {
        ws.send(CONNECTED);
        for (const frame of bad.split("\x1e")) ws.send(frame);
      }
    });
  });
  return scripted(http, () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });
}

/** Connects over `transport` to `server`, expects the CONNECT, then a disconnect for `reason` with a coded cause. */
async function expectRefused(transport: string, server: Scripted, reason: string): Promise<void> {
  const s: Socket = io(server.url, {
    forceNew: true,
    reconnection: false,
    transports: transport === "streaming" ? ["polling", "streaming"] : [transport],
  });
  const events: unknown[] = [];
  s.onAny((...args) => events.push(args));
  const upgrades: string[] = [];
  s.io.on("open", () => s.io.engine!.on("upgrade", (t) => upgrades.push(t.name)));
  // Both listeners first: over WebSocket the bad frame can follow CONNECT within the same tick.
  const connected = once(s, "connect");
  const disconnected = once<[string, { code?: string; context?: { code?: string } }]>(s, "disconnect");
  try {
    await connected;
    const [got, details] = await disconnected;
    expect(got).to.equal(reason);
    // The cause is a coded error: the transport's (wrapping the protocol's) or the decoder's.
    const code = details?.code ?? details?.context?.code;
    expect(code, JSON.stringify(details)).to.match(/^LADDER_ERR_/);
    expect(events).to.deep.equal([]);
    expect(s.connected).to.equal(false);
    // The bad data came on the transport under test (streaming: after the upgrade, on the stream).
    expect(upgrades).to.deep.equal(transport === "streaming" ? ["streaming"] : []);
  } finally {
    s.disconnect();
    await server.stop();
  }
}

describe("client against a hostile server: coded errors, no throw, no bad event delivered", function () {
  this.timeout(10000);
  for (const transport of ["polling", "websocket", "streaming"] as const) {
    for (const c of CASES) {
      // Streaming carries one packet per part: the payload cases with a separator are polling's.
      if (transport === "streaming" && c.bad.indexOf("\x1e") >= 0) continue;
      it(`${transport}: ${c.name}`, async () => {
        const server =
          transport === "websocket"
            ? await websocketServer(c.bad)
            : await pollingServer(c.bad, transport === "streaming");
        await expectRefused(transport, server, c.reason);
      });
    }
  }
  for (const handshake of [
    "0{not json",
    '0{"sid":"","upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
    "0[]",
  ]) {
    it(`polling: a handshake the client cannot use (${handshake.slice(0, 16)}…) is a connect_error`, async () => {
      const http = createServer((_req, res) => res.end(handshake));
      await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
      const s = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
        forceNew: true,
        reconnection: false,
        transports: ["polling"],
      });
      try {
        const [err] = await once<[{ code: string }]>(s, "connect_error");
        expect(err.code).to.equal("LADDER_ERR_CLIENT_PARSE");
        expect(s.connected).to.equal(false);
      } finally {
        s.disconnect();
        http.closeAllConnections();
        await new Promise<void>((r) => http.close(() => r()));
      }
    });
  }
  for (const f of FRAMING) {
    it(`streaming: ${f.name}`, async () => {
      await expectRefused("streaming", await pollingServer("", true, f.raw), "transport error");
    });
  }
});
