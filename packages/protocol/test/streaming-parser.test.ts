import { expect } from "chai";
import { ProtocolError } from "../src/errors.js";
import {
  encodeStreamEnd,
  encodeStreamPart,
  encodeStreamPrelude,
  STREAM_MAX_HEADER_BYTES,
  STREAM_MAX_PART_BYTES,
  StreamParser,
  utf8Encode,
} from "../src/streaming/index.js";

const B = "AAECAwQFBgcICQoLDA0ODxAR";
const HEAD = "Content-Type: text/plain; charset=UTF-8\r\n";

// The whole stream, written out literally: prelude, a text packet with 2-, 3- and 4-byte characters, a binary
// packet as a "b" + base64 record (bytes 00 01 02 ff), the closing delimiter.
const TEXT_BODY = "4Grüße € 😀";
const BINARY_BODY = "bAAEC/w==";
const STREAM =
  " ".repeat(2048) +
  "\r\n" +
  `--${B}\r\n${HEAD}Content-Length: 17\r\n\r\n4Grüße € 😀\r\n` +
  `--${B}\r\n${HEAD}Content-Length: 9\r\n\r\nbAAEC/w==\r\n` +
  `--${B}--\r\n`;
const STREAM_BYTES = utf8Encode(STREAM);

type Outcome = { bodies: string[]; ended: boolean };

function parseChunks(chunks: Array<string | Uint8Array>, maxPartBytes?: number): Outcome {
  const parser = new StreamParser(
    maxPartBytes === undefined ? { boundary: B } : { boundary: B, maxPartBytes },
  );
  const bodies: string[] = [];
  for (const chunk of chunks) bodies.push(...parser.push(chunk));
  return { bodies, ended: parser.ended };
}

function expectCode(fn: () => unknown, code: string): ProtocolError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ProtocolError);
    expect((err as ProtocolError).code).to.equal(code);
    return err as ProtocolError;
  }
  return expect.fail(`expected ${code}`);
}

/** Both input kinds must raise the same code for the same stream text. */
function expectStreamCode(stream: string, code: string, maxPartBytes?: number): void {
  expectCode(() => parseChunks([stream], maxPartBytes), code);
  expectCode(() => parseChunks([utf8Encode(stream)], maxPartBytes), code);
  expectCode(() => parseChunks(stream.split(""), maxPartBytes), code);
}

function part(body: string, length = utf8Encode(body).length): string {
  return `--${B}\r\n${HEAD}Content-Length: ${length}\r\n\r\n${body}\r\n`;
}

describe("StreamParser: the literal stream", () => {
  const expected: Outcome = { bodies: [TEXT_BODY, BINARY_BODY], ended: true };

  it("is exactly what the encoders write", () => {
    expect(
      encodeStreamPrelude() +
        encodeStreamPart(TEXT_BODY, B) +
        encodeStreamPart(BINARY_BODY, B) +
        encodeStreamEnd(B),
    ).to.equal(STREAM);
    const tail = STREAM_BYTES.subarray(2050 + B.length + 4 + HEAD.length + 22);
    expect(Array.from(tail.subarray(0, 17))).to.deep.equal([
      0x34, 0x47, 0x72, 0xc3, 0xbc, 0xc3, 0x9f, 0x65, 0x20, 0xe2, 0x82, 0xac, 0x20, 0xf0, 0x9f, 0x98, 0x80,
    ]);
    expect(Array.from(tail.subarray(17, 19))).to.deep.equal([13, 10]);
  });

  it("parses from one string chunk and from one byte chunk", () => {
    expect(parseChunks([STREAM])).to.deep.equal(expected);
    expect(parseChunks([STREAM_BYTES])).to.deep.equal(expected);
  });

  it("parses from one-character and one-byte chunks", () => {
    expect(parseChunks(STREAM.split(""))).to.deep.equal(expected);
    const oneByte: Uint8Array[] = [];
    for (let i = 0; i < STREAM_BYTES.length; i++) oneByte.push(STREAM_BYTES.subarray(i, i + 1));
    expect(parseChunks(oneByte)).to.deep.equal(expected);
  });

  it("parses the string split at every point", () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(parseChunks([STREAM.slice(0, cut), STREAM.slice(cut)]), `cut ${cut}`).to.deep.equal(expected);
    }
  });

  it("parses the bytes split at every point (inside the boundary, CRLFs, headers and every character)", () => {
    for (let cut = 0; cut <= STREAM_BYTES.length; cut++) {
      expect(
        parseChunks([STREAM_BYTES.subarray(0, cut), STREAM_BYTES.subarray(cut)]),
        `cut ${cut}`,
      ).to.deep.equal(expected);
    }
  });

  it("delivers a body as soon as it and its CRLF have arrived, before the next delimiter", () => {
    const parser = new StreamParser({ boundary: B });
    expect(parser.push(encodeStreamPrelude())).to.deep.equal([]);
    const first = encodeStreamPart("4one", B);
    expect(parser.push(first.slice(0, -1))).to.deep.equal([]);
    expect(parser.push(first.slice(-1))).to.deep.equal(["4one"]);
    expect(parser.push(encodeStreamPart("4two", B) + encodeStreamPart("4three", B))).to.deep.equal([
      "4two",
      "4three",
    ]);
    expect(parser.ended).to.equal(false);
    expect(parser.push(encodeStreamEnd(B))).to.deep.equal([]);
    expect(parser.ended).to.equal(true);
  });
});

