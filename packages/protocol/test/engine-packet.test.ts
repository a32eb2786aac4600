import { expect } from "chai";
import fc from "fast-check";
import {
  decodePacket,
  ENGINE_PACKET_CODES,
  ENGINE_PACKET_TYPES,
  type EnginePacket,
  type EnginePacketType,
  encodePacket,
  isBinary,
  isEnginePacketType,
  isProtocolError,
  type ProtocolErrorCode,
  toUint8Array,
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

const TYPES: EnginePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];

describe("engine packet types", () => {
  it("maps every type to its digit and back", () => {
    expect(ENGINE_PACKET_CODES).to.deep.equal({
      open: "0",
      close: "1",
      ping: "2",
      pong: "3",
      message: "4",
      upgrade: "5",
      noop: "6",
    });
    expect(ENGINE_PACKET_TYPES).to.deep.equal(TYPES);
    for (const type of TYPES) expect(ENGINE_PACKET_TYPES[Number(ENGINE_PACKET_CODES[type])]).to.equal(type);
  });

  it("recognises the seven names and nothing inherited", () => {
    for (const type of TYPES) expect(isEnginePacketType(type)).to.equal(true);
    for (const other of ["error", "toString", "__proto__", "constructor", "4", "", 4, null, undefined]) {
      expect(isEnginePacketType(other), String(other)).to.equal(false);
    }
  });

  it("cannot be mutated", () => {
    expect(Object.isFrozen(ENGINE_PACKET_CODES)).to.equal(true);
    expect(Object.isFrozen(ENGINE_PACKET_TYPES)).to.equal(true);
  });
});

describe("encodePacket (one WebSocket frame)", () => {
  it("writes text packets as the type digit and the data", () => {
    expect(encodePacket({ type: "message", data: "hello" }, true)).to.equal("4hello");
    expect(encodePacket({ type: "ping", data: "probe" }, true)).to.equal("2probe");
    expect(encodePacket({ type: "pong", data: "probe" }, false)).to.equal("3probe");
    expect(encodePacket({ type: "upgrade" }, true)).to.equal("5");
    expect(encodePacket({ type: "noop" }, true)).to.equal("6");
    expect(encodePacket({ type: "ping" }, true)).to.equal("2");
    expect(encodePacket({ type: "close" }, true)).to.equal("1");
    expect(encodePacket({ type: "message", data: "" }, true)).to.equal("4");
    expect(encodePacket({ type: "open", data: '{"sid":"x"}' }, true)).to.equal('0{"sid":"x"}');
    expect(encodePacket({ type: "message", data: "é\u2028\x1e😀" }, true)).to.equal("4é\u2028\x1e😀");
  });

  it("sends binary as the raw bytes (no type byte) when the peer takes binary", () => {
    const data = Uint8Array.of(1, 2, 3);
    const frame = encodePacket({ type: "message", data }, true);
    expect(frame).to.be.instanceOf(Uint8Array);
    // No copy: the frame is the caller's array.
    expect(frame).to.equal(data);
  });

  it("sends binary as b + base64 when the peer asked for b64", () => {
    expect(encodePacket({ type: "message", data: Uint8Array.of(1, 2, 3) }, false)).to.equal("bAQID");
    expect(encodePacket({ type: "message", data: new Uint8Array(0) }, false)).to.equal("b");
    expect(encodePacket({ type: "message", data: Uint8Array.of(255, 254) }, false)).to.equal("b//4=");
  });

  it("accepts ArrayBuffer, DataView, other typed arrays and Node Buffers as binary data", () => {
    const backing = Uint8Array.of(9, 1, 2, 3, 9).buffer;
    const asView = new DataView(backing, 1, 3);
    const cases: unknown[] = [
      Uint8Array.of(1, 2, 3).buffer,
      asView,
      new Uint8Array(backing, 1, 3),
      Buffer.from([1, 2, 3]),
      new Uint16Array(Uint8Array.of(1, 2, 3, 0).buffer, 0, 1),
    ];
    const expected = ["bAQID", "bAQID", "bAQID", "bAQID", "bAQI="];
    cases.forEach((data, i) => {
      const packet = { type: "message", data } as unknown as EnginePacket;
      expect(encodePacket(packet, false), `case ${i}`).to.equal(expected[i]);
      const frame = encodePacket(packet, true) as Uint8Array;
      expect(frame).to.be.instanceOf(Uint8Array);
      expect(Array.from(frame)).to.deep.equal(i === 4 ? [1, 2] : [1, 2, 3]);
    });
    // A view is re-wrapped over the same memory, not copied.
    const frame = encodePacket(
      { type: "message", data: asView } as unknown as EnginePacket,
      true,
    ) as Uint8Array;
    expect(frame.buffer).to.equal(backing);
    expect(frame.byteOffset).to.equal(1);
  });

  it("refuses binary on any type but message", () => {
    for (const type of TYPES.filter((t) => t !== "message")) {
      expectCode(
        () => encodePacket({ type, data: Uint8Array.of(1) }, true),
        "LADDER_ERR_EIO_BINARY_NOT_MESSAGE",
      );
      expectCode(
        () => encodePacket({ type, data: Uint8Array.of(1) }, false),
        "LADDER_ERR_EIO_BINARY_NOT_MESSAGE",
      );
    }
  });

  it("refuses a type that is not one of the seven", () => {
    for (const type of ["error", "toString", "7", ""]) {
      const packet = { type, data: "x" } as unknown as EnginePacket;
      expectCode(() => encodePacket(packet, true), "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE");
      expectCode(
        () => encodePacket({ type } as unknown as EnginePacket, true),
        "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE",
      );
    }
  });

  it("treats data that is neither text nor binary as a caller bug (TypeError)", () => {
    for (const data of [42, {}, [1, 2], true]) {
      expect(() => encodePacket({ type: "message", data } as unknown as EnginePacket, true)).to.throw(
        TypeError,
      );
    }
  });
});

