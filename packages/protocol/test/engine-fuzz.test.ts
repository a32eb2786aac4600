import { expect } from "chai";
import fc from "fast-check";
import {
  decodeHandshake,
  decodeJsonpBody,
  decodeJsonpResponse,
  decodePacket,
  decodePayload,
  type EnginePacket,
  encodeJsonpBody,
  encodeJsonpResponse,
  encodePacket,
  encodePayload,
  fromBase64,
  isProtocolError,
  isValidJsonpIndex,
  unescapeJsonpNewlines,
} from "../src/index.js";

/**
 * Runs `decode`; the only acceptable failure is a ProtocolError. Returns the result, or undefined when the
 * input was refused. Anything else (a TypeError, a RangeError, a SyntaxError leaking out of JSON.parse …)
 * fails the property.
 */
function survive<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (err) {
    if (!isProtocolError(err)) {
      throw new Error(`decoder threw something other than a ProtocolError: ${String(err)}`);
    }
    return undefined;
  }
}

// Text biased towards what the decoders look at, so generated inputs get past the first check.
const significant = fc.constantFrom(
  "0",
  "1",
  "2",
  "4",
  "6",
  "7",
  "b",
  "\x1e",
  "A",
  "Q",
  "=",
  "+",
  "/",
  "%",
  "&",
  "d",
  "\\",
  "n",
  "\n",
  '"',
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  ";",
  ":",
  ",",
  "_",
  "e",
  "i",
  "o",
  "é",
  "\u2028",
  "\ud800",
);
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: significant, maxLength: 40 }),
);

const validPacket: fc.Arbitrary<EnginePacket> = fc.oneof(
  fc.record({
    type: fc.constantFrom("open", "close", "ping", "pong", "message", "upgrade", "noop" as const),
    data: fc.option(
      fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.split("\x1e").join("")),
      { nil: undefined },
    ),
  }),
  fc.uint8Array({ maxLength: 12 }).map((data) => ({ type: "message" as const, data })),
);
const validPayload = fc.array(validPacket, { minLength: 1, maxLength: 6 }).map(encodePayload);

type Mutation = {
  at: number;
  kind: "insert" | "delete" | "replace" | "truncate" | "duplicate";
  text: string;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("insert", "delete", "replace", "truncate", "duplicate" as const),
  text: fc.string({ unit: significant, minLength: 1, maxLength: 3 }),
});

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === "insert") out = out.slice(0, at) + m.text + out.slice(at);
    else if (m.kind === "delete") out = out.slice(0, at) + out.slice(at + m.text.length);
    else if (m.kind === "replace") out = out.slice(0, at) + m.text + out.slice(at + m.text.length);
    else if (m.kind === "truncate") out = out.slice(0, at);
    else out = out.slice(0, at) + out.slice(at, at + 4) + out.slice(at);
  }
  return out;
}
const mutatedPayload = fc
  .tuple(validPayload, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([p, m]) => mutate(p, m));

/** Every decoder on one text input; what decodes must also be consistent with the encoders. */
function throwEverything(text: string): void {
  const packet = survive(() => decodePacket(text));
  // Decoding is canonical: whatever is accepted re-encodes to the very same text.
  if (packet) expect(encodePacket(packet, false)).to.equal(text);

  const packets = survive(() => decodePayload(text));
  if (packets) expect(encodePayload(packets)).to.equal(text);
  survive(() => decodePayload(text, { maxPackets: 2 }));

  survive(() => decodeHandshake(text));
  survive(() => decodeHandshake(text.slice(1)));

  const response = survive(() => decodeJsonpResponse(text));
  if (response) expect(isValidJsonpIndex(response.index)).to.equal(true);
  survive(() => decodeJsonpResponse(`___eio[1](${text});`));
  survive(() => decodeJsonpResponse(`___eio[${text}]("4");`));

  survive(() => decodeJsonpBody(text));
  survive(() => decodeJsonpBody(`d=${text}`));
  expect(unescapeJsonpNewlines(text)).to.be.a("string");

  const bytes = survive(() => fromBase64(text));
  if (bytes) expect(Buffer.from(bytes).toString("base64")).to.equal(text);

  const valid = isValidJsonpIndex(text);
  expect(valid).to.equal(/^(0|[1-9][0-9]{0,9})$/.test(text));
  if (valid) expect(encodeJsonpResponse("4", text)).to.equal(`___eio[${text}]("4");`);
}

describe("engine decoders under fuzzing", () => {
  it("random strings reach every decoder and produce only ProtocolErrors", () => {
    fc.assert(fc.property(anyText, throwEverything), { numRuns: 8000 });
  });

  it("mutated valid payloads produce only ProtocolErrors, and what decodes re-encodes identically", () => {
    fc.assert(fc.property(mutatedPayload, throwEverything), { numRuns: 5000 });
  });

  it("mutated JSONP responses and bodies produce only ProtocolErrors", () => {
    const response = fc
      .tuple(validPayload, fc.nat(20), fc.array(mutation, { minLength: 1, maxLength: 2 }))
      .map(([payload, index, m]) => mutate(encodeJsonpResponse(payload, String(index)), m));
    const body = fc
      .tuple(validPayload, fc.array(mutation, { minLength: 1, maxLength: 2 }))
      .map(([payload, m]) => mutate(encodeJsonpBody(payload), m));
    fc.assert(fc.property(fc.oneof(response, body), throwEverything), { numRuns: 4000 });
  });

  it("random bytes, ArrayBuffers and non-text frames decode as messages or ProtocolErrors", () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ maxLength: 64 }).map((u) => u.buffer),
      fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
      fc.anything(),
    );
    fc.assert(
      fc.property(frame, (data) => {
        const packet = survive(() => decodePacket(data as Uint8Array));
        // fc.anything() also makes strings, which are text frames.
        if (packet && typeof data !== "string") {
          expect(packet.type).to.equal("message");
          expect(packet.data).to.be.instanceOf(Uint8Array);
        }
        // Non-string input to the text decoders must not crash them either.
        survive(() => decodePayload(data as unknown as string));
        survive(() => decodeJsonpBody(data as unknown as string));
        survive(() => decodeJsonpResponse(data as unknown as string));
        survive(() => decodeHandshake(data as unknown as string));
        expect(isValidJsonpIndex(data as unknown as string)).to.be.a("boolean");
      }),
      { numRuns: 3000 },
    );
  });
});
