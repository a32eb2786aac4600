import { expect } from "chai";
import {
  decodeSocketPacket,
  encodeSocketPacket,
  RESERVED_EVENTS,
  SocketDecoder,
  type SocketPacket,
  SocketPacketType,
} from "../src/socket/index.js";
import { decodeAll } from "./socket-helpers.js";

/** Text packets whose encoding is exactly the wire string and which decode back to exactly the packet. */
const TEXT_CASES: Array<[string, SocketPacket]> = [
  ["0", { type: 0, nsp: "/" }],
  ['0{"token":"x"}', { type: 0, nsp: "/", data: { token: "x" } }],
  ['0/admin,{"sid":"abc"}', { type: 0, nsp: "/admin", data: { sid: "abc" } }],
  ["0/admin,", { type: 0, nsp: "/admin" }],
  ["1", { type: 1, nsp: "/" }],
  ["1/admin,", { type: 1, nsp: "/admin" }],
  ['2["hello",1]', { type: 2, nsp: "/", data: ["hello", 1] }],
  ['2["error"]', { type: 2, nsp: "/", data: ["error"] }],
  ["2[42,true]", { type: 2, nsp: "/", data: [42, true] }],
  ['2/admin,13["ping"]', { type: 2, nsp: "/admin", id: 13, data: ["ping"] }],
  ['20["zero id"]', { type: 2, nsp: "/", id: 0, data: ["zero id"] }],
  ['29007199254740991["max id"]', { type: 2, nsp: "/", id: 9007199254740991, data: ["max id"] }],
  ['3/admin,13[{"ok":1}]', { type: 3, nsp: "/admin", id: 13, data: [{ ok: 1 }] }],
  ["37[]", { type: 3, nsp: "/", id: 7, data: [] }],
  [
    '4{"message":"nope","data":{"code":1}}',
    { type: 4, nsp: "/", data: { message: "nope", data: { code: 1 } } },
  ],
  ['4/nsp,{"message":"Invalid namespace"}', { type: 4, nsp: "/nsp", data: { message: "Invalid namespace" } }],
  ['4"legacy message"', { type: 4, nsp: "/", data: "legacy message" }],
  ['2/a/b c/ünï,["x"]', { type: 2, nsp: "/a/b c/ünï", data: ["x"] }],
];