describe("decodePacket", () => {
  it("reads text packets of every type, data only when present", () => {
    expect(decodePacket("4hello")).to.deep.equal({ type: "message", data: "hello" });
    expect(decodePacket("2probe")).to.deep.equal({ type: "ping", data: "probe" });
    expect(decodePacket("3probe")).to.deep.equal({ type: "pong", data: "probe" });
    expect(decodePacket("5")).to.deep.equal({ type: "upgrade" });
    expect(decodePacket("6")).to.deep.equal({ type: "noop" });
    expect(decodePacket("1")).to.deep.equal({ type: "close" });
    expect(decodePacket("4")).to.deep.equal({ type: "message" });
    expect(decodePacket("0{}")).to.deep.equal({ type: "open", data: "{}" });
    // The data is everything after the digit, even another digit or a separator.
    expect(decodePacket("44")).to.deep.equal({ type: "message", data: "4" });
    expect(decodePacket("4\x1e")).to.deep.equal({ type: "message", data: "\x1e" });
    expect(decodePacket("4😀")).to.deep.equal({ type: "message", data: "😀" });
  });

  it("reads b + base64 as a binary message", () => {
    const packet = decodePacket("bAQID");
    expect(packet.type).to.equal("message");
    expect(packet.data).to.be.instanceOf(Uint8Array);
    expect(Array.from(packet.data as Uint8Array)).to.deep.equal([1, 2, 3]);
    const empty = decodePacket("b");
    expect(empty.type).to.equal("message");
    expect((empty.data as Uint8Array).length).to.equal(0);
  });

  it("reads binary frames as messages without copying", () => {
    const bytes = Uint8Array.of(4, 104, 105);
    // A binary frame has no type byte: the leading 4 is data, not "message".
    const fromBytes = decodePacket(bytes);
    expect(fromBytes.type).to.equal("message");
    expect(fromBytes.data).to.equal(bytes);

    const buffer = Uint8Array.of(1, 2).buffer;
    const fromBuffer = decodePacket(buffer);
    expect(fromBuffer.type).to.equal("message");
    expect((fromBuffer.data as Uint8Array).buffer).to.equal(buffer);
    expect(Array.from(fromBuffer.data as Uint8Array)).to.deep.equal([1, 2]);

    const nodeBuffer = Buffer.from("hi");
    expect(decodePacket(nodeBuffer).data).to.equal(nodeBuffer);

    const view = new DataView(Uint8Array.of(0, 7, 8).buffer, 1);
    const fromView = decodePacket(view as unknown as Uint8Array);
    expect(Array.from(fromView.data as Uint8Array)).to.deep.equal([7, 8]);

    // An empty binary frame is a legitimate empty message.
    const empty = decodePacket(new Uint8Array(0));
    expect(empty.type).to.equal("message");
    expect((empty.data as Uint8Array).length).to.equal(0);
  });

  it("rejects an empty text packet", () => {
    expectCode(() => decodePacket(""), "LADDER_ERR_EIO_EMPTY_PACKET");
  });

  it("rejects unknown type characters", () => {
    for (const text of ["7", "9hello", "a", "B", "-1", " 4", "\x1e", "é", "😀", "/", ":"]) {
      expectCode(() => decodePacket(text), "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE");
    }
    for (const frame of [42, null, undefined, {}, [4]]) {
      expectCode(() => decodePacket(frame as unknown as string), "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE");
    }
  });

  it("rejects invalid base64 in a b packet", () => {
    for (const text of ["bA", "bAQI", "bAQ=D", "b====", "bAQ I", "bAQ-_", "bAQJ=", "bÀQID"]) {
      expectCode(() => decodePacket(text), "LADDER_ERR_EIO_BAD_BASE64");
    }
  });
});

