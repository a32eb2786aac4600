import { expect } from "chai";
import fc from "fast-check";
import { fromBase64, isProtocolError, toBase64 } from "../src/index.js";

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

function expectBadBase64(text: string): void {
  let thrown: unknown;
  try {
    fromBase64(text);
  } catch (err) {
    thrown = err;
  }
  expect(isProtocolError(thrown), `expected ${JSON.stringify(text)} to be refused`).to.equal(true);
  expect((thrown as { code: string }).code).to.equal("LADDER_ERR_EIO_BAD_BASE64");
}

type Environment = { name: string; install(): void; uninstall(): void };

const globals = globalThis as { TextDecoder?: unknown };
const savedTextDecoder = globals.TextDecoder;
const proto = Uint8Array.prototype as { toBase64?: unknown };
const ctor = Uint8Array as { fromBase64?: unknown };

/**
 * What the ES2026 methods do, built on Node's lenient decoder plus the spec's strict-mode rules, so the glue
 * to a native implementation is tested on an engine that has none (Node 20).
 */
let nativeCalls = 0;
function nativeToBase64(this: Uint8Array): string {
  nativeCalls++;
  return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString("base64");
}
function nativeFromBase64(text: string, options: { lastChunkHandling?: string }): Uint8Array {
  nativeCalls++;
  if (typeof text !== "string") throw new TypeError("not a string");
  // The spec skips ASCII whitespace in every mode.
  const stripped = text.replace(/[\t\n\f\r ]/g, "");
  const canonical = Buffer.from(Buffer.from(stripped, "base64").toString("base64")).toString() === stripped;
  if (options.lastChunkHandling !== "strict" || !canonical) throw new SyntaxError("bad base64");
  return new Uint8Array(Buffer.from(stripped, "base64"));
}

const ENVIRONMENTS: Environment[] = [
  { name: "table-driven, with TextDecoder", install() {}, uninstall() {} },
  {
    name: "table-driven, without TextDecoder (old browsers)",
    install() {
      delete globals.TextDecoder;
    },
    uninstall() {
      globals.TextDecoder = savedTextDecoder;
    },
  },
  {
    name: "native Uint8Array.prototype.toBase64 / Uint8Array.fromBase64",
    install() {
      proto.toBase64 = nativeToBase64;
      ctor.fromBase64 = nativeFromBase64;
    },
    uninstall() {
      delete proto.toBase64;
      delete ctor.fromBase64;
    },
  },
];

