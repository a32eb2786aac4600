// The transport ladder behind real proxies, with the Node client (issue 6): the chat demo server behind
// (1) nginx with the usual WebSocket proxy config → websocket, (2) an HTTP-only nginx (no Upgrade passed,
// proxy_buffering off) → streaming, (3) the store-and-forward FAULT INJECTOR → polling. In each case 1,000 chat
// messages each way arrive complete, in order, without duplicates; the time to the final transport is printed.
// Then, through the HTTP-only nginx: the stream reopening at the byte budget and payloads that contain the
// boundary text.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EngineSocket, io, type Socket } from "@ladder/client";
import { Engine } from "@ladder/server";
import { expect } from "chai";
// @ts-expect-error the demo is plain JavaScript
import { startChat } from "../examples/chat/server.mjs";
import { until } from "./client-helpers.js";
import { CASES, hasNginx, startNginx } from "./proxy-helpers.js";

interface Chat {
  url: string;
  app: { close(): Promise<void> };
}

const N = 1000;

function portOf(url: string): number {
  return Number(new URL(url).port);
}

interface ChatMessage {
  name: string;
  text: string;
}

/** Messages received by a socket, grouped by sender. */
function collect(socket: Socket): ChatMessage[] {
  const got: ChatMessage[] = [];
  socket.on("chat", (m: ChatMessage) => got.push(m));
  return got;
}

function expectComplete(got: ChatMessage[], sender: string): void {
  const texts = got.filter((m) => m.name === sender).map((m) => m.text);
  expect(texts.length, `messages from ${sender}`).to.equal(N);
  for (let i = 0; i < N; i++) if (texts[i] !== `${sender}-${i}`) expect(texts[i]).to.equal(`${sender}-${i}`);
}

describe("proxies: the transport ladder ends on the best transport the path allows (Node client)", function () {
  this.timeout(90000);
  before(function () {
    if (!hasNginx()) {
      console.log("    skipped: /usr/sbin/nginx is not installed (apt-get install -y nginx-light)");
      this.skip();
    }
  });

  for (const c of CASES) {
    it(`${c.label} → ${c.final}; ${N} chat messages each way, complete and in order`, async () => {
      const chat = (await startChat({ port: 0 })) as Chat;
      const proxy = await c.proxy(portOf(chat.url));
      const sockets: Socket[] = [];
      try {
        const started = Date.now();
        const events: string[] = [];
        let settledAt = 0;
        const failed: string[] = [];
        const a = io(proxy.url, { forceNew: true, reconnection: false, auth: { name: "A" } });
        sockets.push(a);
        a.io.on("open", () => {
          const engine = a.io.engine as EngineSocket;
          events.push(engine.transport!.name);
          engine.on("upgrade", (t) => {
            events.push(t.name);
            settledAt = Date.now();
          });
          engine.on("upgradeError", (err) => {
            failed.push(String((err as { transport?: string }).transport));
            settledAt = Date.now();
          });
        });
        const b = io(chat.url, {
          forceNew: true,
          reconnection: false,
          transports: ["websocket"],
          auth: { name: "B" },
        });
        sockets.push(b);
        const gotA = collect(a);
        const gotB = collect(b);
        await until(() => a.connected && b.connected, "both connected", 10000);
        await until(
          () =>
            (a.io.engine as EngineSocket).transport?.name === c.final &&
            failed.length >= c.failedProbes.length,
          `A settles on ${c.final}`,
          20000,
        );
        const reached = (settledAt || Date.now()) - started;
        console.log(
          `      ${c.label}: ${events.join(" → ")} in ${reached} ms (failed probes: ${failed.join(", ") || "none"})`,
        );
        expect(events[events.length - 1]).to.equal(c.final);
        expect(failed.sort()).to.deep.equal([...c.failedProbes].sort());
        for (let i = 0; i < N; i++) {
          a.emit("chat", `A-${i}`);
          b.emit("chat", `B-${i}`);
        }
        await until(() => gotA.length >= 2 * N && gotB.length >= 2 * N, "every message on both sides", 60000);
        // Nothing more arrives afterwards (no duplicates).
        await new Promise((r) => setTimeout(r, 100));
        expect(gotA.length).to.equal(2 * N);
        expect(gotB.length).to.equal(2 * N);
        for (const sender of ["A", "B"]) {
          expectComplete(gotA, sender);
          expectComplete(gotB, sender);
        }
        expect((a.io.engine as EngineSocket).transport?.name).to.equal(c.final);
      } finally {
        for (const s of sockets) s.disconnect();
        await proxy.stop();
        await chat.app.close();
      }
    });
  }

  it("through the HTTP-only nginx: the stream reopens at the byte budget and payloads carrying the boundary text arrive intact", async () => {
    const http: HttpServer = createServer();
    const engine = new Engine({ streamingResponseLimit: 4096, transports: ["polling", "streaming"] });
    engine.attach(http);
    const boundaries: string[] = [];
    engine.on("headers", (headers) => {
      const type = String(headers["Content-Type"] ?? "");
      const m = /boundary=(\S+)/.exec(type);
      if (m) boundaries.push(m[1]!);
    });
    engine.on("connection", (session) => {
      session.on("message", (d) => {
        // The reply carries the boundary of the response it is written into (the latest one) as a fake part.
        const b = boundaries[boundaries.length - 1] ?? "";
        session.send(`${String(d)}|\r\n--${b}\r\nContent-Length: 1\r\n\r\nX\r\n--${b}--\r\n`);
      });
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const proxy = await startNginx((http.address() as AddressInfo).port, false);
    const s = new EngineSocket(proxy.url, {});
    try {
      await until(() => s.transport?.name === "streaming" && s.readyState === "open", "on streaming", 15000);
      const got: string[] = [];
      s.on("message", (d) => got.push(String(d)));
      // In windows of 20: replies then come while a response is open, part by part, so the budget (checked after
      // every write; a batch buffered between two responses is written whole) ends many responses.
      for (let i = 0; i < N; i += 20) {
        for (let k = i; k < i + 20; k++) s.send(`m${k}`);
        await until(() => got.length >= i + 20, `replies up to ${i + 20}`, 10000);
      }
      expect(got.length).to.equal(N);
      for (let i = 0; i < N; i++) {
        const [text, rest] = got[i]!.split("|");
        expect(text).to.equal(`m${i}`);
        expect(rest).to.match(
          /^\r\n--[A-Za-z0-9_-]{24}\r\nContent-Length: 1\r\n\r\nX\r\n--[A-Za-z0-9_-]{24}--\r\n$/,
        );
      }
      // Many responses: the budget ended each one and the client reopened it on the same sid.
      const distinct = new Set(boundaries);
      console.log(`      byte budget 4096: ${distinct.size} streaming responses for ${N} replies`);
      expect(distinct.size).to.be.greaterThan(10);
      expect(s.readyState).to.equal("open");
    } finally {
      s.close();
      await proxy.stop();
      engine.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});
