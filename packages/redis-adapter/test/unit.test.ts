import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@ladder/server";
import { expect } from "chai";
import { Redis } from "ioredis";
import { decodeMessage, encodeMessage, MSG } from "../src/codec.js";
import { createAdapter, createSessionRouter, REDIS_ADAPTER_ERRORS, RedisAdapterError } from "../src/index.js";
import { cleanupPrefix, client, connected, ensureRedis, newPrefix, until } from "./cluster.js";

describe("redis adapter: codec, errors, options", () => {
  it("messages round-trip binary-safe; malformed bytes decode to null", () => {
    const bytes = encodeMessage([MSG.BROADCAST, "uid", 2, ["ev", new Uint8Array([0, 255])], ["r"], [], {}]);
    const m = decodeMessage(bytes)!;
    expect(m.slice(0, 3)).to.deep.equal([MSG.BROADCAST, "uid", 2]);
    expect([...((m[3] as unknown[])[1] as Uint8Array)]).to.deep.equal([0, 255]);
    expect(decodeMessage(new Uint8Array([0xc1]))).to.equal(null); // never-used msgpack byte
    expect(decodeMessage(encodeMessage(["x", 1] as unknown[]))).to.equal(null); // wrong shape
    expect(decodeMessage(new TextEncoder().encode("hello"))).to.equal(null);
  });

  it("every error code is documented and carries its code in the message", () => {
    for (const code of Object.keys(REDIS_ADAPTER_ERRORS) as Array<keyof typeof REDIS_ADAPTER_ERRORS>) {
      const err = new RedisAdapterError(code, "detail");
      expect(err.code).to.equal(code);
      expect(err.message).to.contain(code).and.contain("detail");
      expect(REDIS_ADAPTER_ERRORS[code].description.length).to.be.greaterThan(10);
    }
  });

  it("invalid options throw LADDER_ERR_REDIS_OPTIONS", () => {
    expect(() => createAdapter({})).to.throw(RedisAdapterError, /LADDER_ERR_REDIS_OPTIONS/);
    expect(() => createSessionRouter({ address: "10.0.0.1:3000" })).to.throw(/LADDER_ERR_REDIS_OPTIONS/);
  });
});

describe("redis adapter: two in-process servers, one on an existing client", function () {
  this.timeout(20000);
  const prefix = newPrefix();

  before(ensureRedis);
  after(() => cleanupPrefix(prefix));

  it("broadcasts cross between them and closing leaves the given client open", async () => {
    const existing = new Redis({ maxRetriesPerRequest: 1 });
    const servers = [
      new Server(createServer(), {
        adapter: createAdapter(existing, { keyPrefix: prefix }),
        serveClient: false,
      }),
      new Server(createServer(), {
        adapter: createAdapter({ url: "redis://127.0.0.1:6379", keyPrefix: prefix }),
        serveClient: false,
      }),
    ];
    const ports: number[] = [];
    for (const io of servers) {
      await new Promise<void>((r) => io.httpServer!.listen(0, "127.0.0.1", r));
      ports.push((io.httpServer!.address() as AddressInfo).port);
    }
    const c = client(`http://127.0.0.1:${ports[1]}`, "websocket", "u");
    try {
      await connected(c);
      await until(async () => (await servers[0]!.of("/").adapter.serverCount()) === 2, 5000, "2 nodes");
      servers[0]!.emit("cross", 1);
      await until(() => c.got.some(([e]) => e === "cross"), 5000, "cross");
    } finally {
      c.socket.disconnect();
      await Promise.all(servers.map((io) => io.close()));
    }
    expect(existing.status).to.equal("ready");
    expect(await existing.ping()).to.equal("PONG");
    existing.disconnect();
  });
});
