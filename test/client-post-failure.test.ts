// A proxy that answers every polling POST with HTTP 500 while GETs pass (a misconfigured nginx in front): the
// client must not stay "connected" silently. A failed POST is a transport error: the session closes with
// "transport error", io() reports `disconnect` and reconnects once POSTs work again, and what is emitted after
// that arrives. Run over every polling flavour the Node client can use (fetch, and XHR through a small shim).
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { EngineSocket, io } from "@ladder/client";
import { Server as LadderServer } from "@ladder/server";
import { expect } from "chai";
import { Server as OfficialServer } from "socket.io";
import { once, until } from "./client-helpers.js";

/** The fault injector: forwards to `upstream` unless `failPosts` is set, then answers POSTs with 500. */
class FaultProxy {
  failPosts = false;
  posts500 = 0;
  readonly http: HttpServer;
  constructor(upstream: number) {
    this.http = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (this.failPosts && req.method === "POST") {
        this.posts500++;
        req.resume();
        req.on("end", () => {
          res.writeHead(500, { "content-type": "text/html" });
          res.end("<html><body>500 Internal Server Error</body></html>");
        });
        return;
      }
      const up = request(
        { host: "127.0.0.1", port: upstream, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on("error", () => res.destroy());
      req.pipe(up);
    });
  }
  listen(): Promise<number> {
    return new Promise((r) =>
      this.http.listen(0, "127.0.0.1", () => r((this.http.address() as AddressInfo).port)),
    );
  }
  close(): Promise<void> {
    this.http.closeAllConnections();
    return new Promise((r) => this.http.close(() => r()));
  }
}

/** Just enough XMLHttpRequest over node:http for the XHR polling flavour (what browsers run). */
class NodeXhr {
  readyState = 0;
  status = 0;
  responseText = "";
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  private method = "GET";
  private url = "";
  private headers: Record<string, string> = {};
  private req: ReturnType<typeof request> | null = null;
  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(body?: string | null): void {
    const finish = (status: number, text: string): void => {
      this.status = status;
      this.responseText = text;
      this.readyState = 4;
      this.onreadystatechange?.();
    };
    this.req = request(this.url, { method: this.method, headers: this.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => finish(res.statusCode ?? 0, text));
    });
    this.req.on("error", () => finish(0, ""));
    this.req.end(body ?? undefined);
  }
  abort(): void {
    this.req?.destroy();
  }
}

const SERVERS: Array<{ name: string; make: (http: HttpServer) => OfficialServer }> = [
  { name: "official socket.io 4.8", make: (http) => new OfficialServer(http) },
  { name: "Ladder Server", make: (http) => new LadderServer(http) as unknown as OfficialServer },
];
const FLAVOURS = [
  { name: "fetch", xhr: false },
  { name: "XHR", xhr: true },
];

for (const kind of SERVERS)
  for (const flavour of FLAVOURS)
    describe(`polling POSTs answered with 500 (${flavour.name} polling, ${kind.name})`, () => {
      let http: HttpServer;
      let server: OfficialServer;
      let proxy: FaultProxy;
      let url: string;
      const g = globalThis as { XMLHttpRequest?: unknown };
      beforeEach(async () => {
        http = createServer();
        server = kind.make(http);
        await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
        proxy = new FaultProxy((http.address() as AddressInfo).port);
        url = `http://127.0.0.1:${await proxy.listen()}`;
        if (flavour.xhr) g.XMLHttpRequest = NodeXhr;
      });
      let after: (() => void) | null = null;
      afterEach(async () => {
        after?.();
        after = null;
        delete g.XMLHttpRequest;
        await proxy.close();
        await new Promise<void>((r) => server.close(() => r()));
      });

      it("EngineSocket: a failed POST closes the session with 'transport error'", async () => {
        const engine = new EngineSocket(url, { path: "/socket.io/", transports: ["polling"] });
        after = () => engine.close();
        await once(engine, "open");
        expect(engine.transport!.constructor.name).to.equal(flavour.xhr ? "PollingXhr" : "PollingFetch");
        const errors: unknown[] = [];
        engine.on("error", (err) => errors.push(err));
        const closed = once<[string, unknown]>(engine, "close");
        proxy.failPosts = true;
        engine.send("lost");
        const [reason] = await closed;
        expect(reason).to.equal("transport error");
        expect(errors).to.have.length(1);
        expect((errors[0] as { code: string }).code).to.equal("LADDER_ERR_CLIENT_TRANSPORT");
        expect(proxy.posts500).to.be.greaterThan(0);
        expect(engine.readyState).to.equal("closed");
      });

      it("io(): disconnect ('transport error'), then a reconnection that carries later messages", async () => {
        const received: string[] = [];
        server.on("connection", (s) => s.on("chat", (m: string) => received.push(m)));
        const client = io(url, { transports: ["polling"], forceNew: true, reconnectionDelay: 50 });
        try {
          await once(client, "connect");
          client.emit("chat", "before");
          await until(() => received.includes("before"), "the first message");
          const disconnected = once<[string]>(client, "disconnect");
          expect(client.io.engine!.transport!.name).to.equal("polling");
          proxy.failPosts = true;
          client.emit("chat", "during");
          expect((await disconnected)[0]).to.equal("transport error");
          expect(client.connected).to.equal(false);
          proxy.failPosts = false;
          await once(client, "connect");
          client.emit("chat", "after");
          await until(() => received.includes("after"), "the message after the reconnection");
          // "during" was lost with the failed POST, and the app was told (disconnect) instead of silence.
          expect(received.filter((m) => m === "before" || m === "after")).to.deep.equal(["before", "after"]);
        } finally {
          const engine = client.io.engine!;
          const closed = engine.readyState === "closed" ? null : once(engine, "close");
          client.disconnect();
          await closed;
        }
      });
    });
