import { expect } from "chai";
import fc from "fast-check";
import {
  decodeSocketPacket,
  deconstructPacket,
  encodeSocketPacket,
  RESERVED_EVENTS,
  reconstructPacket,
  SocketDecoder,
  type SocketPacket,
} from "../src/socket/index.js";
import { decodeAll } from "./socket-helpers.js";

/** Namespaces: mostly "/", otherwise "/" + any characters but the comma and control characters. */
const namespace = fc.oneof(
  { weight: 2, arbitrary: fc.constant("/") },
  {
    weight: 3,
    arbitrary: fc
      .string({ unit: "binary", maxLength: 24 })
      .map((s) => `/${s.replace(/[,\u0000-\u001f\u007f-\u009f]/g, "_")}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("/admin", "/a/b", "/ünï", "/" + "n".repeat(1023)) },
);

const ackId = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(0, 9007199254740991));

/** Any finite number that survives JSON (-0 comes back as 0, so it is not a fair round-trip input). */
const jsonNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));

const eventName = fc.oneof(
  fc.string().filter((s) => RESERVED_EVENTS.indexOf(s) === -1),
  fc.constantFrom("error", "message", "__proto__", "constructor", "toString", ""),
  fc.integer(),
  jsonNumber,
);

// Passed through JSON once so the value is exactly what JSON can carry (fast-check may generate -0).
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const jsonObject = fc
  .dictionary(fc.string(), json, { maxKeys: 6 })
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);
const args = fc.array(json, { maxLength: 5 });

function withOptional<K extends "id" | "data">(packet: SocketPacket, key: K, value: SocketPacket[K] | null) {
  if (value !== null) packet[key] = value;
  return packet;
}

const connect = fc
  .record({ nsp: namespace, data: fc.option(jsonObject) })
  .map(({ nsp, data }) => withOptional({ type: 0, nsp }, "data", data));
const disconnect = namespace.map((nsp): SocketPacket => ({ type: 1, nsp }));
const event = fc
  .record({ nsp: namespace, id: fc.option(ackId), name: eventName, args })
  .map(({ nsp, id, name, args }) => withOptional({ type: 2, nsp, data: [name, ...args] }, "id", id));
const ack = fc.record({ nsp: namespace, id: ackId, data: args }).map(
  ({ nsp, id, data }): SocketPacket => ({
    type: 3,
    nsp,
    id,
    data,
  }),
);
const connectError = fc
  .record({ nsp: namespace, data: fc.oneof(fc.string(), jsonObject) })
  .map(({ nsp, data }): SocketPacket => ({ type: 4, nsp, data }));

/** decode(encode(p)) deep-equals p, through both decoding entry points. */
function roundTrip(packet: SocketPacket): void {
  const encoded = encodeSocketPacket(packet);
  expect(encoded).to.have.length(1);
  const text = encoded[0] as string;
  expect(decodeSocketPacket(text)).to.deep.equal(packet);
  expect(new SocketDecoder().add(text)).to.deep.equal(packet);
}

/**
 * Inserts `bytes` somewhere in `root` (an array): descends into a random container for as long as `path`
 * says so, then inserts at a random array index or under a random object key.
 */
function splice(root: unknown[], bytes: Uint8Array, path: number[], key: string): void {
  let at: unknown = root;
  for (const step of path) {
    const children: unknown[] = Array.isArray(at) ? at : Object.values(at as object);
    const containers = children.filter(
      (c) => typeof c === "object" && c !== null && !(c instanceof Uint8Array),
    );
    if (containers.length === 0 || step % 3 === 0) break;
    at = containers[step % containers.length];
  }
  if (Array.isArray(at)) {
    const index = at === root ? 1 + (path.length % at.length) : path.length % (at.length + 1);
    at.splice(index, 0, bytes);
  } else {
    Object.defineProperty(at, key, { value: bytes, enumerable: true, writable: true, configurable: true });
  }
}

const insertion = fc.record({
  bytes: fc.uint8Array({ maxLength: 16 }),
  path: fc.array(fc.nat(), { maxLength: 5 }),
  key: fc.string({ maxLength: 6 }),
});

/** EVENT / ACK packets with 1..10 Uint8Arrays spliced into random positions of their data. */
const binaryPacket = fc
  .record({
    base: fc.oneof(event, ack),
    insertions: fc.array(insertion, { minLength: 1, maxLength: 10 }),
  })
  .map(({ base, insertions }) => {
    // Event names stay first; ACK data gets a leading element so every splice position is legal.
    const data = (base.data as unknown[]).slice();
    if (base.type === 3) data.unshift("ack");
    for (const ins of insertions) splice(data, ins.bytes, ins.path, ins.key);
    return { ...base, data } as SocketPacket;
  });

describe("socket codec: property-based round trips", function () {
  this.timeout(60_000);

  it("CONNECT", () => fc.assert(fc.property(connect, roundTrip), { numRuns: 6000 }));
  it("DISCONNECT", () => fc.assert(fc.property(disconnect, roundTrip), { numRuns: 4000 }));
  it("EVENT", () => fc.assert(fc.property(event, roundTrip), { numRuns: 8000 }));
  it("ACK", () => fc.assert(fc.property(ack, roundTrip), { numRuns: 6000 }));
  it("CONNECT_ERROR", () => fc.assert(fc.property(connectError, roundTrip), { numRuns: 5000 }));

  it("BINARY_EVENT / BINARY_ACK with binaries spliced anywhere, attachments fed one by one", () =>
    fc.assert(
      fc.property(binaryPacket, (packet) => {
        const encoded = encodeSocketPacket(packet);
        const count = encoded.length - 1;
        expect(count).to.be.within(1, 10);
        expect(encoded[0]).to.match(new RegExp(`^${packet.type === 2 ? 5 : 6}${count}-`));
        expect(decodeAll(encoded)).to.deep.equal(packet);
        // The same through the public deconstruct/reconstruct pair.
        const split = deconstructPacket(packet);
        expect(split.packet.attachments).to.equal(count);
        expect(reconstructPacket(split.packet, split.buffers)).to.deep.equal(packet);
      }),
      { numRuns: 8000 },
    ));

  it("other views come back as Uint8Array over the same bytes", () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.int16Array({ maxLength: 8 }),
          fc.float64Array({ maxLength: 4 }),
          fc.int32Array({ maxLength: 8 }),
          fc.uint8Array({ maxLength: 8 }).map((u) => new DataView(u.buffer)),
          fc.uint8Array({ maxLength: 8 }).map((u) => u.buffer),
        ),
        fc.nat(3),
        (view, where) => {
          const data: unknown[] = ["bytes", where === 0 ? view : where === 1 ? { view } : [[view]]];
          const decoded = decodeAll(encodeSocketPacket({ type: 2, nsp: "/", data }));
          const back = JSON.stringify(decoded.data, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v));
          const bytes =
            view instanceof ArrayBuffer
              ? new Uint8Array(view)
              : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
          const expected = JSON.stringify(
            ["bytes", where === 0 ? bytes : where === 1 ? { view: bytes } : [[bytes]]],
            (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v),
          );
          expect(back).to.equal(expected);
        },
      ),
      { numRuns: 3000 },
    ));

  it("encoding is deterministic and the reference wire format (decode → encode is the identity on canonical text)", () =>
    fc.assert(
      fc.property(fc.oneof(connect, disconnect, event, ack, connectError), (packet) => {
        const text = encodeSocketPacket(packet)[0] as string;
        expect(encodeSocketPacket(decodeSocketPacket(text))).to.deep.equal([text]);
      }),
      { numRuns: 4000 },
    ));
});
