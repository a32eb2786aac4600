// The Node client behind a load balancer that keeps sessions sticky with a cookie (a real haproxy from Debian,
// `cookie ... insert`, round-robin over two independent Ladder nodes that share nothing). Browsers send the
// balancer's cookie back by themselves; in Node, fetch and `ws` keep no cookies, so with `withCredentials` the
// session keeps a jar (as socket.io-client does): every polling and streaming request and the WebSocket handshake
// carry the cookie and reach the node that holds the session. Without it, the second request lands on the other
// node, which does not know the session — the control case, which shows the balancer really splits requests.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io, type Socket } from "@ladder/client";
import { Server } from "@ladder/server";
import { expect } from "chai";
import { once, until } from "./client-helpers.js";
import { hasHaproxy, type RunningProxy, startStickyHaproxy } from "./proxy-helpers.js";

interface Node {
  name: string;
  http: HttpServer;
  server: Server;
  port: number;
  /** Requests this node received, `METHOD transport=...`. */
  requests: string[];
  /** The Cookie header of each request that named a session. */
  cookies: string[];
}

async function startNode(name: string): Promise<Node> {
  const http = createServer();
  const requests: string[] = [];
  const cookies: string[] = [];
  const server = new Server(http);
  // After the Server attached (it takes over the request listeners), in front of it.
  http.prependListener("request", (req) => {
    requests.push(`${req.method} ${/transport=(\w+)/.exec(req.url ?? "")?.[1] ?? "?"}`);
    if (/[?&]sid=/.test(req.url ?? "")) cookies.push(String(req.headers.cookie));
  });
  http.prependListener("upgrade", () => requests.push("UPGRADE websocket"));
  server.on("connection", (socket) => {
    socket.on("where", (n: number, ack: (answer: string) => void) => ack(`${name}:${n}`));
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  return { name, http, server, port: (http.address() as AddressInfo).port, requests, cookies };
}

describe("client (Node) behind a cookie-sticky load balancer: real haproxy, two Ladder nodes", function () {
  this.timeout(30000);
  let nodes: Node[];
  let proxy: RunningProxy;
  let sockets: Socket[];

  before(function () {
    if (!hasHaproxy()) {
      console.log("    skipped: needs /usr/sbin/haproxy");
      this.skip();
    }
  });
  beforeEach(async () => {
    nodes = [await startNode("n0"), await startNode("n1")];
    proxy = await startStickyHaproxy(nodes.map((n) => n.port));
    sockets = [];
  });
  afterEach(async () => {
    for (const s of sockets) s.disconnect();
    await proxy.stop();
    for (const n of nodes) await new Promise<void>((r) => n.server.close(() => r()));
  });

  for (const [transports, final] of [
    [["polling"], "polling"],
    [["polling", "websocket"], "websocket"],
    [["polling", "streaming"], "streaming"],
  ] as const) {
    it(`withCredentials: every request of the session reaches its node (${transports.join(" → ")})`, async () => {
      const s = io(proxy.url, {
        forceNew: true,
        reconnection: false,
        withCredentials: true,
        transports: [...transports],
      });
      sockets.push(s);
      await once(s, "connect");
      await until(() => s.io.engine?.transport?.name === final, `on ${final}`, 10000);
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) answers.push((await s.timeout(5000).emitWithAck("where", i)) as string);
      const node = answers[0]!.split(":")[0]!;
      expect(answers).to.deep.equal(Array.from({ length: 20 }, (_, i) => `${node}:${i}`));
      const other = nodes.find((n) => n.name !== node)!;
      const own = nodes.find((n) => n.name === node)!;
      // Everything after the handshake went to the session's node; the other node saw nothing.
      expect(other.requests).to.deep.equal([]);
      expect(own.requests.length).to.be.greaterThan(2);
      if (final === "websocket") expect(own.requests).to.include("UPGRADE websocket");
      if (final === "streaming") expect(own.requests).to.include("GET streaming");
    });
  }

  it("a Cookie header the user gives stays; the jar's cookies follow it", async () => {
    const s = io(proxy.url, {
      forceNew: true,
      reconnection: false,
      withCredentials: true,
      transports: ["polling"],
      extraHeaders: { cookie: "user=1" },
    });
    sockets.push(s);
    await once(s, "connect");
    expect(await s.timeout(5000).emitWithAck("where", 0)).to.match(/^n[01]:0$/);
    // The session stayed on one node (the jar's LADDERNODE cookie went along), and that node got the user's
    // cookie on every request; haproxy's `indirect` strips its own cookie before the node sees the request.
    const used = nodes.filter((n) => n.cookies.length > 0);
    expect(used).to.have.length(1);
    expect(used[0]!.cookies.length).to.be.greaterThan(1);
    for (const cookie of used[0]!.cookies) expect(cookie).to.equal("user=1");
  });

  it("control: without withCredentials the second request goes to the other node, which refuses the session", async () => {
    const s = io(proxy.url, { forceNew: true, reconnection: false, transports: ["polling"] });
    sockets.push(s);
    const [err] = await once<[{ code: string }]>(s, "connect_error");
    expect(err.code).to.match(/^LADDER_ERR_CLIENT_/);
    expect(s.connected).to.equal(false);
    // Both nodes were asked: the handshake on one, the session's next request on the other.
    expect(nodes.every((n) => n.requests.length > 0)).to.equal(true);
  });
});
