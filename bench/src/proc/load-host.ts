/** The load process: runs one workload at a time (load/workloads.ts) and reports its counters. */
import { destroyPollingAgent } from "../load/polling-client.js";
import { type LoadSpec, startWorkload, type Workload } from "../load/workloads.js";
import { serve } from "./rpc.js";

let workload: Workload | undefined;

serve({
  async start(arg) {
    if (workload) throw new Error("a workload is already running");
    workload = await startWorkload(arg as LoadSpec);
    return workload.snapshot();
  },
  snapshot() {
    if (!workload) throw new Error("no workload running");
    return workload.snapshot();
  },
  async stop() {
    const w = workload;
    workload = undefined;
    await w?.stop();
    destroyPollingAgent();
  },
});
