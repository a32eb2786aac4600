import { expect } from "chai";
import type { ProtocolErrorCode } from "../src/errors.js";
import {
  decodeSocketPacket,
  encodeSocketPacket,
  RESERVED_EVENTS,
  SocketDecoder,
  type SocketPacket,
} from "../src/socket/index.js";
import { expectCode } from "./socket-helpers.js";

const PH0 = '{"_placeholder":true,"num":0}';

/** Text packets the decoder must reject, each with the exact code. */
const REJECTED: Array<[string, ProtocolErrorCode]> = [
  // unknown type
  ["", "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
  ["7", "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
  ['9["x"]', "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
  ['a["x"]', "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
  ['-2["x"]', "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
  [' 2["x"]', "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
  ['42["error"]', "LADDER_ERR_SIO_BAD_JSON"], // engine prefix left on: CONNECT_ERROR + `2[...]`, not JSON
  // malformed namespace
  ['2/ad\u0000min,["x"]', "LADDER_ERR_SIO_BAD_NAMESPACE"],
  ['2/a\nb,["x"]', "LADDER_ERR_SIO_BAD_NAMESPACE"],
  ['2/a\u007fb,["x"]', "LADDER_ERR_SIO_BAD_NAMESPACE"],
  ['2/a\u0085b,["x"]', "LADDER_ERR_SIO_BAD_NAMESPACE"],
  [`2/${"a".repeat(1024)},["x"]`, "LADDER_ERR_SIO_BAD_NAMESPACE"],
  [`1/${"a".repeat(1024)}`, "LADDER_ERR_SIO_BAD_NAMESPACE"],
  [`2/${"a".repeat(2_000_000)},["x"]`, "LADDER_ERR_SIO_BAD_NAMESPACE"],
  ['2admin,["x"]', "LADDER_ERR_SIO_BAD_JSON"], // no leading "/": not a namespace, so it is read as data
  // ack id
  ['299999999999999999999["x"]', "LADDER_ERR_SIO_BAD_ACK_ID"],
  ['29007199254740992["x"]', "LADDER_ERR_SIO_BAD_ACK_ID"],
  ['2/admin,12345678901234567["x"]', "LADDER_ERR_SIO_BAD_ACK_ID"],
  [`2${"1".repeat(1_000_000)}["x"]`, "LADDER_ERR_SIO_BAD_ACK_ID"],
  ['3["x"]', "LADDER_ERR_SIO_BAD_ACK_ID"],
  ["3/admin,[]", "LADDER_ERR_SIO_BAD_ACK_ID"],
  [`61-[${PH0}]`, "LADDER_ERR_SIO_BAD_ACK_ID"],
  // payload shapes
  ["2[]", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["2{}", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ['2"x"', "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["2", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["2/admin,", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["21", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["0[]", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ['0"token"', "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["0null", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["01", "LADDER_ERR_SIO_BAD_PAYLOAD"], // CONNECT takes no ack id: "1" is data, and not an object
  ["1{}", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ['1/admin,"bye"', "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["4", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["4[]", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["41", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["4null", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["31{}", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ['3/x,1"a"', "LADDER_ERR_SIO_BAD_PAYLOAD"],
  ["31", "LADDER_ERR_SIO_BAD_PAYLOAD"],
  // event names
  ['2[{"toString":"foo"}]', "LADDER_ERR_SIO_BAD_EVENT_NAME"],
  ['2[true,"x"]', "LADDER_ERR_SIO_BAD_EVENT_NAME"],
  ['2[null,"x"]', "LADDER_ERR_SIO_BAD_EVENT_NAME"],
  ['2[["x"]]', "LADDER_ERR_SIO_BAD_EVENT_NAME"],
  [`51-[${PH0}]`, "LADDER_ERR_SIO_BAD_EVENT_NAME"],
  ['2["connect"]', "LADDER_ERR_SIO_RESERVED_EVENT"],
  ['2/admin,4["disconnect","x"]', "LADDER_ERR_SIO_RESERVED_EVENT"],
  [`51-["newListener",${PH0}]`, "LADDER_ERR_SIO_RESERVED_EVENT"],
  // JSON
  ['2["x"', "LADDER_ERR_SIO_BAD_JSON"],
  ["2[x]", "LADDER_ERR_SIO_BAD_JSON"],
  ["2 ", "LADDER_ERR_SIO_BAD_JSON"],
  ["2/admin,abc", "LADDER_ERR_SIO_BAD_JSON"],
  ['2["x"]garbage', "LADDER_ERR_SIO_BAD_JSON"],
  ['0{"a":1', "LADDER_ERR_SIO_BAD_JSON"],
  // attachment count
  ['5-["x"]', "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  ['5["x"]', "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  ["5", "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  ["6", "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  ['50-["x"]', "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  [`501-["x",${PH0}]`, "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  [`5-1-["x",${PH0}]`, "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  [`5a-["x",${PH0}]`, "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  [`51["x",${PH0}]`, "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  [`51.0-["x",${PH0}]`, "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  [`5 1-["x",${PH0}]`, "LADDER_ERR_SIO_BAD_ATTACHMENTS"],
  ['511-["x"]', "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS"],
  ["5999999-", "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS"],
  ['6999999-1["x"]', "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS"],
  [`5${"9".repeat(2_000_000)}-`, "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS"],
  [`5${"9".repeat(2_000_000)}`, "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS"],
  // placeholders
  ['51-["x",{"_placeholder":true,"num":"splice"}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":"toString"}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":"__proto__"}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":-1}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":1e9}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":1.5}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":"0"}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":null}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":[0]}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":true,"num":1}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":"true","num":0}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":1,"num":0}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"_placeholder":false,"num":0}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x"]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"], // an attachment nothing refers to
  [`52-["x",${PH0}]`, "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  [`52-["x",${PH0},${PH0}]`, "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
  ['51-["x",{"__proto__":{"_placeholder":true,"num":"__proto__"}}]', "LADDER_ERR_SIO_BAD_PLACEHOLDER"],
];

describe("socket codec: decoder rejections", () => {
  for (const [wire, code] of REJECTED) {
    const label = wire.length > 60 ? `${wire.slice(0, 40)}… (${wire.length} chars)` : JSON.stringify(wire);
    it(`rejects ${label} with ${code}`, () => {
      const decoder = new SocketDecoder();
      expectCode(() => decoder.add(wire), code);
      // The decoder is clean afterwards: nothing pending, and the next valid packet decodes.
      expect(decoder.pendingAttachments).to.equal(0);
      expect(decoder.add('2["next"]')).to.deep.equal({ type: 2, nsp: "/", data: ["next"] });
      expectCode(() => decodeSocketPacket(wire), code);
    });
  }

  it("accepts every event name that is not reserved, including error and numbers", () => {
    for (const name of [
      "error",
      "connecting",
      "Connect",
      "reconnect",
      "message",
      "",
      "__proto__",
      "constructor",
    ]) {
      const wire = `2${JSON.stringify([name, 1])}`;
      expect(decodeSocketPacket(wire)).to.deep.equal({ type: 2, nsp: "/", data: [name, 1] });
    }
    expect(decodeSocketPacket("2[0]")).to.deep.equal({ type: 2, nsp: "/", data: [0] });
    expect(decodeSocketPacket("2[-1.5]")).to.deep.equal({ type: 2, nsp: "/", data: [-1.5] });
    for (const name of RESERVED_EVENTS) {
      expectCode(() => decodeSocketPacket(`2${JSON.stringify([name])}`), "LADDER_ERR_SIO_RESERVED_EVENT");
    }
  });

  it("outside binary packets a placeholder-looking object is plain data", () => {
    const wire = `2["x",${PH0},{"_placeholder":"anything"}]`;
    expect(decodeSocketPacket(wire)).to.deep.equal({
      type: 2,
      nsp: "/",
      data: ["x", { _placeholder: true, num: 0 }, { _placeholder: "anything" }],
    });
  });

  it("maxAttachments is configurable; 0 forbids binary packets", () => {
    const two = new SocketDecoder({ maxAttachments: 2 });
    expect(two.add(`52-["x",${PH0},{"_placeholder":true,"num":1}]`)).to.equal(null);
    expect(two.pendingAttachments).to.equal(2);
    two.reset();
    expect(two.pendingAttachments).to.equal(0);
    expectCode(() => two.add(`53-["x",${PH0}]`), "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS");
    expectCode(
      () => new SocketDecoder({ maxAttachments: 0 }).add(`51-["x",${PH0}]`),
      "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS",
    );
    const many = new SocketDecoder({ maxAttachments: 12 });
    const refs = Array.from({ length: 12 }, (_, i) => `{"_placeholder":true,"num":${i}}`).join(",");
    expect(many.add(`512-["x",${refs}]`)).to.equal(null);
    expect(many.pendingAttachments).to.equal(12);
    expect(() => new SocketDecoder({ maxAttachments: -1 })).to.throw(RangeError);
    expect(() => new SocketDecoder({ maxAttachments: 1.5 })).to.throw(RangeError);
  });

  it("decodeSocketPacket refuses a valid binary header (its buffers need a SocketDecoder)", () => {
    expectCode(() => decodeSocketPacket(`51-["x",${PH0}]`), "LADDER_ERR_SIO_BAD_ATTACHMENTS");
    expectCode(
      () => decodeSocketPacket(`51-["x",${PH0}]`, { maxAttachments: 0 }),
      "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS",
    );
  });
});

describe("socket codec: decoder state machine", () => {
  it("binary with no pending header is UNEXPECTED_BINARY", () => {
    const decoder = new SocketDecoder();
    expectCode(() => decoder.add(new Uint8Array([1])), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
    expectCode(() => decoder.add(new ArrayBuffer(1)), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
    expect(decoder.add('2["ok"]')).to.deep.equal({ type: 2, nsp: "/", data: ["ok"] });
    // An extra attachment after a completed packet has no header either.
    expect(decoder.add(`51-["x",${PH0}]`)).to.equal(null);
    expect(decoder.add(new Uint8Array([1]))).to.not.equal(null);
    expectCode(() => decoder.add(new Uint8Array([2])), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
  });

  it("anything that is neither text nor binary is rejected", () => {
    const decoder = new SocketDecoder();
    expect(decoder.add(`51-["x",${PH0}]`)).to.equal(null);
    for (const junk of [42, null, undefined, {}, [1], { buffer: new ArrayBuffer(1) }, new Date()]) {
      expectCode(() => decoder.add(junk as unknown as string), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
    }
    expect(decoder.pendingAttachments).to.equal(0);
  });

  it("any ArrayBuffer view is taken as an attachment, unchanged", () => {
    const decoder = new SocketDecoder();
    const dv = new DataView(new ArrayBuffer(2));
    const i8 = new Int8Array(1);
    expect(decoder.add(`62-1[${PH0},{"_placeholder":true,"num":1}]`)).to.equal(null);
    expect(decoder.add(dv as unknown as Uint8Array)).to.equal(null);
    // @ts-expect-error add() is typed for Uint8Array; this shows any other view is taken all the same
    const packet = decoder.add(i8);
    expect((packet!.data as unknown[])[0]).to.equal(dv);
    expect((packet!.data as unknown[])[1]).to.equal(i8);
  });

  it("text while attachments are pending is UNEXPECTED_TEXT and drops the half packet", () => {
    const decoder = new SocketDecoder();
    expect(decoder.add(`52-["x",${PH0},{"_placeholder":true,"num":1}]`)).to.equal(null);
    expect(decoder.add(new Uint8Array([1]))).to.equal(null);
    expect(decoder.pendingAttachments).to.equal(1);
    expectCode(() => decoder.add('2["sneaky"]'), "LADDER_ERR_SIO_UNEXPECTED_TEXT");
    expect(decoder.pendingAttachments).to.equal(0);
    // The old header is gone: a binary now has nothing to complete.
    expectCode(() => decoder.add(new Uint8Array([2])), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
    expect(decoder.add('2["fresh"]')).to.deep.equal({ type: 2, nsp: "/", data: ["fresh"] });
  });

  it("reset() drops a half-received packet", () => {
    const decoder = new SocketDecoder();
    decoder.add(`51-["x",${PH0}]`);
    decoder.reset();
    expectCode(() => decoder.add(new Uint8Array([2])), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
  });

  it("a rejected header leaves no state behind, and later packets are unaffected", () => {
    const decoder = new SocketDecoder();
    expectCode(() => decoder.add('51-["x",{"_placeholder":true,"num":3}]'), "LADDER_ERR_SIO_BAD_PLACEHOLDER");
    expectCode(() => decoder.add(new Uint8Array([1])), "LADDER_ERR_SIO_UNEXPECTED_BINARY");
    expect(decoder.add(`61-/a,3[${PH0}]`)).to.equal(null);
    const bytes = new Uint8Array([7]);
    expect(decoder.add(bytes)).to.deep.equal({ type: 3, nsp: "/a", id: 3, data: [bytes] });
  });
});

describe("socket codec: prototype pollution", () => {
  const protoKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();

  it("__proto__ and constructor keys in data stay plain own properties", () => {
    const before = protoKeys();
    const packet = decodeSocketPacket(
      '2["e",{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]',
    );
    const obj = (packet.data as unknown[])[1] as Record<string, unknown>;
    expect(Object.getPrototypeOf(obj)).to.equal(Object.prototype);
    expect(Object.keys(obj)).to.deep.equal(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(protoKeys()).to.deep.equal(before);
  });

  it("a placeholder under __proto__ is filled as an own property, never through the setter", () => {
    const before = protoKeys();
    const decoder = new SocketDecoder();
    expect(
      decoder.add(
        `52-["e",{"__proto__":${PH0}},{"constructor":{"prototype":{"_placeholder":true,"num":1}}},{"__proto__":{"__proto__":${PH0}}}]`,
      ),
    ).to.equal(null);
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2]);
    expect(decoder.add(a)).to.equal(null);
    const packet = decoder.add(b)!;
    const data = packet.data as Array<Record<string, unknown>>;
    const first = data[1]!;
    expect(Object.getPrototypeOf(first)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(first, "__proto__")?.value).to.equal(a);
    const second = data[2]!;
    expect(Object.getPrototypeOf(second)).to.equal(Object.prototype);
    expect((second.constructor as unknown as Record<string, unknown>).prototype).to.equal(b);
    const third = data[3]!;
    const inner = Object.getOwnPropertyDescriptor(third, "__proto__")?.value as object;
    expect(Object.getPrototypeOf(inner)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(inner, "__proto__")?.value).to.equal(a);
    expect(Object.getPrototypeOf(third)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(protoKeys()).to.deep.equal(before);
    expect(Object.getPrototypeOf(a)).to.equal(Uint8Array.prototype);
  });

  it("encoding data with an own __proto__ key keeps it as data", () => {
    const before = protoKeys();
    const data = JSON.parse('["e",{"__proto__":{"x":1}}]') as unknown[];
    (data[1] as Record<string, unknown>).bin = new Uint8Array([3]);
    const encoded = encodeSocketPacket({ type: 2, nsp: "/", data });
    expect(encoded[0]).to.equal(`51-["e",{"__proto__":{"x":1},"bin":${PH0}}]`);
    expect(protoKeys()).to.deep.equal(before);
  });
});

describe("socket codec: encoder rejections", () => {
  const bad: Array<[string, SocketPacket, ProtocolErrorCode]> = [
    ["type 7", { type: 7 as 0, nsp: "/" }, "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
    ["type -1", { type: -1 as 0, nsp: "/" }, "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
    ['type "2"', { type: "2" as unknown as 2, nsp: "/", data: ["x"] }, "LADDER_ERR_SIO_UNKNOWN_PACKET_TYPE"],
    ["nsp without /", { type: 2, nsp: "admin", data: ["x"] }, "LADDER_ERR_SIO_BAD_NAMESPACE"],
    ["empty nsp", { type: 2, nsp: "", data: ["x"] }, "LADDER_ERR_SIO_BAD_NAMESPACE"],
    ["nsp with a comma", { type: 2, nsp: "/a,b", data: ["x"] }, "LADDER_ERR_SIO_BAD_NAMESPACE"],
    ["nsp with a newline", { type: 2, nsp: "/a\nb", data: ["x"] }, "LADDER_ERR_SIO_BAD_NAMESPACE"],
    ["nsp too long", { type: 2, nsp: `/${"a".repeat(1024)}`, data: ["x"] }, "LADDER_ERR_SIO_BAD_NAMESPACE"],
    [
      "nsp not a string",
      { type: 2, nsp: 5 as unknown as string, data: ["x"] },
      "LADDER_ERR_SIO_BAD_NAMESPACE",
    ],
    ["negative id", { type: 2, nsp: "/", id: -1, data: ["x"] }, "LADDER_ERR_SIO_BAD_ACK_ID"],
    ["fractional id", { type: 2, nsp: "/", id: 1.5, data: ["x"] }, "LADDER_ERR_SIO_BAD_ACK_ID"],
    ["id 2^53", { type: 2, nsp: "/", id: 2 ** 53, data: ["x"] }, "LADDER_ERR_SIO_BAD_ACK_ID"],
    ["NaN id", { type: 2, nsp: "/", id: Number.NaN, data: ["x"] }, "LADDER_ERR_SIO_BAD_ACK_ID"],
    [
      "string id",
      { type: 2, nsp: "/", id: "1" as unknown as number, data: ["x"] },
      "LADDER_ERR_SIO_BAD_ACK_ID",
    ],
    ["id on CONNECT", { type: 0, nsp: "/", id: 1 }, "LADDER_ERR_SIO_BAD_ACK_ID"],
    ["ACK without id", { type: 3, nsp: "/", data: [] }, "LADDER_ERR_SIO_BAD_ACK_ID"],
    ["EVENT without data", { type: 2, nsp: "/" }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["EVENT with []", { type: 2, nsp: "/", data: [] }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["EVENT with an object", { type: 2, nsp: "/", data: { 0: "x" } }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["ACK with a string", { type: 3, nsp: "/", id: 1, data: "x" }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["DISCONNECT with data", { type: 1, nsp: "/", data: {} }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["CONNECT with an array", { type: 0, nsp: "/", data: [] }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["CONNECT_ERROR with a number", { type: 4, nsp: "/", data: 1 }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["CONNECT_ERROR without data", { type: 4, nsp: "/" }, "LADDER_ERR_SIO_BAD_PAYLOAD"],
    ["event name null", { type: 2, nsp: "/", data: [null] }, "LADDER_ERR_SIO_BAD_EVENT_NAME"],
    ["event name object", { type: 2, nsp: "/", data: [{}] }, "LADDER_ERR_SIO_BAD_EVENT_NAME"],
    ["event name NaN", { type: 2, nsp: "/", data: [Number.NaN] }, "LADDER_ERR_SIO_BAD_EVENT_NAME"],
    ["event name binary", { type: 2, nsp: "/", data: [new Uint8Array(1)] }, "LADDER_ERR_SIO_BAD_EVENT_NAME"],
    ["reserved event", { type: 2, nsp: "/", data: ["connect"] }, "LADDER_ERR_SIO_RESERVED_EVENT"],
    ["BigInt", { type: 2, nsp: "/", data: ["x", BigInt(1)] }, "LADDER_ERR_SIO_UNENCODABLE"],
    [
      "BigInt beside binary",
      { type: 2, nsp: "/", data: ["x", BigInt(1), new Uint8Array(1)] },
      "LADDER_ERR_SIO_UNENCODABLE",
    ],
    [
      "throwing toJSON",
      {
        type: 2,
        nsp: "/",
        data: [
          "x",
          {
            toJSON() {
              throw new Error("boom");
            },
          },
        ],
      },
      "LADDER_ERR_SIO_UNENCODABLE",
    ],
    [
      "toJSON turning the data into a string",
      { type: 2, nsp: "/", data: Object.assign(["x"], { toJSON: () => "x" }) },
      "LADDER_ERR_SIO_UNENCODABLE",
    ],
    [
      "CONNECT data whose toJSON gives an array",
      { type: 0, nsp: "/", data: { toJSON: () => [1] } },
      "LADDER_ERR_SIO_UNENCODABLE",
    ],
  ];
  for (const [label, packet, code] of bad) {
    it(`rejects ${label} with ${code}`, () => {
      expectCode(() => encodeSocketPacket(packet), code);
    });
  }

  it("rejects circular data with UNENCODABLE, with or without binary, shallow or deep", () => {
    const loop: unknown[] = ["x"];
    loop.push(loop);
    expectCode(() => encodeSocketPacket({ type: 2, nsp: "/", data: loop }), "LADDER_ERR_SIO_UNENCODABLE");
    const withBinary: Record<string, unknown> = { bin: new Uint8Array(1) };
    withBinary.self = withBinary;
    expectCode(
      () => encodeSocketPacket({ type: 2, nsp: "/", data: ["x", withBinary] }),
      "LADDER_ERR_SIO_UNENCODABLE",
    );
    let deep: Record<string, unknown> = { bin: new Uint8Array(1) };
    const top = deep;
    for (let i = 0; i < 100; i++) deep = deep.next = { a: 1 } as Record<string, unknown>;
    deep.back = top;
    expectCode(
      () => encodeSocketPacket({ type: 2, nsp: "/", data: ["x", top] }),
      "LADDER_ERR_SIO_UNENCODABLE",
    );
    // A branching cycle must not explode combinatorially before it is noticed.
    const fan: unknown[] = [];
    for (let i = 0; i < 50; i++) fan.push(fan);
    expectCode(
      () => encodeSocketPacket({ type: 2, nsp: "/", data: ["x", fan] }),
      "LADDER_ERR_SIO_UNENCODABLE",
    );
  });

  it("a CONNECT whose toJSON yields nothing is sent without data", () => {
    expect(encodeSocketPacket({ type: 0, nsp: "/", data: { toJSON: () => undefined } })).to.deep.equal(["0"]);
  });
});
