import { readdirSync, readFileSync } from "node:fs";
import { expect } from "chai";
import { isProtocolError, PROTOCOL_ERRORS, ProtocolError, type ProtocolErrorCode } from "../src/errors.js";

const docsDir = new URL("../docs/", import.meta.url);
const codes = Object.keys(PROTOCOL_ERRORS) as ProtocolErrorCode[];

describe("protocol error registry", () => {
  it("has codes of the form LADDER_ERR_[A-Z0-9_]+ with a description each", () => {
    expect(codes.length).to.be.greaterThan(0);
    for (const code of codes) {
      expect(code).to.match(/^LADDER_ERR_[A-Z0-9_]+$/);
      expect(PROTOCOL_ERRORS[code]).to.be.a("string").and.not.equal("");
    }
  });

  it("documents every code in packages/protocol/docs/*.md", () => {
    const docs = readdirSync(docsDir)
      .filter((name) => name.endsWith(".md"))
      .map((name) => readFileSync(new URL(name, docsDir), "utf8"))
      .join("\n");
    // Whole-word match, so that LADDER_ERR_X does not count as documenting LADDER_ERR_X_Y's prefix.
    const undocumented = codes.filter((code) => !new RegExp(`\\b${code}\\b`).test(docs));
    expect(undocumented, "codes missing from docs/*.md").to.deep.equal([]);
  });

  it("builds a ProtocolError that carries code, name and the description", () => {
    for (const code of codes) {
      const plain = new ProtocolError(code);
      expect(plain).to.be.instanceOf(Error);
      expect(plain.name).to.equal("ProtocolError");
      expect(plain.code).to.equal(code);
      expect(plain.message).to.equal(PROTOCOL_ERRORS[code]);
      const detailed = new ProtocolError(code, "at byte 7");
      expect(detailed.message).to.contain(PROTOCOL_ERRORS[code]).and.contain("at byte 7");
      expect(isProtocolError(detailed)).to.equal(true);
    }
  });

  it("recognises a ProtocolError by shape (another bundle's copy) and nothing else", () => {
    const foreign = { name: "ProtocolError", code: "LADDER_ERR_UTF8_INVALID", message: "x" };
    expect(isProtocolError(foreign)).to.equal(true);
    expect(isProtocolError({ name: "ProtocolError", code: "LADDER_ERR_NOT_A_CODE" })).to.equal(false);
    expect(isProtocolError({ name: "ProtocolError", code: "toString" })).to.equal(false);
    expect(isProtocolError(new Error("LADDER_ERR_UTF8_INVALID"))).to.equal(false);
    expect(isProtocolError(null)).to.equal(false);
    expect(isProtocolError("LADDER_ERR_UTF8_INVALID")).to.equal(false);
  });
});
