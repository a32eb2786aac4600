import { expect } from "chai";
import { ProtocolError } from "../src/errors.js";
import { Utf8StreamDecoder, utf8ByteLength, utf8Decode, utf8Encode } from "../src/utf8.js";

/** Runs `fn` with TextEncoder/TextDecoder removed from the global scope, as in the legacy browsers. */
function withoutNativeUtf8<T>(fn: () => T): T {
  const saved = ["TextEncoder", "TextDecoder"].map((name) => ({
    name,
    descriptor: Object.getOwnPropertyDescriptor(globalThis, name),
  }));
  for (const { name } of saved) delete (globalThis as Record<string, unknown>)[name];
  try {
    expect(typeof TextEncoder).to.equal("undefined");
    expect(typeof TextDecoder).to.equal("undefined");
    return fn();
  } finally {
    for (const { name, descriptor } of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    }
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/ /g, ""), "hex"));

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ProtocolError);
    expect((err as ProtocolError).code).to.equal("LADDER_ERR_UTF8_INVALID");
    return;
  }
  expect.fail("expected LADDER_ERR_UTF8_INVALID");
}

// Every vector: text and its exact UTF-8 bytes.
const VECTORS: Array<[string, string]> = [
  ["", ""],
  ["A", "41"],
  ["\u0000\u007f", "00 7f"],
  ["\u0080", "c2 80"],
  ["é", "c3 a9"],
  ["\u07ff", "df bf"],
  ["\u0800", "e0 a0 80"],
  ["€", "e2 82 ac"],
  ["\ud7ff", "ed 9f bf"],
  ["\ue000", "ee 80 80"],
  ["\ufeff", "ef bb bf"],
  ["\uffff", "ef bf bf"],
  ["\u{10000}", "f0 90 80 80"],
  ["😀", "f0 9f 98 80"],
  ["\u{10ffff}", "f4 8f bf bf"],
  ["4Grüße € 😀", "34 47 72 c3 bc c3 9f 65 20 e2 82 ac 20 f0 9f 98 80"],
];

// Lone surrogates are written as U+FFFD.
const LONE: Array<[string, string]> = [
  ["\ud800", "ef bf bd"],
  ["\udfff", "ef bf bd"],
  ["a\ud83d", "61 ef bf bd"],
  ["\ude00a", "ef bf bd 61"],
  ["\ud83d\ud83d\ude00", "ef bf bd f0 9f 98 80"],
  ["\ude00\ud83d", "ef bf bd ef bf bd"],
];

const INVALID: Array<[string, string]> = [
  ["80", "stray continuation byte"],
  ["bf", "stray continuation byte"],
  ["c0 80", "overlong NUL (2 bytes)"],
  ["c1 bf", "overlong 2-byte form"],
  ["e0 80 80", "overlong 3-byte form"],
  ["e0 9f bf", "overlong 3-byte form just below U+0800"],
  ["f0 80 80 80", "overlong 4-byte form"],
  ["f0 8f bf bf", "overlong 4-byte form just below U+10000"],
  ["ed a0 80", "encoded high surrogate"],
  ["ed bf bf", "encoded low surrogate"],
  ["ed a0 bd ed b8 80", "CESU-8 surrogate pair"],
  ["f4 90 80 80", "above U+10FFFF"],
  ["f5 80 80 80", "F5 lead byte"],
  ["ff", "FF byte"],
  ["fe", "FE byte"],
  ["c3", "truncated 2-byte sequence"],
  ["e2 82", "truncated 3-byte sequence"],
  ["f0 9f 98", "truncated 4-byte sequence"],
  ["c3 41", "ASCII where a continuation is needed"],
  ["e2 82 41", "ASCII inside a 3-byte sequence"],
  ["41 c3 a9 80", "continuation after a complete character"],
];

