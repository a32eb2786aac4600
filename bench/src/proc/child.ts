import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { hasTaskset } from "../core/machine.js";
import type { RpcReply } from "./rpc.js";

/** The orchestrator's handle on a forked server or load process. */
export interface Child {
  readonly pid: number;
  call<T>(cmd: string, arg?: unknown): Promise<T>;
  /** Ends the process (SIGTERM, then SIGKILL after a grace period) and waits for its exit. */
  close(): Promise<void>;
}

const HOSTS = {
  server: new URL("./server-host.ts", import.meta.url),
  load: new URL("./load-host.ts", import.meta.url),
} as const;

/**
 * Forks a host process with the tsx loader the orchestrator runs under (process.execArgv) plus --expose-gc,
 * then pins it and all its threads to one CPU (server on 0, load on 1) so the two never steal each other's core.
 */
export async function startChild(role: keyof typeof HOSTS, timeoutMs = 30_000): Promise<Child> {
  // `pnpm bench --profile` sets this: server processes write a V8 CPU profile when they exit.
  const profileDir = role === "server" ? process.env.LADDER_BENCH_PROFILE_DIR : undefined;
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = fork(fileURLToPath(HOSTS[role]), [], {
    execArgv: [...process.execArgv, "--expose-gc", ...profile],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not fork the ${role} host`);
  if (hasTaskset()) {
    try {
      execFileSync("taskset", ["-a", "-p", "-c", role === "server" ? "0" : "1", String(pid)], {
        stdio: "ignore",
      });
    } catch {
      // The child may already be gone; the ready handshake below reports that.
    }
  }
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${role} host exited (${signal ?? code})`));
      pending.clear();
      resolve();
    });
  });
  child.on("message", (message: unknown) => {
    const reply = message as RpcReply;
    if (typeof reply?.id !== "number") return;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.error));
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${role} host did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.on("message", function onReady(message: unknown) {
      if ((message as { ready?: boolean })?.ready) {
        clearTimeout(timer);
        child.off("message", onReady);
        resolve();
      }
    });
    void exitPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`${role} host exited during start`));
    });
  });
  return {
    pid,
    call<T>(cmd: string, arg?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`${role} host is gone`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, arg });
      });
    },
    async close() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