describe("StreamParser: payloads cannot forge framing", () => {
  const forged = [
    `4x\r\n--${B}\r\n${HEAD}Content-Length: 3\r\n\r\nfoo\r\n--${B}--\r\n`,
    `--${B}--\r\n`,
    `\r\n--${B}\r\n`,
    `--${B}`,
    `\r\n--${B}--`,
    "\r\n\r\n\r\n",
    `Content-Length: 99999999\r\n\r\n`,
  ];

  it("delivers bodies that contain delimiters and headers intact", () => {
    const stream =
      encodeStreamPrelude() + forged.map((body) => encodeStreamPart(body, B)).join("") + encodeStreamEnd(B);
    const expected = { bodies: forged, ended: true };
    expect(parseChunks([stream])).to.deep.equal(expected);
    expect(parseChunks([utf8Encode(stream)])).to.deep.equal(expected);
    expect(parseChunks(stream.split(""))).to.deep.equal(expected);
  });

  it("does not end the stream on a closing delimiter inside a body", () => {
    const parser = new StreamParser({ boundary: B });
    expect(parser.push(encodeStreamPart(`--${B}--\r\n`, B))).to.deep.equal([`--${B}--\r\n`]);
    expect(parser.ended).to.equal(false);
    expect(parser.push(encodeStreamPart("4after", B))).to.deep.equal(["4after"]);
  });
});

