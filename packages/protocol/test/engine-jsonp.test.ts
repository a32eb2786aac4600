import { runInNewContext } from "node:vm";
import { expect } from "chai";
import fc from "fast-check";
import {
  decodeJsonpBody,
  decodeJsonpResponse,
  encodeJsonpBody,
  encodeJsonpResponse,
  encodePayload,
  escapeJsonpNewlines,
  isProtocolError,
  isValidJsonpIndex,
  type ProtocolErrorCode,
  unescapeJsonpNewlines,
} from "../src/index.js";

function expectCode(fn: () => unknown, code: ProtocolErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(isProtocolError(thrown), `expected a ProtocolError ${code}, got ${String(thrown)}`).to.equal(true);
  expect((thrown as { code: string }).code).to.equal(code);
}

/** Runs a JSONP response the way a browser would: as a classic (sloppy-mode) script with ___eio in scope. */
function runScript(script: string): Record<number, string> {
  const received: Record<number, string> = {};
  const ___eio: ((payload: string) => void)[] = [];
  for (let i = 0; i < 12; i++) {
    ___eio[i] = (payload) => {
      received[i] = payload;
    };
  }
  runInNewContext(script, { ___eio });
  return received;
}

// A string unit that includes lone surrogates (fast-check's "binary" unit only makes whole code points).
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
// Characters the JSONP escaping treats specially, mixed with ordinary and non-ASCII ones.
const tricky = fc.constantFrom(
  "\\",
  "n",
  "\n",
  "\r",
  '"',
  "'",
  "+",
  "%",
  "&",
  "=",
  " ",
  "\x1e",
  "\u2028",
  "\u2029",
  "é",
  "😀",
  "a",
  "<",
  "/",
);
const jsonpText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: tricky },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 1 }) },
  ),
  maxLength: 40,
});

describe("JSONP callback index", () => {
  it("accepts 1 to 10 digits without a leading zero", () => {
    for (const index of ["0", "1", "9", "10", "123", "4294967295", "9999999999"]) {
      expect(isValidJsonpIndex(index), index).to.equal(true);
    }
  });

  it("refuses anything that could do more than index ___eio", () => {
    const refused = [
      "",
      "-1",
      "0);alert(1)//",
      "1]);alert(1);//",
      "1e3",
      "0x1",
      " 1",
      "1 ",
      "+1",
      "1.5",
      "٣", // an Arabic-Indic digit is not an ASCII digit
      "１", // full-width digit
      "01", // ___eio[010] would be octal 8 in sloppy-mode script
      "00",
      "12345678901", // 11 digits
      "99999999999999999999",
    ];
    for (const index of refused) {
      expect(isValidJsonpIndex(index), JSON.stringify(index)).to.equal(false);
      expectCode(() => encodeJsonpResponse("4a", index), "LADDER_ERR_EIO_BAD_JSONP_INDEX");
    }
    expect(isValidJsonpIndex(7 as unknown as string)).to.equal(false);
    expect(isValidJsonpIndex(undefined as unknown as string)).to.equal(false);
  });
});

