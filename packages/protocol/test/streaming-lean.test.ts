// The lean streaming parser (src/lean/stream-parser.ts, what the browser bundles ship) against the full
// StreamParser: the same bodies, `ended` flag and error codes for the encoder's output split anywhere, as strings
// and as bytes, and for hostile input. 11,500 generated cases in this file (see numRuns).
import { expect } from "chai";
import fc from "fast-check";
import { isProtocolError } from "../src/errors.js";
import * as lean from "../src/lean/stream-parser.js";
import {
  createBoundary,
  STREAM_MAX_HEADER_BYTES,
  STREAM_MAX_PART_BYTES,
  StreamParser,
  utf8Encode,
} from "../src/streaming/index.js";
import { cutsArb, split, streamArbitraries } from "./streaming-arbitraries.js";

const B = createBoundary(() => new Uint8Array(18).fill(9));
const HEAD = "Content-Type: text/plain; charset=UTF-8\r\n";

type Parser = { push(chunk: string | Uint8Array): string[]; ended: boolean };
type Outcome = { bodies: string[]; ended: boolean } | { code: string };

/** Parses the chunks; a ProtocolError becomes its code, anything else escapes and fails the test. */
function run(parser: Parser, chunks: Array<string | Uint8Array>): Outcome {
  const bodies: string[] = [];
  try {
    for (const chunk of chunks) bodies.push(...parser.push(chunk));
  } catch (err) {
    if (!isProtocolError(err)) throw err;
    return { code: err.code };
  }
  return { bodies, ended: parser.ended };
}

/** Both parsers on the same chunks: the outcomes must be equal; returns the lean one. */
function same(chunks: Array<string | Uint8Array>, maxPartBytes?: number): Outcome {
  const options = maxPartBytes === undefined ? { boundary: B } : { boundary: B, maxPartBytes };
  const expected = run(new StreamParser(options), chunks);
  const actual = run(new lean.StreamParser(options), chunks);
  expect(actual).to.deep.equal(expected);
  return actual;
}

const { anyBody, encodeStream, tokenStream, editedStream } = streamArbitraries(B);

describe("lean StreamParser: the encoder's output, split anywhere", () => {
  it("has the full parser's limits", () => {
    expect(lean.STREAM_MAX_PART_BYTES).to.equal(STREAM_MAX_PART_BYTES);
    expect(lean.STREAM_MAX_HEADER_BYTES).to.equal(STREAM_MAX_HEADER_BYTES);
  });

  it("parses the literal stream of docs/streaming.md from one chunk and from single units", () => {
    const text = encodeStream(["4Grüße € 😀", "bAAEC/w==", "", "2"], 2048);
    const expected = { bodies: ["4Grüße € 😀", "bAAEC/w==", "", "2"], ended: true };
    expect(same([text])).to.deep.equal(expected);
    expect(same(text.split(""))).to.deep.equal(expected);
    const bytes = utf8Encode(text);
    expect(same([bytes])).to.deep.equal(expected);
    expect(same(Array.from(bytes, (b) => Uint8Array.of(b)))).to.deep.equal(expected);
  });

  it("parses any bodies from string chunks like the full parser", () => {
    fc.assert(
      fc.property(fc.array(anyBody, { maxLength: 6 }), fc.nat(40), cutsArb, (bodies, prelude, cuts) => {
        expect(same(split(encodeStream(bodies, prelude), cuts))).to.deep.equal({ bodies, ended: true });
      }),
      { numRuns: 3000 },
    );
  });

  it("parses any bodies from byte chunks (split inside characters) like the full parser", () => {
    fc.assert(
      fc.property(fc.array(anyBody, { maxLength: 6 }), fc.nat(40), cutsArb, (bodies, prelude, cuts) => {
        const outcome = same(split(utf8Encode(encodeStream(bodies, prelude)), cuts));
        expect(outcome).to.have.property("ended", true);
      }),
      { numRuns: 3000 },
    );
  });

  it("delivers a body as soon as its CRLF arrives, before the next delimiter", () => {
    const parser = new lean.StreamParser({ boundary: B });
    expect(parser.push(`--${B}\r\nContent-Length: 2\r\n\r\n4a`)).to.deep.equal([]);
    expect(parser.push("\r\n")).to.deep.equal(["4a"]);
    expect(parser.push(`--${B}--`)).to.deep.equal([]);
    expect(parser.ended).to.equal(true);
    expect(parser.push("anything")).to.deep.equal([]);
  });

  it("accepts a part exactly at maxPartBytes and rejects one byte more, like the full parser", () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const size = utf8Encode(body).length;
        const stream = encodeStream([body], 0);
        same([stream], size);
        if (size > 0)
          expect(same([stream], size - 1)).to.deep.equal({ code: "LADDER_ERR_STREAM_PART_TOO_LARGE" });
      }),
      { numRuns: 500 },
    );
  });
});

