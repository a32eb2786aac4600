/**
 * Scenario 6: server → client delivery per transport (polling, streaming, websocket) for 1 and 100 clients:
 * messages per second and per server CPU-second, and send → receive latency p50/p99.
 */
import { runServerScenario, throughputMetrics } from "../core/server-scenario.js";
import type { StreamSpec } from "../core/system-run.js";
import type { Scenario } from "../core/types.js";

const BATCH = 20;
const PACED_MS = 1;

export const deliveryScenario: Scenario = {
  name: "delivery",
  title: "6. Server → client delivery by transport",
  run: (options) =>
    runServerScenario(
      {
        name: "delivery",
        title: deliveryScenario.title,
        systems: ["ladder", "socket.io"],
        comparisons: [{ ours: "ladder", baseline: "socket.io" }],
        config: { payloadSize: 64, hello: false },
        cases: (quick) => {
          const many = quick ? 20 : 100;
          const transports = ["polling", "streaming", "websocket"] as const;
          const casesOf = (stream: StreamSpec, prefix: string) =>
            [1, many].flatMap((clients) =>
              transports.map((transport) => ({
                label: `${prefix}${transport}, ${clients} client${clients === 1 ? "" : "s"}`,
                workload: { kind: "delivery" as const, clients, transport },
                stream,
                ...(transport === "streaming"
                  ? { notApplicable: { "socket.io": "socket.io has no streaming" } }
                  : {}),
              })),
            );
          return [...casesOf(BATCH, ""), ...casesOf({ everyMs: PACED_MS }, `paced ${PACED_MS} ms: `)];
        },
        metrics: [
          ...throughputMetrics("messages"),
          { unit: "latency p50, ms", better: "lower", value: (r) => r.p50 },
          { unit: "latency p99, ms", better: "lower", value: (r) => r.p99 },
          {
            unit: "server CPU, % of one core",
            better: "lower",
            value: (r) => (r.wallMs > 0 ? (100 * r.cpuMs) / r.wallMs : undefined),
          },
          {
            unit: "load process CPU, % of one core",
            better: "lower",
            value: (r) =>
              r.loadCpuMs !== undefined && r.wallMs > 0 ? (100 * r.loadCpuMs) / r.wallMs : undefined,
          },
        ],
        timing: (quick) => (quick ? { warmupMs: 200, durationMs: 400 } : { warmupMs: 600, durationMs: 1500 }),
        notes: [
          `The server emits \`m\` events carrying its send time (\`42["m",<ms>]\`) to each client in batches of ${BATCH}, and sends the next batch when that client's engine session reports \`drain\` (its buffer went to the transport), so buffers stay bounded on every transport; latency = receive time − send time (same machine clock).`,
          `\`paced ${PACED_MS} ms\` cases (added for issue 6's target, same for every transport and system): one interval timer sends one \`m\` event to every client each ${PACED_MS} ms, whatever the transport is doing — messages produced one at a time, as an application produces them, instead of a new batch as soon as the previous one left. The offered rate is fixed (${1000 / PACED_MS} messages/s per client, ~${((1000 / PACED_MS) * 100) / 1000}k/s at 100 clients), so messages/s shows whether a transport keeps up, messages / server CPU-s what each message costs (a poll answered with one or two messages pays a request each) and the latencies are not inflated by a saturated closed loop.`,
          "Polling clients keep one GET pending at all times (keep-alive); streaming clients handshake on a streaming GET and reopen it when the server ends a response.",
        ],
      },
      options,
    ),
};