describe("socket codec: literal wire strings", () => {
  it("exposes the packet type numbers and the reserved event names", () => {
    expect(SocketPacketType).to.deep.equal({
      CONNECT: 0,
      DISCONNECT: 1,
      EVENT: 2,
      ACK: 3,
      CONNECT_ERROR: 4,
      BINARY_EVENT: 5,
      BINARY_ACK: 6,
    });
    expect([...RESERVED_EVENTS]).to.deep.equal([
      "connect",
      "connect_error",
      "disconnect",
      "disconnecting",
      "newListener",
      "removeListener",
    ]);
    expect(Object.isFrozen(RESERVED_EVENTS)).to.equal(true);
  });

  for (const [wire, packet] of TEXT_CASES) {
    it(`encodes and decodes ${wire}`, () => {
      expect(encodeSocketPacket(packet)).to.deep.equal([wire]);
      expect(decodeSocketPacket(wire)).to.deep.equal(packet);
      expect(new SocketDecoder().add(wire)).to.deep.equal(packet);
    });
  }

  it("accepts namespace forms the reference encoder never writes but other peers may", () => {
    // A namespace that ends the packet (no comma), an explicit "/" namespace, and a zero-padded ack id.
    expect(decodeSocketPacket("1/admin")).to.deep.equal({ type: 1, nsp: "/admin" });
    expect(decodeSocketPacket('2/,["x"]')).to.deep.equal({ type: 2, nsp: "/", data: ["x"] });
    expect(decodeSocketPacket('2007["x"]')).to.deep.equal({ type: 2, nsp: "/", id: 7, data: ["x"] });
  });

  it("decodes a namespace of exactly 1024 characters", () => {
    const nsp = "/" + "n".repeat(1023);
    const wire = `2${nsp},["x"]`;
    expect(decodeSocketPacket(wire)).to.deep.equal({ type: 2, nsp, data: ["x"] });
    expect(encodeSocketPacket({ type: 2, nsp, data: ["x"] })).to.deep.equal([wire]);
  });

  it("BINARY_EVENT with one attachment: 51-[...] + one binary message", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const encoded = encodeSocketPacket({ type: 2, nsp: "/", data: ["upload", bytes] });
    expect(encoded).to.have.length(2);
    expect(encoded[0]).to.equal('51-["upload",{"_placeholder":true,"num":0}]');
    expect(encoded[1]).to.equal(bytes); // the caller's Uint8Array, not a copy

    const decoder = new SocketDecoder();
    expect(decoder.add('51-["upload",{"_placeholder":true,"num":0}]')).to.equal(null);
    expect(decoder.pendingAttachments).to.equal(1);
    const incoming = new Uint8Array([9, 8]);
    const packet = decoder.add(incoming);
    expect(packet).to.deep.equal({ type: 2, nsp: "/", data: ["upload", incoming] });
    expect((packet!.data as unknown[])[1]).to.equal(incoming); // put back unchanged
    expect(decoder.pendingAttachments).to.equal(0);
  });

  it("BINARY_ACK in a namespace: 61-/admin,7[...]", () => {
    const ab = new ArrayBuffer(4);
    const decoder = new SocketDecoder();
    expect(decoder.add('61-/admin,7[{"_placeholder":true,"num":0}]')).to.equal(null);
    const packet = decoder.add(ab);
    expect(packet).to.deep.equal({ type: 3, nsp: "/admin", id: 7, data: [ab] });
    expect((packet!.data as unknown[])[0]).to.equal(ab); // an ArrayBuffer stays an ArrayBuffer

    const encoded = encodeSocketPacket({ type: 3, nsp: "/admin", id: 7, data: [new Uint8Array([5])] });
    expect(encoded[0]).to.equal('61-/admin,7[{"_placeholder":true,"num":0}]');
    expect(Array.from(encoded[1] as Uint8Array)).to.deep.equal([5]);
  });

  it("nested and multiple attachments, numbered in document order", () => {
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2, 2]);
    const c = new Uint8Array([3, 3, 3]);
    const packet: SocketPacket = {
      type: 2,
      nsp: "/files",
      id: 5,
      data: ["batch", { first: a, more: [b, { deep: { deeper: [c] } }] }, "tail"],
    };
    const encoded = encodeSocketPacket(packet);
    expect(encoded[0]).to.equal(
      '53-/files,5["batch",{"first":{"_placeholder":true,"num":0},"more":[{"_placeholder":true,"num":1},' +
        '{"deep":{"deeper":[{"_placeholder":true,"num":2}]}}]},"tail"]',
    );
    expect(encoded.slice(1)).to.deep.equal([a, b, c]);
    expect(decodeAll(encoded)).to.deep.equal(packet);
  });

  it("attachments may be referenced out of order and more than once", () => {
    const x = new Uint8Array([1]);
    const y = new Uint8Array([2]);
    const decoded = decodeAll([
      '52-["e",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
      x,
      y,
    ]);
    expect(decoded).to.deep.equal({ type: 2, nsp: "/", data: ["e", y, x, y] });
  });

  it("ArrayBuffer, typed arrays and DataView inside objects and arrays become Uint8Array attachments", () => {
    const ab = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
    const i16 = new Int16Array([1, -1]);
    const f64 = new Float64Array([Math.PI]);
    const dv = new DataView(ab, 2, 3);
    const sub = new Uint8Array(ab, 5, 2);
    const encoded = encodeSocketPacket({
      type: 2,
      nsp: "/",
      data: ["kinds", { ab, list: [i16, f64] }, [dv, { sub }]],
    });
    expect(encoded[0]).to.equal(
      '55-["kinds",{"ab":{"_placeholder":true,"num":0},"list":[{"_placeholder":true,"num":1},' +
        '{"_placeholder":true,"num":2}]},[{"_placeholder":true,"num":3},{"sub":{"_placeholder":true,"num":4}}]]',
    );
    const parts = encoded.slice(1) as Uint8Array[];
    for (const part of parts) expect(part).to.be.instanceOf(Uint8Array);
    expect(Array.from(parts[0]!)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(parts[1]!)).to.deep.equal(Array.from(new Uint8Array(i16.buffer)));
    expect(Array.from(parts[2]!)).to.deep.equal(Array.from(new Uint8Array(f64.buffer)));
    expect(Array.from(parts[3]!)).to.deep.equal([3, 4, 5]); // only the DataView's window
    expect(Array.from(parts[4]!)).to.deep.equal([6, 7]);
    expect(parts[4]!.buffer).to.equal(ab); // a view, not a copy

    const decoded = decodeAll(encoded);
    const data = decoded.data as [
      string,
      { ab: Uint8Array; list: Uint8Array[] },
      [Uint8Array, { sub: Uint8Array }],
    ];
    expect(Array.from(data[2][0])).to.deep.equal([3, 4, 5]);
    expect(data[2][1].sub).to.equal(parts[4]);
  });

  it("a Node Buffer is binary (its toJSON is not used)", () => {
    const buf = Buffer.from("hi");
    const encoded = encodeSocketPacket({ type: 2, nsp: "/", data: ["b", buf] });
    expect(encoded).to.deep.equal(['51-["b",{"_placeholder":true,"num":0}]', buf]);
  });

  it("BINARY_EVENT / BINARY_ACK without binary are sent as EVENT / ACK", () => {
    expect(encodeSocketPacket({ type: 5, nsp: "/", data: ["plain"] })).to.deep.equal(['2["plain"]']);
    expect(encodeSocketPacket({ type: 6, nsp: "/x", id: 1, data: [] })).to.deep.equal(["3/x,1[]"]);
    expect(encodeSocketPacket({ type: 5, nsp: "/", data: ["b", new Uint8Array(1)] })[0]).to.equal(
      '51-["b",{"_placeholder":true,"num":0}]',
    );
  });

  it("binary is only looked for in EVENT and ACK data", () => {
    // CONNECT auth with a typed array is serialized as JSON, as the reference encoder does.
    expect(encodeSocketPacket({ type: 0, nsp: "/", data: { key: new Uint8Array([7]) } })).to.deep.equal([
      '0{"key":{"0":7}}',
    ]);
  });

  it("applies toJSON as JSON.stringify does, including where it yields binary", () => {
    const date = new Date(0);
    expect(encodeSocketPacket({ type: 2, nsp: "/", data: ["d", date] })).to.deep.equal([
      '2["d","1970-01-01T00:00:00.000Z"]',
    ]);
    const bytes = new Uint8Array([4]);
    const wrapper = { toJSON: () => ({ payload: bytes }) };
    expect(encodeSocketPacket({ type: 2, nsp: "/", data: ["w", wrapper] })).to.deep.equal([
      '51-["w",{"payload":{"_placeholder":true,"num":0}}]',
      bytes,
    ]);
  });

  it("decodes a whole sequence of packets with one decoder", () => {
    const decoder = new SocketDecoder();
    const out: Array<SocketPacket | null> = [];
    for (const chunk of [
      "0",
      '2["a"]',
      '51-["b",{"_placeholder":true,"num":0}]',
      new Uint8Array([1]),
      '3/x,4["c"]',
      '62-9[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
      new Uint8Array([2]),
      new Uint8Array([3]),
      "1",
    ]) {
      out.push(decoder.add(chunk));
    }
    expect(out).to.deep.equal([
      { type: 0, nsp: "/" },
      { type: 2, nsp: "/", data: ["a"] },
      null,
      { type: 2, nsp: "/", data: ["b", new Uint8Array([1])] },
      { type: 3, nsp: "/x", id: 4, data: ["c"] },
      null,
      null,
      { type: 3, nsp: "/", id: 9, data: [new Uint8Array([2]), new Uint8Array([3])] },
      { type: 1, nsp: "/" },
    ]);
  });

  it("the encoded array can be reused: encoding does not touch the packet", () => {
    const bytes = new Uint8Array([1]);
    const data = ["e", { bytes }];
    const packet: SocketPacket = { type: 2, nsp: "/", data };
    const snapshot = JSON.stringify(packet);
    const first = encodeSocketPacket(packet);
    const second = encodeSocketPacket(packet);
    expect(first).to.deep.equal(second);
    expect(JSON.stringify(packet)).to.equal(snapshot);
    expect(packet.type).to.equal(2);
    expect(packet.attachments).to.equal(undefined);
    expect((data[1] as { bytes: Uint8Array }).bytes).to.equal(bytes);
  });
});
