import { expect } from "chai";
import type { UnknownSessionRequest } from "../src/engine/unknown-session.js";
import { EIO, handshake, http, poll, rawExchange, startEngine, type TestServer } from "./helpers.js";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const upgradeFor = (sid: string) =>
  `GET /engine.io/?EIO=4&transport=websocket&sid=${sid} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

describe("engine: unknownSession hook (unknown sid → ask the cluster)", () => {
  let t: TestServer;
  let seen: UnknownSessionRequest[];
  afterEach(async () => {
    await t.close();
  });

  it("declining (false) answers Session ID unknown as before", async () => {
    seen = [];
    t = await startEngine({
      unknownSession: (r) => {
        seen.push(r);
        return false;
      },
    });
    const res = await poll(t.port, "elsewhere.abc");
    expect(res.status).to.equal(400);
    expect(res.body).to.equal('{"code":1,"message":"Session ID unknown"}');
    expect(seen.map((r) => [r.kind, r.sid, r.req.method])).to.deep.equal([["http", "elsewhere.abc", "GET"]]);
  });

  it("a hook that takes the request owns the response (GET and POST)", async () => {
    seen = [];
    t = await startEngine({
      unknownSession: (r) => {
        seen.push(r);
        if (r.kind !== "http") return false;
        r.res.writeHead(200, { "Content-Type": "text/plain" });
        r.res.end(`forwarded ${r.req.method} ${r.sid}`);
        return true;
      },
    });
    expect((await poll(t.port, "n1.x")).body).to.equal("forwarded GET n1.x");
    const posted = await http(t.port, "POST", `${EIO}&transport=polling&sid=n1.y`, { body: "4hi" });
    expect(posted.body).to.equal("forwarded POST n1.y");
    expect(seen).to.have.length(2);
  });

  it("refuse() later answers the engine's own error and emits connection_error", async () => {
    const errors: number[] = [];
    t = await startEngine({
      unknownSession: (r) => {
        setTimeout(() => r.refuse(), 5);
        return true;
      },
    });
    t.engine.on("connection_error", (e) => errors.push(e.code));
    const res = await poll(t.port, "gone.zzz");
    expect([res.status, res.body]).to.deep.equal([400, '{"code":1,"message":"Session ID unknown"}']);
    expect(errors).to.deep.equal([1]);
  });

  it("an upgrade for an unknown sid reaches the hook with the raw socket", async () => {
    seen = [];
    t = await startEngine({
      unknownSession: (r) => {
        seen.push(r);
        if (r.kind !== "upgrade") return false;
        r.socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\n\r\n");
        return true;
      },
    });
    const out = await rawExchange(t.port, upgradeFor("n2.q"));
    expect(out.startsWith("HTTP/1.1 418")).to.equal(true);
    expect(seen.map((r) => [r.kind, r.sid])).to.deep.equal([["upgrade", "n2.q"]]);
  });

  it("an upgrade the hook declines is aborted with 400", async () => {
    t = await startEngine({ unknownSession: () => false });
    const out = await rawExchange(t.port, upgradeFor("nobody"));
    expect(out.startsWith("HTTP/1.1 400")).to.equal(true);
  });

  it("known sessions and handshakes never reach the hook", async () => {
    seen = [];
    t = await startEngine({
      unknownSession: (r) => {
        seen.push(r);
        return false;
      },
      pingInterval: 60000,
    });
    const { sid } = await handshake(t.port);
    const posted = await http(t.port, "POST", `${EIO}&transport=polling&sid=${sid}`, { body: "4hi" });
    expect(posted.body).to.equal("ok");
    expect(seen).to.have.length(0);
  });
});
