import type { CodecImpl, EioPacket, SioPacket } from "./types.js";

/**
 * The inputs of the codec scenario: realistic packets (a chat line, an RPC with ack id and namespace, an
 * upload with attachments, a 2 KiB state object) and hostile inputs for the linearity check.
 */

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 255;
  return out;
}

const CHAT = "hello world, this is a chat message";
const BIN_1K = bytes(1024, 7);
const BIN_256 = bytes(256, 3);

const TEXT_PAYLOAD: EioPacket[] = Array.from({ length: 10 }, (_, i) => ({
  type: "message",
  data: `${CHAT} #${i}`,
}));
const MIXED_PAYLOAD: EioPacket[] = TEXT_PAYLOAD.map((p, i) =>
  i === 3 || i === 7 ? { type: "message", data: BIN_256 } : p,
);

const STATE = {
  room: "lobby",
  members: Array.from({ length: 16 }, (_, i) => ({
    id: `user-${i}-${(i * 7919).toString(36)}`,
    name: `Player ${i}`,
    score: i * 1337,
    online: i % 3 !== 0,
    tags: ["alpha", "beta", i % 2 === 0 ? "even" : "odd"],
  })),
  updatedAt: 1_700_000_000_000,
};

/** An operation timed for every implementation; `input` is computed once, outside the timed loop. */
export interface CodecCase {
  group: "Engine.IO" | "Socket.IO";
  name: string;
  kind: "encode" | "decode";
  /** The work includes base64 (binary over a text payload), where a host codec can take over. */
  base64?: boolean;
  /** Returns the function to time for this implementation, bound to a prepared input. */
  prepare(impl: CodecImpl, reference: CodecImpl): () => unknown;
}

const SIO_TEXT: SioPacket = {
  type: 2,
  nsp: "/",
  data: ["chat", { user: "yundream", text: CHAT, ts: 1_700_000_000_000 }],
};
const SIO_ACK_NSP: SioPacket = { type: 2, nsp: "/admin", id: 12345, data: ["ping", 42, "x"] };
const SIO_BINARY: SioPacket = {
  type: 2,
  nsp: "/",
  data: ["upload", { name: "avatar.png", bytes: BIN_1K }, BIN_256],
};
const SIO_LARGE: SioPacket = { type: 2, nsp: "/", data: ["state", STATE] };

/** What the wire carries for a Socket.IO packet, as the engine hands it to the decoder (Buffers from ws). */
function wire(reference: CodecImpl, packet: SioPacket): Array<string | Uint8Array> {
  return reference.encodeSocket(packet).map((chunk) => {
    if (typeof chunk === "string") return chunk;
    if (chunk instanceof Uint8Array) return Buffer.from(chunk);
    throw new TypeError("reference encoder returned an unexpected chunk");
  });
}

function socketCases(label: string, packet: SioPacket): CodecCase[] {
  return [
    { group: "Socket.IO", name: label, kind: "encode", prepare: (impl) => () => impl.encodeSocket(packet) },
    {
      group: "Socket.IO",
      name: label,
      kind: "decode",
      prepare: (impl, reference) => {
        const chunks = wire(reference, packet);
        return () => impl.decodeSocket(chunks);
      },
    },
  ];
}

export const CODEC_CASES: CodecCase[] = [
  {
    group: "Engine.IO",
    name: "text packet (35 chars)",
    kind: "encode",
    prepare: (impl) => () => impl.encodePacket({ type: "message", data: CHAT }, true),
  },
  {
    group: "Engine.IO",
    name: "text packet (35 chars)",
    kind: "decode",
    prepare: (impl) => () => impl.decodePacket(`4${CHAT}`),
  },
  {
    group: "Engine.IO",
    name: "binary packet 1 KiB as base64",
    base64: true,
    kind: "encode",
    prepare: (impl) => () => impl.encodePacket({ type: "message", data: BIN_1K }, false),
  },
  {
    group: "Engine.IO",
    name: "binary packet 1 KiB as base64",
    base64: true,
    kind: "decode",
    prepare: (impl) => {
      const text = `b${Buffer.from(BIN_1K).toString("base64")}`;
      return () => impl.decodePacket(text);
    },
  },
  {
    group: "Engine.IO",
    name: "payload of 10 text packets",
    kind: "encode",
    prepare: (impl) => () => impl.encodePayload(TEXT_PAYLOAD),
  },
  {
    group: "Engine.IO",
    name: "payload of 10 text packets",
    kind: "decode",
    prepare: (impl, reference) => {
      const payload = reference.encodePayload(TEXT_PAYLOAD);
      return () => impl.decodePayload(payload);
    },
  },
  {
    group: "Engine.IO",
    name: "payload of 8 text + 2 binary (256 B)",
    base64: true,
    kind: "encode",
    prepare: (impl) => () => impl.encodePayload(MIXED_PAYLOAD),
  },
  {
    group: "Engine.IO",
    name: "payload of 8 text + 2 binary (256 B)",
    base64: true,
    kind: "decode",
    prepare: (impl, reference) => {
      const payload = reference.encodePayload(MIXED_PAYLOAD);
      return () => impl.decodePayload(payload);
    },
  },
  ...socketCases("text event", SIO_TEXT),
  ...socketCases("event with ack id + namespace", SIO_ACK_NSP),
  ...socketCases("binary event, 2 attachments (1 KiB + 256 B)", SIO_BINARY),
  ...socketCases("event with 2 KiB JSON", SIO_LARGE),
];

/** Hostile inputs: decode time must grow linearly with size (1 MB ÷ 100 KB ≈ 10, or less when rejected early). */
export interface HostileCase {
  name: string;
  make(size: number): (impl: CodecImpl) => unknown;
}

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: "Engine.IO payload of tiny packets (`4a␞4a␞…`)",
    make: (size) => {
      const payload = `${"4a\x1e".repeat(Math.floor(size / 3) - 1)}4a`;
      return (impl) => impl.decodePayload(payload);
    },
  },
  {
    name: "Engine.IO payload of nothing but `␞` separators",
    make: (size) => {
      const payload = "\x1e".repeat(size);
      return (impl) => impl.decodePayload(payload);
    },
  },
  {
    name: "Socket.IO numeric attachment prefix (`5999…9-`)",
    make: (size) => {
      const text = `5${"9".repeat(size)}-["x"]`;
      return (impl) => impl.decodeSocket([text]);
    },
  },
  {
    name: "Socket.IO event in a namespace that long (`2/aaa…,`)",
    make: (size) => {
      const text = `2/${"a".repeat(size)},["x"]`;
      return (impl) => impl.decodeSocket([text]);
    },
  },
  {
    name: "Socket.IO event of that many bytes of small numbers",
    make: (size) => {
      const text = `2["e",${"0,".repeat(Math.floor(size / 2) - 1)}0]`;
      return (impl) => impl.decodeSocket([text]);
    },
  },
];
