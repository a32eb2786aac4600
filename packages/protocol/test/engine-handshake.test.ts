import { expect } from "chai";
import fc from "fast-check";
import {
  decodeHandshake,
  decodePacket,
  encodeHandshake,
  encodePacket,
  type Handshake,
  isProtocolError,
} from "../src/index.js";

function expectBadHandshake(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(isProtocolError(thrown), `expected a ProtocolError, got ${String(thrown)}`).to.equal(true);
  expect((thrown as { code: string }).code).to.equal("LADDER_ERR_EIO_BAD_HANDSHAKE");
}

const REFERENCE =
  '{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

describe("handshake (open packet)", () => {
  it("writes exactly the five keys in engine.io's order", () => {
    const handshake: Handshake = {
      sid: "lv_VI97HAXpY6yYWAAAC",
      upgrades: ["websocket"],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1e6,
    };
    expect(encodeHandshake(handshake)).to.equal(REFERENCE);
    expect(encodePacket({ type: "open", data: encodeHandshake(handshake) }, true)).to.equal("0" + REFERENCE);
  });

  it("ignores other properties and their order on the input object", () => {
    const shuffled = {
      maxPayload: 100,
      extra: "dropped",
      pingTimeout: 2,
      upgrades: [],
      pingInterval: 1,
      sid: 'a"b',
    } as Handshake;
    expect(encodeHandshake(shuffled)).to.equal(
      '{"sid":"a\\"b","upgrades":[],"pingInterval":1,"pingTimeout":2,"maxPayload":100}',
    );
  });

  it("reads an official open packet", () => {
    const packet = decodePacket("0" + REFERENCE);
    expect(packet.type).to.equal("open");
    expect(decodeHandshake(packet.data as string)).to.deep.equal({
      sid: "lv_VI97HAXpY6yYWAAAC",
      upgrades: ["websocket"],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1000000,
    });
  });

  it("tolerates and drops extra keys, whatever the order", () => {
    const decoded = decodeHandshake(
      '{"ladder":{"streaming":true},"maxPayload":5,"pingTimeout":4,"pingInterval":3,"upgrades":[],"sid":"s"}',
    );
    expect(decoded).to.deep.equal({ sid: "s", upgrades: [], pingInterval: 3, pingTimeout: 4, maxPayload: 5 });
    expect(Object.keys(decoded)).to.deep.equal([
      "sid",
      "upgrades",
      "pingInterval",
      "pingTimeout",
      "maxPayload",
    ]);
  });

  it("rejects what is not a JSON object", () => {
    for (const data of ["", "{", "null", "[]", '"sid"', "42", "true", "{'sid':'x'}"]) {
      expectBadHandshake(() => decodeHandshake(data));
    }
  });

  it("rejects missing or mistyped fields", () => {
    const good = { sid: "s", upgrades: ["websocket"], pingInterval: 1, pingTimeout: 2, maxPayload: 3 };
    const bad: Record<string, unknown>[] = [
      { sid: undefined },
      { sid: "" },
      { sid: 5 },
      { sid: null },
      { upgrades: undefined },
      { upgrades: "websocket" },
      { upgrades: [1] },
      { upgrades: ["websocket", null] },
      { upgrades: { 0: "websocket", length: 1 } },
      { pingInterval: undefined },
      { pingInterval: "25000" },
      { pingInterval: -1 },
      { pingTimeout: null },
      { pingTimeout: -0.5 },
      { maxPayload: undefined },
      { maxPayload: [1] },
    ];
    for (const change of bad) {
      const candidate: Record<string, unknown> = { ...good, ...change };
      for (const key of Object.keys(change)) if (change[key] === undefined) delete candidate[key];
      expectBadHandshake(() => decodeHandshake(JSON.stringify(candidate)));
      expectBadHandshake(() => encodeHandshake(candidate as unknown as Handshake));
    }
    // JSON has no NaN or Infinity, but an encoder caller might pass them.
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expectBadHandshake(() => encodeHandshake({ ...good, pingInterval: value }));
      expectBadHandshake(() => encodeHandshake({ ...good, maxPayload: value }));
    }
    // A number too large for a double parses as Infinity.
    expectBadHandshake(() =>
      decodeHandshake(JSON.stringify(good).replace('"maxPayload":3', '"maxPayload":1e999')),
    );
  });

  it("does not take fields from the prototype chain", () => {
    // JSON.parse makes "__proto__" an ordinary own key, so this object has no sid of its own.
    expectBadHandshake(() =>
      decodeHandshake(
        '{"__proto__":{"sid":"s"},"upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
      ),
    );
    // Even with a polluted Object.prototype (another library's bug), a missing field stays missing.
    const proto = Object.prototype as Record<string, unknown>;
    proto.sid = "polluted";
    try {
      expectBadHandshake(() =>
        decodeHandshake('{"upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}'),
      );
    } finally {
      delete proto.sid;
    }
  });

  it("returns a copy of upgrades", () => {
    const upgrades = ["websocket"];
    const h = { sid: "s", upgrades, pingInterval: 1, pingTimeout: 1, maxPayload: 1 };
    const back = decodeHandshake(encodeHandshake(h));
    back.upgrades.push("x");
    expect(upgrades).to.deep.equal(["websocket"]);
  });

  it("round-trips any valid handshake (property)", () => {
    const handshake = fc.record({
      sid: fc.string({ unit: "binary", minLength: 1, maxLength: 24 }),
      upgrades: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
      pingInterval: fc.nat(),
      pingTimeout: fc.nat(),
      maxPayload: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e15, noNaN: true })),
    });
    fc.assert(
      fc.property(handshake, (h) => {
        const data = encodeHandshake(h);
        expect(Object.keys(JSON.parse(data))).to.deep.equal([
          "sid",
          "upgrades",
          "pingInterval",
          "pingTimeout",
          "maxPayload",
        ]);
        // Same bytes as the obvious JSON.stringify of an object built in this order.
        expect(data).to.equal(
          JSON.stringify({
            sid: h.sid,
            upgrades: h.upgrades,
            pingInterval: h.pingInterval,
            pingTimeout: h.pingTimeout,
            maxPayload: h.maxPayload,
          }),
        );
        const back = decodeHandshake(data);
        expect(back).to.deep.equal({ ...h, maxPayload: Object.is(h.maxPayload, -0) ? 0 : h.maxPayload });
      }),
      { numRuns: 3000 },
    );
  });
});
