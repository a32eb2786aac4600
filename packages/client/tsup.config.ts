import { defineConfig } from "tsup";

// The Node/bundler build (ESM + CJS + .d.ts). The browser bundles (ladder.esm.js, ladder.min.js,
// ladder.legacy.min.js) are made by scripts/bundle.mjs, which runs after this.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2020",
  // `ws` is a runtime dependency for Node only; bundlers for browsers drop it via the "browser" field.
  external: ["ws", "@ladder/protocol"],
  // CommonJS as socket.io-client's: `const io = require("@ladder/client")` is the io function, which also carries
  // every named export (`require(...).io`, `.Manager`, `.default`...).
  footer: ({ format }) =>
    format === "cjs"
      ? { js: "module.exports = Object.assign(module.exports.io, module.exports);" }
      : undefined,
});
