import { expect } from "chai";
import { ProtocolError } from "../src/errors.js";
import {
  createBoundary,
  encodeStreamEnd,
  encodeStreamPart,
  encodeStreamPartHead,
  encodeStreamPartWithHead,
  encodeStreamPrelude,
  isValidBoundary,
  parseStreamingContentType,
  STREAM_MAX_PRELUDE_SIZE,
  StreamParser,
  streamingContentType,
} from "../src/streaming/index.js";

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ProtocolError);
    expect((err as ProtocolError).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

const B = "AAECAwQFBgcICQoLDA0ODxAR";

describe("streaming boundary", () => {
  it("createBoundary encodes 18 random bytes as 24 base64url characters", () => {
    const sizes: number[] = [];
    const counting = (size: number): Uint8Array => {
      sizes.push(size);
      return Uint8Array.from({ length: size }, (_, i) => i);
    };
    expect(createBoundary(counting)).to.equal(B);
    expect(sizes).to.deep.equal([18]);
    expect(createBoundary((size) => new Uint8Array(size).fill(0xff))).to.equal("_".repeat(24));
    // 0xfbfbfb = 111110 111111 101111 111011: both URL-safe characters (62 "-", 63 "_") appear.
    expect(createBoundary((size) => new Uint8Array(size).fill(0xfb))).to.equal("-_v7".repeat(6));
  });

  it("createBoundary uses crypto.getRandomValues by default", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const boundary = createBoundary();
      expect(boundary).to.match(/^[A-Za-z0-9_-]{24}$/);
      expect(isValidBoundary(boundary)).to.equal(true);
      seen.add(boundary);
    }
    expect(seen.size).to.equal(50);
  });

  it("createBoundary throws a TypeError without any random source, or with a short one", () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "crypto");
    delete (globalThis as Record<string, unknown>).crypto;
    try {
      expect(typeof crypto).to.equal("undefined");
      expect(() => createBoundary()).to.throw(TypeError, /random source/);
    } finally {
      Object.defineProperty(globalThis, "crypto", descriptor!);
    }
    expect(() => createBoundary(() => new Uint8Array(17))).to.throw(TypeError, /18 bytes/);
  });

  it("isValidBoundary accepts 1..70 token-safe RFC 2046 characters only", () => {
    for (const ok of ["a", B, "x".repeat(70), "A-Z_a.z+0'9", "---"]) {
      expect(isValidBoundary(ok), ok).to.equal(true);
    }
    for (const bad of [
      "",
      "x".repeat(71),
      "a b",
      "a\r\nb",
      "a\n",
      "a;b",
      'a"b',
      "a=b",
      "a/b",
      "é",
      "a\u0000",
    ]) {
      expect(isValidBoundary(bad), JSON.stringify(bad)).to.equal(false);
    }
    expect(isValidBoundary(42 as unknown as string)).to.equal(false);
  });

  it("every function taking a boundary rejects an invalid one with LADDER_ERR_STREAM_BAD_BOUNDARY", () => {
    for (const bad of ["", "a b", "a\r\n--b", "x".repeat(71)]) {
      expectCode(() => streamingContentType(bad), "LADDER_ERR_STREAM_BAD_BOUNDARY");
      expectCode(() => encodeStreamPart("4x", bad), "LADDER_ERR_STREAM_BAD_BOUNDARY");
      expectCode(() => encodeStreamPartHead(bad), "LADDER_ERR_STREAM_BAD_BOUNDARY");
      expectCode(() => encodeStreamEnd(bad), "LADDER_ERR_STREAM_BAD_BOUNDARY");
      expectCode(() => new StreamParser({ boundary: bad }), "LADDER_ERR_STREAM_BAD_BOUNDARY");
    }
  });
});

