import { expect } from "chai";
import { PROTOCOL_VERSION } from "../src/index.js";

describe("protocol version", () => {
  it("is Engine.IO 4", () => {
    expect(PROTOCOL_VERSION).to.equal(4);
  });
});
