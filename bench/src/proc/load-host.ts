/** The load process: runs one workload at a time (load/workloads.ts) and reports its counters. */

import type { Snapshot } from "../load/counters.js";
import { destroyPollingAgent } from "../load/polling-client.js";
import { type LoadSpec, startWorkload, type Workload } from "../load/workloads.js";
import { serve } from "./rpc.js";

let workload: Workload | undefined;

function withCpu(snap: Snapshot): Snapshot {
  const cpu = process.cpuUsage();
  snap.cpuMs = (cpu.user + cpu.system) / 1000;
  return snap;
}

serve({
  async start(arg) {
    if (workload) throw new Error("a workload is already running");
    workload = await startWorkload(arg as LoadSpec);
    return withCpu(workload.snapshot());
  },
  snapshot() {
    if (!workload) throw new Error("no workload running");
    return withCpu(workload.snapshot());
  },
  async stop() {
    const w = workload;
    workload = undefined;
    await w?.stop();
    destroyPollingAgent();
  },
});
