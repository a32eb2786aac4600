import { expect } from "chai";
import fc from "fast-check";
import { isProtocolError } from "../src/errors.js";
import {
  createBoundary,
  encodeStreamEnd,
  encodeStreamPart,
  encodeStreamPrelude,
  StreamParser,
  utf8Encode,
} from "../src/streaming/index.js";

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

// Pieces of framing, so generated bodies and fuzz input are full of near-misses of the real syntax.
const FRAMING = [
  "\r",
  "\n",
  "\r\n",
  "-",
  "--",
  `--${B}`,
  `\r\n--${B}\r\n`,
  `--${B}--`,
  `\r\n--${B}--\r\n`,
  "Content-Length: ",
  "Content-Type: text/plain; charset=UTF-8\r\n",
  ":",
  " ",
];

/** Any body: full unicode (astral characters, lone surrogates) mixed with framing text. */
const anyBody = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)) },
    { weight: 2, arbitrary: fc.constantFrom(...FRAMING) },
  ),
  maxLength: 30,
});

const cutsArb = fc.array(fc.nat(), { maxLength: 8 });

function split<T extends string | Uint8Array>(input: T, cuts: number[]): T[] {
  const points = cuts.map((cut) => cut % (input.length + 1)).sort((a, b) => a - b);
  const chunks: T[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(input.slice(from, point) as T);
    from = point;
  }
  chunks.push(input.slice(from) as T);
  return chunks;
}

function encodeStream(bodies: string[], preludeSize: number): string {
  return (
    encodeStreamPrelude(preludeSize) +
    bodies.map((body) => encodeStreamPart(body, B)).join("") +
    encodeStreamEnd(B)
  );
}

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

// Streams made of framing tokens and text, and valid streams with random edits: near-misses everywhere.
const tokenStream = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAMING, "0", "2", "17", "4a", "é", "😀", "\ud800", "Content-Length: 2\r\n\r\n"),
      anyBody,
    ),
    { maxLength: 30 },
  )
  .map((tokens) => tokens.join(""));

const editedStream = fc
  .tuple(
    fc.array(anyBody, { minLength: 1, maxLength: 4 }),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom("delete", "insert", "replace"),
        fc.constantFrom("\r", "\n", "-", "0", "9", "x", ":", " "),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([bodies, edits]) => {
    let stream = encodeStream(bodies, 2);
    for (const [at, kind, char] of edits) {
      const i = at % (stream.length + 1);
      if (kind === "insert") stream = stream.slice(0, i) + char + stream.slice(i);
      else stream = stream.slice(0, i) + (kind === "replace" ? char : "") + stream.slice(i + 1);
    }
    return stream;
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
