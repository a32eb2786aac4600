// Our Engine.IO codecs (@ladder/protocol) against the reference: engine.io-parser 5.2.3 on generated inputs,
// and a real engine.io 6.6 server for the handshake and the JSONP transport (response script and form body).
import { createServer, type Server as HttpServer, request } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import {
  decodeHandshake,
  decodeJsonpResponse,
  decodePacket,
  decodePayload,
  type EnginePacket,
  type EnginePacketType,
  encodeHandshake,
  encodeJsonpBody,
  encodePacket,
  encodePayload,
  isProtocolError,
} from "@ladder/protocol";
import { expect } from "chai";
import { Server as EngineServer, type Socket as EngineSocket } from "engine.io";
import fc from "fast-check";

// engine.io-parser is a devDependency of the bench package only.
const benchRequire = createRequire(new URL("../bench/package.json", import.meta.url));

interface ReferencePacket {
  type: string;
  data?: unknown;
}
interface ReferenceParser {
  encodePacket(packet: ReferencePacket, supportsBinary: boolean, callback: (encoded: unknown) => void): void;
  decodePacket(encoded: unknown, binaryType?: string): ReferencePacket;
  encodePayload(packets: ReferencePacket[], callback: (payload: string) => void): void;
  decodePayload(payload: string, binaryType?: string): ReferencePacket[];
}
const reference = benchRequire("engine.io-parser") as ReferenceParser;

const TYPES: EnginePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
const noSeparator = (s: string) => s.split("\x1e").join("");
const text = fc.string({ unit: "binary", maxLength: 24 }).map(noSeparator);
const packet: fc.Arbitrary<EnginePacket> = fc.oneof(
  fc.record({ type: fc.constantFrom(...TYPES), data: fc.option(text, { nil: undefined }) }),
  fc.uint8Array({ maxLength: 32 }).map((data) => ({ type: "message" as const, data })),
);

/** Packets in one comparable shape: bytes as plain arrays, no data key for empty text. */
function comparable(p: ReferencePacket | EnginePacket): unknown {
  if (p.data instanceof Uint8Array) return { type: p.type, bytes: Array.from(p.data) };
  return p.data === undefined || p.data === "" ? { type: p.type } : { type: p.type, data: p.data };
}

function referenceEncodePayload(packets: EnginePacket[]): string {
  let out: string | undefined;
  reference.encodePayload(packets as ReferencePacket[], (payload) => {
    out = payload;
  });
  if (out === undefined) throw new Error("engine.io-parser did not call back synchronously");
  return out;
}

function referenceEncodePacket(p: EnginePacket, supportsBinary: boolean): unknown {
  let out: unknown;
  reference.encodePacket(p as ReferencePacket, supportsBinary, (encoded) => {
    out = encoded;
  });
  return out;
}

