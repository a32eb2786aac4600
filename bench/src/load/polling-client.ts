/**
 * A thin raw HTTP long-polling client (Engine.IO v4 over XHR-style requests): handshake GET, `40` CONNECT by
 * POST for Socket.IO, then a loop of GETs whose payloads are split on the record separator. Pings are
 * answered; every other packet goes to `onFrame` unparsed.
 */
import http from "node:http";
import type { WireMode } from "../servers/registry.js";

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

function request(method: "GET" | "POST", port: number, path: string, body?: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        agent,
        headers: body === undefined ? {} : { "content-type": "text/plain;charset=UTF-8" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200)
            reject(new Error(`${method} ${path} → ${res.statusCode} ${text.slice(0, 80)}`));
          else resolve(text);
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export class PollingClient {
  private running = true;

  private constructor(
    private readonly port: number,
    private readonly url: string,
    readonly mode: WireMode,
    private readonly onFrame: (frame: string) => void,
  ) {}

  /** Handshakes (and connects the main namespace for sio); resolves once the session is usable. */
  static async open(
    port: number,
    path: string,
    mode: WireMode,
    onFrame: (frame: string) => void,
  ): Promise<PollingClient> {
    if (mode === "ws") throw new Error("raw ws has no polling transport");
    const base = `${path}?EIO=4&transport=polling`;
    const first = (await request("GET", port, base)).split("\x1e");
    const open = first[0] ?? "";
    if (open.charCodeAt(0) !== 0x30) throw new Error(`expected an open packet, got ${open.slice(0, 60)}`);
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const client = new PollingClient(port, `${base}&sid=${encodeURIComponent(sid)}`, mode, onFrame);
    if (mode === "eio") {
      for (const p of first.slice(1)) client.handle(p);
      return client;
    }
    await client.post("40");
    // Poll until the CONNECT reply; anything after it in the same payload belongs to the application.
    for (;;) {
      const packets = (await request("GET", port, client.url)).split("\x1e");
      const at = packets.findIndex((p) => p.startsWith("40"));
      if (at === -1) {
        if (packets.some((p) => p.startsWith("44"))) throw new Error("CONNECT refused");
        continue;
      }
      for (const p of packets.slice(at + 1)) client.handle(p);
      return client;
    }
  }

  private handle(packet: string): void {
    const c0 = packet.charCodeAt(0);
    if (c0 === 0x32) {
      void this.post(`3${packet.slice(1)}`).catch(() => {});
    } else if (c0 === 0x31) {
      this.running = false;
    } else if (c0 !== 0x36) {
      this.onFrame(packet);
    }
  }

  /** One GET; resolves when its payload has been handled. */
  async poll(): Promise<void> {
    const body = await request("GET", this.port, this.url);
    const packets = body.split("\x1e");
    for (const p of packets) this.handle(p);
  }

  /** Keeps one GET pending at all times until close(). */
  startLoop(onError: (err: Error) => void): void {
    const loop = async (): Promise<void> => {
      while (this.running) {
        try {
          await this.poll();
        } catch (err) {
          if (this.running) onError(err as Error);
          this.running = false;
        }
      }
    };
    void loop();
  }

  post(...packets: string[]): Promise<string> {
    return request("POST", this.port, this.url, packets.join("\x1e"));
  }

  /** Sends the Engine.IO close packet (best effort) and stops polling. */
  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.post("1").catch(() => {});
  }
}

export function destroyPollingAgent(): void {
  agent.destroy();
}
