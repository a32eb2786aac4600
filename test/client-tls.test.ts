// The Node client against an HTTPS server with a self-signed certificate (made with openssl for the test): the TLS
// options socket.io-client has in Node (`ca`, `rejectUnauthorized`, ...) apply to polling (fetch, through an undici
// dispatcher), streaming and WebSocket (`ws`) alike. Without them the certificate is refused — the control.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "@ladder/client";
import { Server } from "@ladder/server";
import { expect } from "chai";
import { once, runClientProcess, until } from "./client-helpers.js";

describe("client (Node) against HTTPS with a self-signed certificate: TLS options", function () {
  this.timeout(20000);
  let dir: string;
  let cert: string;
  let https: HttpsServer;
  let server: Server;
  let url: string;
  let sockets: Socket[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "ladder-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    cert = readFileSync(join(dir, "cert.pem"), "utf8");
    https = createServer({ key: readFileSync(join(dir, "key.pem")), cert });
    server = new Server(https);
    server.on("connection", (s) => s.on("where", (n: number, ack: (a: string) => void) => ack("tls:" + n)));
    await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sockets = [];
  });
  afterEach(() => {
    for (const s of sockets) s.disconnect();
  });

  const connect = (opts: Record<string, unknown>): Socket => {
    const s = io(url, { forceNew: true, reconnection: false, ...opts });
    sockets.push(s);
    return s;
  };

  for (const [transports, final] of [
    [["polling"], "polling"],
    [["websocket"], "websocket"],
    [["polling", "websocket"], "websocket"],
    [["polling", "streaming"], "streaming"],
  ] as const) {
    for (const [label, tls] of [
      ["ca: the certificate", () => ({ ca: cert })],
      ["rejectUnauthorized: false", () => ({ rejectUnauthorized: false })],
    ] as const) {
      it(`${label} (${transports.join(" → ")})`, async () => {
        const s = connect({ transports: [...transports], ...tls() });
        await once(s, "connect");
        await until(() => s.io.engine?.transport?.name === final, `on ${final}`);
        for (let i = 0; i < 5; i++)
          expect(await s.timeout(5000).emitWithAck("where", i)).to.equal("tls:" + i);
      });
    }
  }

  for (const transports of [["polling"], ["websocket"]]) {
    it(`control: without TLS options the self-signed certificate is refused (${transports[0]})`, async () => {
      const s = connect({ transports });
      const [err] = await once<[{ code: string }]>(s, "connect_error");
      expect(err.code).to.match(/^LADDER_ERR_CLIENT_/);
      expect(s.connected).to.equal(false);
    });
  }

  it("a Node process with TLS options exits by itself after disconnect (the dispatcher keeps nothing alive)", async () => {
    const { code, signal, out } = await runClientProcess(
      `import { io } from "@ladder/client";
       const s = io(process.env.URL, { transports: ["polling"], ca: process.env.CA });
       s.on("connect", () => s.emit("where", 1, (r) => { console.log(r); s.disconnect(); }));`,
      { URL: url, CA: cert },
    );
    expect(signal, "the child had to be killed: something kept it alive\n" + out).to.equal(null);
    expect(code).to.equal(0);
    expect(out.trim()).to.equal("tls:1");
  });
});
