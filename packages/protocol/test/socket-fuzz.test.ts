import { expect } from "chai";
import fc from "fast-check";
import { isProtocolError } from "../src/errors.js";
import {
  decodeSocketPacket,
  encodeSocketPacket,
  SocketDecoder,
  type SocketPacket,
} from "../src/socket/index.js";

/**
 * Fuzzing: whatever arrives, the decoder either returns or throws a ProtocolError, and stays usable.
 * Anything else escaping (TypeError, RangeError, a hang) is a bug.
 */

const TOKENS = [
  ..."0123456789",
  "-",
  "/",
  ",",
  "[",
  "]",
  "{",
  "}",
  '"',
  ":",
  " ",
  "\u0000",
  "\n",
  "\u0085",
  "_placeholder",
  "num",
  "true",
  "null",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "connect",
  "error",
  "1e9",
  "-1",
  "9007199254740993",
  '"splice"',
  "/admin",
  '{"_placeholder":true,"num":0}',
  '{"_placeholder":true,"num":1}',
];

const tokenString = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((t) => t.join(""));
const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  tokenString,
);

const VALID = [
  "0",
  '0{"token":"x"}',
  '0/admin,{"sid":"abc"}',
  "1/admin,",
  '2["hello",1]',
  '2/admin,13["ping"]',
  '3/admin,13[{"ok":1}]',
  '4{"message":"nope","data":{"code":1}}',
  '51-["upload",{"_placeholder":true,"num":0}]',
  '61-/admin,7[{"_placeholder":true,"num":0}]',
  '52-["e",{"a":{"_placeholder":true,"num":1}},[{"_placeholder":true,"num":0}]]',
];

/** A valid packet with a few random edits: delete, insert, replace, truncate, duplicate. */
const mutated = fc
  .record({
    base: fc.constantFrom(...VALID),
    edits: fc.array(
      fc.record({
        kind: fc.constantFrom("delete", "insert", "replace", "truncate", "duplicate"),
        at: fc.nat(),
        text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ base, edits }) => {
    let s = base;
    for (const e of edits) {
      const i = s.length === 0 ? 0 : e.at % (s.length + 1);
      if (e.kind === "delete") s = s.slice(0, i) + s.slice(i + 1);
      else if (e.kind === "insert") s = s.slice(0, i) + e.text + s.slice(i);
      else if (e.kind === "replace") s = s.slice(0, i) + e.text + s.slice(i + e.text.length);
      else if (e.kind === "truncate") s = s.slice(0, i);
      else s = s.slice(0, i) + s.slice(i, i + 8) + s.slice(i);
    }
    return s;
  });

const binaryChunk = fc.oneof(
  fc.uint8Array({ maxLength: 32 }),
  fc.uint8Array({ maxLength: 32 }).map((u) => u.buffer),
);

const chunk = fc.oneof(
  { weight: 3, arbitrary: mutated },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom(...VALID) },
  { weight: 3, arbitrary: binaryChunk },
);

/** Feeds one chunk; returns the packet, null, or "rejected". Fails the test on anything but a ProtocolError. */
function feed(decoder: SocketDecoder, input: unknown): SocketPacket | null | "rejected" {
  try {
    return decoder.add(input as string);
  } catch (err) {
    if (!isProtocolError(err)) throw new Error(`non-ProtocolError escaped: ${String(err)}`);
    expect(decoder.pendingAttachments).to.equal(0);
    return "rejected";
  }
}

describe("socket codec: fuzz", function () {
  this.timeout(60_000);

  it("random strings and mutated packets: a packet or a ProtocolError; accepted ones re-encode faithfully", () =>
    fc.assert(
      fc.property(fc.oneof(anyString, mutated), (text) => {
        let packet: SocketPacket;
        try {
          packet = decodeSocketPacket(text);
        } catch (err) {
          if (!isProtocolError(err)) throw new Error(`non-ProtocolError escaped: ${String(err)}`);
          return;
        }
        // Whatever the decoder accepts, the encoder can send, and it decodes to the same packet.
        const encoded = encodeSocketPacket(packet);
        expect(encoded).to.have.length(1);
        expect(decodeSocketPacket(encoded[0] as string)).to.deep.equal(packet);
      }),
      { numRuns: 15000 },
    ));

  it("random sequences of text and binary chunks into one decoder", () =>
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 12 }), (chunks) => {
        const decoder = new SocketDecoder();
        for (const c of chunks) {
          const out = feed(decoder, c);
          expect(decoder.pendingAttachments).to.be.within(0, 10);
          if (out !== null && out !== "rejected") {
            expect(out.type).to.be.oneOf([0, 1, 2, 3, 4]);
            expect(out.nsp.charAt(0)).to.equal("/");
          }
        }
        // Whatever happened before, a reset decoder decodes a valid packet.
        decoder.reset();
        expect(decoder.add('2["ok"]')).to.deep.equal({ type: 2, nsp: "/", data: ["ok"] });
      }),
      { numRuns: 6000 },
    ));

  it("values of the wrong kind never escape as anything but a ProtocolError", () => {
    const decoder = new SocketDecoder();
    for (const junk of [
      undefined,
      null,
      0,
      NaN,
      true,
      {},
      [],
      () => 1,
      Symbol("x"),
      1n,
      new Date(),
      new Int32Array(2),
    ]) {
      expect(feed(decoder, junk)).to.equal("rejected");
    }
  });

  it("the encoder only throws ProtocolError, whatever the packet", () =>
    fc.assert(
      fc.property(
        fc.record({
          type: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.anything()),
          nsp: fc.oneof(fc.constant("/"), fc.string(), fc.anything()),
          id: fc.option(fc.oneof(fc.integer(), fc.double(), fc.anything()), { nil: undefined }),
          data: fc.oneof(
            fc.jsonValue(),
            fc.anything({ withTypedArray: true, withBigInt: true, withDate: true }),
          ),
        }),
        (packet) => {
          try {
            encodeSocketPacket(packet as SocketPacket);
          } catch (err) {
            if (!isProtocolError(err)) throw new Error(`non-ProtocolError escaped: ${String(err)}`);
          }
        },
      ),
      { numRuns: 5000 },
    ));

  it("hostile sizes stay cheap: 1 MB of digits, namespace, nesting", () => {
    const decoder = new SocketDecoder();
    const big = 1_000_000;
    for (const text of [
      `5${"9".repeat(big)}-["x"]`,
      `2/${"a".repeat(big)},["x"]`,
      `2${"7".repeat(big)}["x"]`,
      `51-${"[".repeat(big)}`,
      `51-["x",${"[".repeat(big / 2)}{"_placeholder":true,"num":0}${"]".repeat(big / 2)}]`,
    ]) {
      const out = feed(decoder, text);
      expect(out === "rejected" || out === null).to.equal(true);
      decoder.reset();
    }
  });
});
