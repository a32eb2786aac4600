/**
 * One system under test for one round: a server process (CPU 0) running it and a load process (CPU 1)
 * driving raw clients at it. `window()` runs a workload: warm-up, then a measured window bracketed by a load
 * snapshot and the server's CPU / event-loop measurement, taken concurrently.
 */
import { readdirSync, renameSync, rmSync, statSync } from "node:fs";
import type { Snapshot } from "../load/counters.js";
import type { LoadSpec } from "../load/workloads.js";
import { type Child, startChild } from "../proc/child.js";
import type { Measurement, MemorySample } from "../proc/server-host.js";
import { SYSTEMS } from "../servers/registry.js";
import type { ServerConfig } from "../servers/types.js";

export type WorkloadSpec = Omit<LoadSpec, "port" | "path" | "mode">;

export interface WindowResult extends Measurement {
  /** Operations completed in the measured window (round trips, deliveries, handshakes, messages). */
  count: number;
  errors: number;
  firstError?: string;
  /** Latency percentiles (ms) measured by the load process in the window, when the workload has them. */
  p50?: number;
  p99?: number;
  /** CPU time of the load process in the window (ms): near wallMs means the client, not the server, limits. */
  loadCpuMs?: number;
}

/**
 * What the server pushes in the delivery scenario: a batch size (a new batch per client each time its previous
 * one went to the transport) or `{ everyMs }` (one message per client per interval tick).
 */
export type StreamSpec = number | { everyMs: number };

export interface Timing {
  warmupMs: number;
  durationMs: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SystemRun {
  private constructor(
    readonly system: string,
    /** One server process per node (one, except for cluster systems). */
    readonly servers: Child[],
    readonly load: Child,
    readonly ports: number[],
  ) {}

  get server(): Child {
    return this.servers[0]!;
  }

  get port(): number {
    return this.ports[0]!;
  }

  /** Starts `nodes` server processes of the system (all on CPU 0) and one load process. */
  static async start(system: string, config: ServerConfig, nodes = 1): Promise<SystemRun> {
    const entry = SYSTEMS[system];
    if (!entry) throw new Error(`unknown system ${system}`);
    const servers: Child[] = [];
    let load: Child | undefined;
    try {
      const ports: number[] = [];
      for (let i = 0; i < nodes; i++) {
        const server = await startChild("server");
        servers.push(server);
        ports.push((await server.call<{ port: number }>("start", { system, config })).port);
      }
      load = await startChild("load");
      return new SystemRun(system, servers, load, ports);
    } catch (err) {
      await Promise.all([...servers.map((s) => s.close()), load?.close()]);
      throw err;
    }
  }

  spec(workload: WorkloadSpec): LoadSpec {
    const entry = SYSTEMS[this.system]!;
    const spec: LoadSpec = { ...workload, port: this.port, path: entry.path, mode: entry.mode };
    if (this.ports.length > 1) spec.ports = this.ports;
    return spec;
  }

  /**
   * Runs one workload through warm-up and a measured window; `stream` makes the server push batches. With
   * several nodes, CPU time is the sum over the nodes and the event-loop figure the worst node's.
   */
  async window(workload: WorkloadSpec, timing: Timing, stream?: StreamSpec): Promise<WindowResult> {
    await this.load.call<Snapshot>("start", this.spec(workload));
    try {
      if (stream !== undefined) await this.server.call("startStream", stream);
      await sleep(timing.warmupMs);
      const [s0] = await Promise.all([
        this.load.call<Snapshot>("snapshot"),
        ...this.servers.map((s) => s.call("measureStart")),
      ]);
      await sleep(timing.durationMs);
      const [s1, ...ms] = await Promise.all([
        this.load.call<Snapshot>("snapshot"),
        ...this.servers.map((s) => s.call<Measurement>("measureStop")),
      ]);
      const m: Measurement = {
        wallMs: (ms[0] as Measurement).wallMs,
        cpuMs: (ms as Measurement[]).reduce((sum, x) => sum + x.cpuMs, 0),
        eventLoopP99Ms: Math.max(...(ms as Measurement[]).map((x) => x.eventLoopP99Ms)),
      };
      const result: WindowResult = { ...m, count: s1.count - s0.count, errors: s1.errors - s0.errors };
      if (s1.firstError !== undefined) result.firstError = s1.firstError;
      if (s1.p50 !== undefined) result.p50 = s1.p50;
      if (s1.p99 !== undefined) result.p99 = s1.p99;
      if (s0.cpuMs !== undefined && s1.cpuMs !== undefined) result.loadCpuMs = s1.cpuMs - s0.cpuMs;
      return result;
    } finally {
      if (stream !== undefined) await this.server.call("stopStream").catch(() => {});
      await this.load.call("stop");
    }
  }

  memory(): Promise<MemorySample> {
    return this.server.call<MemorySample>("memory");
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.call("stop").catch(() => {})));
    await Promise.all([this.load.close(), ...this.servers.map((s) => s.close())]);
    for (const server of this.servers) this.renameProfile(server.pid);
  }

  private renameProfile(pid: number): void {
    const dir = process.env.LADDER_BENCH_PROFILE_DIR;
    if (dir) {
      // V8 names profiles CPU.<date>.<pid>.<thread>.<seq>.cpuprofile, one per isolate: the largest is the main
      // thread's (the other is tsx's module-hooks thread). Keep that one under the system's name.
      const files = readdirSync(dir)
        .filter((f) => f.startsWith("CPU.") && f.includes(`.${pid}.`))
        .map((f) => ({ f, size: statSync(`${dir}/${f}`).size }))
        .sort((a, b) => b.size - a.size);
      if (files[0]) renameSync(`${dir}/${files[0].f}`, `${dir}/${this.system}-${pid}.cpuprofile`);
      for (const { f } of files.slice(1)) rmSync(`${dir}/${f}`);
    }
  }
}
