import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { Server } from "../src/socket/index.js";
import { RawClient } from "./socket-raw-client.js";

const CLIENT_DIST = join(import.meta.dirname, "..", "..", "client", "dist");

function get(
  port: number,
  path: string,
  method = "GET",
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function listening(io: Server): Promise<number> {
  const http = io.httpServer!;
  if (!http.listening) await once(http, "listening");
  return (http.address() as { port: number }).port;
}

describe("socket layer: Server construction, listen/attach, engine options, serveClient", () => {
  it("new Server(port) listens; other paths answer 404; engine options pass through; close() frees the port", async () => {
    const io = new Server(0, { pingInterval: 1234, pingTimeout: 567, serveClient: false });
    const port = await listening(io);
    expect((await get(port, "/elsewhere")).status).to.equal(404);
    const hs = await get(port, "/socket.io/?EIO=4&transport=polling");
    const open = JSON.parse(hs.body.slice(1));
    expect(open.pingInterval).to.equal(1234);
    expect(open.pingTimeout).to.equal(567);
    await io.close();
    expect(io.httpServer).to.equal(undefined);
  });

  it("new Server() + io.attach(httpServer, { path }) and io.listen(port)", async () => {
    const http = createServer((_req, res) => {
      res.writeHead(200);
      res.end("app");
    });
    const io = new Server({ path: "/rt", serveClient: false });
    io.attach(http);
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const port = (http.address() as { port: number }).port;
    expect((await get(port, "/")).body).to.equal("app");
    expect((await get(port, "/rt/?EIO=4&transport=polling")).body).to.match(/^0\{"sid"/);
    await io.close();

    const io2 = new Server({ serveClient: false });
    io2.listen(0);
    const port2 = await listening(io2);
    const c = await RawClient.open(port2, "websocket");
    await c.send("40");
    await c.waitText("40{");
    c.close();
    await io2.close();
  });

  it("serveClient serves only the allow-listed bundles, with ETag/304 and HEAD", async () => {
    const io = new Server(0, { clientDist: CLIENT_DIST });
    const port = await listening(io);
    const min = await get(port, "/socket.io/ladder.min.js");
    expect(min.status).to.equal(200);
    expect(min.headers["content-type"]).to.equal("application/javascript; charset=utf-8");
    expect(min.body).to.equal(readFileSync(join(CLIENT_DIST, "ladder.min.js"), "utf8"));
    const again = await get(port, "/socket.io/ladder.min.js?v=1", "GET", {
      "if-none-match": String(min.headers.etag),
    });
    expect(again.status).to.equal(304);
    const head = await get(port, "/socket.io/ladder.esm.js", "HEAD");
    expect(head.status).to.equal(200);
    expect(head.body).to.equal("");
    expect((await get(port, "/socket.io/ladder.legacy.min.js")).status).to.equal(200);
    expect((await get(port, "/socket.io/ladder.legacy-streaming.min.js")).status).to.equal(200);
    for (const file of ["ladder.streaming.min.js", "ladder.streaming.esm.js"]) {
      const addon = await get(port, "/socket.io/" + file);
      expect(addon.status).to.equal(200);
      expect(addon.body).to.equal(readFileSync(join(CLIENT_DIST, file), "utf8"));
    }
    // Anything else under the path is the engine's (a JSON error), never a file read
    for (const path of [
      "/socket.io/index.js",
      "/socket.io/../package.json",
      "/socket.io/ladder.min.js/../../package.json",
      "/socket.io/%2e%2e/%2e%2e/package.json",
      "/socket.io/ladder.min.js.map",
    ]) {
      const res = await get(port, path);
      expect(res.status, path).to.not.equal(200);
      expect(res.body, path).to.not.include('"name"');
    }
    await io.close();
  });

  it("serveClient answers 404 for a bundle that is not there; serveClient: false leaves the name to the engine", async () => {
    const empty = mkdtempSync(join(tmpdir(), "ladder-dist-"));
    try {
      const io = new Server(0, { clientDist: empty });
      const port = await listening(io);
      expect((await get(port, "/socket.io/ladder.min.js")).status).to.equal(404);
      await io.close();
      const io2 = new Server(0, { serveClient: false, clientDist: CLIENT_DIST });
      const port2 = await listening(io2);
      const res = await get(port2, "/socket.io/ladder.min.js");
      expect(res.status).to.equal(400);
      await io2.close();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
