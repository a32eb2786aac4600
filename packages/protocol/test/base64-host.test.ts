import { expect } from "chai";
import fc from "fast-check";
import { fromBase64, toBase64, useHostBase64 } from "../src/base64.js";
import { isProtocolError } from "../src/errors.js";

// The Node server plugs Buffer in as the host codec; these tests hold it to the table-driven codec's rules.
const nodeBase64 = {
  encode: (bytes: Uint8Array) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
  decode: (text: string) => Buffer.from(text, "base64"),
};

function outcome(run: () => Uint8Array): string {
  try {
    return `ok:${Buffer.from(run()).toString("hex")}`;
  } catch (err) {
    if (!isProtocolError(err)) throw err;
    return `error:${err.code}`;
  }
}

describe("base64 with a host codec (Buffer on Node)", () => {
  let calls = 0;
  beforeEach(() => {
    calls = 0;
    useHostBase64({
      encode: (b) => {
        calls++;
        return nodeBase64.encode(b);
      },
      decode: (t) => {
        calls++;
        return nodeBase64.decode(t);
      },
    });
  });
  afterEach(() => useHostBase64(undefined));

  it("is used for large inputs and gives the same text", () => {
    const bytes = new Uint8Array(1024).map((_, i) => (i * 7) & 255);
    const text = toBase64(bytes);
    expect(calls).to.equal(1);
    useHostBase64(undefined);
    expect(toBase64(bytes)).to.equal(text);
  });

  it("stays strict: rejects what the table-driven decoder rejects", () => {
    const body = "QUJD".repeat(40);
    for (const bad of [
      `${body}QQ=`,
      `${body}Q R=`,
      `${body}QUJ-`,
      `${body}QR==`,
      `${body}QUJ=`,
      `=${body}QUJ`,
    ]) {
      const withHost = outcome(() => fromBase64(bad));
      useHostBase64(undefined);
      const without = outcome(() => fromBase64(bad));
      useHostBase64(nodeBase64);
      expect(withHost, bad.slice(-8)).to.equal(without);
      expect(withHost).to.match(/^error:LADDER_ERR_EIO_BAD_BASE64$/);
    }
  });

  it("agrees with the table-driven codec on arbitrary bytes and near-valid text", function () {
    this.timeout(20000);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 97, maxLength: 400 }), (bytes) => {
        useHostBase64(nodeBase64);
        const text = toBase64(bytes);
        const back = fromBase64(text);
        useHostBase64(undefined);
        expect(text).to.equal(toBase64(bytes));
        expect(Buffer.from(back).equals(Buffer.from(bytes))).to.equal(true);
      }),
      { numRuns: 2000 },
    );
    const nasty = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= -_\n\u00e9\u0000".split(
      "",
    );
    // Valid encodings with one character replaced: close to valid, where a lenient decoder would slip.
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 75, maxLength: 150 }),
        fc.nat(),
        fc.constantFrom(...nasty),
        (bytes, at, replacement) => {
          const valid = toBase64(bytes);
          const index = at % valid.length;
          const text = valid.slice(0, index) + replacement + valid.slice(index + 1);
          useHostBase64(nodeBase64);
          const withHost = outcome(() => fromBase64(text));
          useHostBase64(undefined);
          expect(withHost).to.equal(outcome(() => fromBase64(text)));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
