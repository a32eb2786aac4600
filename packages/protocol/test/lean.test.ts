// The lean client-side codecs (src/lean, what the browser bundles ship) against the full ones: the same wire
// strings both ways, and the same LADDER_ERR codes for the bad input the client must survive.
import { expect } from "chai";
import fc from "fast-check";
import * as full from "../src/index.js";
import * as lean from "../src/lean/index.js";
import * as nativeUtf8 from "../src/lean/utf8-native.js";
import * as utf8 from "../src/utf8.js";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: string; name?: string };
    expect(e.name, "error name").to.equal("ProtocolError");
    return e.code ?? "no code";
  }
  return "no error";
}

/** What `fn` returns, or the name and code it throws: two codecs agree when their outcomes are deep-equal. */
function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    const e = err as { code?: string; name?: string };
    return { name: e.name, code: e.code };
  }
}

function fail(err: Error): never {
  throw err;
}

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 31 + i * 7919) & 255;
  return out;
}

describe("lean client codecs (browser bundles)", () => {
  it("base64: the same text as the full codec for 0..64 bytes, and back", () => {
    for (let n = 0; n <= 64; n++) {
      const b = bytes(n, n);
      const text = lean.toBase64(b);
      expect(text).to.equal(full.toBase64(b));
      expect(Array.from(lean.fromBase64(text))).to.deep.equal(Array.from(b));
    }
    expect(lean.toBase64(Uint8Array.of(1, 2, 3))).to.equal("AQID");
  });

  it("base64: rejects what the full decoder rejects, with its code", () => {
    for (const bad of [
      "A",
      "AQI",
      "AQ=D",
      "AQ==AQID",
      "AR==",
      "AQN=",
      "A-_=",
      "AQ I",
      "====",
      "A===",
      "Ã¿==",
      "AQID\n",
    ]) {
      expect(
        codeOf(() => lean.fromBase64(bad)),
        bad,
      ).to.equal("LADDER_ERR_EIO_BAD_BASE64");
      expect(
        codeOf(() => full.fromBase64(bad)),
        bad,
      ).to.equal("LADDER_ERR_EIO_BAD_BASE64");
    }
  });

  it("utf8ByteLength equals the full one (ASCII, 2/3/4-byte, lone surrogates)", () => {
    for (const s of [
      "",
      "hello",
      "héllo",
      "€",
      "日本語",
      "😀",
      "a😀b",
      "\ud800",
      "\udc00x",
      "\ud800\ud800\udc00",
    ]) {
      expect(lean.utf8ByteLength(s), JSON.stringify(s)).to.equal(full.utf8ByteLength(s));
    }
  });

  it("Engine.IO packets and payloads: identical frames and packets", () => {
    const packets: full.EnginePacket[] = [
      { type: "open", data: '{"sid":"x"}' },
      { type: "close" },
      { type: "ping", data: "probe" },
      { type: "pong" },
      { type: "message", data: "héllo\x1f" },
      { type: "message", data: "" },
      { type: "message", data: bytes(5, 1) },
      { type: "upgrade" },
      { type: "noop" },
    ];
    for (const p of packets) {
      for (const binary of [true, false]) {
        const frame = lean.encodePacket(p, binary);
        expect(frame).to.deep.equal(full.encodePacket(p, binary));
        expect(lean.decodePacket(frame as string)).to.deep.equal(full.decodePacket(frame as string));
      }
    }
    const payload = lean.encodePayload(packets);
    expect(payload).to.equal(full.encodePayload(packets));
    expect(lean.decodePayload(payload)).to.deep.equal(full.decodePayload(payload));
    expect(lean.decodePacket(bytes(3, 2).buffer as ArrayBuffer)).to.deep.equal({
      type: "message",
      data: bytes(3, 2),
    });
  });

  it("Engine.IO: bad frames and payloads give the full codec's codes", () => {
    const cases: Array<[string, () => unknown, () => unknown]> = [
      ["empty", () => lean.decodePacket(""), () => full.decodePacket("")],
      ["type 7", () => lean.decodePacket("7x"), () => full.decodePacket("7x")],
      ["type x", () => lean.decodePacket("x"), () => full.decodePacket("x")],
      ["bad b64", () => lean.decodePacket("bAQ"), () => full.decodePacket("bAQ")],
      ["empty record", () => lean.decodePayload("4a\x1e"), () => full.decodePayload("4a\x1e")],
      ["empty payload", () => lean.decodePayload(""), () => full.decodePayload("")],
      [
        "not text",
        () => lean.decodePayload(1 as unknown as string),
        () => full.decodePayload(1 as unknown as string),
      ],
      [
        "binary ping",
        () => lean.encodePacket({ type: "ping", data: bytes(1, 1) }, true),
        () => full.encodePacket({ type: "ping", data: bytes(1, 1) }, true),
      ],
      [
        "unknown type",
        () => lean.encodePacket({ type: "nope" as "ping" }, true),
        () => full.encodePacket({ type: "nope" as "ping" }, true),
      ],
    ];
    for (const [label, l, f] of cases) {
      const expected = codeOf(f);
      expect(expected, label).to.match(/^LADDER_ERR_/);
      expect(codeOf(l), label).to.equal(expected);
    }
  });

  it("handshake: the same fields; a malformed one is LADDER_ERR_EIO_BAD_HANDSHAKE", () => {
    const text =
      '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
    expect(lean.decodeHandshake(text)).to.deep.equal(full.decodeHandshake(text));
    for (const bad of [
      "",
      "null",
      "[]",
      '{"sid":"","upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
      '{"sid":"a","upgrades":{},"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
      '{"sid":"a","upgrades":[],"pingInterval":-1,"pingTimeout":1,"maxPayload":1}',
      '{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":"1","maxPayload":1}',
      '{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":1}',
    ]) {
      expect(
        codeOf(() => lean.decodeHandshake(bad)),
        bad,
      ).to.equal("LADDER_ERR_EIO_BAD_HANDSHAKE");
      expect(
        codeOf(() => full.decodeHandshake(bad)),
        bad,
      ).to.equal("LADDER_ERR_EIO_BAD_HANDSHAKE");
    }
  });

  it("Socket.IO encoding: the same messages as the full encoder (text and binary)", () => {
    const packets: full.SocketPacket[] = [
      { type: 0, nsp: "/" },
      { type: 0, nsp: "/admin", data: { token: "x", pid: "p", offset: "o" } },
      { type: 1, nsp: "/admin" },
      { type: 2, nsp: "/", data: ["hello", 1, { a: [true, null] }] },
      { type: 2, nsp: "/admin", id: 13, data: ["ping"] },
      { type: 3, nsp: "/", id: 0, data: [] },
      { type: 2, nsp: "/", id: 4, data: ["bin", bytes(3, 1), { nested: [bytes(2, 2)] }] },
      {
        type: 3,
        nsp: "/x",
        id: 9,
        data: [bytes(4, 3).buffer as ArrayBuffer, new DataView(bytes(2, 4).buffer)],
      },
      { type: 2, nsp: "/", data: ["date", new Date(0)] },
      { type: 2, nsp: "/", data: ["date and binary", new Date(0), bytes(1, 5)] },
    ];
    for (const p of packets) {
      const ours = lean.encodeSocketPacket(p);
      const theirs = full.encodeSocketPacket(p);
      expect(ours.length, JSON.stringify(theirs[0])).to.equal(theirs.length);
      expect(ours[0]).to.equal(theirs[0]);
      for (let i = 1; i < ours.length; i++)
        expect(Array.from(ours[i] as Uint8Array)).to.deep.equal(Array.from(theirs[i] as Uint8Array));
    }
    const cyclic: unknown[] = ["cycle"];
    cyclic.push(cyclic);
    expect(codeOf(() => lean.encodeSocketPacket({ type: 2, nsp: "/", data: cyclic }))).to.equal(
      "LADDER_ERR_SIO_UNENCODABLE",
    );
    expect(codeOf(() => lean.encodeSocketPacket({ type: 2, nsp: "/", data: ["x", 1n] }))).to.equal(
      "LADDER_ERR_SIO_UNENCODABLE",
    );
  });

  it("Socket.IO encoding: toJSON, Buffer, __proto__ keys and misplaced binary as the full encoder", () => {
    const withToJSON = { toJSON: () => ({ inner: bytes(2, 7) }) };
    const holey: unknown[] = new Array(3);
    holey[1] = 2;
    const packets: full.SocketPacket[] = [
      { type: 2, nsp: "/", data: ["buffer", Buffer.from([1, 2, 3]), { b: Buffer.alloc(0) }] },
      { type: 2, nsp: "/", data: ["toJSON", withToJSON, { toJSON: () => bytes(1, 8) }] },
      { type: 2, nsp: "/", data: ["proto", JSON.parse('{"__proto__":{"x":1},"y":2}'), bytes(1, 9)] },
      { type: 3, nsp: "/", id: 1, data: [holey, new Float64Array([0.5])] },
      { type: 2, nsp: "/", data: ["deep", JSON.parse("[".repeat(1500) + "]".repeat(1500)), bytes(1, 1)] },
    ];
    for (const p of packets) {
      const ours = lean.encodeSocketPacket(p);
      const theirs = full.encodeSocketPacket(p);
      expect(ours[0]).to.equal(theirs[0]);
      expect(ours.slice(1).map((b) => Array.from(b as Uint8Array))).to.deep.equal(
        theirs.slice(1).map((b) => Array.from(b as Uint8Array)),
      );
    }
    for (const p of [
      { type: 0, nsp: "/", data: { token: bytes(1, 1) } },
      { type: 2, nsp: "/", data: ["throws", { toJSON: () => fail(new Error("no")) }] },
    ] as full.SocketPacket[]) {
      expect(codeOf(() => lean.encodeSocketPacket(p))).to.equal(codeOf(() => full.encodeSocketPacket(p)));
    }
  });

  it("Socket.IO decoding: the same packets as the full decoder, attachments in place", () => {
    const texts = [
      "0",
      '0/admin,{"sid":"abc","pid":"p"}',
      "1/admin,",
      '2["hello",1]',
      '2/admin,13["ping"]',
      "37[]",
      '3/x,9[{"ok":1}]',
      '4{"message":"nope","data":{"code":1}}',
      '4/admin,"refused"',
      "2[42]",
    ];
    for (const t of texts) {
      expect(new lean.SocketDecoder().add(t), t).to.deep.equal(new full.SocketDecoder().add(t));
    }
    const l = new lean.SocketDecoder();
    const f = new full.SocketDecoder();
    const header = '51-/admin,7["file",{"_placeholder":true,"num":0},"x"]';
    expect(l.add(header)).to.equal(null);
    expect(f.add(header)).to.equal(null);
    expect(l.pendingAttachments).to.equal(1);
    const b = bytes(3, 9);
    expect(l.add(b)).to.deep.equal(f.add(b));
    expect(l.pendingAttachments).to.equal(0);
  });

  it("Socket.IO decoding: bad input gives the full decoder's code and resets the decoder", () => {
    const bad = [
      "",
      "7",
      "x",
      '2{"a":1}',
      "2[]",
      "2[null]",
      '2["connect"]',
      '2["disconnect",1]',
      "3",
      '3{"a":1}',
      "2[oops",
      '1"x"',
      '0["a"]',
      "4[1]",
      "4",
      "04",
      "0null",
      '0"x"',
      "4null",
      "41",
      "/admin,4",
      '5-["a",{"_placeholder":true,"num":0}]',
      '50-["a"]',
      '511-["a"]',
    ];
    for (const text of bad) {
      const expected = codeOf(() => new full.SocketDecoder().add(text));
      expect(expected, text).to.match(/^LADDER_ERR_SIO_/);
      const d = new lean.SocketDecoder();
      expect(
        codeOf(() => d.add(text)),
        text,
      ).to.equal(expected);
      expect(d.pendingAttachments).to.equal(0);
      expect(d.add('2["after"]')).to.deep.equal({ type: 2, nsp: "/", data: ["after"] });
    }
    for (const [header, chunk] of [
      ['51-["a",{"_placeholder":true,"num":1}]', bytes(1, 1)],
      ['51-["a",{"_placeholder":true,"num":"0"}]', bytes(1, 1)],
    ] as const) {
      const d = new lean.SocketDecoder();
      const f = new full.SocketDecoder();
      const expected = codeOf(() => f.add(header) ?? f.add(chunk));
      expect(expected).to.equal("LADDER_ERR_SIO_BAD_PLACEHOLDER");
      expect(
        codeOf(() => d.add(header) ?? d.add(chunk)),
        header,
      ).to.equal(expected);
    }
    const d = new lean.SocketDecoder();
    expect(codeOf(() => d.add(bytes(1, 1)))).to.equal("LADDER_ERR_SIO_UNEXPECTED_BINARY");
    d.add('51-["a",{"_placeholder":true,"num":0}]');
    expect(codeOf(() => d.add('2["a"]'))).to.equal("LADDER_ERR_SIO_UNEXPECTED_TEXT");
  });

  it("utf8-native (modern bundles): the same text and the same LADDER_ERR_UTF8_INVALID as the portable codec", () => {
    const text = "a\u00e9\u20ac\ud83d\ude00z";
    const encoded = nativeUtf8.utf8Encode(text);
    expect(Array.from(encoded)).to.deep.equal(Array.from(utf8.utf8Encode(text)));
    expect(nativeUtf8.utf8Decode(encoded)).to.equal(text);
    // Split inside every character: held back, then completed.
    for (let cut = 0; cut <= encoded.length; cut++) {
      const d = new nativeUtf8.Utf8StreamDecoder();
      expect(d.write(encoded.subarray(0, cut)) + d.write(encoded.subarray(cut)) + d.end()).to.equal(text);
    }
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xff]]) {
      const bytes = Uint8Array.from(bad);
      expect(
        codeOf(() => nativeUtf8.utf8Decode(bytes)),
        String(bad),
      ).to.equal("LADDER_ERR_UTF8_INVALID");
      expect(
        codeOf(() => utf8.utf8Decode(bytes)),
        String(bad),
      ).to.equal("LADDER_ERR_UTF8_INVALID");
    }
    const d = new nativeUtf8.Utf8StreamDecoder();
    expect(d.write(Uint8Array.of(0xe2, 0x82))).to.equal("");
    expect(codeOf(() => d.end())).to.equal("LADDER_ERR_UTF8_INVALID");
    expect(d.write(Uint8Array.of(0x41)) + d.end()).to.equal("A");
  });

  describe("against the full codecs on generated input (fast-check)", () => {
    it("base64: the same text for any bytes, and back", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
          const text = lean.toBase64(b);
          expect(text).to.equal(full.toBase64(b));
          expect(Array.from(lean.fromBase64(text))).to.deep.equal(Array.from(b));
        }),
      );
    });

    it("base64: any text decodes to the same bytes or fails with the same code", () => {
      const text = fc
        .array(
          fc.constantFrom("A", "Q", "I", "D", "g", "/", "+", "=", "-", "_", " ", "\n", "é", "AQID", "=="),
          {
            maxLength: 12,
          },
        )
        .map((parts) => parts.join(""));
      fc.assert(
        fc.property(text, (t) => {
          const ours = outcome(() => Array.from(lean.fromBase64(t)));
          expect(ours, JSON.stringify(t)).to.deep.equal(outcome(() => Array.from(full.fromBase64(t))));
        }),
        { numRuns: 2000 },
      );
    });

    it("Engine.IO payloads: any text decodes to the same packets or fails with the same code", () => {
      const record = fc.constantFrom(
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "b",
        "x",
        "AQID",
        "AQ==",
        "probe",
        "",
        "{}",
      );
      const payload = fc
        .array(fc.array(record, { maxLength: 3 }), { minLength: 1, maxLength: 4 })
        .map((records) => records.map((r) => r.join("")).join("\x1e"));
      fc.assert(
        fc.property(payload, (p) => {
          expect(
            outcome(() => lean.decodePayload(p)),
            JSON.stringify(p),
          ).to.deep.equal(outcome(() => full.decodePayload(p)));
        }),
        { numRuns: 2000 },
      );
    });

    it("Socket.IO decoding: whatever the full decoder accepts, the lean one decodes the same", () => {
      const piece = fc.constantFrom(
        ..."0 1 2 3 4 5 6 7 1- 2- 0- /admin , /a, 12 x - null [] {".split(" "),
        '["a"]',
        '["connect"]',
        "[1]",
        '{"a":1}',
        '"x"',
        '{"_placeholder":true,"num":0}',
        '["a",{"_placeholder":true,"num":0}]',
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
          const text = parts.join("");
          const expected = outcome(() => new full.SocketDecoder().add(text));
          const ours = outcome(() => new lean.SocketDecoder().add(text));
          if ((expected as { name?: string } | null)?.name === "ProtocolError") {
            // The lean decoder leaves some server-side checks out; what it rejects, it rejects with a code.
            if ((ours as { name?: string } | null)?.name === "ProtocolError")
              expect((ours as { code: string }).code).to.match(/^LADDER_ERR_SIO_/);
          } else expect(ours, text).to.deep.equal(expected);
        }),
        { numRuns: 3000 },
      );
    });

    it("Socket.IO encoding: the same messages for any packet, and the caller's data left alone", () => {
      const leaf = fc.oneof(
        { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }) },
      );
      const data = fc.array(
        fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string(), leaf)),
        {
          maxLength: 4,
        },
      );
      // The packets a client sends: events and acks (any data, binary anywhere) and CONNECT with its auth.
      const packet = fc.oneof(
        fc.record({
          type: fc.constantFrom(2 as const, 5 as const),
          nsp: fc.constantFrom("/", "/admin"),
          id: fc.option(fc.nat(), { nil: undefined }),
          data: fc.tuple(fc.string(), data).map(([name, args]) => [name, ...args]),
        }),
        fc.record({
          type: fc.constantFrom(3 as const, 6 as const),
          nsp: fc.constantFrom("/", "/admin"),
          id: fc.nat(),
          data,
        }),
        fc.record({
          type: fc.constant(0 as const),
          nsp: fc.constantFrom("/", "/admin"),
          data: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })), { nil: undefined }),
        }),
      );
      fc.assert(
        fc.property(packet, (p) => {
          const before = JSON.stringify(p.data, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v));
          const p2 = { ...p } as full.SocketPacket;
          if (p2.id === undefined) delete p2.id;
          if (p2.data === undefined) delete p2.data;
          const ours = outcome(() => lean.encodeSocketPacket(p2));
          expect(ours).to.deep.equal(outcome(() => full.encodeSocketPacket(p2)));
          expect(JSON.stringify(p.data, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v))).to.equal(
            before,
          );
        }),
        { numRuns: 1000 },
      );
    });
  });
});
