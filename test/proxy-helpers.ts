// Proxies for the transport-ladder proofs (not a test file itself): a real nginx from Debian started on a free
// port with a generated config, and the store-and-forward FAULT INJECTOR (a proxy of our own that holds every
// response until it is complete, as some antivirus and corporate proxies do — nginx never behaves like that).
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { connect, createServer as createTcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const NGINX = "/usr/sbin/nginx";

export function hasNginx(): boolean {
  return existsSync(NGINX);
}

export interface RunningProxy {
  port: number;
  url: string;
  /** Requests seen, `METHOD path` (the fault injector only). */
  requests: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * nginx in front of `upstreamPort`. `websocket: true` is the usual WebSocket proxy block (HTTP/1.1, Upgrade and
 * Connection passed); `false` is an HTTP-only balancer (the headers are not passed, so WebSocket cannot get
 * through) with `proxy_buffering off`.
 */
export async function startNginx(upstreamPort: number, websocket: boolean): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), "ladder-proxy-nginx-"));
  // Started as root, nginx's workers run as nobody and must write their temp files here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const upgrade = websocket
    ? `proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";`
    : `proxy_set_header Connection "";
      proxy_buffering off;`;
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      ${upgrade}
      proxy_read_timeout 60s;
    }
  }
}
`,
  );
  return runProxy(
    "nginx",
    NGINX,
    ["-c", join(dir, "nginx.conf"), "-p", dir],
    dir,
    port,
    join(dir, "error.log"),
  );
}

/** Starts a proxy process on `port` with its config in `dir`; resolves once it accepts connections. */
async function runProxy(
  what: string,
  command: string,
  args: string[],
  dir: string,
  port: number,
  logFile: string,
): Promise<RunningProxy> {
  const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    ready = await accepts(port);
    if (!ready) await new Promise((r) => setTimeout(r, 50));
  }
  if (!ready) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
    child.kill("SIGKILL");
    throw new Error(`${what} did not start: ${log}${stderr}`);
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests: [],
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const HAPROXY = "/usr/sbin/haproxy";

export function hasHaproxy(): boolean {
  return existsSync(HAPROXY);
}

/**
 * A real haproxy balancing round-robin over `upstreamPorts` with cookie-based sticky sessions (`cookie ... insert`,
 * as load balancers commonly do): a request that carries the cookie goes to the node that set it, one without it
 * to the next node in turn. WebSocket passes (tunnel). `option http-no-delay`: without it haproxy holds the small
 * parts of a streaming response for ~200 ms each (see @ladder/server's README, "Behind a proxy").
 */
export async function startStickyHaproxy(upstreamPorts: number[]): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), "ladder-proxy-haproxy-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "haproxy.cfg"),
    `global
  maxconn 256
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout tunnel 60s
frontend fe
  bind 127.0.0.1:${port}
  default_backend nodes
backend nodes
  balance roundrobin
  option http-no-delay
  cookie LADDERNODE insert indirect nocache
${upstreamPorts.map((p, i) => `  server n${i} 127.0.0.1:${p} cookie n${i}`).join("\n")}
`,
  );
  return runProxy("haproxy", HAPROXY, ["-db", "-f", join(dir, "haproxy.cfg")], dir, port, "");
}

/**
 * FAULT INJECTOR: a store-and-forward HTTP proxy. Every response is read to its end from the upstream before a
 * single byte of it (status line included) goes to the client, so a streaming response never arrives while it is
 * open. WebSocket upgrades are refused (400). A client that goes away aborts the upstream request.
 */
export async function startStoreAndForwardProxy(upstreamPort: number): Promise<RunningProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = request(
      {
        host: "127.0.0.1",
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, connection: "close" },
        agent: false,
      },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          const body = Buffer.concat(chunks);
          const headers = { ...up.headers };
          delete headers["transfer-encoding"];
          delete headers.connection;
          headers["content-length"] = String(body.length);
          if (res.destroyed) return;
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
        });
        up.on("error", () => res.destroy());
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502);
        res.end();
      } else res.destroy();
    });
    // The client gave up (e.g. a streaming probe timing out): stop the upstream request too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on("upgrade", (_req, socket: Socket) => {
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The three proofs of issue 6: which proxy, and the transport the client must end on. */
export interface LadderCase {
  label: string;
  proxy: (upstreamPort: number) => Promise<RunningProxy>;
  final: "websocket" | "streaming" | "polling";
  /** Probes that must have failed before the client settles. */
  failedProbes: string[];
}

export const CASES: LadderCase[] = [
  {
    label: "nginx with the usual WebSocket proxy config",
    proxy: (p) => startNginx(p, true),
    final: "websocket",
    failedProbes: [],
  },
  {
    label: "HTTP-only nginx (Upgrade not passed, proxy_buffering off)",
    proxy: (p) => startNginx(p, false),
    final: "streaming",
    failedProbes: ["websocket"],
  },
  {
    label: "store-and-forward proxy (FAULT INJECTOR: holds each response until complete)",
    proxy: (p) => startStoreAndForwardProxy(p),
    final: "polling",
    failedProbes: ["websocket", "streaming"],
  },
];