describe("StreamParser: stream shapes", () => {
  it("accepts a stream without a prelude, and one without parts", () => {
    expect(parseChunks([part("4a") + encodeStreamEnd(B)])).to.deep.equal({ bodies: ["4a"], ended: true });
    expect(parseChunks([encodeStreamPrelude() + encodeStreamEnd(B)])).to.deep.equal({
      bodies: [],
      ended: true,
    });
    expect(parseChunks([encodeStreamEnd(B)])).to.deep.equal({ bodies: [], ended: true });
  });

  it("skips any preamble, including lines that only start like a delimiter", () => {
    const preamble = `hello\r\n--${B}x\r\n--${B}-x\r\n-${B}\r\n--${B}\rx\r\n  --${B}\r\n\n`;
    expect(parseChunks([preamble + part("4a") + encodeStreamEnd(B)])).to.deep.equal({
      bodies: ["4a"],
      ended: true,
    });
  });

  it("ignores everything after the closing delimiter", () => {
    const parser = new StreamParser({ boundary: B });
    expect(parser.push(part("4a") + encodeStreamEnd(B) + part("4b") + "garbage\u0000")).to.deep.equal(["4a"]);
    expect(parser.ended).to.equal(true);
    expect(parser.push("more garbage")).to.deep.equal([]);
  });

  it("accepts empty bodies, other headers and header names in any case", () => {
    const stream =
      `--${B}\r\nContent-Length: 0\r\n\r\n\r\n` +
      `--${B}\r\ncontent-length:2\r\nX-Other:  whatever \t\r\n\r\n4a\r\n` +
      `--${B}\r\nCONTENT-LENGTH: \t3\t\r\n\r\n4é\r\n` +
      `--${B}--`;
    const expected = { bodies: ["", "4a", "4é"], ended: true };
    expect(parseChunks([stream])).to.deep.equal(expected);
    expect(parseChunks([utf8Encode(stream)])).to.deep.equal(expected);
  });

  it("returns no bodies for empty chunks", () => {
    const parser = new StreamParser({ boundary: B });
    expect(parser.push("")).to.deep.equal([]);
    expect(parser.push("")).to.deep.equal([]);
    const byteParser = new StreamParser({ boundary: B });
    expect(byteParser.push(new Uint8Array(0))).to.deep.equal([]);
  });

  it("keeps a lone surrogate of a string input (a byte input reads the U+FFFD the writer put there)", () => {
    const stream = part("4\ud800x", 5) + part("4\udc00", 4) + part("\ud83d", 3);
    expect(parseChunks([stream]).bodies).to.deep.equal(["4\ud800x", "4\udc00", "\ud83d"]);
    expect(parseChunks(stream.split("")).bodies).to.deep.equal(["4\ud800x", "4\udc00", "\ud83d"]);
    expect(parseChunks([utf8Encode(stream)]).bodies).to.deep.equal(["4\ufffdx", "4\ufffd", "\ufffd"]);
  });

  it("splits surrogate pairs of a string input anywhere", () => {
    const stream = part("😀") + part("a😀😀") + part("😀b") + encodeStreamEnd(B);
    const expected = { bodies: ["😀", "a😀😀", "😀b"], ended: true };
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(parseChunks([stream.slice(0, cut), stream.slice(cut)]), `cut ${cut}`).to.deep.equal(expected);
    }
  });
});

describe("StreamParser: large input", () => {
  it("reads a maximal body in 1 KiB chunks and 20,000 parts in one chunk, as strings and as bytes", () => {
    const big = "4" + "é😀x".repeat(Math.floor((STREAM_MAX_PART_BYTES - 1) / 8));
    const bigStream = part(big) + encodeStreamEnd(B);
    const chunks: string[] = [];
    for (let i = 0; i < bigStream.length; i += 1024) chunks.push(bigStream.slice(i, i + 1024));
    expect(parseChunks(chunks)).to.deep.equal({ bodies: [big], ended: true });
    const bigBytes = utf8Encode(bigStream);
    const byteChunks: Uint8Array[] = [];
    for (let i = 0; i < bigBytes.length; i += 1024) byteChunks.push(bigBytes.subarray(i, i + 1024));
    expect(parseChunks(byteChunks)).to.deep.equal({ bodies: [big], ended: true });

    const bodies: string[] = [];
    for (let i = 0; i < 20000; i++) bodies.push(`4${i}`);
    const many = bodies.map((body) => encodeStreamPart(body, B)).join("") + encodeStreamEnd(B);
    expect(parseChunks([many])).to.deep.equal({ bodies, ended: true });
    expect(parseChunks([utf8Encode(many)])).to.deep.equal({ bodies, ended: true });
  });
});

