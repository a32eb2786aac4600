/**
 * Test harness: Redis (started if not answering), N Ladder nodes as child processes, clients, cleanup by prefix.
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { io, type Socket } from "@ladder/client";
import { Redis } from "ioredis";

const NODE_SCRIPT = fileURLToPath(new URL("./fixtures/node.ts", import.meta.url));

/** The machine's Redis start command (TESTING.md), used when Redis does not answer and by the outage test. */
export function startRedis(): void {
  execFileSync("redis-server", [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
  ]);
}

export function redisAnswers(): boolean {
  try {
    return (
      execFileSync("redis-cli", ["-p", "6379", "ping"], {
        timeout: 2000,
        stdio: ["ignore", "pipe", "ignore"],
      })
        .toString()
        .trim() === "PONG"
    );
  } catch {
    return false;
  }
}

/** Make sure Redis is up (CI machines run it already; start it otherwise) and wait until it answers. */
export async function ensureRedis(): Promise<void> {
  if (redisAnswers()) return;
  startRedis();
  for (let i = 0; i < 50 && !redisAnswers(); i++) await sleep(100);
  if (!redisAnswers()) throw new Error("Redis did not start");
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function newPrefix(): string {
  return `ltest-${randomBytes(4).toString("hex")}`;
}

/** Delete every key of a test prefix. */
export async function cleanupPrefix(prefix: string): Promise<void> {
  const redis = new Redis({ lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}#*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export class NodeProcess {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on("message", (m: { id?: number; result?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.result);
    });
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.once("exit", () => {
      for (const w of this.waiting.values()) w.reject(new Error(`${name} exited`));
      this.waiting.clear();
    });
  }

  static start(name: string, prefix: string, env: Record<string, string> = {}): Promise<NodeProcess> {
    const child = fork(NODE_SCRIPT, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, LADDER_PREFIX: prefix, LADDER_NODE: name, ...env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`${name} exited early (${code})`)));
      child.on("message", (m: { ready?: boolean; port?: number }) => {
        if (m.ready) resolve(new NodeProcess(name, child, m.port!));
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, ...args });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }
}

export type Mode = "polling" | "websocket" | "streaming";

/** A Ladder client on one transport (no upgrade), its received events recorded. */
export function client(
  url: string,
  mode: Mode | "default",
  user: string,
  extra: Record<string, unknown> = {},
) {
  const socket: Socket = io(url, {
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    auth: { user },
    ...(mode === "default" ? {} : { transports: [mode], upgrade: false }),
    ...extra,
  });
  const got: Array<[string, unknown[]]> = [];
  socket.onAny((ev: string, ...args: unknown[]) => {
    got.push([ev, args]);
  });
  return { socket, got, user };
}

export type TestClient = ReturnType<typeof client>;

export function connected(c: TestClient): Promise<void> {
  if (c.socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${c.user} did not connect`)), 8000);
    c.socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = "condition",
) {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
