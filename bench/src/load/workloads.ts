/**
 * The load generators, run in the load process. Each opens raw clients, drives a closed loop (so server
 * buffers stay bounded) and counts completions; the orchestrator brackets a window with snapshots.
 */
import type { WireMode } from "../servers/registry.js";
import { nowMs } from "../servers/types.js";
import { type ClientLibrary, connectToFirstEvent } from "./client-libraries.js";
import { Counters, type Snapshot } from "./counters.js";
import { echoFrame, isEcho, isHello, isMessage, streamTimestamp, triggerFrame } from "./frames.js";
import { PollingClient } from "./polling-client.js";
import { StreamingClient } from "./streaming-client.js";
import { WsClient } from "./ws-client.js";

export interface LoadSpec {
  kind: "echo" | "acks" | "broadcast" | "idle" | "connect" | "delivery" | "client-connect";
  port: number;
  /** Cluster systems: the nodes' ports; clients are spread over them round-robin (client 0 on the first). */
  ports?: number[];
  path: string;
  mode: WireMode;
  clients: number;
  /** echo: payload bytes. */
  size?: number;
  /** echo/acks: messages in flight per client; broadcast: broadcasts in flight. */
  inflight?: number;
  /** client-connect: which client library connects. */
  library?: ClientLibrary;
  /** connect/delivery: which transport the clients use. */
  transport?: "websocket" | "polling" | "streaming";
}

export interface Workload {
  snapshot(): Snapshot;
  stop(): Promise<void>;
}

type Handler = (frame: string, client: WsClient) => void;

/** Opens `n` WebSocket clients, at most `concurrency` handshakes at a time. */
async function connectMany(spec: LoadSpec, n: number, handler: (index: number) => Handler, concurrency = 64) {
  const clients: WsClient[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const port = spec.ports ? spec.ports[i % spec.ports.length]! : spec.port;
      clients[i] = await WsClient.connect(port, spec.path, spec.mode, handler(i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return clients;
}

function closeAll(clients: readonly WsClient[]): void {
  for (const c of clients) c?.close();
}

async function echo(spec: LoadSpec): Promise<Workload> {
  const counters = new Counters();
  const frame = echoFrame(spec.mode, "x".repeat(spec.size ?? 64));
  let running = true;
  const clients = await connectMany(spec, spec.clients, () => (f, client) => {
    if (!isEcho(spec.mode, f)) return;
    counters.count++;
    if (running) client.send(frame);
  });
  for (const c of clients) for (let i = 0; i < (spec.inflight ?? 1); i++) c.send(frame);
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      running = false;
      closeAll(clients);
    },
  };
}

async function acks(spec: LoadSpec): Promise<Workload> {
  if (spec.mode !== "sio") throw new Error("acks need a Socket.IO server");
  const counters = new Counters();
  let running = true;
  const ids = new Array<number>(spec.clients).fill(0);
  const frame = (i: number): string => `42${ids[i]!++}["ack","x"]`;
  const clients = await connectMany(spec, spec.clients, (i) => (f, client) => {
    if (f.charCodeAt(0) !== 0x34 || f.charCodeAt(1) !== 0x33) return; // "43<id>[…]"
    counters.count++;
    if (running) client.send(frame(i));
  });
  clients.forEach((c, i) => {
    for (let k = 0; k < (spec.inflight ?? 1); k++) c.send(frame(i));
  });
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      running = false;
      closeAll(clients);
    },
  };
}

async function broadcast(spec: LoadSpec): Promise<Workload> {
  const counters = new Counters();
  const trigger = triggerFrame(spec.mode);
  const window = spec.inflight ?? 4;
  let running = true;
  let sent = 0;
  let clients: WsClient[] = [];
  // Global closed loop: broadcast k+window may start once k broadcasts reached every client.
  const pump = (): void => {
    const driver = clients[0];
    if (!driver) return;
    while (running && sent < window + Math.floor(counters.count / spec.clients)) {
      driver.send(trigger);
      sent++;
    }
  };
  clients = await connectMany(spec, spec.clients, () => (f) => {
    if (!isMessage(spec.mode, f)) return;
    counters.count++;
    pump();
  });
  pump();
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      running = false;
      closeAll(clients);
    },
  };
}

