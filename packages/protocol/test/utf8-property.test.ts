import { expect } from "chai";
import fc from "fast-check";
import { isProtocolError } from "../src/errors.js";
import { Utf8StreamDecoder, utf8ByteLength, utf8Decode, utf8Encode } from "../src/utf8.js";

// 19,000 generated cases in this file (see numRuns).

function withoutNativeUtf8<T>(fn: () => T): T {
  const saved = ["TextEncoder", "TextDecoder"].map((name) => ({
    name,
    descriptor: Object.getOwnPropertyDescriptor(globalThis, name),
  }));
  for (const { name } of saved) delete (globalThis as Record<string, unknown>)[name];
  try {
    expect(typeof TextDecoder).to.equal("undefined");
    return fn();
  } finally {
    for (const { name, descriptor } of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    }
  }
}

// The references, captured before any test removes the globals.
const nativeEncoder = new TextEncoder();
const nativeDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function reference(bytes: Uint8Array): string | "invalid" {
  try {
    return nativeDecoder.decode(bytes);
  } catch {
    return "invalid";
  }
}

function attempt(fn: () => string): string | "invalid" {
  try {
    return fn();
  } catch (err) {
    if (!isProtocolError(err) || err.code !== "LADDER_ERR_UTF8_INVALID") throw err;
    return "invalid";
  }
}

/** Any UTF-16 string: whole code points of every plane, plus lone surrogates. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  ),
  maxLength: 40,
});

/** Bytes that are often valid UTF-8 and often almost valid: encoded text with random byte edits. */
const nearlyUtf8 = fc.oneof(
  fc.uint8Array({ maxLength: 24 }),
  fc
    .tuple(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      fc.nat(),
    )
    .map(([text, edits, cut]) => {
      const bytes = Array.from(nativeEncoder.encode(text));
      for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
      return new Uint8Array(bytes.slice(0, bytes.length === 0 ? 0 : bytes.length - (cut % 2)));
    }),
);

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

function streamDecode(chunks: Uint8Array[]): string | "invalid" {
  const decoder = new Utf8StreamDecoder();
  return attempt(() => {
    let text = "";
    for (const chunk of chunks) text += decoder.write(chunk);
    return text + decoder.end();
  });
}

for (const [label, run] of [
  ["native fast path", <T>(fn: () => T): T => fn()],
  ["portable path", withoutNativeUtf8],
] as const) {
  describe(`utf8 properties (${label})`, () => {
    it("utf8Encode agrees with TextEncoder and utf8ByteLength with its length, for any string", () => {
      run(() =>
        fc.assert(
          fc.property(anyText, (text) => {
            const bytes = utf8Encode(text);
            expect(Array.from(bytes)).to.deep.equal(Array.from(nativeEncoder.encode(text)));
            expect(utf8ByteLength(text)).to.equal(bytes.length);
          }),
          { numRuns: 3000 },
        ),
      );
    });

    it("utf8Decode(utf8Encode(s)) is s with lone surrogates replaced by U+FFFD", () => {
      run(() =>
        fc.assert(
          fc.property(anyText, (text) => {
            expect(utf8Decode(utf8Encode(text))).to.equal(nativeDecoder.decode(nativeEncoder.encode(text)));
          }),
          { numRuns: 2000 },
        ),
      );
    });

    it("utf8Decode accepts and rejects exactly what a fatal TextDecoder does", () => {
      run(() =>
        fc.assert(
          fc.property(nearlyUtf8, (bytes) => {
            expect(attempt(() => utf8Decode(bytes))).to.equal(reference(bytes));
          }),
          { numRuns: 2000 },
        ),
      );
    });

    it("Utf8StreamDecoder over any split equals the one-shot decode", () => {
      run(() =>
        fc.assert(
          fc.property(nearlyUtf8, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
            expect(streamDecode(splitAt(bytes, cuts))).to.equal(reference(bytes));
          }),
          { numRuns: 2000 },
        ),
      );
    });
  });
}

describe("utf8 fuzz", () => {
  it("utf8Decode and Utf8StreamDecoder let only ProtocolError escape, on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        attempt(() => utf8Decode(bytes));
        streamDecode(splitAt(bytes, cuts));
        withoutNativeUtf8(() => {
          attempt(() => utf8Decode(bytes));
          streamDecode(splitAt(bytes, cuts));
        });
      }),
      { numRuns: 1000 },
    );
  });
});
