import { request } from "node:http";
import type { Socket } from "@ladder/client";
import { transports } from "@ladder/client";
import { parseStreamingContentType, StreamParser } from "@ladder/protocol";
import { expect } from "chai";
import WebSocket from "ws";
import {
  cleanupPrefix,
  client,
  connected,
  ensureRedis,
  type Mode,
  NodeProcess,
  newPrefix,
  type TestClient,
  until,
} from "./cluster.js";

const EIO = "/socket.io/?EIO=4&transport=polling";
const STREAM = "/socket.io/?EIO=4&transport=streaming";

/** A streaming GET read part by part (the multipart parser of @ladder/protocol). */
class RawStream {
  status = 0;
  parts: string[] = [];
  finished = false;
  private readonly req: ReturnType<typeof request>;
  constructor(port: number, path: string) {
    this.req = request({ host: "127.0.0.1", port, path, method: "GET", agent: false }, (res) => {
      this.status = res.statusCode ?? 0;
      const boundary = parseStreamingContentType(String(res.headers["content-type"] ?? ""));
      const parser = boundary ? new StreamParser({ boundary }) : undefined;
      res.on("data", (chunk: Buffer) => {
        if (parser) for (const part of parser.push(new Uint8Array(chunk))) this.parts.push(part);
      });
      res.on("end", () => {
        this.finished = true;
      });
      res.on("error", () => {
        this.finished = true;
      });
    });
    this.req.on("error", () => {
      this.finished = true;
    });
    this.req.end();
  }
  abort(): void {
    this.req.destroy();
  }
}

