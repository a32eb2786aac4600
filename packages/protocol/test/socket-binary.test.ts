import { expect } from "chai";
import { deconstructPacket, hasBinary, reconstructPacket, type SocketPacket } from "../src/socket/index.js";
import { expectCode } from "./socket-helpers.js";

describe("socket codec: hasBinary", () => {
  it("is false for primitives and plain JSON", () => {
    for (const v of [
      undefined,
      null,
      0,
      1.5,
      "str",
      true,
      Symbol("s"),
      10n,
      () => 1,
      [],
      {},
      ["a", 1, { b: [null] }],
    ]) {
      expect(hasBinary(v), String(typeof v)).to.equal(false);
    }
  });

  it("finds ArrayBuffer and every view, at any depth, in arrays and objects", () => {
    const views: unknown[] = [
      new ArrayBuffer(0),
      new Uint8Array(0),
      new Int8Array(1),
      new Uint8ClampedArray(1),
      new Int16Array(1),
      new Uint16Array(1),
      new Int32Array(1),
      new Uint32Array(1),
      new Float32Array(1),
      new Float64Array(1),
      new BigInt64Array(1),
      new BigUint64Array(1),
      new DataView(new ArrayBuffer(2)),
      Buffer.from("x"),
    ];
    for (const v of views) {
      expect(hasBinary(v)).to.equal(true);
      expect(hasBinary([1, [2, [3, { deep: v }]]])).to.equal(true);
      expect(hasBinary({ a: { b: [null, v] } })).to.equal(true);
    }
  });

  it("looks only where JSON.stringify looks", () => {
    // Not own enumerable: invisible to JSON, so not binary either.
    const hidden = Object.defineProperty({}, "bin", { value: new Uint8Array(1), enumerable: false });
    expect(hasBinary(hidden)).to.equal(false);
    const inherited = Object.create({ bin: new Uint8Array(1) }) as object;
    expect(hasBinary(inherited)).to.equal(false);
    // toJSON is applied (once per position, with its key) and its result searched.
    const keys: string[] = [];
    const viaToJSON = {
      toJSON(key: string) {
        keys.push(key);
        return { inner: new Uint8Array(1) };
      },
    };
    expect(hasBinary({ field: viaToJSON })).to.equal(true);
    expect(hasBinary([viaToJSON])).to.equal(true);
    expect(keys).to.deep.equal(["field", "0"]);
    const hides = { bin: new Uint8Array(1), toJSON: () => "nothing" };
    expect(hasBinary(hides)).to.equal(false);
    expect(hasBinary(new Date())).to.equal(false);
    // A toJSON result's own toJSON is not called again (as in JSON.stringify).
    const nested = { toJSON: () => ({ toJSON: () => new Uint8Array(1), x: 1 }) };
    expect(hasBinary(nested)).to.equal(false);
  });

  it("terminates on cycles, also branching and deep ones", () => {
    const a: unknown[] = [];
    a.push(a, a);
    expect(hasBinary(a)).to.equal(false);
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) o[`k${i}`] = o;
    expect(hasBinary(o)).to.equal(false);
    let node: Record<string, unknown> = {};
    const head = node;
    for (let i = 0; i < 200; i++) node = node.next = {} as Record<string, unknown>;
    node.loop = head;
    expect(hasBinary(head)).to.equal(false);
    // Binary met before the cycle is still reported.
    const withBin: Record<string, unknown> = { bin: new Uint8Array(1) };
    withBin.self = withBin;
    expect(hasBinary(withBin)).to.equal(true);
  });

  it("treats shared (non-circular) references as ordinary data", () => {
    const shared = { bin: new Uint8Array(1) };
    expect(hasBinary([{ a: shared }, { b: shared }])).to.equal(true);
    let deep: unknown = new Uint8Array(1);
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(hasBinary(deep)).to.equal(true);
  });
});