for (const environment of ENVIRONMENTS) {
  describe(`base64 (${environment.name})`, () => {
    before(() => environment.install());
    after(() => environment.uninstall());

    it("runs the implementation this environment selects", () => {
      const before = nativeCalls;
      expect(toBase64(new Uint8Array(200))).to.have.length(268);
      expect(fromBase64("AQID")).to.have.length(3);
      expect(nativeCalls - before).to.equal(environment === ENVIRONMENTS[2] ? 2 : 0);
      expect(typeof globals.TextDecoder).to.equal(environment === ENVIRONMENTS[1] ? "undefined" : "function");
    });

    it("refuses whitespace even where a native decoder would skip it", () => {
      for (const text of ["AQID    ", "    AQID", "AQ==    ", "AQ  ID==", "AQID\n\n\n\nAQID", "A Q I D "]) {
        expectBadBase64(text);
      }
    });
    // RFC 4648 §10.
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];

    it("encodes and decodes the RFC 4648 test vectors", () => {
      for (const [plain, encoded] of vectors) {
        expect(toBase64(bytes(plain))).to.equal(encoded);
        expect(Array.from(fromBase64(encoded))).to.deep.equal(Array.from(bytes(plain)));
      }
    });

    it("uses the standard alphabet with + and /", () => {
      expect(toBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).to.equal("+/+/");
      expect(Array.from(fromBase64("+/+/"))).to.deep.equal([0xfb, 0xff, 0xbf]);
      expect(toBase64(Uint8Array.of(1, 2, 3))).to.equal("AQID");
    });

    it("covers every byte value and every length around the small/large and slice boundaries", () => {
      const all = new Uint8Array(256);
      for (let i = 0; i < 256; i++) all[i] = i;
      expect(toBase64(all)).to.equal(Buffer.from(all).toString("base64"));
      // 96 bytes switches encoders (when the engine has TextDecoder); larger sizes exercise the buffer path.
      for (const length of [94, 95, 96, 97, 98, 99, 1023, 1024, 1025, 20000, 100001]) {
        const data = new Uint8Array(length);
        for (let i = 0; i < length; i++) data[i] = (i * 131 + 7) & 255;
        const expected = Buffer.from(data).toString("base64");
        expect(toBase64(data), `length ${length}`).to.equal(expected);
        expect(Buffer.from(fromBase64(expected)).equals(Buffer.from(data)), `length ${length}`).to.equal(
          true,
        );
      }
    });

    it("encodes views at an offset by their own bytes only", () => {
      const backing = Uint8Array.of(0xff, 1, 2, 3, 0xff);
      expect(toBase64(backing.subarray(1, 4))).to.equal("AQID");
      expect(toBase64(Buffer.from([1, 2, 3]))).to.equal("AQID");
    });

    it("refuses a length that is not a multiple of 4", () => {
      for (const text of ["A", "AQ", "AQI", "AQIDA", "Zg=", "Zg"]) expectBadBase64(text);
    });

    it("refuses characters outside the alphabet, whitespace, URL-safe and non-ASCII ones", () => {
      for (const text of ["AQI*", "AQ I", "AQI\n", " AQI", "AQ-_", "ÀQID", "AQ\u0100D", "😀AQ", "AQ\x00D"]) {
        expectBadBase64(text);
      }
      // The same characters in the last group and in an earlier one.
      expectBadBase64("AQIDAQ*D");
      expectBadBase64("AQ*DAQID");
      expectBadBase64("AQIDAQ\u00c0D");
    });

    it("refuses padding anywhere but at the end, and too much of it", () => {
      for (const text of ["=AQI", "A=QI", "AQ=D", "Zg==Zg==", "Z===", "====", "AQI=AQID"])
        expectBadBase64(text);
    });

    it("refuses non-zero bits before the padding (one accepted encoding per byte string)", () => {
      expectBadBase64("Zh==");
      expectBadBase64("Zm9=");
      expect(Array.from(fromBase64("Zg=="))).to.deep.equal([0x66]);
      expect(Array.from(fromBase64("Zm8="))).to.deep.equal([0x66, 0x6f]);
    });

    it("round-trips arbitrary bytes and matches Node's encoder (property)", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 700 }), (data) => {
          const text = toBase64(data);
          expect(text).to.equal(Buffer.from(data).toString("base64"));
          expect(Array.from(fromBase64(text))).to.deep.equal(Array.from(data));
        }),
        { numRuns: 3000 },
      );
    });

    it("accepts exactly the canonical encodings (property against Node)", () => {
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      const nearlyBase64 = fc.string({
        unit: fc.oneof(
          { weight: 20, arbitrary: fc.constantFrom(...alphabet.split("")) },
          { weight: 2, arbitrary: fc.constant("=") },
          { weight: 1, arbitrary: fc.constantFrom("-", "_", " ", "\n", "é", "\u0141", "\0") },
        ),
        maxLength: 24,
      });
      fc.assert(
        fc.property(nearlyBase64, (text) => {
          // Node is lenient; a text is canonical when Node's decode-then-encode gives it back unchanged.
          const canonical = Buffer.from(Buffer.from(text, "base64").toString("base64")).toString() === text;
          let accepted: Uint8Array | undefined;
          try {
            accepted = fromBase64(text);
          } catch (err) {
            expect(isProtocolError(err)).to.equal(true);
          }
          expect(accepted !== undefined, JSON.stringify(text)).to.equal(canonical);
          if (accepted) expect(Buffer.from(accepted).equals(Buffer.from(text, "base64"))).to.equal(true);
        }),
        { numRuns: 6000 },
      );
    });
  });
}