function http(
  port: number,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        headers: body ? { "Content-Type": "text/plain" } : {},
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("redis adapter: no sticky sessions (requests for another node's session are forwarded)", function () {
  this.timeout(30000);
  const prefix = newPrefix();
  let nodes: NodeProcess[] = [];

  before(async () => {
    await ensureRedis();
    // Long pings: the held long-polls below must end with the broadcast, not with a ping.
    const env = { LADDER_PING_INTERVAL: "20000", LADDER_STREAM_LIMIT: "4096" };
    nodes = await Promise.all(["A", "B", "C"].map((n) => NodeProcess.start(n, prefix, env)));
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await cleanupPrefix(prefix);
  });

  it("a polling session opened on A is served by POSTs to B and GETs to C (literal wire)", async () => {
    const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const open = await http(a.port, "GET", EIO);
    expect(open.body[0]).to.equal("0");
    const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
    expect(sid).to.match(/^[A-Za-z0-9]+\./);
    expect(await http(b.port, "POST", `${EIO}&sid=${sid}`, '40{"user":"raw"}')).to.deep.equal({
      status: 200,
      body: "ok",
    });
    const connect = await http(c.port, "GET", `${EIO}&sid=${sid}`);
    expect(connect.body).to.match(/^40\{"sid":"[^"]+"\}$/);
    // The socket lives on A: its node answers "whoami" (ack id 1) through C.
    expect(await http(c.port, "POST", `${EIO}&sid=${sid}`, '421["whoami"]')).to.deep.equal({
      status: 200,
      body: "ok",
    });
    const ack = await http(b.port, "GET", `${EIO}&sid=${sid}`);
    expect(ack.body).to.match(/^431\[\{"node":"A","id":"[^"]+"\}\]$/);
    // A broadcast from C reaches it through a poll on B.
    await c.call("emit", { ev: "hey", args: [1] });
    expect((await http(b.port, "GET", `${EIO}&sid=${sid}`)).body).to.equal('42["hey",1]');
    expect(await http(a.port, "POST", `${EIO}&sid=${sid}`, "1")).to.deep.equal({ status: 200, body: "ok" });
  });

  it("300 long-polls of A's sessions held open through B at once are all answered by one broadcast", async () => {
    const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const sids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const open = await http(a.port, "GET", EIO);
      const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
      await http(a.port, "POST", `${EIO}&sid=${sid}`, "40");
      await http(a.port, "GET", `${EIO}&sid=${sid}`); // the CONNECT reply
      sids.push(sid);
    }
    const order: string[] = [];
    const polls = sids.map((sid) =>
      http(b.port, "GET", `${EIO}&sid=${sid}`).then((r) => {
        order.push("get");
        return r;
      }),
    );
    await new Promise((r) => setTimeout(r, 300)); // the GETs reach A through B and wait there
    // While 300 forwarded long-polls are held, another request through B is not queued behind them.
    const open = await http(a.port, "GET", EIO);
    const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
    expect((await http(b.port, "POST", `${EIO}&sid=${sid}`, "40")).body).to.equal("ok");
    order.push("post");
    await c.call("emit", { ev: "wake", args: [] });
    const bodies = (await Promise.all(polls)).map((r) => r.body);
    expect(order[0]).to.equal("post");
    expect(bodies.filter((body) => body === '42["wake"]')).to.have.length(300);
    await Promise.all([...sids, sid].map((id) => http(a.port, "POST", `${EIO}&sid=${id}`, "1")));
  });

  it("a streaming session opened on A: POSTs through B, the reopened streaming GET on C streams A's parts", async () => {
    const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    const first = new RawStream(a.port, `${STREAM}`);
    await until(() => first.parts.length >= 1, 5000, "open part");
    const sid = (JSON.parse(first.parts[0]!.slice(1)) as { sid: string }).sid;
    expect(await http(b.port, "POST", `${STREAM}&sid=${sid}`, "40")).to.deep.equal({
      status: 200,
      body: "ok",
    });
    await until(() => first.parts.some((p) => p.startsWith("40")), 5000, "CONNECT reply");
    // 60 events of ~200 bytes: more than the 4 KiB response budget, so the first response ends on A and the
    // client's next streaming GET (here: to C, which forwards it) carries the rest.
    const filler = "y".repeat(200);
    for (let i = 0; i < 60; i++) await b.call("emit", { ev: "s", args: [i, filler] });
    await until(() => first.finished, 5000, "first response ended at the budget");
    // Like a client: whenever a response ends (at the budget), reopen — alternately on C and B, both forwarding.
    const later: RawStream[] = [];
    const events = () =>
      [first, ...later]
        .flatMap((st) => st.parts)
        .filter((p) => p.startsWith('42["s"'))
        .map((p) => JSON.parse(p.slice(2))[1]);
    await until(
      () => {
        const current = later[later.length - 1];
        if (events().length < 60 && (!current || current.finished)) {
          later.push(new RawStream(later.length % 2 === 0 ? c.port : b.port, `${STREAM}&sid=${sid}`));
        }
        return events().length >= 60;
      },
      8000,
      "every event",
    );
    expect(events()).to.deep.equal([...Array(60).keys()]);
    expect(later.every((st) => st.status === 200)).to.equal(true);
    // Through C (and B): the forwarded streaming GETs carried most of the events.
    expect(later.flatMap((st) => st.parts).filter((p) => p.startsWith('42["s"')).length).to.be.greaterThan(
      10,
    );
    for (const st of later) st.abort();
  });

  it("an unknown sid (no such node) is answered Session ID unknown", async () => {
    const res = await http(nodes[1]!.port, "GET", `${EIO}&sid=nonode.xyz`);
    expect(res).to.deep.equal({ status: 400, body: '{"code":1,"message":"Session ID unknown"}' });
  });

  it("the websocket upgrade of a polling session on A succeeds when it arrives at B", async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const open = await http(a.port, "GET", EIO);
    const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
    await http(a.port, "POST", `${EIO}&sid=${sid}`, "40");
    expect((await http(a.port, "GET", `${EIO}&sid=${sid}`)).body).to.match(/^40/);
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
    const frames: string[] = [];
    ws.on("message", (d) => frames.push(d.toString()));
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    ws.send("2probe");
    await until(() => frames.includes("3probe"), 5000, "3probe");
    ws.send("5");
    await until(async () => (await a.call<number>("engineCount")) >= 1, 2000, "session");
    await nodes[2]!.call("emit", { ev: "after-upgrade", args: ["ok"] });
    await until(
      () => frames.includes('42["after-upgrade","ok"]'),
      5000,
      "event over the forwarded websocket",
    );
    ws.close();
  });

  it("a default client (polling → websocket) through per-request round-robin ends on websocket", async () => {
    // A tiny balancer: every new TCP connection goes to the next node (no affinity at all).
    const { createServer, connect } = await import("node:net");
    let next = 0;
    const lb = createServer((down) => {
      const node = nodes[next++ % nodes.length]!;
      const up = connect(node.port, "127.0.0.1");
      down.pipe(up).pipe(down);
      up.on("error", () => down.destroy());
      down.on("error", () => up.destroy());
    });
    await new Promise<void>((r) => lb.listen(0, "127.0.0.1", r));
    const port = (lb.address() as { port: number }).port;
    const c = client(`http://127.0.0.1:${port}`, "default", "rr", { agent: false });
    await connected(c);
    await until(() => c.socket.io.engine?.transport?.name === "websocket", 8000, "upgrade");
    await nodes[1]!.call("emit", { ev: "rr", args: [1] });
    await until(() => c.got.some(([e]) => e === "rr"), 5000, "rr");
    c.socket.disconnect();
    lb.close();
  });
});

describe("redis adapter: connection state recovery across nodes", function () {
  this.timeout(30000);
  const prefix = newPrefix();
  let nodes: NodeProcess[] = [];
  const clients: TestClient[] = [];

  before(async () => {
    await ensureRedis();
    nodes = await Promise.all(
      ["A", "B", "C"].map((n) => NodeProcess.start(n, prefix, { LADDER_RECOVERY: "1" })),
    );
  });

  after(async () => {
    for (const c of clients) c.socket.disconnect();
    await Promise.all(nodes.map((n) => n.stop()));
    await cleanupPrefix(prefix);
  });

  const modes: Mode[] = transports.streaming
    ? ["polling", "websocket", "streaming"]
    : ["polling", "websocket"];
  for (const mode of modes) {
    it(`a ${mode} client reconnecting to another node gets its id, rooms and missed packets`, async () => {
      const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
      const tc = client(a.url, mode, `rec-${mode}`, { reconnectionDelay: 600, reconnectionDelayMax: 600 });
      clients.push(tc);
      await connected(tc);
      const room = `room-${mode}`;
      expect(await tc.socket.timeout(3000).emitWithAck("join", room)).to.equal(true);
      await b.call("emit", { rooms: [room], ev: "m", args: [0] });
      await until(() => tc.got.filter(([e]) => e === "m").length === 1, 5000, "m0");
      const id = tc.socket.id;
      // The next connection goes to C; then the transport drops and B sends while the client is away.
      (tc.socket.io as unknown as { uri: string }).uri = c.url;
      tc.socket.io.engine?.close();
      for (let i = 1; i <= 5; i++) await b.call("emit", { rooms: [room], ev: "m", args: [i] });
      await b.call("emit", { ev: "m-all", args: ["x"] });
      await until(() => tc.socket.connected, 8000, "reconnect");
      expect(tc.socket.recovered).to.equal(true);
      expect(tc.socket.id).to.equal(id);
      const who = (await (tc.socket as Socket).timeout(3000).emitWithAck("whoami")) as {
        node: string;
        id: string;
      };
      expect(who).to.deep.equal({ node: "C", id });
      await until(() => tc.got.filter(([e]) => e === "m").length === 6, 5000, "missed packets");
      expect(tc.got.filter(([e]) => e === "m").map(([, args]) => args[0])).to.deep.equal([0, 1, 2, 3, 4, 5]);
      // Its room came along: a room broadcast from A reaches it on C.
      await a.call("emit", { rooms: [room], ev: "m", args: [6] });
      await until(() => tc.got.filter(([e]) => e === "m").length === 7, 5000, "room after recovery");
      expect(tc.got.filter(([e]) => e === "m-all")).to.have.length(1);
    });
  }
});
