/**
 * The systems under test. `mode` is how the raw load client talks to it: plain WebSocket frames, Engine.IO
 * (`0{…}` open, `4…` messages, ping/pong) or Socket.IO on top (`40` connect, `42[…]` events, `43…` acks).
 */
import type { StartServer } from "./types.js";

export type WireMode = "ws" | "eio" | "sio";

export interface SystemEntry {
  label: string;
  mode: WireMode;
  /** Request path of the Engine.IO endpoint (or of the WebSocket for raw ws). */
  path: string;
  load(): Promise<StartServer>;
  /** Resolves to a reason when the system cannot run yet (checked in the orchestrator before forking). */
  unavailable?(): Promise<string | undefined>;
}

/** Cluster systems need the Redis that every machine of this project runs on the default port. */
async function redisReachable(): Promise<string | undefined> {
  const { Redis } = await import("ioredis");
  const redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    return `not available: no Redis at 127.0.0.1:6379 (${(err as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

async function ladderExport(name: string): Promise<string | undefined> {
  try {
    const mod = (await import("@ladder/server")) as Record<string, unknown>;
    if (typeof mod[name] !== "function")
      return `not available yet: no ${name} export in the built @ladder/server`;
    return undefined;
  } catch (err) {
    return `not available yet: @ladder/server does not load (${(err as Error).message.split("\n")[0]})`;
  }
}

export const SYSTEMS: Record<string, SystemEntry> = {
  ladder: {
    label: "Ladder",
    mode: "sio",
    path: "/socket.io/",
    load: async () => (await import("./ladder-server.js")).start,
    unavailable: () => ladderExport("Server"),
  },
  "socket.io": {
    label: "socket.io 4.8.4",
    mode: "sio",
    path: "/socket.io/",
    load: async () => (await import("./socketio.js")).start,
  },
  "ladder-engine": {
    label: "Ladder Engine",
    mode: "eio",
    path: "/engine.io/",
    load: async () => (await import("./ladder-engine.js")).start,
    unavailable: () => ladderExport("Engine"),
  },
  "engine.io": {
    label: "engine.io 6.6.12",
    mode: "eio",
    path: "/engine.io/",
    load: async () => (await import("./engineio.js")).start,
  },
  "ladder-redis": {
    label: "Ladder + @ladder/redis-adapter",
    mode: "sio",
    path: "/socket.io/",
    load: async () => (await import("./ladder-redis.js")).start,
    unavailable: async () => {
      const missing = await ladderExport("Server");
      if (missing) return missing;
      try {
        const mod = (await import("@ladder/redis-adapter")) as Record<string, unknown>;
        if (typeof mod.createAdapter !== "function")
          return "not available yet: no createAdapter in @ladder/redis-adapter";
      } catch (err) {
        return `not available yet: @ladder/redis-adapter does not load (${(err as Error).message.split("\n")[0]})`;
      }
      return redisReachable();
    },
  },
  "socket.io-redis": {
    label: "socket.io 4.8.4 + @socket.io/redis-adapter 8.3",
    mode: "sio",
    path: "/socket.io/",
    load: async () => (await import("./socketio-redis.js")).start,
    unavailable: redisReachable,
  },
  ws: {
    label: "ws 8",
    mode: "ws",
    path: "/",
    load: async () => (await import("./raw-ws.js")).start,
  },
};
