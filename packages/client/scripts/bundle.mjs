// Builds the browser bundles into dist/ and prints their sizes (raw, min, min+gzip at zlib level 9):
//   ladder.esm.js         ES module for bundlers and <script type=module> (readable, ES2018)
//   ladder.min.js         IIFE, global `ladder` (io, LadderSocket, ...), minified, ES2018
//   ladder.legacy.min.js  the same IIFE down-levelled to ES5 syntax by TypeScript 5, minified by terser, checked with acorn
// `ws` is replaced by an empty module: browsers use their own WebSocket.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { minify } from "terser";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const entry = join(root, "src/index.ts");

const noWs = {
  name: "no-ws",
  setup(b) {
    b.onResolve({ filter: /^ws$/ }, () => ({ path: "ws", namespace: "no-ws" }));
    b.onLoad({ filter: /.*/, namespace: "no-ws" }, () => ({
      contents: "export default undefined;",
      loader: "js",
    }));
  },
};

// The browser bundles take the protocol package's lean client-side codecs (same wire format and error codes,
// no server-only paths); the Node build (tsup) keeps the full package.
const leanProtocol = {
  name: "lean-protocol",
  setup(b) {
    b.onResolve({ filter: /^@ladder\/protocol$/ }, () => ({
      path: join(root, "../protocol/src/lean/index.ts"),
    }));
  },
};

// The modern IIFE is for browsers that all have CORS-capable XHR: the JSONP and fetch() polling flavours (for
// IE-class browsers without CORS, and for XHR-less hosts such as Node or workers) stay in the legacy and ESM
// bundles. Here both names are the XHR transport, so `forceJSONP` falls back to XHR instead of failing.
const xhrOnly = {
  name: "xhr-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]transports[\\/]polling-(jsonp|fetch)\.ts$/ }, () => ({
      contents: 'export { PollingXhr as PollingJsonp, PollingXhr as PollingFetch } from "./polling-xhr.js";',
      loader: "ts",
      resolveDir: join(root, "src/transports"),
    }));
  },
};

const common = {
  entryPoints: [entry],
  bundle: true,
  platform: "browser",
  plugins: [noWs, leanProtocol],
  inject: [join(root, "scripts/global-shim.js")],
  define: { globalThis: "__ladderGlobal" },
  write: false,
  legalComments: "none",
  // Plain assignments instead of defineProperty calls per field: smaller, and the ES5 output stays simple.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  logLevel: "warning",
};

async function esb(options) {
  const out = await build({ ...common, ...options });
  return out.outputFiles[0].text;
}

const esm = await esb({ format: "esm", target: "es2018" });
writeFileSync(join(dist, "ladder.esm.js"), esm);

// Private members are spelled `_name`; mangling them is safe because no wire or DOM name starts with "_" except
// the Socket.IO binary placeholder key.
const terserOptions = (ecma) => ({
  ecma,
  compress: { passes: 3, pure_getters: true },
  mangle: { properties: { regex: /^_[a-zA-Z]/, reserved: ["_placeholder"] } },
  format: { ecma, comments: false },
});

const modern = await esb({
  format: "iife",
  globalName: "ladder",
  target: "es2018",
  plugins: [noWs, leanProtocol, xhrOnly],
});
const min = (await minify(modern, terserOptions(2018))).code;
writeFileSync(join(dist, "ladder.min.js"), min);

// ES5: esbuild cannot lower classes/let to ES5, so it only bundles (ES2017) and TypeScript 5 (the workspace's
// compiler; TypeScript 7 no longer emits ES5) down-levels the syntax. Its output is smaller than SWC's: no
// helper per `instanceof`/`typeof`, plain prototype assignments. Wrapped in a function so its two helpers
// (__extends, __spreadArray) stay out of the page's globals.
const iife = await esb({ format: "iife", globalName: "ladder", target: "es2017" });
const es5 = {
  code:
    "var ladder=function(){" +
    ts.transpileModule(iife, {
      compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.None, allowJs: true },
    }).outputText +
    ";return ladder}();",
};
const legacy = await minify(es5.code, terserOptions(5));
writeFileSync(join(dist, "ladder.legacy.min.js"), legacy.code);

// Refuse to ship a legacy bundle that is not ES5.
const acornPath = join(root, "../../test/node_modules/acorn/dist/acorn.mjs");
try {
  const acorn = await import(acornPath);
  acorn.parse(legacy.code, { ecmaVersion: 5 });
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") console.warn("acorn not found; ES5 check skipped");
  else throw new Error("ladder.legacy.min.js is not ES5: " + err.message);
}

const rows = [
  ["ladder.esm.js", esm, null],
  ["ladder.min.js", min, 8 * 1024],
  ["ladder.legacy.min.js", legacy.code, 12 * 1024],
];
console.log("bundle                 raw      min+gzip(9)  budget");
for (const [name, text, budget] of rows) {
  const gz = gzipSync(Buffer.from(text), { level: 9 }).length;
  const status = budget ? (gz <= budget ? `<= ${budget} ok` : `> ${budget} OVER BUDGET`) : "";
  console.log(`${name.padEnd(22)} ${String(text.length).padStart(7)}  ${String(gz).padStart(11)}  ${status}`);
}
