/**
 * A bare Engine.IO v4 client for socket-layer wire tests: it speaks polling or WebSocket by hand, answers pings,
 * and lets the test send literal Engine.IO packets (`40`, `42["x"]`, ...) and await literal replies.
 */
import { request } from "node:http";
import WebSocket from "ws";

export type RawTransport = "polling" | "websocket";

export class RawClient {
  readonly received: Array<string | Buffer> = [];
  closed = false;
  sid = "";
  private ws: WebSocket | undefined;
  private waiters: Array<() => void> = [];
  private polling = false;

  private constructor(
    readonly port: number,
    readonly transport: RawTransport,
    readonly query: string,
  ) {}

  static async open(port: number, transport: RawTransport, query = ""): Promise<RawClient> {
    const c = new RawClient(port, transport, query);
    await c.handshake();
    return c;
  }

  private async handshake(): Promise<void> {
    const q = `/socket.io/?EIO=4&transport=${this.transport}${this.query}`;
    if (this.transport === "websocket") {
      const ws = new WebSocket(`ws://127.0.0.1:${this.port}${q}`);
      this.ws = ws;
      await new Promise<void>((resolve, reject) => {
        ws.once("message", (d, isBinary) => {
          const text = isBinary ? "" : d.toString();
          this.sid = JSON.parse(text.slice(1)).sid;
          resolve();
        });
        ws.once("error", reject);
      });
      ws.on("message", (d, isBinary) => this.onPacket(isBinary ? (d as Buffer) : d.toString()));
      ws.on("close", () => this.onClose());
      ws.on("error", () => {});
      return;
    }
    const body = await this.http("GET", q);
    this.sid = JSON.parse(body.body.slice(1)).sid;
    this.polling = true;
    void this.pollLoop();
  }

  private async pollLoop(): Promise<void> {
    while (this.polling && !this.closed) {
      let res: { status: number; body: string };
      try {
        res = await this.http("GET", `/socket.io/?EIO=4&transport=polling&sid=${this.sid}`);
      } catch {
        this.onClose();
        return;
      }
      if (res.status !== 200) {
        this.onClose();
        return;
      }
      for (const p of res.body.split("\x1e")) {
        if (p === "1") {
          this.onClose();
          return;
        }
        this.onPacket(p.startsWith("b") ? Buffer.from(p.slice(1), "base64") : p);
      }
    }
  }

  private onPacket(p: string | Buffer): void {
    if (p === "2") {
      void this.send("3").catch(() => {});
      return;
    }
    if (p === "6") return;
    this.received.push(typeof p === "string" ? p : p);
    this.wake();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.polling = false;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Send Engine.IO packets (text as is, Buffers as binary messages). */
  async send(...packets: Array<string | Buffer>): Promise<void> {
    if (this.ws) {
      for (const p of packets) this.ws.send(p);
      return;
    }
    const body = packets.map((p) => (typeof p === "string" ? p : `b${p.toString("base64")}`)).join("\x1e");
    await this.http("POST", `/socket.io/?EIO=4&transport=polling&sid=${this.sid}`, body);
  }

  /** Wait for the next message matching `pred` (text messages by default), consuming nothing. */
  async waitFor(pred: (m: string | Buffer) => boolean, ms = 3000): Promise<string | Buffer> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.find(pred);
      if (found !== undefined) return found;
      if (this.closed) throw new Error(`closed while waiting; got ${JSON.stringify(this.received)}`);
      if (Date.now() > deadline) throw new Error(`timeout; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitText(prefixOrRe: string | RegExp, ms?: number): Promise<string> {
    return this.waitFor(
      (m) =>
        typeof m === "string" &&
        (typeof prefixOrRe === "string" ? m.startsWith(prefixOrRe) : prefixOrRe.test(m)),
      ms,
    ) as Promise<string>;
  }

  /** Resolves when the server closed this connection. */
  async waitClosed(ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("not closed");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.polling = false;
    if (this.ws) this.ws.terminate();
    else if (!this.closed) void this.send("1").catch(() => {});
    this.closed = true;
  }

  private http(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: this.port,
          method,
          path,
          agent: false,
          headers: body === undefined ? {} : { "content-type": "text/plain;charset=UTF-8" },
        },
        (res) => {
          let data = "";
          res.setEncoding("utf8");
          res.on("data", (c) => {
            data += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}
