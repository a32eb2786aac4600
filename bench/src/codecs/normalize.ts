/**
 * A comparable rendering of codec outputs: both implementations must agree on the wire and on decoded
 * values, whatever binary class they use (Buffer vs Uint8Array) and whether a decoded binary event keeps
 * type 5 (Ladder may) or is folded back to 2 (socket.io-parser does).
 */
export function normalize(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    return `bin:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  }
  if (value instanceof ArrayBuffer) return `bin:${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalize(v);
    }
    return out;
  }
  return value;
}

/** Decoded Socket.IO packets: fold binary types into their plain types and drop the attachment count. */
export function normalizeSocketPacket(value: unknown): unknown {
  if (value === null || typeof value !== "object") return normalize(value);
  const { attachments: _ignored, ...rest } = value as Record<string, unknown>;
  if (rest.type === 5) rest.type = 2;
  if (rest.type === 6) rest.type = 3;
  return normalize(rest);
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
