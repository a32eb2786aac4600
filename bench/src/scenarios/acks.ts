/** Scenario 3: acknowledgement round trips (client emits with an ack id, the server's handler calls back). */
import { runServerScenario, throughputMetrics } from "../core/server-scenario.js";
import type { Scenario } from "../core/types.js";

export const acksScenario: Scenario = {
  name: "acks",
  title: "3. Ack round trips",
  run: (options) =>
    runServerScenario(
      {
        name: "acks",
        title: acksScenario.title,
        systems: ["ladder", "socket.io"],
        comparisons: [{ ours: "ladder", baseline: "socket.io" }],
        config: { payloadSize: 64, hello: false },
        cases: (quick) => {
          const clients = quick ? 16 : 64;
          return [1, 16].map((inflight) => ({
            label: `${clients} clients, ${inflight} in flight`,
            workload: { kind: "acks" as const, clients, inflight },
          }));
        },
        metrics: throughputMetrics("acks"),
        timing: (quick) => (quick ? { warmupMs: 150, durationMs: 300 } : { warmupMs: 700, durationMs: 1500 }),
        notes: ['Client `42<id>["ack","x"]` → handler `(data, cb) => cb(data)` → server `43<id>["x"]`.'],
      },
      options,
    ),
};