describe("streaming content type", () => {
  it("streamingContentType writes the media type and the bare boundary", () => {
    expect(streamingContentType(B)).to.equal(`multipart/x-mixed-replace; boundary=${B}`);
  });

  it("parseStreamingContentType reads the boundary back", () => {
    const cases: Array<[string, string | null]> = [
      [`multipart/x-mixed-replace; boundary=${B}`, B],
      [`multipart/x-mixed-replace;boundary=${B}`, B],
      [`Multipart/X-Mixed-Replace; BOUNDARY="${B}"`, B],
      [`multipart/x-mixed-replace; charset=UTF-8; boundary=${B};`, B],
      [` multipart/x-mixed-replace ; boundary = ${B} `, B],
      ["multipart/x-mixed-replace", null],
      ["multipart/x-mixed-replace; charset=UTF-8", null],
      [`multipart/mixed; boundary=${B}`, null],
      [`text/plain; boundary=${B}`, null],
      [`multipart/x-mixed-replacement; boundary=${B}`, null],
      ["multipart/x-mixed-replace; boundary=", null],
      ['multipart/x-mixed-replace; boundary=""', null],
      ['multipart/x-mixed-replace; boundary="a b"', null],
      ['multipart/x-mixed-replace; boundary="a\\"b"', null],
      ["multipart/x-mixed-replace; boundary=a; boundary=b", null],
      ["multipart/x-mixed-replace; boundary=a;; ", "a"],
      ["multipart/x-mixed-replace; garbage; boundary=a", null],
      [`multipart/x-mixed-replace; boundary=${"x".repeat(71)}`, null],
      ["", null],
    ];
    for (const [header, boundary] of cases) {
      expect(parseStreamingContentType(header), header).to.equal(boundary);
    }
    expect(parseStreamingContentType(undefined as unknown as string)).to.equal(null);
    expect(parseStreamingContentType(`multipart/x-mixed-replace; boundary=a${" ".repeat(2000)}`)).to.equal(
      null,
    );
  });

  it("round-trips every created boundary", () => {
    for (let i = 0; i < 20; i++) {
      const boundary = createBoundary();
      expect(parseStreamingContentType(streamingContentType(boundary))).to.equal(boundary);
    }
  });
});

describe("streaming encoders", () => {
  it("encodeStreamPrelude writes `size` spaces then CRLF", () => {
    expect(encodeStreamPrelude()).to.equal(" ".repeat(2048) + "\r\n");
    expect(encodeStreamPrelude()).to.equal(encodeStreamPrelude(2048));
    expect(encodeStreamPrelude(0)).to.equal("\r\n");
    expect(encodeStreamPrelude(5)).to.equal("     \r\n");
    expect(encodeStreamPrelude(STREAM_MAX_PRELUDE_SIZE).length).to.equal(STREAM_MAX_PRELUDE_SIZE + 2);
    for (const bad of [-1, 1.5, STREAM_MAX_PRELUDE_SIZE + 1, Number.NaN, "3" as unknown as number]) {
      expect(() => encodeStreamPrelude(bad), String(bad)).to.throw(RangeError);
    }
  });

  it("encodeStreamPart writes the exact part bytes with the UTF-8 length", () => {
    expect(encodeStreamPart("4hello", B)).to.equal(
      `--${B}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 6\r\n\r\n4hello\r\n`,
    );
    expect(encodeStreamPart("4Grüße € 😀", B)).to.equal(
      `--${B}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 17\r\n\r\n4Grüße € 😀\r\n`,
    );
    expect(encodeStreamPart("", B)).to.equal(
      `--${B}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 0\r\n\r\n\r\n`,
    );
    // A lone surrogate goes on the wire as U+FFFD: 3 bytes.
    expect(encodeStreamPart("4\ud800", B)).to.contain("Content-Length: 4\r\n");
  });

  it("encodeStreamPartHead + encodeStreamPartWithHead write encodeStreamPart's bytes (head built once)", () => {
    const head = encodeStreamPartHead(B);
    expect(head).to.equal(`--${B}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: `);
    expect(encodeStreamPartWithHead(head, "4Grüße € 😀", 17)).to.equal(encodeStreamPart("4Grüße € 😀", B));
    expect(encodeStreamPartWithHead(head, "", 0)).to.equal(encodeStreamPart("", B));
  });

  it("encodeStreamEnd writes the closing delimiter", () => {
    expect(encodeStreamEnd(B)).to.equal(`--${B}--\r\n`);
  });
});
