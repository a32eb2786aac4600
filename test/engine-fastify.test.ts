// The Fastify plugin with a real CORS plugin: @fastify/cors headers reach engine responses, preflights are its own.
import { request } from "node:http";
import cors from "@fastify/cors";
import { ladderEngine } from "@ladder/server/fastify";
import { expect } from "chai";
import Fastify from "fastify";

function get(port: number, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method, path, headers: { Connection: "close", ...headers }, agent: false },
        (res) => {
          let body = "";
          res.on("data", (c) => {
            body += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on("error", reject);
      req.end();
    },
  );
}

describe("interop: @ladder/server/fastify with @fastify/cors", () => {
  it("CORS plugin headers reach engine responses; its preflight answers; logging hooks see the requests", async () => {
    const app = Fastify();
    const seen: string[] = [];
    app.addHook("onResponse", (request, reply, done) => {
      seen.push(`${request.method} ${reply.statusCode}`);
      done();
    });
    await app.register(cors, { origin: ["https://app.example"], credentials: true });
    await app.register(ladderEngine, { path: "/engine.io/" });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const res = await get(port, "GET", "/engine.io/?EIO=4&transport=polling", {
        Origin: "https://app.example",
      });
      expect(res.status).to.equal(200);
      expect(res.body[0]).to.equal("0");
      expect(res.headers["access-control-allow-origin"]).to.equal("https://app.example");
      expect(res.headers["access-control-allow-credentials"]).to.equal("true");
      const evil = await get(port, "GET", "/engine.io/?EIO=4&transport=polling", {
        Origin: "https://evil.example",
      });
      expect(evil.headers["access-control-allow-origin"]).to.equal(undefined);
      const pre = await get(port, "OPTIONS", "/engine.io/?EIO=4&transport=polling", {
        Origin: "https://app.example",
        "Access-Control-Request-Method": "POST",
      });
      expect(pre.status).to.equal(204);
      expect(pre.headers["access-control-allow-origin"]).to.equal("https://app.example");
      expect(app.ladder.clientsCount).to.equal(2);
    } finally {
      await app.close();
    }
    expect(app.ladder.clientsCount).to.equal(0);
    expect(seen).to.include("OPTIONS 204");
  });
});
