/**
 * A thin raw client for Ladder's streaming transport (issue 6): a long-lived GET answered with
 * `multipart/x-mixed-replace`, one part per Engine.IO packet, reopened with the same sid whenever the server
 * ends a response at its byte budget; upstream packets are POSTed as in polling. The boundary comes from
 * @ladder/protocol's Content-Type parser; the parts are split by the bench's own strict MultipartReader
 * (load/multipart.ts), which costs a fraction of the browser-grade StreamParser.
 */
import http from "node:http";
import type { WireMode } from "../servers/registry.js";
import { MultipartReader } from "./multipart.js";

interface StreamingFraming {
  parseStreamingContentType(contentType: string): string | null;
}

async function framing(): Promise<StreamingFraming> {
  const mod = (await import("@ladder/protocol")) as Record<string, unknown>;
  if (typeof mod.parseStreamingContentType !== "function") {
    throw new Error("not available yet: no parseStreamingContentType in the built @ladder/protocol");
  }
  return mod as unknown as StreamingFraming;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

export class StreamingClient {
  private running = true;
  private sid: string | undefined;
  private response: http.IncomingMessage | undefined;
  private connected!: () => void;
  private failed!: (err: Error) => void;

  private constructor(
    private readonly port: number,
    private readonly path: string,
    readonly mode: WireMode,
    private readonly lib: StreamingFraming,
    private readonly onFrame: (frame: string) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Handshakes on a streaming GET (and connects "/" for sio); resolves once the session is usable. */
  static async open(
    port: number,
    path: string,
    mode: WireMode,
    onFrame: (frame: string) => void,
    onError: (err: Error) => void,
  ): Promise<StreamingClient> {
    const client = new StreamingClient(port, path, mode, await framing(), onFrame, onError);
    const ready = new Promise<void>((resolve, reject) => {
      client.connected = resolve;
      client.failed = reject;
    });
    client.get();
    await ready;
    return client;
  }

  private url(): string {
    const sid = this.sid === undefined ? "" : `&sid=${encodeURIComponent(this.sid)}`;
    return `${this.path}?EIO=4&transport=streaming${sid}`;
  }

  private get(): void {
    const req = http.get({ host: "127.0.0.1", port: this.port, path: this.url(), agent }, (res) => {
      this.response = res;
      const boundary = this.lib.parseStreamingContentType(String(res.headers["content-type"] ?? ""));
      if (res.statusCode !== 200 || boundary === null) {
        res.resume();
        this.fail(
          new Error(`not available yet: the server refuses transport=streaming (HTTP ${res.statusCode})`),
        );
        return;
      }
      const reader = new MultipartReader(boundary);
      const handle = (part: string): void => this.handle(part);
      res.on("data", (chunk: Buffer) => {
        try {
          reader.push(chunk, handle);
        } catch (err) {
          this.fail(err as Error);
        }
      });
      res.on("end", () => {
        if (!reader.ended && this.running) {
          this.fail(new Error("streaming: response ended without the closing delimiter"));
          return;
        }
        // The server ends a response at its byte budget: reopen with the same sid.
        if (this.running && this.sid !== undefined) this.get();
      });
      res.on("error", (err) => this.fail(err));
    });
    req.on("error", (err) => this.fail(err));
  }

  private fail(err: Error): void {
    if (!this.running) return;
    this.running = false;
    this.failed(err);
    this.onError(err);
  }

  private handle(packet: string): void {
    const c0 = packet.charCodeAt(0);
    if (this.sid === undefined) {
      if (c0 !== 0x30) {
        this.fail(new Error(`expected an open packet, got ${packet.slice(0, 40)}`));
        return;
      }
      this.sid = (JSON.parse(packet.slice(1)) as { sid: string }).sid;
      if (this.mode === "eio") this.connected();
      else void this.post("40").catch((err: Error) => this.fail(err));
      return;
    }
    if (c0 === 0x32) void this.post(`3${packet.slice(1)}`).catch(() => {});
    else if (c0 === 0x31) this.running = false;
    else if (this.mode === "sio" && packet.startsWith("40")) this.connected();
    else if (c0 !== 0x36) this.onFrame(packet);
  }

  private post(body: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: this.port, path: this.url(), method: "POST", agent },
        (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`POST → ${res.statusCode}`)),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.post("1").catch(() => {});
    this.response?.destroy();
  }
}
