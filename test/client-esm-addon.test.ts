// ladder.esm.js and its streaming add-on, run as ES modules in Node against our Engine. Node 20 has fetch and
// ReadableStream but no global WebSocket, and the browser bundle has no `ws`: a session climbs polling →
// streaming, and the streaming transport's code arrives by import() of ladder.streaming.esm.js from beside
// ladder.esm.js. Copied alone into another folder, ladder.esm.js finds no add-on and stays on polling.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Engine } from "@ladder/server";
import { expect } from "chai";
import { until } from "./client-helpers.js";

const dist = join(dirname(createRequire(import.meta.url).resolve("@ladder/client/package.json")), "dist");

interface EsmSocket {
  readyState: number;
  transport: string;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: { error?: { code?: string } }) => void) | null;
  send(data: string): void;
  close(): void;
}
interface EsmBundle {
  LadderSocket: new (url: string, options?: object) => EsmSocket;
  transports: { streaming: { available(o: object): boolean } };
}

describe("ladder.esm.js: the streaming transport loaded by import() of its add-on (Node)", function () {
  this.timeout(20000);
  let url: string;
  let stop: () => Promise<void>;
  let requests: string[];

  beforeEach(async () => {
    requests = [];
    const http = createServer();
    const engine = new Engine({ pingInterval: 5000, pingTimeout: 5000 });
    engine.attach(http);
    http.on("request", (req) => requests.push(`${req.method} ${req.url}`));
    engine.on("connection", (session) => {
      session.on("message", (d) => session.send(typeof d === "string" ? `echo:${d}` : d));
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    stop = async () => {
      engine.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    };
  });
  afterEach(() => stop());

  /** Opens a LadderSocket from `bundle`, sends `n` messages and collects the echoes. */
  async function chat(bundle: EsmBundle, final: string, n: number): Promise<{ s: EsmSocket; got: string[] }> {
    const s = new bundle.LadderSocket(url);
    const got: string[] = [];
    s.onmessage = (ev) => got.push(String(ev.data));
    await until(() => s.readyState === 1 && s.transport === final, `open on ${final}`, 10000);
    for (let i = 0; i < n; i++) s.send("m" + i);
    await until(() => got.length === n, `${n} echoes`, 10000);
    return { s, got };
  }

  it("beside its add-on: climbs polling → streaming, the add-on replaces the stand-in, messages flow in order", async () => {
    const bundle = (await import(pathToFileURL(join(dist, "ladder.esm.js")).href)) as EsmBundle;
    const standIn = bundle.transports.streaming.available;
    const { s, got } = await chat(bundle, "streaming", 20);
    expect(got).to.deep.equal(Array.from({ length: 20 }, (_, i) => "echo:m" + i));
    expect(bundle.transports.streaming.available).to.not.equal(standIn);
    expect(requests.some((r) => /^GET .*transport=streaming/.test(r))).to.equal(true);
    s.close();
  });

  it("without its add-on beside it: the import fails, the session stays on polling and works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ladder-esm-"));
    try {
      copyFileSync(join(dist, "ladder.esm.js"), join(dir, "ladder.esm.js"));
      const bundle = (await import(pathToFileURL(join(dir, "ladder.esm.js")).href)) as EsmBundle;
      const s = new bundle.LadderSocket(url);
      await until(() => s.readyState === 1, "open", 10000);
      // The failed load is remembered: streaming is then unavailable (and is not offered to new sessions).
      await until(() => !bundle.transports.streaming.available({}), "streaming given up", 10000);
      const got: string[] = [];
      s.onmessage = (ev) => got.push(String(ev.data));
      for (let i = 0; i < 5; i++) s.send("p" + i);
      await until(() => got.length === 5, "5 echoes", 10000);
      expect(got).to.deep.equal(["echo:p0", "echo:p1", "echo:p2", "echo:p3", "echo:p4"]);
      expect(s.transport).to.equal("polling");
      expect(requests.some((r) => /transport=streaming/.test(r))).to.equal(false);
      s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
