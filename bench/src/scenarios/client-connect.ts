/**
 * Issue 5's client figure: time from `io()` to the first event, per transport, for Ladder's client and
 * socket.io-client 4.8.4, each against both servers. Connects run one at a time in the load process; the
 * server emits "hello" on connection.
 */
import { alternate } from "../core/rounds.js";
import { SystemRun, type WindowResult } from "../core/system-run.js";
import type { Cell, Row, Scenario, ScenarioResult } from "../core/types.js";
import type { ClientLibrary } from "../load/client-libraries.js";
import { SYSTEMS } from "../servers/registry.js";

const SERVERS = ["ladder", "socket.io"] as const;
const LIBRARIES: ClientLibrary[] = ["ladder-client", "socket.io-client"];
const TRANSPORTS = ["polling", "websocket"] as const;

export const clientConnectScenario: Scenario = {
  name: "client-connect",
  title: "5b. Client connect time to first event",
  async run(options): Promise<ScenarioResult> {
    const timing = options.quick ? { warmupMs: 200, durationMs: 400 } : { warmupMs: 1000, durationMs: 1500 };
    const notes = [
      "One connection at a time: `io(url, { transports: [t], forceNew: true, reconnection: false, upgrade: false })`, wait for the server's `hello` event (emitted on connection), disconnect, repeat. Measured in the load process; the server is the same process for both clients in a round.",
    ];
    const servers: string[] = [];
    for (const id of SERVERS) {
      const reason = await SYSTEMS[id]!.unavailable?.();
      if (reason) notes.push(`${SYSTEMS[id]!.label} server skipped: ${reason}`);
      else servers.push(id);
    }
    // results[library][round] → per (server, transport) window, keyed "server/transport".
    const byCase = new Map<string, Map<ClientLibrary, WindowResult[]>>();
    const errors = new Map<string, string>();
    for (let round = 0; round < options.rounds; round++) {
      for (const server of servers) {
        const run = await SystemRun.start(server, { payloadSize: 64, hello: true });
        try {
          for (const transport of TRANSPORTS) {
            const key = `${server}/${transport}`;
            const once = await alternate(LIBRARIES, { ...options, rounds: 1 }, async (library) => {
              options.log(`client-connect: ${library} → ${server} over ${transport}, round ${round + 1}`);
              try {
                return await run.window({ kind: "client-connect", clients: 1, transport, library }, timing);
              } catch (err) {
                errors.set(`${key}/${library}`, (err as Error).message.split("\n")[0] ?? "error");
                return undefined;
              }
            });
            const slot = byCase.get(key) ?? new Map<ClientLibrary, WindowResult[]>();
            for (const [library, [r]] of once) if (r) slot.set(library, [...(slot.get(library) ?? []), r]);
            byCase.set(key, slot);
          }
        } finally {
          await run.close();
        }
      }
    }
    const metrics: Array<{
      unit: string;
      better: "higher" | "lower";
      value: (r: WindowResult) => number | undefined;
    }> = [
      { unit: "time to first event p50, ms", better: "lower", value: (r) => r.p50 },
      { unit: "time to first event p99, ms", better: "lower", value: (r) => r.p99 },
      { unit: "connects / s (one at a time)", better: "higher", value: (r) => r.count / (r.wallMs / 1000) },
    ];
    const rows: Row[] = [];
    for (const server of SERVERS) {
      for (const transport of TRANSPORTS) {
        const key = `${server}/${transport}`;
        for (const m of metrics) {
          const cells: Record<string, Cell> = {};
          for (const library of LIBRARIES) {
            const samples = (byCase.get(key)?.get(library) ?? [])
              .map(m.value)
              .filter((v): v is number => v !== undefined && Number.isFinite(v));
            const why = errors.get(`${key}/${library}`) ?? "server not available";
            cells[library] =
              samples.length > 0
                ? { samples }
                : { skipped: why.startsWith("not available yet") ? why : `failed: ${why}` };
          }
          rows.push({
            case: `${transport}, ${SYSTEMS[server]!.label} server`,
            unit: m.unit,
            better: m.better,
            cells,
          });
        }
      }
    }
    return {
      name: "client-connect",
      title: this.title,
      systems: [
        { id: "ladder-client", label: "Ladder client" },
        { id: "socket.io-client", label: "socket.io-client 4.8.4" },
      ],
      comparisons: [{ ours: "ladder-client", baseline: "socket.io-client" }],
      rows,
      notes,
    };
  },
};
