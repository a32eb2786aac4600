// socket.io-client habits that are not about the wire: how the package is imported (default export, a callable
// CommonJS export) and the Manager's option accessors (`manager.reconnectionAttempts(5)`...).
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import ioDefault, { io, Manager } from "@ladder/client";
import { Server } from "@ladder/server";
import { expect } from "chai";
import { once, until } from "./client-helpers.js";

/** A loopback port nobody listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const http = createServer();
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const port = (http.address() as AddressInfo).port;
  await new Promise<void>((r) => http.close(() => r()));
  return port;
}

describe("client: socket.io-client's module shape and Manager accessors", () => {
  it("imports as socket.io-client does: default export, and a callable CommonJS export carrying the names", () => {
    expect(ioDefault).to.equal(io);
    const cjs = createRequire(import.meta.url)("@ladder/client");
    expect(cjs).to.be.a("function");
    expect(cjs.io).to.equal(cjs);
    expect(cjs.connect).to.equal(cjs);
    expect(cjs.default).to.equal(cjs);
    expect(cjs.Manager).to.be.a("function");
    expect(cjs.Socket).to.be.a("function");
    expect(cjs.LadderSocket).to.be.a("function");
    expect(cjs.protocol).to.equal(5);
  });

  it("reads options back and sets them with chaining; the settings drive the next reconnection", async () => {
    const m = new Manager("http://127.0.0.1:1", { autoConnect: false });
    expect([
      m.reconnection(),
      m.reconnectionAttempts(),
      m.reconnectionDelay(),
      m.reconnectionDelayMax(),
      m.randomizationFactor(),
      m.timeout(),
    ]).to.deep.equal([true, Infinity, 1000, 5000, 0.5, 20000]);
    expect(
      m
        .reconnectionAttempts(2)
        .reconnectionDelay(5)
        .reconnectionDelayMax(5)
        .randomizationFactor(0)
        .timeout(1000)
        .reconnection(true),
    ).to.equal(m);
    expect([m.reconnectionAttempts(), m.reconnectionDelay(), m.reconnectionDelayMax()]).to.deep.equal([
      2, 5, 5,
    ]);
    expect([m.randomizationFactor(), m.timeout()]).to.deep.equal([0, 1000]);
    expect(m.backoff.duration()).to.equal(5);

    // Against a port nobody listens on: two attempts 5 ms apart, then reconnect_failed.
    const port = await deadPort();
    const dead = new Manager(`http://127.0.0.1:${port}`, { autoConnect: false, transports: ["polling"] });
    dead.reconnectionAttempts(2).reconnectionDelay(5).reconnectionDelayMax(5).randomizationFactor(0);
    const events: string[] = [];
    dead.on("reconnect_attempt", (n) => events.push("attempt " + n));
    await new Promise<void>((resolve) => {
      dead.on("reconnect_failed", () => resolve());
      dead.open();
    });
    expect(events).to.deep.equal(["attempt 1", "attempt 2"]);
    dead.disconnect();
  });

  it("reconnection(false) stops a reconnection loop under way", async () => {
    const port = await deadPort();
    const m = new Manager(`http://127.0.0.1:${port}`, {
      transports: ["polling"],
      reconnectionDelay: 5,
      reconnectionDelayMax: 5,
      randomizationFactor: 0,
    });
    let attempts = 0;
    await new Promise<void>((resolve) =>
      m.on("reconnect_attempt", () => {
        if (++attempts === 2) {
          m.reconnection(false);
          resolve();
        }
      }),
    );
    // That attempt still runs; none follows it.
    await new Promise((r) => setTimeout(r, 100));
    expect(attempts).to.equal(2);
    expect(m.reconnection()).to.equal(false);
    m.disconnect();
  });

  it("transportOptions: per-transport options over the shared ones (headers for polling only, others for the WebSocket)", async () => {
    const http = createServer();
    const seen: string[] = [];
    const server = new Server(http);
    // After the Server attached (it takes over the request listeners), in front of it.
    http.prependListener("request", (req) => {
      seen.push(
        `${/transport=(\w+)/.exec(req.url ?? "")?.[1]} ${req.headers["x-t"]} ${req.headers["x-all"]}`,
      );
    });
    http.prependListener("upgrade", (req) =>
      seen.push(`upgrade ${req.headers["x-t"]} ${req.headers["x-all"]}`),
    );
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const s = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      forceNew: true,
      transports: ["polling", "websocket"],
      extraHeaders: { "x-all": "shared" },
      transportOptions: {
        polling: { extraHeaders: { "x-t": "polling" } },
        websocket: { extraHeaders: { "x-t": "websocket", "x-all": "ws" } },
      },
    });
    try {
      await once(s, "connect");
      await until(() => s.io.engine?.transport?.name === "websocket", "the upgrade");
      expect(seen.length).to.be.greaterThan(1);
      // Shallow, as socket.io-client: a transport's extraHeaders replace the shared ones.
      for (const line of seen.filter((l) => l.startsWith("polling")))
        expect(line).to.equal("polling polling undefined");
      expect(seen.filter((l) => l.startsWith("upgrade"))).to.deep.equal(["upgrade websocket ws"]);
    } finally {
      s.disconnect();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