describe("Engine.IO codecs vs engine.io-parser 5.2.3", () => {
  it("encodePayload writes the same bytes", () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 8 }), (packets) => {
        expect(encodePayload(packets)).to.equal(referenceEncodePayload(packets));
      }),
      { numRuns: 3000 },
    );
  });

  it("encodePacket writes the same frames, text and binary, with and without binary support", () => {
    fc.assert(
      fc.property(packet, fc.boolean(), (p, supportsBinary) => {
        const ours = encodePacket(p, supportsBinary);
        const theirs = referenceEncodePacket(p, supportsBinary);
        if (typeof ours === "string") expect(ours).to.equal(theirs);
        else expect(Array.from(ours)).to.deep.equal(Array.from(theirs as Uint8Array));
      }),
      { numRuns: 2000 },
    );
  });

  it("decodePayload agrees on valid payloads, and on what is an error", () => {
    const valid = fc.array(packet, { minLength: 1, maxLength: 8 }).map(encodePayload);
    const unit = fc.constantFrom("0", "2", "4", "6", "9", "b", "\x1e", "A", "Q", "=", "x", "é", " ");
    const mangled = fc.oneof(valid, fc.string({ unit, maxLength: 16 }), fc.string({ maxLength: 16 }));
    fc.assert(
      fc.property(mangled, (payload) => {
        const theirs = reference.decodePayload(payload);
        const theyFailed = theirs.length > 0 && theirs[theirs.length - 1]!.type === "error";
        let ours: EnginePacket[] | undefined;
        let code: string | undefined;
        try {
          ours = decodePayload(payload);
        } catch (err) {
          expect(isProtocolError(err), String(err)).to.equal(true);
          code = (err as { code: string }).code;
        }
        if (ours) {
          expect(theyFailed, JSON.stringify(payload)).to.equal(false);
          expect(ours.map(comparable)).to.deep.equal(theirs.map(comparable));
        } else if (code !== "LADDER_ERR_EIO_BAD_BASE64") {
          // Our base64 is strict where Buffer is lenient; every other refusal is theirs too.
          expect(theyFailed, `${JSON.stringify(payload)} → ${code}`).to.equal(true);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it("decodePacket agrees on text frames and binary frames", () => {
    fc.assert(
      fc.property(packet, fc.boolean(), (p, supportsBinary) => {
        const frame = encodePacket(p, supportsBinary);
        const theirs = reference.decodePacket(typeof frame === "string" ? frame : Buffer.from(frame));
        expect(comparable(decodePacket(frame))).to.deep.equal(comparable(theirs));
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// A real engine.io server: handshake bytes and the JSONP transport in both directions.

interface Ctx {
  http: HttpServer;
  engine: EngineServer;
  port: number;
}

function httpRequest(
  port: number,
  method: "GET" | "POST",
  path: string,
  body?: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    // agent: false → one connection per request, closed afterwards; nothing lingers after the test.
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers["content-type"]),
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function start(): Promise<Ctx> {
  const http = createServer();
  const engine = new EngineServer({ pingInterval: 60_000, pingTimeout: 60_000 });
  engine.attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { http, engine, port: (http.address() as AddressInfo).port };
}

async function stop(ctx: Ctx): Promise<void> {
  ctx.engine.close();
  const closed = new Promise<void>((resolve) => ctx.http.close(() => resolve()));
  // A failed assertion can leave a request unanswered; do not let it keep the server (and mocha) alive.
  ctx.http.closeAllConnections();
  await closed;
}

describe("Engine.IO codecs vs a real engine.io 6.6 server", () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await start();
  });
  afterEach(async () => {
    await stop(ctx);
  });

  it("reads the polling handshake and re-encodes it byte for byte", async () => {
    const res = await httpRequest(ctx.port, "GET", "/engine.io/?EIO=4&transport=polling");
    expect(res.status).to.equal(200);
    const [open, ...rest] = decodePayload(res.body);
    expect(rest).to.deep.equal([]);
    expect(open!.type).to.equal("open");
    const handshake = decodeHandshake(open!.data as string);
    expect(handshake.upgrades).to.deep.equal(["websocket"]);
    expect(handshake.pingInterval).to.equal(60_000);
    expect(handshake.maxPayload).to.equal(1e6);
    expect("0" + encodeHandshake(handshake)).to.equal(res.body);
  });

  it("JSONP: decodes the server's scripts and the server decodes our form bodies, exactly", async () => {
    const connected = new Promise<EngineSocket>((resolve) => ctx.engine.once("connection", resolve));
    const handshake = await httpRequest(ctx.port, "GET", "/engine.io/?EIO=4&transport=polling&j=3");
    // engine.io 6.6 serves the script as text/plain (its polling default); only the body matters here.
    expect(handshake.status).to.equal(200);
    expect(handshake.body.slice(0, 11)).to.equal('___eio[3]("');
    const opened = decodeJsonpResponse(handshake.body);
    expect(opened.index).to.equal("3");
    const sid = decodeHandshake((decodePacket(opened.payload).data as string) ?? "").sid;
    const socket = await connected;
    expect((socket as unknown as { id: string }).id).to.equal(sid);
    const received: unknown[] = [];
    socket.on("message", (data: unknown) => {
      // engine.io hands an empty text message ("4") over as undefined.
      received.push(
        data === undefined ? "" : typeof data === "string" ? data : Array.from(data as Uint8Array),
      );
    });
    const path = `/engine.io/?EIO=4&transport=polling&j=3&sid=${encodeURIComponent(sid)}`;

    // Backslashes, newlines and the characters form encoding cares about, in every combination.
    const tricky = fc.constantFrom(
      "\\",
      "n",
      "\n",
      "\r",
      '"',
      "+",
      "%",
      "&",
      "=",
      " ",
      "\u2028",
      "é",
      "😀",
      "a",
    );
    const message = fc.oneof(
      fc
        .string({ unit: fc.oneof(tricky, fc.string({ unit: "binary", maxLength: 1 })), maxLength: 16 })
        .map(noSeparator),
      fc.uint8Array({ maxLength: 16 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 4 }), async (messages) => {
        const expected = messages.map((m) => (typeof m === "string" ? m : Array.from(m)));
        const packets: EnginePacket[] = messages.map((data) => ({ type: "message", data }));

        // client → server: our form body through engine.io's JSONP transport.
        received.length = 0;
        const posted = await httpRequest(ctx.port, "POST", path, encodeJsonpBody(encodePayload(packets)));
        expect(posted.status).to.equal(200);
        expect(received).to.deep.equal(expected);

        // server → client: engine.io's JSONP script through our decoder.
        for (const m of messages) socket.send(typeof m === "string" ? m : Buffer.from(m));
        const polled = await httpRequest(ctx.port, "GET", path);
        const script = decodeJsonpResponse(polled.body);
        expect(script.index).to.equal("3");
        const back = decodePayload(script.payload).map((p) =>
          p.data instanceof Uint8Array ? Array.from(p.data) : (p.data ?? ""),
        );
        expect(back).to.deep.equal(expected);
      }),
      { numRuns: 150 },
    );
    expect(socket.readyState).to.equal("open");
    socket.close();
  });
});
