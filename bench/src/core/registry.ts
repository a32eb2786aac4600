import type { Scenario } from "./types.js";

/**
 * Every scenario, in the order of issue 7's list. Loaded lazily so that `pnpm bench protocol` does not pay
 * for (or fail on) the modules of scenarios it does not run.
 */
export const SCENARIOS: ReadonlyArray<{ name: string; aliases: string[]; load: () => Promise<Scenario> }> = [
  { name: "echo", aliases: ["1"], load: async () => (await import("../scenarios/echo.js")).echoScenario },
  {
    name: "broadcast",
    aliases: ["2"],
    load: async () => (await import("../scenarios/broadcast.js")).broadcastScenario,
  },
  { name: "acks", aliases: ["3"], load: async () => (await import("../scenarios/acks.js")).acksScenario },
  {
    name: "idle-memory",
    aliases: ["4", "memory"],
    load: async () => (await import("../scenarios/idle-memory.js")).idleMemoryScenario,
  },
  {
    name: "connect-rate",
    aliases: ["5", "connect"],
    load: async () => (await import("../scenarios/connect-rate.js")).connectRateScenario,
  },
  {
    name: "client-connect",
    aliases: ["5b", "client"],
    load: async () => (await import("../scenarios/client-connect.js")).clientConnectScenario,
  },
  {
    name: "delivery",
    aliases: ["6", "polling", "streaming"],
    load: async () => (await import("../scenarios/delivery.js")).deliveryScenario,
  },
  {
    name: "protocol",
    aliases: ["7", "codecs"],
    load: async () => (await import("../scenarios/protocol.js")).protocolScenario,
  },
  {
    name: "bundle",
    aliases: ["8", "bundles"],
    load: async () => (await import("../scenarios/bundle.js")).bundleScenario,
  },
  {
    name: "cluster",
    aliases: ["9", "redis"],
    load: async () => (await import("../scenarios/cluster.js")).clusterScenario,
  },
  {
    name: "forwarding",
    aliases: ["9b", "no-sticky"],
    load: async () => (await import("../scenarios/forwarding.js")).forwardingScenario,
  },
];
