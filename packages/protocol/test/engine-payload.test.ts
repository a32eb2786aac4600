import { expect } from "chai";
import fc from "fast-check";
import {
  decodePayload,
  type EnginePacket,
  type EnginePacketType,
  encodePayload,
  isProtocolError,
  type ProtocolErrorCode,
  RECORD_SEPARATOR,
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

describe("polling payloads", () => {
  it("uses the ASCII record separator", () => {
    expect(RECORD_SEPARATOR).to.equal("\x1e");
    expect(RECORD_SEPARATOR.charCodeAt(0)).to.equal(30);
  });

  it("encodes packets joined by \\x1e, binary always as b + base64", () => {
    const payload = encodePayload([
      { type: "message", data: "hello" },
      { type: "ping" },
      { type: "message", data: Uint8Array.of(1, 2, 3) },
    ]);
    expect(payload).to.equal("4hello\x1e2\x1ebAQID");
    expect(encodePayload([{ type: "noop" }])).to.equal("6");
    expect(encodePayload([{ type: "close" }, { type: "noop" }])).to.equal("1\x1e6");
    expect(
      encodePayload([
        { type: "message", data: "" },
        { type: "message", data: "" },
      ]),
    ).to.equal("4\x1e4");
    expect(encodePayload([])).to.equal("");
    expect(
      encodePayload([{ type: "message", data: new ArrayBuffer(2) }] as unknown as EnginePacket[]),
    ).to.equal("bAAA=");
  });

  it("refuses binary on a non-message packet inside a payload", () => {
    expectCode(
      () =>
        encodePayload([
          { type: "message", data: "a" },
          { type: "ping", data: Uint8Array.of(1) },
        ]),
      "LADDER_ERR_EIO_BINARY_NOT_MESSAGE",
    );
  });

  it("decodes a payload into its packets, in order", () => {
    const packets = decodePayload("4hello\x1e2\x1ebAQID");
    expect(packets).to.have.length(3);
    expect(packets[0]).to.deep.equal({ type: "message", data: "hello" });
    expect(packets[1]).to.deep.equal({ type: "ping" });
    expect(packets[2]!.type).to.equal("message");
    expect(Array.from(packets[2]!.data as Uint8Array)).to.deep.equal([1, 2, 3]);
    expect(decodePayload("6")).to.deep.equal([{ type: "noop" }]);
    expect(decodePayload("1")).to.deep.equal([{ type: "close" }]);
    expect(decodePayload("4é😀\u2028")).to.deep.equal([{ type: "message", data: "é😀\u2028" }]);
    expect(decodePayload('40\x1e42["a"]')).to.deep.equal([
      { type: "message", data: "0" },
      { type: "message", data: '2["a"]' },
    ]);
  });

  it("rejects an empty payload and empty records", () => {
    for (const payload of ["", "\x1e", "4a\x1e", "\x1e4a", "4a\x1e\x1e4b"]) {
      expectCode(() => decodePayload(payload), "LADDER_ERR_EIO_EMPTY_PACKET");
    }
  });

  it("rejects a payload with any bad record", () => {
    expectCode(() => decodePayload("4a\x1e9b"), "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE");
    expectCode(() => decodePayload("x"), "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE");
    expectCode(() => decodePayload("4a\x1ebAQ"), "LADDER_ERR_EIO_BAD_BASE64");
    // base64 cannot continue across a separator
    expectCode(() => decodePayload("bAQ\x1eID"), "LADDER_ERR_EIO_BAD_BASE64");
  });

  it("enforces maxPackets before decoding the extra packets", () => {
    expect(decodePayload("4a\x1e4b\x1e4c", { maxPackets: 3 })).to.have.length(3);
    expectCode(() => decodePayload("4a\x1e4b\x1e4c", { maxPackets: 2 }), "LADDER_ERR_EIO_PAYLOAD_TOO_LARGE");
    // The 3rd record is invalid, but the limit is what is reported: it was never decoded.
    expectCode(() => decodePayload("4a\x1e4b\x1eZZZ", { maxPackets: 2 }), "LADDER_ERR_EIO_PAYLOAD_TOO_LARGE");
    expectCode(() => decodePayload("4a", { maxPackets: 0 }), "LADDER_ERR_EIO_PAYLOAD_TOO_LARGE");
    expect(decodePayload("4a", {})).to.have.length(1);
    expect(decodePayload("4a", { maxPackets: undefined })).to.have.length(1);
  });

  it("decodes one-megabyte hostile payloads completely (a linear scan, not a quadratic one)", () => {
    // 524,288 tiny packets: one pass of indexOf, no array of substrings.
    const many = "4\x1e".repeat(512 * 1024 - 1) + "4";
    const packets = decodePayload(many);
    expect(packets).to.have.length(512 * 1024);
    expect(packets[packets.length - 1]).to.deep.equal({ type: "message" });
    // The limit stops such a payload after maxPackets records.
    expectCode(() => decodePayload(many, { maxPackets: 1000 }), "LADDER_ERR_EIO_PAYLOAD_TOO_LARGE");
    // One packet of a megabyte, text and base64.
    const big = "4" + "x".repeat(1024 * 1024);
    expect((decodePayload(big)[0]!.data as string).length).to.equal(1024 * 1024);
    const b64 = "b" + "AAAA".repeat(256 * 1024);
    expect((decodePayload(b64)[0]!.data as Uint8Array).length).to.equal(768 * 1024);
    // A megabyte of separators fails on the first empty record, without scanning the rest first.
    expectCode(() => decodePayload("\x1e".repeat(1024 * 1024)), "LADDER_ERR_EIO_EMPTY_PACKET");
  });
});

describe("payload round trips (property)", () => {
  const TYPES: EnginePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
  // Text data may hold anything except the separator, which has no escape in a payload.
  const text = fc.string({ unit: "binary", maxLength: 30 }).map((s) => s.split("\x1e").join(""));
  const packet: fc.Arbitrary<EnginePacket> = fc.oneof(
    fc.record({ type: fc.constantFrom(...TYPES), data: fc.option(text, { nil: undefined }) }),
    fc.uint8Array({ maxLength: 40 }).map((data) => ({ type: "message" as const, data })),
  );

  function normalise(p: EnginePacket): unknown {
    if (p.data instanceof Uint8Array) return { type: p.type, bytes: Array.from(p.data) };
    return p.data === undefined || p.data === "" ? { type: p.type } : { type: p.type, data: p.data };
  }

  it("decodePayload(encodePayload(packets)) gives back the same packets, mixed text and binary", () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 12 }), (packets) => {
        const payload = encodePayload(packets);
        const back = decodePayload(payload, { maxPackets: packets.length });
        expect(back.map(normalise)).to.deep.equal(packets.map(normalise));
      }),
      { numRuns: 4000 },
    );
  });

  it("maxPackets accepts exactly the payloads with at most that many packets", () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 8 }), fc.nat(10), (packets, max) => {
        const payload = encodePayload(packets);
        if (packets.length <= max) {
          expect(decodePayload(payload, { maxPackets: max })).to.have.length(packets.length);
        } else {
          expectCode(() => decodePayload(payload, { maxPackets: max }), "LADDER_ERR_EIO_PAYLOAD_TOO_LARGE");
        }
      }),
      { numRuns: 2000 },
    );
  });
});
