/**
 * One node of the cluster benchmark (scenario 9), forked by the orchestrator. Env: CLUSTER_SYSTEM ("ladder" or
 * "socket.io"), CLUSTER_PREFIX (Redis key prefix of this run). Ladder: @ladder/server + @ladder/redis-adapter
 * (+ its session router); socket.io 4.8.4 + @socket.io/redis-adapter over ioredis. IPC: burst, cpu, stop.
 */
import { createServer } from "node:http";

const system = process.env.CLUSTER_SYSTEM ?? "ladder";
const prefix = process.env.CLUSTER_PREFIX ?? "bench";
const payload = "x".repeat(64);

interface Node {
  emit(ev: string, data: string): void;
  close(): Promise<void>;
}

async function startLadder(port: number, http: import("node:http").Server): Promise<Node> {
  const { Server } = await import("@ladder/server");
  const { createAdapter, createSessionRouter } = await import("@ladder/redis-adapter");
  const router = createSessionRouter({
    url: "redis://127.0.0.1:6379",
    keyPrefix: prefix,
    address: `http://127.0.0.1:${port}`,
  });
  await router.start();
  const io = new Server(http, {
    adapter: createAdapter({ url: "redis://127.0.0.1:6379", keyPrefix: prefix }),
    ...router.engineOptions,
    serveClient: false,
  });
  return {
    emit: (ev, data) => io.emit(ev, data),
    close: async () => {
      await io.close();
      await router.close();
    },
  };
}

async function startSocketIo(http: import("node:http").Server): Promise<Node> {
  const { Server } = await import("socket.io");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const { Redis } = await import("ioredis");
  const pub = new Redis("redis://127.0.0.1:6379");
  const sub = pub.duplicate();
  const io = new Server(http, { serveClient: false, adapter: createAdapter(pub, sub, { key: prefix }) });
  return {
    emit: (ev, data) => {
      io.emit(ev, data);
    },
    close: async () => {
      await io.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const http = createServer();
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const port = (http.address() as { port: number }).port;
  const node = system === "ladder" ? await startLadder(port, http) : await startSocketIo(http);
  let cpuAt = process.cpuUsage();
  process.on("message", (m: { id: number; cmd: string; n?: number }) => {
    let result: unknown = null;
    if (m.cmd === "burst") for (let i = 0; i < (m.n ?? 1); i++) node.emit("b", payload);
    else if (m.cmd === "cpu-start") cpuAt = process.cpuUsage();
    else if (m.cmd === "cpu") {
      const d = process.cpuUsage(cpuAt);
      result = (d.user + d.system) / 1000;
    } else if (m.cmd === "stop") {
      void node.close().then(() => process.exit(0));
      return;
    }
    process.send?.({ id: m.id, result });
  });
  process.send?.({ ready: true, port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