for (const [label, run] of [
  ["native fast path", <T>(fn: () => T): T => fn()],
  ["portable path (no TextEncoder/TextDecoder)", withoutNativeUtf8],
] as const) {
  describe(`utf8 (${label})`, () => {
    it("encodes and decodes every vector to its exact bytes", () => {
      run(() => {
        for (const [text, bytes] of VECTORS) {
          expect(hex(utf8Encode(text)), JSON.stringify(text)).to.equal(bytes.replace(/ /g, ""));
          expect(utf8Decode(fromHex(bytes))).to.equal(text);
        }
      });
    });

    it("writes lone surrogates as U+FFFD, and utf8ByteLength agrees", () => {
      run(() => {
        for (const [text, bytes] of LONE) {
          expect(hex(utf8Encode(text)), JSON.stringify(text)).to.equal(bytes.replace(/ /g, ""));
          expect(utf8ByteLength(text)).to.equal(bytes.split(" ").length);
        }
      });
    });

    it("keeps a leading byte-order mark", () => {
      run(() => {
        expect(utf8Decode(fromHex("ef bb bf 41"))).to.equal("\ufeffA");
        const decoder = new Utf8StreamDecoder();
        expect(decoder.write(fromHex("ef bb"))).to.equal("");
        expect(decoder.write(fromHex("bf 41"))).to.equal("\ufeffA");
        expect(decoder.end()).to.equal("");
      });
    });

    it("rejects every invalid sequence with LADDER_ERR_UTF8_INVALID", () => {
      run(() => {
        for (const [bytes] of INVALID) {
          expectInvalid(() => utf8Decode(fromHex(bytes)));
          const decoder = new Utf8StreamDecoder();
          expectInvalid(() => {
            decoder.write(fromHex(bytes));
            decoder.end();
          });
        }
      });
    });

    it("decodes long inputs (beyond the flush size) exactly", () => {
      run(() => {
        const text = "aé€😀".repeat(5000);
        const bytes = utf8Encode(text);
        expect(bytes.length).to.equal(5000 * 10);
        expect(utf8Decode(bytes)).to.equal(text);
      });
    });

    it("Utf8StreamDecoder holds back a 2-, 3- and 4-byte character split across writes", () => {
      run(() => {
        for (const [text, bytes] of [
          ["é", "c3 a9"],
          ["€", "e2 82 ac"],
          ["😀", "f0 9f 98 80"],
        ]) {
          const all = fromHex(bytes!);
          for (let cut = 1; cut < all.length; cut++) {
            const decoder = new Utf8StreamDecoder();
            expect(decoder.write(concat(fromHex("41"), all.subarray(0, cut)))).to.equal("A");
            expect(decoder.write(all.subarray(cut))).to.equal(text);
            expect(decoder.end()).to.equal("");
          }
          // One byte at a time.
          const decoder = new Utf8StreamDecoder();
          let out = "";
          for (let i = 0; i < all.length; i++) out += decoder.write(all.subarray(i, i + 1));
          expect(out + decoder.end()).to.equal(text);
        }
      });
    });

    it("Utf8StreamDecoder.end rejects a stream cut inside a character, then starts afresh", () => {
      run(() => {
        const decoder = new Utf8StreamDecoder();
        expect(decoder.write(fromHex("41 f0 9f"))).to.equal("A");
        expectInvalid(() => decoder.end());
        expect(decoder.write(fromHex("c3 a9"))).to.equal("é");
        expect(decoder.end()).to.equal("");
      });
    });

    it("Utf8StreamDecoder rejects an invalid continuation arriving in a later write, then starts afresh", () => {
      run(() => {
        const decoder = new Utf8StreamDecoder();
        expect(decoder.write(fromHex("e0"))).to.equal("");
        expectInvalid(() => decoder.write(fromHex("80 80")));
        expect(decoder.write(fromHex("41"))).to.equal("A");
        expect(decoder.end()).to.equal("");
      });
    });
  });
}

describe("utf8 path selection", () => {
  it("uses the native classes when present and a replaced constructor takes effect", () => {
    const Original = globalThis.TextDecoder;
    let constructed = 0;
    class Counting extends Original {
      constructor(label?: string, options?: ConstructorParameters<typeof TextDecoder>[1]) {
        super(label, options);
        constructed++;
      }
    }
    globalThis.TextDecoder = Counting as typeof TextDecoder;
    try {
      expect(utf8Decode(fromHex("c3 a9"))).to.equal("é");
      expect(utf8Decode(fromHex("41"))).to.equal("A");
      expect(constructed).to.equal(1); // cached between calls
      new Utf8StreamDecoder().write(fromHex("41"));
      expect(constructed).to.equal(2);
    } finally {
      globalThis.TextDecoder = Original;
    }
  });

  it("utf8ByteLength counts without encoding", () => {
    expect(utf8ByteLength("")).to.equal(0);
    expect(utf8ByteLength("abc")).to.equal(3);
    expect(utf8ByteLength("é€😀")).to.equal(2 + 3 + 4);
    expect(utf8ByteLength("\ud83d")).to.equal(3);
    expect(utf8ByteLength("\ud83d\ude00\ude00")).to.equal(7);
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