describe("JSONP response", () => {
  it("wraps the payload in ___eio[N](...); as a string literal", () => {
    expect(encodeJsonpResponse("4hello", "0")).to.equal('___eio[0]("4hello");');
    expect(encodeJsonpResponse("", "3")).to.equal('___eio[3]("");');
    expect(
      encodeJsonpResponse(encodePayload([{ type: "message", data: "a" }, { type: "ping" }]), "12"),
    ).to.equal('___eio[12]("4a\\u001e2");');
  });

  it("escapes quotes, backslashes, controls, U+2028/U+2029 and lone surrogates, and keeps other non-ASCII", () => {
    expect(encodeJsonpResponse('4"q" \\ \n\r\t\x00', "0")).to.equal(
      '___eio[0]("4\\"q\\" \\\\ \\n\\r\\t\\u0000");',
    );
    expect(encodeJsonpResponse("4\u2028\u2029", "1")).to.equal('___eio[1]("4\\u2028\\u2029");');
    expect(encodeJsonpResponse("4é😀ü", "1")).to.equal('___eio[1]("4é😀ü");');
    expect(encodeJsonpResponse("4\ud800x", "1")).to.equal('___eio[1]("4\\ud800x");');
    expect(encodeJsonpResponse("4</script>", "1")).to.equal('___eio[1]("4</script>");');
  });

  it("is a script that calls the right callback with the exact payload (run in a VM)", () => {
    const payload = '4"\\\n\u2028\u2029\x1e2é😀</script>';
    expect(runScript(encodeJsonpResponse(payload, "7"))).to.deep.equal({ 7: payload });
    expect(runScript(encodeJsonpResponse("6", "10"))).to.deep.equal({ 10: "6" });
  });

  it("is read back by decodeJsonpResponse", () => {
    expect(decodeJsonpResponse('___eio[0]("4hello");')).to.deep.equal({ index: "0", payload: "4hello" });
    expect(decodeJsonpResponse('___eio[42]("4\\u2028\\u001e2");')).to.deep.equal({
      index: "42",
      payload: "4\u2028\x1e2",
    });
    // engine.io may leave U+2028 raw in older versions; it is still a JSON string.
    expect(decodeJsonpResponse('___eio[1]("4\u2028");').payload).to.equal("4\u2028");
  });

  it("refuses scripts that are not exactly one call with one string", () => {
    const refused = [
      "",
      "4hello",
      '___eio[0]("4hello")',
      '___eio[0]("4hello");\n',
      ' ___eio[0]("4hello");',
      '___eio[0]("4hello"); alert(1);',
      '___eio[0]("4a"+alert(1)+"");',
      "___eio[0]('4hello');",
      "___eio[0](4);",
      "___eio[0]();",
      '___eio[0]("4hello);',
      '___eio[0]("\\x41");',
      "___eio[0",
      '___eio[0]"4a");',
      '__eio[0]("4a");',
    ];
    for (const script of refused) {
      expectCode(() => decodeJsonpResponse(script), "LADDER_ERR_EIO_BAD_JSONP_RESPONSE");
    }
    expect(decodeJsonpResponse('___eio[0]("");')).to.deep.equal({ index: "0", payload: "" });
    expectCode(() => decodeJsonpResponse(42 as unknown as string), "LADDER_ERR_EIO_BAD_JSONP_RESPONSE");
  });

  it("refuses a bad index in a response", () => {
    for (const script of [
      '___eio[]("4a");',
      '___eio[01]("4a");',
      '___eio[a]("4a");',
      '___eio[0);x(]("4a");',
    ]) {
      expectCode(() => decodeJsonpResponse(script), "LADDER_ERR_EIO_BAD_JSONP_INDEX");
    }
  });

  it("round-trips any payload and valid index, and the script evaluates to the same payload (property)", () => {
    const index = fc.nat({ max: 11 }).map(String);
    fc.assert(
      fc.property(fc.oneof(jsonpText, fc.string({ unit: codeUnit, maxLength: 20 })), index, (payload, i) => {
        const script = encodeJsonpResponse(payload, i);
        expect(script.indexOf("\u2028")).to.equal(-1);
        expect(script.indexOf("\u2029")).to.equal(-1);
        expect(decodeJsonpResponse(script)).to.deep.equal({ index: i, payload });
      }),
      { numRuns: 6000 },
    );
    // Evaluating is slower; fewer runs cover the script-safety side.
    fc.assert(
      fc.property(jsonpText, index, (payload, i) => {
        expect(runScript(encodeJsonpResponse(payload, i))).to.deep.equal({ [i]: payload });
      }),
      { numRuns: 300 },
    );
  });
});

