/**
 * Issue 8's figure: cross-node broadcast over Redis. Three server nodes of one system share a Redis
 * adapter; 1,000 WebSocket clients are spread over them round-robin; a client on node 1 triggers
 * `io.emit("msg", payload)`, which reaches the clients of nodes 2 and 3 through Redis. Deliveries per
 * server CPU-second count the CPU of all three nodes (Redis itself is not counted).
 */
import { runServerScenario, throughputMetrics } from "../core/server-scenario.js";
import type { Scenario } from "../core/types.js";

export const clusterScenario: Scenario = {
  name: "cluster",
  title: "9. Cross-node broadcast over Redis (3 nodes)",
  run: (options) =>
    runServerScenario(
      {
        name: "cluster",
        title: clusterScenario.title,
        systems: ["ladder-redis", "socket.io-redis"],
        comparisons: [{ ours: "ladder-redis", baseline: "socket.io-redis" }],
        config: { payloadSize: 64, hello: false, redisPrefix: `bench-${process.pid}-${Date.now()}` },
        nodes: 3,
        cases: (quick) => {
          const clients = quick ? 90 : 1000;
          return [
            {
              label: `${clients} WebSocket clients on 3 nodes`,
              workload: { kind: "broadcast", clients, inflight: 4 },
            },
          ];
        },
        metrics: throughputMetrics("deliveries").map((m) =>
          m.unit.endsWith("server CPU-s") ? { ...m, unit: "deliveries / CPU-s of all 3 nodes" } : m,
        ),
        timing: (quick) =>
          quick ? { warmupMs: 300, durationMs: 500 } : { warmupMs: 1000, durationMs: 2500 },
        notes: [
          "Same closed loop as scenario 2 (at most 4 broadcasts in flight). All three nodes run on CPU 0, the load on CPU 1, Redis (127.0.0.1:6379) unpinned; event-loop delay is the worst node's.",
          "Not measured yet: issue 8's forwarding overhead for a polling request that reaches a non-owner node.",
        ],
      },
      options,
    ),
};
