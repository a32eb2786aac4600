import { execFileSync } from "node:child_process";
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
  redisAnswers,
  sleep,
  startRedis,
  type TestClient,
  until,
} from "./cluster.js";
import { type Nginx, startNginx } from "./nginx.js";

const seqOf = (c: TestClient, ev: string) => c.got.filter(([e]) => e === ev).map(([, a]) => a[0] as number);

describe("redis adapter: faults", function () {
  this.timeout(60000);

  describe("Redis restarts mid-traffic", () => {
    const prefix = newPrefix();
    let nodes: NodeProcess[] = [];
    const clients: TestClient[] = [];

    before(async () => {
      await ensureRedis();
      nodes = await Promise.all(["A", "B"].map((n) => NodeProcess.start(n, prefix)));
    });

    after(async () => {
      if (!redisAnswers()) await ensureRedis();
      for (const c of clients) c.socket.disconnect();
      await Promise.all(nodes.map((n) => n.stop()));
      await cleanupPrefix(prefix);
    });

    it("no crash, local delivery continues, cross-node delivery resumes after the restart", async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      const onA = client(a.url, "websocket", "onA");
      const onB = client(b.url, "polling", "onB");
      clients.push(onA, onB);
      await Promise.all([connected(onA), connected(onB)]);
      await a.call("emit", { ev: "t", args: [0] });
      await until(() => seqOf(onB, "t").length === 1 && seqOf(onA, "t").length === 1, 5000, "t0");

      execFileSync("redis-cli", ["-p", "6379", "shutdown", "nosave"]);
      try {
        await until(() => !redisAnswers(), 5000, "Redis down");
        for (let i = 1; i <= 5; i++) await a.call("emit", { ev: "t", args: [i] });
        // Local delivery goes on; the node counts itself alone; cluster-wide requests fail with a coded error.
        await until(() => seqOf(onA, "t").length === 6, 5000, "local delivery during the outage");
        expect(await a.call("serverCount")).to.equal(1);
        const failed = await a.call("fetchSockets").then(
          () => "resolved",
          (e: Error) => e.message,
        );
        expect(failed).to.match(/LADDER_ERR_REDIS_UNAVAILABLE/);
      } finally {
        startRedis();
      }
      await until(redisAnswers, 10000, "Redis up");
      await until(async () => (await a.call<number>("serverCount")) === 2, 15000, "both nodes resubscribed");
      await until(
        async () => (await b.call<number>("serverCount")) === 2,
        15000,
        "both nodes resubscribed (B)",
      );
      await a.call("emit", { ev: "t", args: [6] });
      await b.call("emit", { ev: "u", args: [1] });
      await until(
        () => seqOf(onB, "t").includes(6) && seqOf(onA, "u").length === 1,
        10000,
        "cross-node again",
      ).catch((err: Error) => {
        throw new Error(
          `${err.message}: onA t=${seqOf(onA, "t")} u=${seqOf(onA, "u")}, onB t=${seqOf(onB, "t")}`,
        );
      });
      // Lost, as documented: what node A broadcast while Redis was down never reached node B's clients.
      expect(seqOf(onB, "t")).to.deep.equal([0, 6]);
      expect(seqOf(onA, "t")).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
      for (const n of nodes) expect(n.child.exitCode).to.equal(null);
      expect(onA.socket.connected && onB.socket.connected).to.equal(true);
    });
  });

  describe("Redis hangs (CLIENT PAUSE) with recovery on", () => {
    const prefix = newPrefix();
    let node: NodeProcess;
    let tc: TestClient;

    before(async () => {
      await ensureRedis();
      node = await NodeProcess.start("A", prefix, { LADDER_RECOVERY: "1", LADDER_COMMAND_TIMEOUT: "300" });
    });

    after(async () => {
      tc?.socket.disconnect();
      await node.stop();
      await cleanupPrefix(prefix);
    });

    it("local delivery goes on after commandTimeout instead of waiting for Redis", async () => {
      tc = client(node.url, "websocket", "hang");
      await connected(tc);
      const order: string[] = [];
      execFileSync("redis-cli", ["-p", "6379", "client", "pause", "1500", "ALL"]);
      const resumed = setTimeout(() => order.push("redis resumed"), 1500);
      try {
        for (let i = 0; i < 3; i++) await node.call("emit", { ev: "h", args: [i] });
        await until(() => seqOf(tc, "h").length === 3, 1200, "local delivery during the hang");
        order.push("delivered");
      } finally {
        clearTimeout(resumed);
        await until(redisAnswers, 5000, "Redis answering again"); // (redis-cli waits out the pause)
      }
      expect(order).to.deep.equal(["delivered"]);
      expect(seqOf(tc, "h")).to.deep.equal([0, 1, 2]);
    });
  });

  describe("a node killed during traffic", () => {
    const prefix = newPrefix();
    let nodes: NodeProcess[] = [];
    let nginx: Nginx;
    const clients: TestClient[] = [];

    before(async () => {
      await ensureRedis();
      // One node more than the transports tried: each test kills the node its client landed on.
      nodes = await Promise.all(
        ["A", "B", "C", "D"].map((n) => NodeProcess.start(n, prefix, { LADDER_RECOVERY: "1" })),
      );
      nginx = await startNginx(nodes.map((n) => n.port));
    });

    after(async () => {
      for (const c of clients) c.socket.disconnect();
      await nginx?.stop();
      await Promise.all(nodes.map((n) => n.stop()));
      await cleanupPrefix(prefix);
    });

    const modes: Mode[] = transports.streaming
      ? ["websocket", "polling", "streaming"]
      : ["websocket", "polling"];
    for (const mode of modes) {
      it(`its ${mode} clients reconnect to another node and recover (id, rooms, missed packets)`, async () => {
        const tc = client(`http://127.0.0.1:${nginx.port}`, mode, `victim-${mode}`, {
          agent: false,
          reconnectionDelay: 800,
          reconnectionDelayMax: 800,
        });
        clients.push(tc);
        await connected(tc);
        const room = `room-${mode}`;
        expect(await tc.socket.timeout(5000).emitWithAck("join", room)).to.equal(true);
        const home = (await tc.socket.timeout(5000).emitWithAck("whoami")) as { node: string; id: string };
        const victim = nodes.find((n) => n.name === home.node)!;
        const other = nodes.find(
          (n) => n !== victim && n.child.exitCode === null && n.child.signalCode === null,
        )!;
        await other.call("emit", { rooms: [room], ev: "m", args: [0] });
        await until(() => seqOf(tc, "m").length === 1, 5000, "m0");
        await sleep(50); // the snapshot of the joined room is written at the end of the join's tick
        await victim.kill();
        for (let i = 1; i <= 5; i++) await other.call("emit", { rooms: [room], ev: "m", args: [i] });
        await until(() => tc.socket.connected && tc.socket.recovered, 15000, "recovered on another node");
        expect(tc.socket.id).to.equal(home.id);
        const now = (await tc.socket.timeout(5000).emitWithAck("whoami")) as { node: string };
        expect(now.node).to.not.equal(home.node);
        await other.call("emit", { rooms: [room], ev: "m", args: [6] });
        await until(() => seqOf(tc, "m").length >= 7, 5000, "all packets");
        expect(seqOf(tc, "m")).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
      });
    }
  });
});
