/**
 * Scenario 9b (issue 8): the cost of running without sticky sessions. Two Ladder nodes with @ladder/redis-adapter
 * and its session router; one polling session owned by node A; sequential POSTs of a noop packet (`6`) over one
 * keep-alive connection, alternately to A (the owner) and to B (which forwards over HTTP to A). Latency p50/p99
 * per target. socket.io has no equivalent (it needs sticky sessions), so there is no baseline column.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { percentile } from "../core/stats.js";
import type { Row, Scenario, ScenarioResult } from "../core/types.js";

const NODE = fileURLToPath(new URL("../proc/cluster-node.ts", import.meta.url));

interface ClusterNode {
  port: number;
  stop(): Promise<void>;
}

function startNode(prefix: string): Promise<ClusterNode> {
  const child: ChildProcess = fork(NODE, [], {
    execArgv: process.execArgv,
    env: { ...process.env, CLUSTER_SYSTEM: "ladder", CLUSTER_PREFIX: prefix },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`cluster node exited (${code})`)));
    child.on("message", (m: { ready?: boolean; port?: number }) => {
      if (!m.ready) return;
      resolve({
        port: m.port!,
        stop: async () => {
          child.send({ id: 0, cmd: "stop" });
          const t = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

function send(agent: Agent | false, port: number, method: string, path: string, body?: string) {
  const t0 = performance.now();
  return new Promise<{ ms: number; text: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => resolve({ ms: performance.now() - t0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function round(requests: number): Promise<{ owner: number[]; other: number[] }> {
  const prefix = `bench-fwd-${randomBytes(4).toString("hex")}`;
  const nodes = await Promise.all([startNode(prefix), startNode(prefix)]);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const open = await send(false, nodes[0].port, "GET", "/socket.io/?EIO=4&transport=polling");
    const sid = (JSON.parse(open.text.slice(1)) as { sid: string }).sid;
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const owner: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < requests; i++) {
      owner.push((await send(agent, nodes[0].port, "POST", path, "6")).ms);
      other.push((await send(agent, nodes[1].port, "POST", path, "6")).ms);
    }
    return { owner, other };
  } finally {
    agent.destroy();
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

export const forwardingScenario: Scenario = {
  name: "forwarding",
  title: "9b. No sticky sessions: a polling request on a non-owner node (forwarded) vs on the owner",
  async run(options): Promise<ScenarioResult> {
    const requests = options.quick ? 200 : 2000;
    const samples = {
      owner50: [] as number[],
      owner99: [] as number[],
      other50: [] as number[],
      other99: [] as number[],
    };
    for (let r = 0; r < options.rounds; r++) {
      options.log(`forwarding: round ${r + 1}`);
      const { owner, other } = await round(requests);
      samples.owner50.push(percentile(owner, 50));
      samples.owner99.push(percentile(owner, 99));
      samples.other50.push(percentile(other, 50));
      samples.other99.push(percentile(other, 99));
    }
    const row = (c: string, unit: string, owner: number[], other: number[]): Row => ({
      case: c,
      unit,
      better: "lower",
      cells: { owner: { samples: owner }, forwarded: { samples: other } },
    });
    return {
      name: "forwarding",
      title: this.title,
      systems: [
        { id: "forwarded", label: "Ladder, non-owner node (forwarded)" },
        { id: "owner", label: "Ladder, owner node" },
      ],
      comparisons: [{ ours: "forwarded", baseline: "owner" }],
      rows: [
        row(`polling POST "6", ${requests} sequential`, "latency p50, ms", samples.owner50, samples.other50),
        row(`polling POST "6", ${requests} sequential`, "latency p99, ms", samples.owner99, samples.other99),
      ],
      notes: [
        "Two Ladder nodes (@ladder/redis-adapter + createSessionRouter), one keep-alive connection from the load, POSTs alternating between the owner and the other node. The forwarding node proxies over a keep-alive HTTP agent to the owner's internal address; the owner's node id is read from the sid (no Redis round trip once cached).",
        "socket.io has no equivalent: behind a non-sticky balancer its polling requests get `Session ID unknown`.",
      ],
    };
  },
};
