/** Scenario 2: broadcast fan-out of a 64 B event to 1,000 WebSocket clients. */
import { runServerScenario, throughputMetrics } from "../core/server-scenario.js";
import type { Scenario } from "../core/types.js";

export const broadcastScenario: Scenario = {
  name: "broadcast",
  title: "2. Broadcast fan-out (64 B event)",
  run: (options) =>
    runServerScenario(
      {
        name: "broadcast",
        title: broadcastScenario.title,
        systems: ["ladder", "socket.io", "ws"],
        comparisons: [
          { ours: "ladder", baseline: "socket.io" },
          { ours: "ladder", baseline: "ws" },
        ],
        config: { payloadSize: 64, hello: false },
        cases: (quick) => {
          const clients = quick ? 100 : 1000;
          return [
            { label: `${clients} WebSocket clients`, workload: { kind: "broadcast", clients, inflight: 4 } },
          ];
        },
        metrics: throughputMetrics("deliveries"),
        timing: (quick) =>
          quick ? { warmupMs: 200, durationMs: 400 } : { warmupMs: 1000, durationMs: 2500 },
        notes: [
          'One client triggers a broadcast (`42["bcast"]`; a one-byte `b` for ws); the server sends a 64 B event to every client (`io.emit("msg", payload)`; a plain `for (const c of wss.clients) c.send(payload)` loop for ws). At most 4 broadcasts are in flight: the next starts when the load process has received enough deliveries, so server buffers stay bounded.',
          "A delivery is one message received by one client.",
        ],
      },
      options,
    ),
};