describe("binary helpers", () => {
  it("isBinary accepts buffers and views, nothing else", () => {
    expect(isBinary(new ArrayBuffer(1))).to.equal(true);
    expect(isBinary(new Uint8Array(1))).to.equal(true);
    expect(isBinary(new Float64Array(1))).to.equal(true);
    expect(isBinary(new DataView(new ArrayBuffer(1)))).to.equal(true);
    expect(isBinary(Buffer.alloc(1))).to.equal(true);
    for (const other of ["AQID", [1, 2], { buffer: new ArrayBuffer(1) }, null, undefined, 3]) {
      expect(isBinary(other), String(other)).to.equal(false);
    }
  });

  it("toUint8Array returns Uint8Arrays as they are and wraps the rest over the same memory", () => {
    const u8 = Uint8Array.of(1, 2, 3);
    expect(toUint8Array(u8)).to.equal(u8);
    const nodeBuffer = Buffer.from([1]);
    expect(toUint8Array(nodeBuffer)).to.equal(nodeBuffer);
    const u16 = new Uint16Array(4);
    const wrapped = toUint8Array(u16.subarray(1, 3));
    expect(wrapped.buffer).to.equal(u16.buffer);
    expect([wrapped.byteOffset, wrapped.length]).to.deep.equal([2, 4]);
    wrapped[0] = 0xff;
    expect(u16[1]).to.equal(0xff);
    const ab = new ArrayBuffer(5);
    expect(toUint8Array(ab).buffer).to.equal(ab);
    expect(toUint8Array(ab).length).to.equal(5);
  });
});

describe("packet round trips (property)", () => {
  const textPacket = fc.record({
    type: fc.constantFrom(...TYPES),
    data: fc.option(fc.string({ unit: "binary", maxLength: 40 }), { nil: undefined }),
  });
  const binaryPacket = fc.uint8Array({ maxLength: 64 }).map((data) => ({ type: "message" as const, data }));

  // What a decoder gives back: no data key for empty text.
  function normalise(packet: { type: EnginePacketType; data?: string | Uint8Array }): EnginePacket {
    if (packet.data === undefined || packet.data === "") return { type: packet.type };
    return { type: packet.type, data: packet.data };
  }

  it("decodePacket(encodePacket(p)) === p for text packets, either binary mode", () => {
    fc.assert(
      fc.property(textPacket, fc.boolean(), (packet, supportsBinary) => {
        const frame = encodePacket(packet, supportsBinary);
        expect(frame).to.be.a("string");
        expect(frame).to.equal(ENGINE_PACKET_CODES[packet.type] + (packet.data ?? ""));
        expect(decodePacket(frame)).to.deep.equal(normalise(packet));
      }),
      { numRuns: 4000 },
    );
  });

  it("decodePacket(encodePacket(p)) === p for binary messages, as frames and as b64", () => {
    fc.assert(
      fc.property(binaryPacket, fc.boolean(), (packet, supportsBinary) => {
        const frame = encodePacket(packet, supportsBinary);
        expect(typeof frame === "string").to.equal(!supportsBinary);
        const back = decodePacket(frame);
        expect(back.type).to.equal("message");
        expect(back.data).to.be.instanceOf(Uint8Array);
        expect(Array.from(back.data as Uint8Array)).to.deep.equal(Array.from(packet.data));
      }),
      { numRuns: 4000 },
    );
  });
});