async function idle(spec: LoadSpec): Promise<Workload> {
  const counters = new Counters();
  const clients = await connectMany(spec, spec.clients, () => () => {}, 100);
  counters.count = clients.length;
  for (const c of clients)
    c.onClose = () => {
      counters.count--;
    };
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      closeAll(clients);
    },
  };
}

/** One handshake to first event: open, wait for the server's "hello", close. Resolves with the latency. */
async function connectOnce(spec: LoadSpec): Promise<number> {
  const t0 = performance.now();
  let hello!: () => void;
  const gotHello = new Promise<void>((resolve) => {
    hello = resolve;
  });
  const onFrame = (f: string): void => {
    if (isHello(spec.mode, f)) hello();
  };
  if (spec.transport === "polling") {
    let seen = false;
    const client = await PollingClient.open(spec.port, spec.path, spec.mode, (f) => {
      if (isHello(spec.mode, f)) seen = true;
    });
    while (!seen) await client.poll();
    const ms = performance.now() - t0;
    await client.close();
    return ms;
  }
  const client = await WsClient.connect(spec.port, spec.path, spec.mode, onFrame);
  await gotHello;
  const ms = performance.now() - t0;
  client.close();
  return ms;
}

async function connect(spec: LoadSpec): Promise<Workload> {
  const counters = new Counters();
  let running = true;
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        counters.latency(await connectOnce(spec));
        counters.count++;
      } catch (err) {
        counters.error(err);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  const workers = Array.from({ length: spec.clients }, worker);
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

async function delivery(spec: LoadSpec): Promise<Workload> {
  const counters = new Counters();
  // One handler per client: a connection's send times must strictly increase (the server stamps each message
  // with a fresh clock reading), so a message delivered twice or out of order is counted as an error.
  const frameHandler = (): ((f: string) => void) => {
    let last = Number.NEGATIVE_INFINITY;
    return (f) => {
      const ts = streamTimestamp(spec.mode, f);
      if (Number.isNaN(ts)) return;
      if (ts <= last) counters.error(new Error(`message out of order or repeated (${ts} after ${last})`));
      last = ts;
      counters.count++;
      counters.latency(nowMs() - ts);
    };
  };
  if (spec.transport === "streaming") {
    const clients: StreamingClient[] = [];
    for (let i = 0; i < spec.clients; i++) {
      clients.push(
        await StreamingClient.open(spec.port, spec.path, spec.mode, frameHandler(), (err) =>
          counters.error(err),
        ),
      );
    }
    return {
      snapshot: () => counters.snapshot(),
      async stop() {
        await Promise.all(clients.map((c) => c.close()));
      },
    };
  }
  if (spec.transport === "polling") {
    const clients: PollingClient[] = [];
    for (let i = 0; i < spec.clients; i++)
      clients.push(await PollingClient.open(spec.port, spec.path, spec.mode, frameHandler()));
    for (const c of clients) c.startLoop((err) => counters.error(err));
    return {
      snapshot: () => counters.snapshot(),
      async stop() {
        await Promise.all(clients.map((c) => c.close()));
      },
    };
  }
  const clients = await connectMany(spec, spec.clients, frameHandler);
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      closeAll(clients);
    },
  };
}

/** Sequential connects with a client library (one at a time, so the figure is the client's latency). */
async function clientConnect(spec: LoadSpec): Promise<Workload> {
  const counters = new Counters();
  const library = spec.library ?? "ladder-client";
  const transport = spec.transport === "polling" ? "polling" : "websocket";
  // Fail fast (and name what is missing) before the loop starts.
  counters.latency(await connectToFirstEvent(library, spec.port, transport));
  let running = true;
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        counters.latency(await connectToFirstEvent(library, spec.port, transport));
        counters.count++;
      } catch (err) {
        counters.error(err);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  const workers = Array.from({ length: spec.clients }, worker);
  return {
    snapshot: () => counters.snapshot(),
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

const KINDS: Record<LoadSpec["kind"], (spec: LoadSpec) => Promise<Workload>> = {
  "client-connect": clientConnect,
  echo,
  acks,
  broadcast,
  idle,
  connect,
  delivery,
};

export function startWorkload(spec: LoadSpec): Promise<Workload> {
  return KINDS[spec.kind](spec);
}
