import assert from "node:assert/strict";
import { createBoundary, encodeStreamEnd, encodeStreamPart, encodeStreamPrelude } from "@ladder/protocol";
import { MultipartReader } from "../src/load/multipart.js";

describe("MultipartReader (the streaming load client's parser)", () => {
  const boundary = createBoundary();
  const bodies = ['42["m",1.5]', "4héllo €", "", "2probe", "x".repeat(3000)];
  const wire = Buffer.from(
    encodeStreamPrelude() +
      bodies.map((b) => encodeStreamPart(b, boundary)).join("") +
      encodeStreamEnd(boundary),
  );

  it("reads every part, in order, whatever the chunking", () => {
    for (const size of [1, 2, 7, 64, 1000, wire.length]) {
      const reader = new MultipartReader(boundary);
      const out: string[] = [];
      for (let i = 0; i < wire.length; i += size) reader.push(wire.subarray(i, i + size), (b) => out.push(b));
      assert.deepEqual(out, bodies, `chunks of ${size}`);
      assert.equal(reader.ended, true);
    }
  });

  it("throws on a part longer than its Content-Length and on a wrong boundary", () => {
    const bad = Buffer.from(
      encodeStreamPrelude() + encodeStreamPart("abc", boundary).replace("Length: 3", "Length: 2"),
    );
    assert.throws(() => new MultipartReader(boundary).push(bad, () => {}), /longer than its length/);
    const other = Buffer.from(
      encodeStreamPrelude() + encodeStreamPart("a", boundary) + encodeStreamPart("b", createBoundary()),
    );
    assert.throws(() => new MultipartReader(boundary).push(other, () => {}), /expected a delimiter/);
  });
});
