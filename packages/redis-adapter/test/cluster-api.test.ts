import { transports } from "@ladder/client";
import { expect } from "chai";
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

const events = (c: TestClient, ev: string) => c.got.filter(([e]) => e === ev).map(([, a]) => a);

describe("redis adapter: every socket-layer API across three node processes", function () {
  this.timeout(30000);
  const prefix = newPrefix();
  let nodes: NodeProcess[] = [];
  const clients: TestClient[] = [];
  const byNode = (i: number) => clients.filter((c) => c.user.startsWith(`n${i}-`));

  before(async () => {
    await ensureRedis();
    nodes = await Promise.all(["A", "B", "C"].map((n) => NodeProcess.start(n, prefix)));
    // On every node: one polling-only and one websocket-only client (indexes 0-5, used below), then one
    // streaming-only client per node when @ladder/client has the streaming transport.
    for (let i = 0; i < 3; i++) {
      for (const mode of ["polling", "websocket"] as Mode[]) {
        clients.push(client(nodes[i]!.url, mode, `n${i}-${mode}`));
      }
    }
    if (transports.streaming)
      for (let i = 0; i < 3; i++) clients.push(client(nodes[i]!.url, "streaming", `n${i}-streaming`));
    await Promise.all(clients.map(connected));
  });

  after(async () => {
    for (const c of clients) c.socket.disconnect();
    await Promise.all(nodes.map((n) => n.stop()));
    await cleanupPrefix(prefix);
  });

  beforeEach(() => {
    for (const c of clients) c.got.length = 0;
  });

  it("serverCount() is 3 on every node", async () => {
    expect(await Promise.all(nodes.map((n) => n.call("serverCount")))).to.deep.equal([3, 3, 3]);
  });

  it("io.emit from one node reaches every client on every node exactly once, binary intact", async () => {
    await nodes[0]!.call("emit", { ev: "news", args: ["hi", Buffer.from([0, 1, 255])] });
    await until(() => clients.every((c) => events(c, "news").length === 1), 5000, "news everywhere");
    for (const c of clients) {
      const [text, bytes] = events(c, "news")[0]!;
      expect(text).to.equal("hi");
      expect([...new Uint8Array(bytes as ArrayBuffer)]).to.deep.equal([0, 1, 255]);
    }
    await nodes[1]!.call("serverCount"); // a round trip, then check nothing was duplicated
    expect(clients.map((c) => events(c, "news").length)).to.deep.equal(clients.map(() => 1));
  });

  it("to(room) and except(room) select across nodes", async () => {
    // n0-polling, n1-websocket, n2-polling join "red"; n1-websocket also joins "blue".
    const red = [clients[0]!, clients[3]!, clients[4]!];
    for (const c of red) expect(await c.socket.timeout(3000).emitWithAck("join", "red")).to.equal(true);
    expect(await clients[3]!.socket.timeout(3000).emitWithAck("join", "blue")).to.equal(true);
    await nodes[2]!.call("serverCount"); // let the room subscriptions settle
    await nodes[1]!.call("emit", { rooms: ["red"], ev: "r", args: [1] });
    await nodes[1]!.call("emit", { rooms: ["red"], except: ["blue"], ev: "r", args: [2] });
    await nodes[0]!.call("emit", { except: ["red"], ev: "notred", args: [] });
    await until(
      () => events(clients[0]!, "r").length === 2 && events(clients[4]!, "r").length === 2,
      5000,
      "room events",
    );
    await until(
      () => clients.filter((c) => events(c, "notred").length === 1).length === clients.length - 3,
      5000,
      "notred",
    );
    expect(events(clients[3]!, "r")).to.deep.equal([[1]]);
    for (const c of clients) expect(events(c, "r").length > 0).to.equal(red.includes(c));
    for (const c of clients) expect(events(c, "notred").length).to.equal(red.includes(c) ? 0 : 1);
  });

  it("broadcast with acks collects every client's answer on every node", async () => {
    for (const c of clients) c.socket.on("ask", (n: number, cb: (a: string) => void) => cb(`${c.user}:${n}`));
    const res = await nodes[2]!.call<{ ok?: string[] }>("emitWithAck", {
      ev: "ask",
      args: [7],
      timeout: 4000,
    });
    expect((res.ok ?? []).slice().sort()).to.deep.equal(clients.map((c) => `${c.user}:7`).sort());
    for (const c of clients) c.socket.off("ask");
  });

  it("broadcast with acks times out with the partial answers when a client stays silent", async () => {
    clients[5]!.socket.on("ask2", () => {}); // never answers
    for (const c of clients.slice(0, 5)) c.socket.on("ask2", (cb: (a: string) => void) => cb(c.user));
    const res = await nodes[0]!.call<{ err?: string }>("emitWithAck", { ev: "ask2", timeout: 800 });
    expect(res.err).to.be.a("string");
    for (const c of clients) c.socket.off("ask2");
  });

  it("fetchSockets() lists every socket with its data; a remote socket can be emitted to, joined, disconnected", async () => {
    const all =
      await nodes[0]!.call<Array<{ id: string; rooms: string[]; data: { node: string; user: string } }>>(
        "fetchSockets",
      );
    expect(all.map((s) => s.data.user).sort()).to.deep.equal(clients.map((c) => c.user).sort());
    expect(all.find((s) => s.data.user === "n2-websocket")?.data.node).to.equal("C");
    const target = clients[5]!; // on node C
    const id = all.find((s) => s.data.user === target.user)!.id;
    expect(all.find((s) => s.id === id)!.rooms).to.include(id);
    expect(await nodes[0]!.call("remote", { target: id, ev: "direct", args: ["x"], room: "green" })).to.equal(
      true,
    );
    await until(() => events(target, "direct").length === 1, 5000, "direct");
    await until(
      async () =>
        (await nodes[1]!.call<Array<{ id: string }>>("fetchSockets", { rooms: ["green"] })).length === 1,
      5000,
      "green membership",
    );
    const inRed = await nodes[2]!.call<Array<{ data: { user: string } }>>("fetchSockets", { rooms: ["red"] });
    expect(inRed.map((s) => s.data.user).sort()).to.deep.equal(["n0-polling", "n1-websocket", "n2-polling"]);
  });

  it("socketsJoin / socketsLeave across nodes", async () => {
    await nodes[1]!.call("socketsJoin", { rooms: ["red"], room: "purple" });
    await until(
      async () => (await nodes[0]!.call<unknown[]>("fetchSockets", { rooms: ["purple"] })).length === 3,
      5000,
      "purple",
    );
    await nodes[2]!.call("emit", { rooms: ["purple"], ev: "p", args: [] });
    await until(() => clients.filter((c) => events(c, "p").length === 1).length === 3, 5000, "p");
    await nodes[0]!.call("socketsLeave", { room: "purple" });
    await until(
      async () => (await nodes[2]!.call<unknown[]>("fetchSockets", { rooms: ["purple"] })).length === 0,
      5000,
      "purple empty",
    );
  });

  it("serverSideEmit with acks answers once per other node", async () => {
    const res = await nodes[1]!.call<{ ok?: string[] }>("serverSideEmit", { ev: "hello-node", args: ["q"] });
    expect(res.ok).to.deep.equal(["A:q", "C:q"]);
  });

  it("the clients really are on their transports", () => {
    for (const c of clients) expect(c.socket.io.engine?.transport?.name).to.equal(c.user.split("-")[1]);
  });

  it("volatile broadcasts reach connected websocket clients on other nodes", async () => {
    await nodes[0]!.call("emit", { ev: "v", args: [1], volatile: true });
    await until(
      () => events(clients[3]!, "v").length === 1 && events(clients[5]!, "v").length === 1,
      5000,
      "v",
    );
  });

  it("local broadcasts stay on their node", async () => {
    await nodes[0]!.call("emit", { ev: "loc", args: [], local: true });
    await until(() => byNode(0).every((c) => events(c, "loc").length === 1), 5000, "loc");
    await nodes[1]!.call("serverCount");
    await nodes[2]!.call("serverCount");
    const others = [...byNode(1), ...byNode(2)];
    expect(others.map((c) => events(c, "loc").length)).to.deep.equal(others.map(() => 0));
  });

  it("a node that listens but never answers: fetchSockets rejects after requestsTimeout, acks end with what came", async () => {
    // A silent subscriber on the request channel counts as a node (PUBSUB NUMSUB) but never answers.
    const { Redis } = await import("ioredis");
    const silent = new Redis({ maxRetriesPerRequest: 1 });
    await silent.subscribe(`${prefix}#/#req#`);
    try {
      expect(await nodes[0]!.call("serverCount")).to.equal(4);
      const started = Date.now();
      const failed = await nodes[0]!.call("fetchSockets").then(
        () => "resolved",
        (e: Error) => e.message,
      );
      expect(failed).to.match(/LADDER_ERR_REDIS_REQUEST_TIMEOUT/);
      expect(Date.now() - started).to.be.greaterThan(1000); // the fixture's requestsTimeout is 1500 ms
      const res = await nodes[1]!.call<{ err?: string }>("serverSideEmit", { ev: "hello-node", args: ["z"] });
      expect(res.err).to.be.a("string"); // timed out: 2 of 3 other "nodes" answered
    } finally {
      silent.disconnect();
    }
    await until(async () => (await nodes[0]!.call<number>("serverCount")) === 3, 5000, "silent node gone");
  });

  it("fetchSockets still answers when a remote socket.data cannot be encoded (that socket's data is null)", async () => {
    const odd = client(nodes[2]!.url, "websocket", "unencodable");
    try {
      await connected(odd);
      const all = await nodes[0]!.call<Array<{ id: string; data: unknown }>>("fetchSockets");
      expect(all).to.have.length(clients.length + 1);
      expect(all.find((s) => s.id === odd.socket.id)?.data).to.equal(null);
      expect(all.filter((s) => s.data === null)).to.have.length(1);
    } finally {
      odd.socket.disconnect();
    }
  });

  it("disconnectSockets from one node disconnects clients on another", async () => {
    const victim = clients[2]!; // node B, polling
    const id = victim.socket.id;
    const done = new Promise<string>((r) => victim.socket.once("disconnect", (reason: string) => r(reason)));
    await nodes[2]!.call("disconnectSockets", { rooms: [id!] });
    expect(await done).to.equal("io server disconnect");
  });
});
