import { expect } from "chai";
import fc from "fast-check";
import { isProtocolError } from "../src/errors.js";
import { createBoundary, StreamParser, utf8Encode } from "../src/streaming/index.js";
import { cutsArb, split, streamArbitraries } from "./streaming-arbitraries.js";

// 15,000 generated cases in this file (see numRuns).

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

const B = createBoundary(() => new Uint8Array(18).fill(7));
const nativeEncoder = new TextEncoder();
const nativeDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
/** What a body written as UTF-8 reads back as: lone surrogates become U+FFFD. */
const wellFormed = (text: string): string => nativeDecoder.decode(nativeEncoder.encode(text));

// Bodies and fuzz input full of near-misses of the framing syntax (streaming-arbitraries.ts).
const { anyBody, encodeStream, tokenStream, editedStream } = streamArbitraries(B);

type Outcome = { bodies: string[]; ended: boolean } | { code: string };

/** Parses the chunks; a ProtocolError becomes its code, anything else escapes and fails the property. */
function outcome(chunks: Array<string | Uint8Array>, maxPartBytes?: number): Outcome {
  const parser = new StreamParser(
    maxPartBytes === undefined ? { boundary: B } : { boundary: B, maxPartBytes },
  );
  const bodies: string[] = [];
  try {
    for (const chunk of chunks) bodies.push(...parser.push(chunk));
  } catch (err) {
    if (!isProtocolError(err)) throw err;
    return { code: err.code };
  }
  return { bodies, ended: parser.ended };
}

describe("StreamParser properties", () => {
  it("parses any bodies back from string chunks split anywhere", () => {
    fc.assert(
      fc.property(fc.array(anyBody, { maxLength: 6 }), fc.nat(40), cutsArb, (bodies, prelude, cuts) => {
        const stream = encodeStream(bodies, prelude);
        expect(outcome(split(stream, cuts))).to.deep.equal({ bodies, ended: true });
      }),
      { numRuns: 3000 },
    );
  });

  it("parses any bodies back from byte chunks split anywhere", () => {
    fc.assert(
      fc.property(fc.array(anyBody, { maxLength: 6 }), fc.nat(40), cutsArb, (bodies, prelude, cuts) => {
        const stream = utf8Encode(encodeStream(bodies, prelude));
        expect(outcome(split(stream, cuts))).to.deep.equal({ bodies: bodies.map(wellFormed), ended: true });
      }),
      { numRuns: 3000 },
    );
  });

  it("parses byte chunks with the portable UTF-8 decoder too", () => {
    withoutNativeUtf8(() =>
      fc.assert(
        fc.property(fc.array(anyBody, { maxLength: 6 }), cutsArb, (bodies, cuts) => {
          const stream = utf8Encode(encodeStream(bodies, 3));
          expect(outcome(split(stream, cuts))).to.deep.equal({ bodies: bodies.map(wellFormed), ended: true });
        }),
        { numRuns: 1000 },
      ),
    );
  });

  it("accepts a part exactly at maxPartBytes and rejects one byte more", () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const size = utf8Encode(body).length;
        const stream = encodeStream([body], 0);
        expect(outcome([stream], size)).to.deep.equal({ bodies: [body], ended: true });
        if (size > 0)
          expect(outcome([stream], size - 1)).to.deep.equal({ code: "LADDER_ERR_STREAM_PART_TOO_LARGE" });
      }),
      { numRuns: 1000 },
    );
  });
});

describe("StreamParser fuzz", () => {
  it("lets only ProtocolError escape from any string or byte input, split anywhere", () => {
    fc.assert(
      fc.property(fc.oneof(tokenStream, editedStream, fc.string()), cutsArb, (stream, cuts) => {
        outcome(split(stream, cuts));
        outcome(split(utf8Encode(stream), cuts));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), cutsArb, (bytes, cuts) => {
        outcome(split(bytes, cuts));
        // Random bytes after a valid start reach the header and body states.
        const start = utf8Encode(`--${B}\r\nContent-Length: ${bytes.length % 50}\r\n`);
        const joined = new Uint8Array(start.length + bytes.length);
        joined.set(start, 0);
        joined.set(bytes, start.length);
        outcome(split(joined, cuts));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same outcome for a stream as text and as its UTF-8 bytes, however split", () => {
    fc.assert(
      fc.property(fc.oneof(tokenStream, editedStream), cutsArb, cutsArb, (stream, textCuts, byteCuts) => {
        // A string ending in a high surrogate is still waiting for its pair; its bytes are not.
        fc.pre(!/[\ud800-\udbff]$/.test(stream));
        const asText = outcome(split(stream, textCuts));
        const asBytes = outcome(split(utf8Encode(stream), byteCuts));
        const expected =
          "bodies" in asText ? { bodies: asText.bodies.map(wellFormed), ended: asText.ended } : asText;
        expect(asBytes).to.deep.equal(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
