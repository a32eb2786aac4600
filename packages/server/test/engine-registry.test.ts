import { readFileSync } from "node:fs";
import { expect } from "chai";
import { DEFAULT_ENGINE_OPTIONS, resolveOptions } from "../src/engine/options.js";
import { ENGINE_HTTP_ERRORS, LadderServerError, SERVER_ERRORS } from "../src/errors.js";
import { TRANSPORTS } from "../src/transports/registry.js";

describe("engine: error registry, options, transport registry", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

  it("every LADDER_ERR code is well-formed and documented in README.md with its status", () => {
    for (const [code, entry] of Object.entries(SERVER_ERRORS)) {
      expect(code).to.match(/^LADDER_ERR_[A-Z0-9_]+$/);
      const row = readme.split("\n").find((line) => line.includes(`\`${code}\``));
      expect(row, `${code} missing from README.md`).to.be.a("string");
      expect(row).to.include(entry.status === undefined ? "—" : String(entry.status));
    }
  });

  it("every Engine.IO HTTP code is documented with message and status", () => {
    for (const [code, { message, status }] of Object.entries(ENGINE_HTTP_ERRORS)) {
      expect(readme).to.match(new RegExp(`\\|\\s*${code}\\s*\\|\\s*${message}\\s*\\|\\s*${status}\\s*\\|`));
    }
    expect(ENGINE_HTTP_ERRORS[4].status).to.equal(403);
  });

  it("LadderServerError carries code, status, name and the description", () => {
    const err = new LadderServerError("LADDER_ERR_PAYLOAD_TOO_LARGE", "2000 bytes");
    expect(err.name).to.equal("LadderServerError");
    expect(err.code).to.equal("LADDER_ERR_PAYLOAD_TOO_LARGE");
    expect(err.status).to.equal(413);
    expect(err.message).to.equal(`${SERVER_ERRORS.LADDER_ERR_PAYLOAD_TOO_LARGE.description}: 2000 bytes`);
  });

  it("defaults are the reference ones; allowEIO3 cannot be enabled; bad numbers are refused", () => {
    expect(DEFAULT_ENGINE_OPTIONS).to.include({
      pingInterval: 25000,
      pingTimeout: 20000,
      upgradeTimeout: 10000,
      maxHttpBufferSize: 1e6,
      allowUpgrades: true,
      perMessageDeflate: false,
      cookie: false,
      cors: false,
      allowEIO3: false,
    });
    expect(DEFAULT_ENGINE_OPTIONS.transports).to.deep.equal(["polling", "websocket", "streaming"]);
    expect(DEFAULT_ENGINE_OPTIONS.httpCompression).to.deep.equal({ threshold: 1024 });
    expect(() => resolveOptions({ allowEIO3: true as false })).to.throw(TypeError);
    expect(() => resolveOptions({ pingInterval: Number.NaN })).to.throw(TypeError);
    const ids = new Set(
      Array.from({ length: 1000 }, () => DEFAULT_ENGINE_OPTIONS.generateId({} as never) as string),
    );
    expect(ids.size).to.equal(1000);
    for (const id of ids) expect(Buffer.from(id, "base64url")).to.have.length(16);
  });

  it("the transport registry is a Map: prototype names are not transports", () => {
    expect([...TRANSPORTS.keys()]).to.deep.equal(["polling", "streaming", "websocket"]);
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(TRANSPORTS.get(name)).to.equal(undefined);
    }
  });
});