describe("lean StreamParser: hostile input gives the full parser's outcome", () => {
  it("token soup and edited streams, as strings and as bytes, split anywhere", () => {
    fc.assert(
      fc.property(fc.oneof(tokenStream, editedStream, fc.string()), cutsArb, (stream, cuts) => {
        same(split(stream, cuts));
        same(split(utf8Encode(stream), cuts));
      }),
      { numRuns: 3000 },
    );
  });

  it("random bytes, alone and after a valid start", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), cutsArb, (bytes, cuts) => {
        same(split(bytes, cuts));
        const start = utf8Encode(`--${B}\r\nContent-Length: ${bytes.length % 50}\r\n`);
        const joined = new Uint8Array(start.length + bytes.length);
        joined.set(start, 0);
        joined.set(bytes, start.length);
        same(split(joined, cuts));
      }),
      { numRuns: 2000 },
    );
  });

  const cases: Array<[string, string]> = [
    [`--${B}\r\nContent-Length: 12a\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nContent-Length: +1\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nContent-Length: 1234567890123456\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\n${HEAD}\r\n4a\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\n: 1\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nX: 1\r\n continued\r\nContent-Length: 1\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nContent-Length: 1\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nContent-Length: 1\r\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nX-Name: é\r\nContent-Length: 1\r\n\r\n`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nX-Pad: ${"p".repeat(STREAM_MAX_HEADER_BYTES)}`, "LADDER_ERR_STREAM_BAD_PART_HEADER"],
    [`--${B}\r\nContent-Length: 1\r\n\r\nab\r\n`, "LADDER_ERR_STREAM_MISSING_DELIMITER"],
    [`--${B}\r\nContent-Length: 3\r\n\r\na\r\n--${B}--`, "LADDER_ERR_STREAM_MISSING_DELIMITER"],
    [`--${B}\r\nContent-Length: 1\r\n\r\na\r\n--${B}x`, "LADDER_ERR_STREAM_MISSING_DELIMITER"],
    [`--${B}\r\nContent-Length: 1\r\n\r\na\r\n--X`, "LADDER_ERR_STREAM_MISSING_DELIMITER"],
    [`--${B}\r\nContent-Length: 1\r\n\r\né\r\n`, "LADDER_ERR_UTF8_INVALID"],
    [`--${B}\r\nContent-Length: 3\r\n\r\n😀\r\n`, "LADDER_ERR_UTF8_INVALID"],
    [`--${B}\r\nContent-Length: 99999999\r\n\r\n`, "LADDER_ERR_STREAM_PART_TOO_LARGE"],
    [" ".repeat(131073), "LADDER_ERR_STREAM_MISSING_DELIMITER"],
    [`${"x".repeat(131060)}\r\n--${B}\r\n`, "LADDER_ERR_STREAM_MISSING_DELIMITER"],
  ];
  for (const [stream, code] of cases) {
    it(`${JSON.stringify(stream.slice(0, 60))}… is ${code}`, () => {
      for (const chunks of [[stream], stream.split(""), [utf8Encode(stream)]]) {
        expect(same(chunks)).to.deep.equal({ code });
      }
    });
  }

  it("rejects invalid UTF-8 bytes in a body, and stays failed with the same error", () => {
    const head = utf8Encode(`--${B}\r\nContent-Length: 2\r\n\r\n`);
    const bad = new Uint8Array([...head, 0xc3, 0x28, 13, 10]);
    expect(same([bad])).to.deep.equal({ code: "LADDER_ERR_UTF8_INVALID" });
    const parser = new lean.StreamParser({ boundary: B });
    let first: unknown;
    try {
      parser.push(bad);
    } catch (err) {
      first = err;
    }
    expect(() => parser.push(new Uint8Array(0)))
      .to.throw()
      .that.equals(first);
  });

  it("refuses a bad boundary, a bad maxPartBytes and mixed input kinds", () => {
    expect(() => new lean.StreamParser({ boundary: "a b" }))
      .to.throw()
      .with.property("code", "LADDER_ERR_STREAM_BAD_BOUNDARY");
    expect(() => new lean.StreamParser({ boundary: B, maxPartBytes: -1 })).to.throw(RangeError);
    const parser = new lean.StreamParser({ boundary: B });
    parser.push(" ");
    expect(() => parser.push(new Uint8Array(1))).to.throw(TypeError);
    expect(() => parser.push(5 as unknown as string)).to.throw(TypeError);
  });
});