describe("socket codec: deconstructPacket / reconstructPacket", () => {
  it("splits out buffers and puts them back, without touching the input", () => {
    const a = new Uint8Array([1]);
    const b = new ArrayBuffer(2);
    const packet: SocketPacket = { type: 2, nsp: "/x", id: 3, data: ["e", { a, list: [b, "s"] }] };
    const { packet: split, buffers } = deconstructPacket(packet);
    expect(split).to.deep.equal({
      type: 5,
      nsp: "/x",
      id: 3,
      attachments: 2,
      data: ["e", { a: { _placeholder: true, num: 0 }, list: [{ _placeholder: true, num: 1 }, "s"] }],
    });
    expect(buffers[0]).to.equal(a);
    expect(buffers[1]).to.be.instanceOf(Uint8Array);
    expect(buffers[1]!.buffer).to.equal(b);
    expect(packet).to.deep.equal({ type: 2, nsp: "/x", id: 3, data: ["e", { a, list: [b, "s"] }] });

    const whole = reconstructPacket(split, [a, b]);
    expect(whole).to.deep.equal({ type: 2, nsp: "/x", id: 3, data: ["e", { a, list: [b, "s"] }] });
    expect(split.data).to.deep.equal([
      "e",
      { a: { _placeholder: true, num: 0 }, list: [{ _placeholder: true, num: 1 }, "s"] },
    ]);
  });

  it("leaves packets without binary as EVENT / ACK with no attachments", () => {
    expect(deconstructPacket({ type: 5, nsp: "/", data: ["e"] })).to.deep.equal({
      packet: { type: 2, nsp: "/", data: ["e"] },
      buffers: [],
    });
    expect(deconstructPacket({ type: 1, nsp: "/a" })).to.deep.equal({
      packet: { type: 1, nsp: "/a" },
      buffers: [],
    });
    expect(reconstructPacket({ type: 3, nsp: "/", id: 1, data: [1] }, [])).to.deep.equal({
      type: 3,
      nsp: "/",
      id: 1,
      data: [1],
    });
  });

  it("refuses binary in packet types that cannot carry it, and cycles", () => {
    expectCode(
      () => deconstructPacket({ type: 4, nsp: "/", data: { bin: new Uint8Array(1) } }),
      "LADDER_ERR_SIO_UNENCODABLE",
    );
    const loop: unknown[] = [];
    loop.push(loop);
    expectCode(
      () => deconstructPacket({ type: 2, nsp: "/", data: ["e", loop] }),
      "LADDER_ERR_SIO_UNENCODABLE",
    );
    const deepLoop: Record<string, unknown> = {};
    let at = deepLoop;
    for (let i = 0; i < 80; i++) at = at.n = {} as Record<string, unknown>;
    at.back = deepLoop;
    expectCode(
      () => deconstructPacket({ type: 2, nsp: "/", data: ["e", deepLoop] }),
      "LADDER_ERR_SIO_UNENCODABLE",
    );
    expectCode(
      () => reconstructPacket({ type: 5, nsp: "/", data: ["e", deepLoop] }, []),
      "LADDER_ERR_SIO_BAD_PAYLOAD",
    );
  });

  it("validates placeholders and the buffer count", () => {
    const ph = (num: unknown) => ({ _placeholder: true, num });
    const one = [new Uint8Array(1)];
    expectCode(
      () => reconstructPacket({ type: 5, nsp: "/", data: ["e", ph(0)], attachments: 2 }, one),
      "LADDER_ERR_SIO_BAD_ATTACHMENTS",
    );
    for (const num of ["splice", -1, 1, 0.5, "0", null, undefined]) {
      expectCode(
        () => reconstructPacket({ type: 5, nsp: "/", data: ["e", ph(num)] }, one),
        "LADDER_ERR_SIO_BAD_PLACEHOLDER",
      );
    }
    expectCode(
      () => reconstructPacket({ type: 5, nsp: "/", data: ["e", { _placeholder: "yes", num: 0 }] }, one),
      "LADDER_ERR_SIO_BAD_PLACEHOLDER",
    );
    expectCode(
      () => reconstructPacket({ type: 5, nsp: "/", data: ["e"] }, one),
      "LADDER_ERR_SIO_BAD_PLACEHOLDER",
    );
  });

  it("never writes through the __proto__ setter", () => {
    const data = JSON.parse('["e",{"__proto__":{"_placeholder":true,"num":0}}]') as unknown[];
    const bytes = new Uint8Array([1]);
    const whole = reconstructPacket({ type: 5, nsp: "/", data }, [bytes]);
    const obj = (whole.data as unknown[])[1] as object;
    expect(Object.getPrototypeOf(obj)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(obj, "__proto__")?.value).to.equal(bytes);
    const split = deconstructPacket({ type: 2, nsp: "/", data: whole.data });
    const copy = (split.packet.data as unknown[])[1] as object;
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).to.deep.equal({
      _placeholder: true,
      num: 0,
    });
  });
});
