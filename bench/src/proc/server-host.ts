/**
 * The server process: starts one system (servers/<module>.ts) and reports what it cost: CPU time
 * (process.cpuUsage), event-loop delay p99 (perf_hooks) over a measured window, and heap/RSS after forced GC.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { SYSTEMS } from "../servers/registry.js";
import type { RunningServer, ServerConfig } from "../servers/types.js";
import { serve } from "./rpc.js";

export interface StartRequest {
  system: string;
  config: ServerConfig;
}

export interface Measurement {
  wallMs: number;
  cpuMs: number;
  eventLoopP99Ms: number;
}

export interface MemorySample {
  heapUsed: number;
  rss: number;
  clients: number;
}

let server: RunningServer | undefined;
let window: { cpu: NodeJS.CpuUsage; t0: number; eld: ReturnType<typeof monitorEventLoopDelay> } | undefined;

function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("the server host needs --expose-gc");
  // Two passes: the first can leave garbage reachable only from finalizers/weak callbacks.
  gc();
  gc();
}

function running(): RunningServer {
  if (!server) throw new Error("no server started");
  return server;
}

// A normal exit (not death by signal) is what makes --cpu-prof write its profile.
process.on("SIGTERM", () => process.exit(0));

serve({
  async start(arg) {
    const { system, config } = arg as StartRequest;
    const entry = SYSTEMS[system];
    if (!entry) throw new Error(`unknown system ${system}`);
    server = await (await entry.load())(config);
    return { port: server.port };
  },
  measureStart() {
    const eld = monitorEventLoopDelay({ resolution: 1 });
    eld.enable();
    window = { cpu: process.cpuUsage(), t0: performance.now(), eld };
  },
  measureStop(): Measurement {
    if (!window) throw new Error("measureStart was not called");
    const cpu = process.cpuUsage(window.cpu);
    window.eld.disable();
    const result = {
      wallMs: performance.now() - window.t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      eventLoopP99Ms: window.eld.percentile(99) / 1e6,
    };
    window = undefined;
    return result;
  },
  memory(): MemorySample {
    forceGc();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss, clients: running().clients() };
  },
  clients: () => running().clients(),
  startStream(arg) {
    const s = running();
    if (typeof arg === "number") {
      if (!s.startStream) throw new Error("this system has no streaming hook");
      s.startStream(arg);
      return;
    }
    if (!s.startPaced) throw new Error("this system has no paced streaming hook");
    s.startPaced((arg as { everyMs: number }).everyMs);
  },
  stopStream() {
    running().stopStream?.();
  },
  async stop() {
    const s = server;
    server = undefined;
    await s?.close();
  },
});
