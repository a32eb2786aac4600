/** Scenario 5: handshakes per second up to the first event, polling-first and websocket-only. */
import { runServerScenario, throughputMetrics } from "../core/server-scenario.js";
import type { Scenario } from "../core/types.js";

export const connectRateScenario: Scenario = {
  name: "connect-rate",
  title: "5. Connect rate (handshake → first event)",
  run: (options) =>
    runServerScenario(
      {
        name: "connect-rate",
        title: connectRateScenario.title,
        systems: ["ladder", "socket.io", "ladder-engine", "engine.io", "ws"],
        comparisons: [
          { ours: "ladder", baseline: "socket.io" },
          { ours: "ladder-engine", baseline: "engine.io" },
        ],
        config: { payloadSize: 64, hello: true },
        cases: (quick) => {
          const concurrency = quick ? 4 : 16;
          return [
            {
              label: `websocket-only, ${concurrency} concurrent`,
              workload: { kind: "connect" as const, clients: concurrency, transport: "websocket" as const },
            },
            {
              label: `polling-first, ${concurrency} concurrent`,
              workload: { kind: "connect" as const, clients: concurrency, transport: "polling" as const },
              notApplicable: { ws: "raw ws has no polling" },
            },
          ];
        },
        metrics: [
          ...throughputMetrics("handshakes"),
          { unit: "time to first event p50, ms", better: "lower", value: (r) => r.p50 },
          { unit: "time to first event p99, ms", better: "lower", value: (r) => r.p99 },
        ],
        // Handshake paths warm up slowly (JIT of both processes): a short warm-up understates the first system.
        timing: (quick) =>
          quick ? { warmupMs: 200, durationMs: 400 } : { warmupMs: 1500, durationMs: 1500 },
        notes: [
          'Each client opens a session, waits for the server\'s `hello` (Socket.IO: `40` CONNECT then `42["hello"]` emitted on connection; Engine.IO: message `hello`; ws: frame `hello`), then closes (WebSocket close, or the `1` close packet by POST for polling). Polling requests reuse keep-alive connections.',
        ],
      },
      options,
    ),
};
