/** Scenario 1: WebSocket echo round trips (64 clients; 64 B and 1 KiB; 1 and 32 in flight per client). */
import { runServerScenario, throughputMetrics } from "../core/server-scenario.js";
import type { Scenario } from "../core/types.js";

export const echoScenario: Scenario = {
  name: "echo",
  title: "1. WebSocket echo round trips",
  run: (options) =>
    runServerScenario(
      {
        name: "echo",
        title: echoScenario.title,
        systems: ["ladder", "socket.io", "ladder-engine", "engine.io", "ws"],
        comparisons: [
          { ours: "ladder", baseline: "socket.io" },
          { ours: "ladder", baseline: "ws" },
          { ours: "ladder-engine", baseline: "engine.io" },
          { ours: "ladder-engine", baseline: "ws" },
        ],
        config: { payloadSize: 64, hello: false },
        cases: (quick) => {
          const clients = quick ? 16 : 64;
          const shapes: Array<[number, number]> = quick
            ? [
                [64, 1],
                [1024, 32],
              ]
            : [
                [64, 1],
                [64, 32],
                [1024, 1],
                [1024, 32],
              ];
          return shapes.map(([size, inflight]) => ({
            label: `${clients} clients, ${size === 1024 ? "1 KiB" : `${size} B`}, ${inflight} in flight`,
            workload: { kind: "echo", clients, size, inflight },
          }));
        },
        metrics: throughputMetrics("round trips"),
        timing: (quick) => (quick ? { warmupMs: 150, durationMs: 300 } : { warmupMs: 700, durationMs: 1500 }),
        notes: [
          'Socket.IO systems (Ladder, socket.io) echo an event: client `42["echo","<payload>"]` → server `socket.emit("echo", data)`; Engine.IO systems echo a `4<payload>` message; ws echoes the frame.',
        ],
      },
      options,
    ),
};