describe("JSONP form body", () => {
  it("encodes the payload as d=<urlencoded> with newlines escaped", () => {
    expect(encodeJsonpBody("4hello")).to.equal("d=4hello");
    expect(encodeJsonpBody("4a b+c&d=e%")).to.equal("d=4a%20b%2Bc%26d%3De%25");
    expect(encodeJsonpBody("4a\x1e2")).to.equal("d=4a%1E2");
    expect(encodeJsonpBody("4é😀")).to.equal("d=4%C3%A9%F0%9F%98%80");
    // A line feed travels as backslash-n, an existing backslash-n as backslash-backslash-n.
    expect(encodeJsonpBody("4a\nb")).to.equal("d=4a%5Cnb");
    expect(encodeJsonpBody('42["a\\nb"]')).to.equal("d=42%5B%22a%5C%5Cnb%22%5D");
    // A lone surrogate cannot be UTF-8; like a browser form, send U+FFFD.
    expect(encodeJsonpBody("4\ud800")).to.equal("d=4%EF%BF%BD");
    expect(encodeJsonpBody("4\udc00a\ud83d\ude00")).to.equal("d=4%EF%BF%BDa%F0%9F%98%80");
  });

  it("escapes newlines as the engine.io convention wants", () => {
    expect(escapeJsonpNewlines("plain")).to.equal("plain");
    expect(escapeJsonpNewlines("a\nb")).to.equal("a\\nb");
    expect(escapeJsonpNewlines("\n\n")).to.equal("\\n\\n");
    expect(escapeJsonpNewlines("a\\nb")).to.equal("a\\\\nb");
    expect(escapeJsonpNewlines("a\\\\nb")).to.equal("a\\\\\\nb");
    // A line feed after a backslash cannot be escaped in this convention; it is sent as it is.
    expect(escapeJsonpNewlines("a\\\nb")).to.equal("a\\\nb");
    expect(escapeJsonpNewlines("a\\b")).to.equal("a\\b");
  });

  it("decodes + as space, %-escapes as UTF-8 and undoes the newline escaping", () => {
    expect(decodeJsonpBody("d=4hello")).to.equal("4hello");
    expect(decodeJsonpBody("d=4a+b%2Bc")).to.equal("4a b+c");
    expect(decodeJsonpBody("d=4%C3%A9%F0%9F%98%80")).to.equal("4é😀");
    expect(decodeJsonpBody("d=4%c3%a9")).to.equal("4é");
    expect(decodeJsonpBody("d=4a%1E2")).to.equal("4a\x1e2");
    // What engine.io-client 3.x posted for '42["a\nb"]' with a real line feed and for an escaped one.
    expect(decodeJsonpBody("d=4a%5Cnb")).to.equal("4a\nb");
    expect(decodeJsonpBody("d=42%5B%22a%5C%5Cnb%22%5D")).to.equal('42["a\\nb"]');
    expect(decodeJsonpBody("d=4a\\nb")).to.equal("4a\nb");
    expect(decodeJsonpBody("d=4a\\\\nb")).to.equal("4a\\nb");
    expect(decodeJsonpBody("d=4a%0Ab")).to.equal("4a\nb");
  });

  it("finds d among other fields, in any order, and with an encoded name", () => {
    expect(decodeJsonpBody("x=1&d=4a&y=2")).to.equal("4a");
    expect(decodeJsonpBody("&&d=4a&")).to.equal("4a");
    expect(decodeJsonpBody("%64=4a")).to.equal("4a");
    expect(decodeJsonpBody("d=4a=b")).to.equal("4a=b");
    expect(decodeJsonpBody("d")).to.equal("");
    expect(decodeJsonpBody("d=")).to.equal("");
    expect(decodeJsonpBody("dd=1&d=4x")).to.equal("4x");
  });

  it("refuses a body without exactly one d field", () => {
    for (const body of ["", "4hello", "x=4hello", "D=4a", "d =4a", "dd=4a", "&", "=d", "e=d"]) {
      expectCode(() => decodeJsonpBody(body), "LADDER_ERR_EIO_BAD_JSONP_BODY");
    }
    expectCode(() => decodeJsonpBody("d=4a&d=4b"), "LADDER_ERR_EIO_BAD_JSONP_BODY");
    expectCode(() => decodeJsonpBody(undefined as unknown as string), "LADDER_ERR_EIO_BAD_JSONP_BODY");
  });

  it("refuses malformed %-escapes and invalid UTF-8", () => {
    for (const body of [
      "d=4%",
      "d=4%2",
      "d=4%zz",
      "d=4%C3",
      "d=4%FF",
      "d=4%ED%A0%80",
      "d=%C3%28",
      "%=1&d=4",
    ]) {
      expectCode(() => decodeJsonpBody(body), "LADDER_ERR_EIO_BAD_JSONP_BODY");
    }
  });

  it("unescapeJsonpNewlines follows the server rule left to right", () => {
    expect(unescapeJsonpNewlines("no escapes")).to.equal("no escapes");
    expect(unescapeJsonpNewlines("a\\b")).to.equal("a\\b");
    expect(unescapeJsonpNewlines("\\n")).to.equal("\n");
    expect(unescapeJsonpNewlines("\\\\n")).to.equal("\\n");
    expect(unescapeJsonpNewlines("\\\\\\n")).to.equal("\\\\n");
    expect(unescapeJsonpNewlines("\\\\\\\\n")).to.equal("\\\\\\n");
    expect(unescapeJsonpNewlines("x\\")).to.equal("x\\");
    expect(unescapeJsonpNewlines("\\\\")).to.equal("\\\\");
  });

  it("round-trips every payload through the body, including backslash/newline mixes (property)", () => {
    fc.assert(
      fc.property(jsonpText, (payload) => {
        expect(unescapeJsonpNewlines(escapeJsonpNewlines(payload))).to.equal(payload);
        const body = encodeJsonpBody(payload);
        // What a browser posts is plain ASCII.
        expect(/^d=[\x21-\x7e]*$/.test(body), body).to.equal(true);
        expect(decodeJsonpBody(body)).to.equal(payload);
      }),
      { numRuns: 6000 },
    );
  });

  it("turns lone surrogates into U+FFFD and nothing else (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 20 }), (payload) => {
        // Node's UTF-8 encoder makes the same replacement.
        const expected = Buffer.from(payload, "utf8").toString("utf8");
        expect(decodeJsonpBody(encodeJsonpBody(payload))).to.equal(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("tolerates other fields and form-style + for spaces around the round trip (property)", () => {
    const field = fc.tuple(fc.constantFrom("x", "y", "dd", "t"), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(
        jsonpText,
        fc.array(field, { maxLength: 3 }),
        fc.array(field, { maxLength: 3 }),
        (p, pre, post) => {
          const enc = (pair: [string, string]) => `${pair[0]}=${encodeURIComponent(pair[1])}`;
          const body = [...pre.map(enc), encodeJsonpBody(p).replace(/%20/g, "+"), ...post.map(enc)].join("&");
          expect(decodeJsonpBody(body)).to.equal(p);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
