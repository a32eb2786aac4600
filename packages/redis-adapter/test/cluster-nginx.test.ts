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
import { type Nginx, startNginx } from "./nginx.js";

const MESSAGES = 1000;
/** Streaming-only clients join once @ladder/client (its built dist) has the streaming transport. */
const STREAMING = transports.streaming !== undefined;

describe("redis adapter: behind a real nginx round-robin balancer (no ip_hash)", function () {
  this.timeout(90000);
  const prefix = newPrefix();
  let nodes: NodeProcess[] = [];
  let nginx: Nginx;
  const clients: TestClient[] = [];

  before(async () => {
    await ensureRedis();
    nodes = await Promise.all(["A", "B", "C"].map((n) => NodeProcess.start(n, prefix)));
    nginx = await startNginx(nodes.map((n) => n.port));
  });

  after(async () => {
    for (const c of clients) c.socket.disconnect();
    await nginx?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    await cleanupPrefix(prefix);
  });

  it(`polling-only${STREAMING ? ", streaming-only" : ""} and default clients chat ${MESSAGES} messages each way, nothing lost or duplicated`, async () => {
    const modes: Array<Mode | "default"> = ["polling", "polling", "default", "default"];
    if (STREAMING) modes.push("streaming", "streaming");
    modes.forEach((mode, i) => {
      clients.push(client(`http://127.0.0.1:${nginx.port}`, mode, `${mode}-${i}`, { agent: false }));
    });
    await Promise.all(clients.map(connected));
    for (const c of clients) expect(await c.socket.timeout(5000).emitWithAck("join", "chat")).to.equal(true);
    // Sockets landed on different nodes (the balancer spreads the handshakes).
    const homes = await Promise.all(
      clients.map((c) => c.socket.timeout(5000).emitWithAck("whoami") as Promise<{ node: string }>),
    );
    expect(new Set(homes.map((h) => h.node)).size).to.be.greaterThan(1);
    for (const c of clients) {
      for (let i = 0; i < MESSAGES; i++) c.socket.emit("chat", "chat", { from: c.user, i });
    }
    const expected = (clients.length - 1) * MESSAGES;
    try {
      await until(
        () => clients.every((c) => c.got.filter(([e]) => e === "chat").length >= expected),
        30000,
        "every chat message",
      );
    } catch (err) {
      for (const c of clients) {
        const got = c.got.filter(([e]) => e === "chat").map(([, a]) => a[0] as { from: string; i: number });
        const per = clients.map((o) => `${o.user}:${got.filter((m) => m.from === o.user).length}`);
        console.log(c.user, c.socket.connected, c.socket.io.engine?.transport?.name, per.join(" "));
      }
      throw err;
    }
    for (const c of clients) {
      const got = c.got.filter(([e]) => e === "chat").map(([, a]) => a[0] as { from: string; i: number });
      expect(got.length).to.equal(expected);
      for (const other of clients) {
        if (other === c) continue;
        const seq = got.filter((m) => m.from === other.user).map((m) => m.i);
        expect(seq).to.deep.equal([...Array(MESSAGES).keys()]); // in order, none missing, none twice
      }
    }
    for (const c of clients) {
      const transport = c.socket.io.engine?.transport?.name;
      expect(transport).to.equal(c.user.startsWith("default") ? "websocket" : c.user.split("-")[0]);
    }
  });
});
