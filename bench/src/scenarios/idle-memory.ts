/**
 * Scenario 4: memory per idle session. Heap and RSS of the server process after forced GC, before and after
 * N WebSocket sessions connect (Socket.IO systems: engine session + connected socket on "/"), divided by N.
 */
import { alternate } from "../core/rounds.js";
import { SystemRun, sleep } from "../core/system-run.js";
import type { Cell, Row, Scenario, ScenarioResult } from "../core/types.js";
import { SYSTEMS } from "../servers/registry.js";

const SYSTEM_IDS = ["ladder", "socket.io", "ladder-engine", "engine.io", "ws"];

interface PerSession {
  heap: number;
  rss: number;
}

async function waitForClients(run: SystemRun, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await run.server.call<number>("clients");
    if (count === n) return;
    if (Date.now() > deadline) throw new Error(`server holds ${count} sessions, expected ${n}`);
    await sleep(50);
  }
}

async function measure(system: string, sessions: number): Promise<PerSession> {
  const run = await SystemRun.start(system, { payloadSize: 64, hello: false });
  try {
    // Warm the code paths (lazy module state, JIT, pools) so they are not charged to the sessions.
    await run.load.call("start", run.spec({ kind: "idle", clients: 50 }));
    await run.load.call("stop");
    await waitForClients(run, 0, 10_000);
    await sleep(200);
    const before = await run.memory();
    await run.load.call("start", run.spec({ kind: "idle", clients: sessions }));
    await waitForClients(run, sessions, 30_000);
    await sleep(300);
    const after = await run.memory();
    await run.load.call("stop");
    return { heap: (after.heapUsed - before.heapUsed) / sessions, rss: (after.rss - before.rss) / sessions };
  } finally {
    await run.close();
  }
}

export const idleMemoryScenario: Scenario = {
  name: "idle-memory",
  title: "4. Idle memory per WebSocket session",
  async run(options): Promise<ScenarioResult> {
    const sessions = options.quick ? 300 : 5000;
    const notes = [
      `${sessions} idle WebSocket sessions; bytes per session = (after − before) ÷ ${sessions}, each side after two forced GCs (--expose-gc); a 50-client warm-up connects and leaves first. RSS also counts socket buffers and allocator slack, so it is noisier than heap.`,
      "Ladder and socket.io rows are engine session + Socket.IO socket connected to `/`; Engine rows are the bare engine session; ws is one WebSocket.",
    ];
    const unavailable = new Map<string, string>();
    for (const id of SYSTEM_IDS) {
      const reason = await SYSTEMS[id]!.unavailable?.();
      if (reason) unavailable.set(id, reason);
    }
    const failures = new Map<string, string>();
    const results = await alternate(
      SYSTEM_IDS.filter((id) => !unavailable.has(id)),
      options,
      async (system, round) => {
        if (failures.has(system)) return undefined;
        options.log(`idle-memory: ${system} round ${round + 1}`);
        try {
          return await measure(system, sessions);
        } catch (err) {
          const message = (err as Error).message.split("\n")[0] ?? "unknown error";
          failures.set(system, message);
          notes.push(`${SYSTEMS[system]!.label} failed in round ${round + 1}: ${message}`);
          return undefined;
        }
      },
    );
    const rows: Row[] = (["heap", "rss"] as const).map((key) => {
      const cells: Record<string, Cell> = {};
      for (const id of SYSTEM_IDS) {
        const reason = unavailable.get(id);
        const samples = (results.get(id) ?? []).flatMap((r) => (r ? [r[key]] : []));
        cells[id] = reason
          ? { skipped: reason }
          : samples.length > 0
            ? { samples }
            : { skipped: `failed: ${failures.get(id) ?? "no result"}` };
      }
      return {
        case: `${sessions} idle sessions`,
        unit: key === "heap" ? "heap bytes / session" : "RSS bytes / session",
        better: "lower",
        cells,
      };
    });
    return {
      name: "idle-memory",
      title: this.title,
      systems: SYSTEM_IDS.map((id) => ({ id, label: SYSTEMS[id]!.label })),
      comparisons: [
        { ours: "ladder", baseline: "socket.io" },
        { ours: "ladder-engine", baseline: "engine.io" },
      ],
      rows,
      notes,
    };
  },
};
