import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import WebSocket from "ws";
import { Engine } from "../src/engine/engine.js";
import type { EngineOptions } from "../src/engine/options.js";
import type { EngineSession } from "../src/engine/session.js";

export interface TestServer {
  engine: Engine;
  server: Server;
  port: number;
  base: string;
  /** Closes engine and server; resolves when the server has no connection left. */
  close(): Promise<void>;
}

/** An Engine attached to a fresh HTTP server on 127.0.0.1:0. */
export async function startEngine(options: Partial<EngineOptions> = {}, path?: string): Promise<TestServer> {
  const server = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const engine = new Engine(options);
  engine.attach(server, path === undefined ? {} : { path });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    engine,
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    close: () => closeServer(engine, server),
  };
}

export async function closeServer(engine: Engine, server: Server): Promise<void> {
  engine.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets of finished requests would otherwise hold close() open.
    server.closeIdleConnections();
  });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on its own connection (no agent pooling, so nothing outlives the test). */
export function http(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: { Connection: "close", ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export const EIO = "/engine.io/?EIO=4";

/** Polling handshake: returns sid and the parsed open packet. */
export async function handshake(
  port: number,
  extra = "",
): Promise<{ sid: string; open: Record<string, unknown>; raw: RawResponse }> {
  const raw = await http(port, "GET", `${EIO}&transport=polling${extra}`);
  if (raw.status !== 200 || raw.body[0] !== "0")
    throw new Error(`handshake failed: ${raw.status} ${raw.body}`);
  const open = JSON.parse(raw.body.slice(1)) as Record<string, unknown>;
  return { sid: open.sid as string, open, raw };
}

export function poll(port: number, sid: string, extra = ""): Promise<RawResponse> {
  return http(port, "GET", `${EIO}&transport=polling&sid=${encodeURIComponent(sid)}${extra}`);
}

export function post(
  port: number,
  sid: string,
  body: string,
  headers?: Record<string, string>,
): Promise<RawResponse> {
  return http(port, "POST", `${EIO}&transport=polling&sid=${encodeURIComponent(sid)}`, {
    body,
    headers: { "Content-Type": "text/plain;charset=UTF-8", ...headers },
  });
}

export function nextConnection(engine: Engine): Promise<EngineSession> {
  return new Promise((resolve) => engine.once("connection", resolve));
}

/** Opens a raw ws client and collects its frames. */
export class WsClient {
  readonly ws: WebSocket;
  readonly frames: (string | Buffer)[] = [];
  private waiters: (() => void)[] = [];
  closed: Promise<{ code: number; reason: string }>;

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.frames.push(isBinary ? data : data.toString());
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      this.ws.on("close", (code, reason) => {
        for (const w of this.waiters.splice(0)) w();
        resolve({ code, reason: reason.toString() });
      });
    });
    this.ws.on("error", () => {});
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) resolve();
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
    });
  }

  /** Resolves with the next frame not yet consumed. */
  async next(): Promise<string | Buffer> {
    while (this.frames.length === 0) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error("socket closed");
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.frames.shift()!;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    return this.closed;
  }
}

export function wsUrl(port: number, query: string): string {
  return `ws://127.0.0.1:${port}/engine.io/?EIO=4&transport=websocket${query}`;
}

/** Sends raw bytes on a TCP connection and collects everything until the server closes it. */
export function rawExchange(port: number, data: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString()}`));
    }, timeoutMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.write(data);
  });
}

export function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error("condition not met in time"));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

/** Open TCP connections on the server. */
export function connectionCount(server: import("node:http").Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** The server still serves: a fresh handshake succeeds, and once its connection is gone nothing is left open. */
export async function assertHealthy(t: TestServer): Promise<void> {
  const res = await http(t.port, "GET", `${EIO}&transport=polling`);
  if (res.status !== 200 || res.body[0] !== "0")
    throw new Error(`server unhealthy: ${res.status} ${res.body}`);
  const started = Date.now();
  for (;;) {
    const n = await connectionCount(t.server);
    if (n === 0) return;
    if (Date.now() - started > 3000) throw new Error(`${n} connection(s) leaked`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