describe("StreamParser: malformed streams", () => {
  const badHeaders: Array<[string, string]> = [
    [`--${B}\r\nContent-Length: 12a\r\n\r\n`, "non-numeric length"],
    [`--${B}\r\nContent-Length: -1\r\n\r\n`, "negative length"],
    [`--${B}\r\nContent-Length: +1\r\n\r\n`, "signed length"],
    [`--${B}\r\nContent-Length: 1 2\r\n\r\n`, "two numbers"],
    [`--${B}\r\nContent-Length: \r\n\r\n`, "empty length"],
    [`--${B}\r\nContent-Length: 1234567890123456\r\n\r\n`, "16 digits"],
    [`--${B}\r\n${HEAD}\r\n4a\r\n`, "no Content-Length"],
    [`--${B}\r\n\r\n`, "no headers at all"],
    [`--${B}\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n`, "Content-Length twice"],
    [`--${B}\r\nContent-Length 1\r\n\r\n`, "no colon"],
    [`--${B}\r\n: 1\r\n\r\n`, "empty name"],
    [`--${B}\r\nContent Length: 1\r\n\r\n`, "space in the name"],
    [`--${B}\r\nX: 1\r\n continued\r\nContent-Length: 1\r\n\r\n`, "obsolete line folding"],
    [`--${B}\r\nContent-Length: 1\n\r\n`, "bare LF"],
    [`--${B}\r\nContent-Length: 1\r\r\n`, "CR without LF"],
    [`--${B}\r\nX-Name: é\r\nContent-Length: 1\r\n\r\n`, "non-ASCII in a header"],
    [`--${B}\r\nX-Name: a\u0000b\r\nContent-Length: 1\r\n\r\n`, "control character in a header"],
    [`--${B}\r\nX-Pad: ${"p".repeat(STREAM_MAX_HEADER_BYTES)}\r\n\r\n`, "header section too long"],
  ];

  for (const [stream, label] of badHeaders) {
    it(`rejects a malformed header (${label}) with LADDER_ERR_STREAM_BAD_PART_HEADER`, () => {
      expectStreamCode(stream, "LADDER_ERR_STREAM_BAD_PART_HEADER");
    });
  }

  it("accepts a header section of exactly the limit", () => {
    const fixed = `X-Pad: \r\nContent-Length: 1\r\n\r\n`.length;
    const pad = "p".repeat(STREAM_MAX_HEADER_BYTES - fixed);
    const stream = `--${B}\r\nX-Pad: ${pad}\r\nContent-Length: 1\r\n\r\na\r\n`;
    expect(parseChunks([stream]).bodies).to.deep.equal(["a"]);
    expectStreamCode(
      `--${B}\r\nX-Pad: ${pad}p\r\nContent-Length: 1\r\n\r\na\r\n`,
      "LADDER_ERR_STREAM_BAD_PART_HEADER",
    );
  });

  it("rejects a Content-Length shorter than the body with LADDER_ERR_STREAM_MISSING_DELIMITER", () => {
    expectStreamCode(part("4hello", 5) + encodeStreamEnd(B), "LADDER_ERR_STREAM_MISSING_DELIMITER");
    expectStreamCode(part("4hello", 0) + encodeStreamEnd(B), "LADDER_ERR_STREAM_MISSING_DELIMITER");
  });

  it("rejects a Content-Length longer than the body with LADDER_ERR_STREAM_MISSING_DELIMITER", () => {
    expectStreamCode(
      part("4hello", 8) + part("4next") + encodeStreamEnd(B),
      "LADDER_ERR_STREAM_MISSING_DELIMITER",
    );
    expectStreamCode(
      part("4hello", 7) + part("4next") + encodeStreamEnd(B),
      "LADDER_ERR_STREAM_MISSING_DELIMITER",
    );
  });

  it("rejects a Content-Length that ends inside a character with LADDER_ERR_UTF8_INVALID", () => {
    expectStreamCode(part("4é", 2), "LADDER_ERR_UTF8_INVALID");
    expectStreamCode(part("4€", 3), "LADDER_ERR_UTF8_INVALID");
    expectStreamCode(part("4😀", 2), "LADDER_ERR_UTF8_INVALID");
    expectStreamCode(part("4😀", 4), "LADDER_ERR_UTF8_INVALID");
  });

  it("rejects a body of invalid UTF-8 bytes with LADDER_ERR_UTF8_INVALID", () => {
    const head = utf8Encode(`--${B}\r\nContent-Length: 3\r\n\r\n`);
    const stream = new Uint8Array([...head, 0x34, 0xed, 0xa0, 13, 10]);
    expectCode(() => parseChunks([stream]), "LADDER_ERR_UTF8_INVALID");
    const overlong = new Uint8Array([...head, 0x34, 0xc0, 0x80, 13, 10]);
    expectCode(() => parseChunks([overlong]), "LADDER_ERR_UTF8_INVALID");
  });

  it("rejects a wrong or missing delimiter after a body with LADDER_ERR_STREAM_MISSING_DELIMITER", () => {
    const cases = [
      `--${B}\r\nContent-Length: 2\r\n\r\n4a--${B}--\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\n--${B}--\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4aX\n--${B}--\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\rX--${B}--\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n--${B.slice(1)}--\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n-${B}--\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n--${B}x\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n--${B}\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n--${B}-\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n--${B}\r\r\n`,
      `--${B}\r\nContent-Length: 2\r\n\r\n4a\r\n\r\n--${B}--\r\n`,
    ];
    for (const stream of cases) {
      expectStreamCode(stream, "LADDER_ERR_STREAM_MISSING_DELIMITER");
    }
  });

  it("rejects a stream with no delimiter line in its first 128 KiB with LADDER_ERR_STREAM_MISSING_DELIMITER", () => {
    const parser = new StreamParser({ boundary: B });
    const line = `${"x".repeat(1022)}\r\n`;
    for (let i = 0; i < 128; i++) expect(parser.push(line)).to.deep.equal([]);
    expectCode(() => parser.push("y"), "LADDER_ERR_STREAM_MISSING_DELIMITER");
  });

  it("rejects a part above maxPartBytes with LADDER_ERR_STREAM_PART_TOO_LARGE", () => {
    expect(parseChunks([part("x".repeat(10))], 10).bodies).to.deep.equal(["x".repeat(10)]);
    expectStreamCode(part("x".repeat(11)), "LADDER_ERR_STREAM_PART_TOO_LARGE", 10);
    // The limit is checked on the header: the body never has to arrive.
    expectStreamCode(
      `--${B}\r\nContent-Length: ${STREAM_MAX_PART_BYTES + 1}\r\n`,
      "LADDER_ERR_STREAM_PART_TOO_LARGE",
    );
    expect(parseChunks([`--${B}\r\nContent-Length: ${STREAM_MAX_PART_BYTES}\r\n\r\n`]).bodies).to.deep.equal(
      [],
    );
  });

  it("rejects a bad maxPartBytes option with a RangeError", () => {
    for (const bad of [-1, 1.5, Number.NaN, "10" as unknown as number]) {
      expect(() => new StreamParser({ boundary: B, maxPartBytes: bad }), String(bad)).to.throw(RangeError);
    }
  });

  it("stays failed: every later push throws the same error", () => {
    const parser = new StreamParser({ boundary: B });
    const first = expectCode(() => parser.push(`--${B}\r\nbroken\r\n`), "LADDER_ERR_STREAM_BAD_PART_HEADER");
    try {
      parser.push(part("4fine"));
      expect.fail("expected a throw");
    } catch (err) {
      expect(err).to.equal(first);
    }
  });

  it("refuses to mix string and byte chunks, and anything else, with a TypeError", () => {
    const parser = new StreamParser({ boundary: B });
    parser.push("  \r\n");
    expect(() => parser.push(new Uint8Array([32]))).to.throw(TypeError);
    const byteParser = new StreamParser({ boundary: B });
    byteParser.push(new Uint8Array([32]));
    expect(() => byteParser.push(" ")).to.throw(TypeError);
    expect(() => new StreamParser({ boundary: B }).push([32] as unknown as Uint8Array)).to.throw(TypeError);
    // A refused chunk does not break the stream.
    expect(parser.push(part("4ok"))).to.deep.equal(["4ok"]);
  });

  it("reads byte chunks that are views into a larger buffer", () => {
    const backing = new Uint8Array(STREAM_BYTES.length + 20).fill(0x41);
    backing.set(STREAM_BYTES, 10);
    const view = new Uint8Array(backing.buffer, 10, STREAM_BYTES.length);
    expect(parseChunks([view]).bodies).to.deep.equal([TEXT_BODY, BINARY_BODY]);
  });
});
