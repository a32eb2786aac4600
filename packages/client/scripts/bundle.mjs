// Builds the browser bundles into dist/ and prints their sizes (raw, min, min+gzip at zlib level 9):
//   ladder.esm.js         ES module for bundlers and <script type=module> (readable, ES2018)
//   ladder.streaming.esm.js  the streaming transport for ladder.esm.js, which imports it when a session needs it
//   ladder.min.js         IIFE, global `ladder` (io, LadderSocket, ...), minified, ES2018
//   ladder.streaming.min.js  the streaming transport for ladder.min.js, which fetches it when a session needs it
//   ladder.legacy.min.js  the same IIFE down-levelled to ES5 syntax by TypeScript 5, minified by terser, checked with acorn
//   ladder.legacy-streaming.min.js  the streaming transport for the legacy bundle (loaded by the page)
// `ws` is replaced by an empty module: browsers use their own WebSocket.
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
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
    // Every protocol module that throws (the streaming parser, utf8...) gets the code-only ProtocolError.
    b.onResolve({ filter: /^(\.\.?\/)+errors\.js$/ }, (args) =>
      /[\\/]protocol[\\/]src[\\/]/.test(args.importer) && !/[\\/]lean[\\/]/.test(args.importer)
        ? { path: join(root, "../protocol/src/lean/errors.ts") }
        : undefined,
    );
  },
};

// The browser bundles read streaming responses with the protocol's lean parser (src/lean/stream-parser.ts: same
// format, API and error codes, a fraction of the code; byte bodies use the native TextDecoder, string bodies need
// none); the full StreamParser stays in the Node build, for the server and its tests.
const leanStreamParser = {
  name: "lean-stream-parser",
  setup(b) {
    b.onResolve({ filter: /^\.\/parser\.js$/ }, (args) =>
      /[\\/]protocol[\\/]src[\\/]streaming[\\/]index\.ts$/.test(args.importer)
        ? { path: join(root, "../protocol/src/lean/stream-parser.ts") }
        : undefined,
    );
  },
};

// The modern and ESM bundles target browsers that all have TextEncoder and a fatal TextDecoder: the protocol's
// UTF-8 module (used by the streaming parser) becomes a thin wrapper over them, without the portable decoder.
const nativeUtf8 = {
  name: "native-utf8",
  setup(b) {
    b.onResolve({ filter: /^(\.\.?\/)+utf8\.js$/ }, (args) =>
      /[\\/]protocol[\\/]src[\\/]/.test(args.importer) && !/[\\/]lean[\\/]/.test(args.importer)
        ? { path: join(root, "../protocol/src/lean/utf8-native.ts") }
        : undefined,
    );
  },
};

/**
 * A plugin that gives every source file matching a filter other contents (`[filter, contents]` pairs); relative
 * imports in them resolve from src/transports/.
 */
const replaceModules = (name, replacements) => ({
  name,
  setup(b) {
    for (const [filter, contents] of replacements)
      b.onLoad({ filter }, () => ({ contents, loader: "ts", resolveDir: join(root, "src/transports") }));
  },
});

// Polling flavours a bundle leaves out become the XHR transport there (so `forceJSONP` falls back to XHR instead of
// failing). The modern IIFE is for browsers that all have CORS-capable XHR: no JSONP (IE-class browsers without
// CORS) and no fetch() polling (XHR-less hosts: Node, workers). The legacy bundle keeps JSONP but drops fetch()
// polling too: a host with fetch has Promise and is no legacy browser, and every IE10-class browser has XHR. The
// ESM bundle runs where modules do (browsers that all have CORS, and service workers, which have fetch but no XHR):
// no JSONP, fetch polling kept. The Node build keeps all three.
const xhrInstead = (flavours) =>
  replaceModules("xhr-instead", [
    [
      new RegExp(`[\\\\/]transports[\\\\/]polling-(${flavours})\\.ts$`),
      'export { PollingXhr as PollingJsonp, PollingXhr as PollingFetch } from "./polling-xhr.js";',
    ],
  ]);

// The legacy bundle leaves the streaming transport out (issue 6): its parser, UTF-8 decoder and reader are ~4 KB
// min+gzip, which the legacy budget (issue 5) cannot hold; and the per-origin transport memory
// (rememberTransport), which matters little without streaming. Legacy pages climb polling → websocket unless the page
// loads the add-on ladder.legacy-streaming.min.js; ladder.min.js and ladder.esm.js load theirs when a session needs
// it (lazyStreaming below); the Node build carries both.
const noStreaming = replaceModules("no-streaming", [
  [/[\\/]transports[\\/]streaming\.ts$/, "export const canStream = () => false; export class Streaming {}"],
  [
    /[\\/]engine[\\/]remember\.ts$/,
    "export const recallTransport = () => null; export const rememberTransport = () => {};",
  ],
]);

// A streaming reader (src/transports/streaming-{fetch,xhr}.ts) a bundle's browsers never use becomes "none here".
// The modern add-on runs where fetch bodies stream (ReadableStream), so the XHR reader stays out; the legacy streaming
// add-on is for browsers without fetch (a host with fetch and ReadableStream is no legacy browser), so the fetch
// reader stays out. The ESM bundle drops the XHR reader like the modern add-on (every browser with modules streams
// fetch bodies); the Node build keeps both.
const noStreamReader = (kind) =>
  replaceModules("no-stream-reader", [
    [
      new RegExp(`[\\/]transports[\\/]streaming-${kind}\\.ts$`),
      `export const ${kind}StreamRequest = () => null;`,
    ],
  ]);

// The modern IIFE carries a stand-in for the streaming transport (src/transports/streaming-lazy.ts) that fetches
// ladder.streaming.min.js when a session first opens streaming: the parser and reader (~2.4 KB min+gzip) stay out
// of the page's first download, and most pages, which end on WebSocket, never load them.
const lazyStreaming = replaceModules("lazy-streaming", [
  [/[\\/]transports[\\/]streaming\.ts$/, 'export { canStream, Streaming } from "./streaming-lazy.js";'],
]);

// An add-on takes what its core already exports (the registry, the Transport base class with its Emitter, the
// Engine.IO codecs) instead of carrying second copies: from the page's `ladder` global for the IIFE add-ons (which
// refuse to run without it), by importing ladder.esm.js for the ES module one (the same module instance). It adds
// only the streaming transport, its reader and the stream parser.
const fromCore = (addon, coreName) => ({
  name: "from-core",
  setup(b) {
    const core = coreName.endsWith(".esm.js")
      ? `import * as ladder from "./${coreName}";`
      : `var ladder = globalThis.ladder; if (!ladder || !ladder.Transport) throw new Error("${addon}: load ${coreName} first");`;
    b.onResolve({ filter: /^\.\/ladder\.esm\.js$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /[\\/]client[\\/]src[\\/]transports[\\/]transport\.ts$/ }, () => ({
      contents: core + " export var Transport = ladder.Transport;",
      loader: "js",
    }));
    b.onLoad({ filter: /[\\/]client[\\/]src[\\/]registry\.ts$/ }, () => ({
      contents: core + " export var transports = ladder.transports;",
      loader: "js",
    }));
    b.onResolve({ filter: /^@ladder\/protocol$/ }, () => ({ path: "core-protocol", namespace: "from-core" }));
    b.onLoad({ filter: /.*/, namespace: "from-core" }, () => ({
      contents:
        core +
        " export var decodePacket = ladder.decodePacket, encodePayload = ladder.encodePayload;" +
        ' export { StreamParser, parseStreamingContentType } from "../protocol/src/streaming/index.ts";',
      loader: "js",
      resolveDir: root,
    }));
  },
});

// The ES module bundle loads its add-on with import() of the module beside it (src/transports/
// streaming-addon-import.ts) instead of a <script> tag; the specifier stays as written, resolved in dist/.
const addonByImport = {
  name: "addon-by-import",
  setup(b) {
    b.onResolve({ filter: /^\.\/streaming-addon-script\.js$/ }, () => ({
      path: join(root, "src/transports/streaming-addon-import.ts"),
    }));
    b.onResolve({ filter: /^\.\/ladder\.streaming\.esm\.js$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

// Error descriptions are documentation (src/errors.ts, the README); in the browser bundles an error's message is
// its stable code (clientError falls back to it), which is what programs test anyway.
const codeOnlyErrors = {
  name: "code-only-errors",
  setup(b) {
    b.onLoad({ filter: /[\\/]client[\\/]src[\\/]errors\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const contents = text.replace(/(LADDER_ERR_[A-Z_]+): "[^"]*"/g, '$1: ""');
      if (contents === text) throw new Error("code-only-errors: no description found in " + args.path);
      return { contents, loader: "ts" };
    });
  },
};

// Browsers keep cookies, decide TLS and keep no process alive: the Node cookie jar, TLS setup and autoUnref (and
// tough-cookie and undici with them) stay out of every bundle.
const noNodeHttp = replaceModules("no-node-http", [
  [/[\\/]transports[\\/]cookie-jar\.ts$/, "export const createCookieJar = () => null;"],
  [/[\\/]transports[\\/]node-tls\.ts$/, "export const nodeTls = () => null;"],
  [
    /[\\/]src[\\/]node-unref\.ts$/,
    "export const unrefTimers = (timers) => timers; export const unrefWebSocket = (ws) => ws;",
  ],
]);

const common = {
  entryPoints: [entry],
  bundle: true,
  platform: "browser",
  plugins: [noWs, noNodeHttp, leanProtocol, leanStreamParser, codeOnlyErrors, nativeUtf8],
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

const streamingEntry = join(root, "scripts/streaming-entry.ts");
const esm = await esb({
  format: "esm",
  target: "es2018",
  plugins: common.plugins.concat(xhrInstead("jsonp"), lazyStreaming, addonByImport),
});
writeFileSync(join(dist, "ladder.esm.js"), esm);
const streamingEsm = await esb({
  entryPoints: [streamingEntry],
  format: "esm",
  target: "es2018",
  // (fromCore first: it takes @ladder/protocol before leanProtocol does.)
  plugins: [fromCore("ladder.streaming.esm.js", "ladder.esm.js")].concat(
    common.plugins,
    noStreamReader("xhr"),
  ),
});
writeFileSync(join(dist, "ladder.streaming.esm.js"), streamingEsm);

// Private members are spelled `_name`; mangling them is safe because no wire or DOM name starts with "_" except
// the Socket.IO binary placeholder key. The transport template's hooks and the probe/registry/queue records are
// internal too (no option, wire or DOM name among them), so they are mangled as well.
const INTERNAL =
  /^(_[a-zA-Z].*|doOpen|doClose|doPoll|doWrite|abortPoll|postUri|onOpen|onPacket|onError|onClose|onData|onRequestError|batches|rank|available|alive|current|beginUpgrade|switchTo|tryCount|fromQueue|withError)$/;
const terserOptions = (ecma) => ({
  ecma,
  // `unsafe` only assumes builtins are not monkey-patched (String(x) → ""+x, Array.prototype → []); comparisons and
  // math stay exact (the codecs rely on NaN-aware tests such as !(n >= 0)).
  compress: { passes: 3, pure_getters: true, unsafe: true, unsafe_proto: true, hoist_funs: true },
  mangle: { properties: { regex: INTERNAL, reserved: ["_placeholder"] } },
  format: { ecma, comments: false },
});

const globalEntry = join(root, "scripts/global-entry.ts");
// One property-name cache per core and its add-on: the add-on must mangle the names it shares with the core (the
// transport factory's, the Transport contract's) exactly as the core did.
const modernNames = {};
const modernPlugins = [
  noWs,
  noNodeHttp,
  leanProtocol,
  leanStreamParser,
  codeOnlyErrors,
  nativeUtf8,
  xhrInstead("jsonp|fetch"),
];
async function modernBuild(entryPoint, plugins) {
  const iife = await esb({
    entryPoints: [entryPoint],
    format: "iife",
    target: "es2018",
    plugins: plugins.concat(modernPlugins),
  });
  return (await minify(iife, { ...terserOptions(2018), nameCache: modernNames })).code;
}
const min = await modernBuild(globalEntry, [lazyStreaming]);
writeFileSync(join(dist, "ladder.min.js"), min);
// (fromCore first: it takes @ladder/protocol before leanProtocol does.)
const streamingMin = await modernBuild(streamingEntry, [
  fromCore("ladder.streaming.min.js", "ladder.min.js"),
  noStreamReader("xhr"),
]);
writeFileSync(join(dist, "ladder.streaming.min.js"), streamingMin);

// ES5: esbuild cannot lower classes/let to ES5, so it only bundles (ES2017) and TypeScript 5 (the workspace's
// compiler; TypeScript 7 no longer emits ES5) down-levels the syntax. Its output is smaller than SWC's: no
// helper per `instanceof`/`typeof`, plain prototype assignments. TypeScript's own helpers are replaced by two
// small ones that do what this code needs (no class extends null, no static members inherited, spread over
// arrays and `arguments` only), and the whole is wrapped so they stay out of the page's globals.
const ES5_HELPERS =
  "function __extends(d,b){function P(){this.constructor=d}P.prototype=b.prototype;d.prototype=new P}" +
  "function __spreadArray(to,from){return to.concat(Array.prototype.slice.call(from))}";
const legacyNames = {};
async function legacyBuild(entryPoint, plugins) {
  const iife = await esb({ entryPoints: [entryPoint], format: "iife", target: "es2017", plugins });
  const lowered = ts.transpileModule(iife, {
    compilerOptions: {
      target: ts.ScriptTarget.ES5,
      module: ts.ModuleKind.None,
      allowJs: true,
      noEmitHelpers: true,
    },
  }).outputText;
  // A helper TypeScript would need beyond those two (new syntax in the sources) must not go unnoticed.
  const known = new Set(["__extends", "__spreadArray"].concat(iife.match(/\b__\w+/g) || []));
  const missing = (lowered.match(/\b__\w+/g) || []).filter((name) => !known.has(name));
  if (missing.length)
    throw new Error("ES5 down-level needs helpers the bundle does not define: " + missing.join(", "));
  const es5 = "!function(){" + ES5_HELPERS + lowered + "}();";
  return (await minify(es5, { ...terserOptions(5), nameCache: legacyNames })).code;
}
const legacy = {
  code: await legacyBuild(globalEntry, [
    noWs,
    noNodeHttp,
    leanProtocol,
    codeOnlyErrors,
    noStreaming,
    xhrInstead("fetch"),
  ]),
};
writeFileSync(join(dist, "ladder.legacy.min.js"), legacy.code);
const legacyStreamingCode = await legacyBuild(streamingEntry, [
  fromCore("ladder.legacy-streaming.min.js", "ladder.legacy.min.js"),
  noWs,
  noNodeHttp,
  leanProtocol,
  leanStreamParser,
  codeOnlyErrors,
  noStreamReader("fetch"),
  xhrInstead("fetch"),
]);
writeFileSync(join(dist, "ladder.legacy-streaming.min.js"), legacyStreamingCode);

// Refuse to ship a legacy bundle that is not ES5.
const acornPath = join(root, "../../test/node_modules/acorn/dist/acorn.mjs");
try {
  const acorn = await import(acornPath);
  acorn.parse(legacy.code, { ecmaVersion: 5 });
  acorn.parse(legacyStreamingCode, { ecmaVersion: 5 });
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") console.warn("acorn not found; ES5 check skipped");
  else throw new Error("ladder.legacy.min.js is not ES5: " + err.message);
}

// The global must offer what the package exports (global-entry.ts lists the names by hand).
// (`default` aside: the global is the namespace itself.)
const exported = Object.keys(await import(join(dist, "index.js")))
  .filter((name) => name !== "default")
  .sort()
  .join();
for (const [name, code] of [
  ["ladder.min.js", min],
  ["ladder.legacy.min.js", legacy.code],
]) {
  const sandbox = {};
  sandbox.self = sandbox;
  runInNewContext(code, sandbox);
  const keys = Object.keys(sandbox.ladder || {})
    .sort()
    .join();
  if (keys !== exported)
    throw new Error(`${name}: global ladder has [${keys}], src/index.ts exports [${exported}]`);
}

// Size budgets (issue 5), min+gzip at zlib level 9. The legacy budget is enforced (the build fails over it); the
// modern one is reported until it is met (see the README's "Bundle size" section). Every bundle also has an
// enforced ceiling a little above where it stands, so that a change cannot quietly undo the trimming.
const rows = [
  // name, text, budget (reported), ceiling (enforced)
  ["ladder.esm.js", esm, null, 18.5 * 1024],
  ["ladder.streaming.esm.js", streamingEsm, null, 5.25 * 1024],
  ["ladder.min.js", min, 8 * 1024, 10.5 * 1024],
  ["ladder.streaming.min.js", streamingMin, null, 3.25 * 1024],
  ["ladder.legacy.min.js", legacy.code, 12 * 1024, 12 * 1024],
  ["ladder.legacy-streaming.min.js", legacyStreamingCode, null, 3.25 * 1024],
];
const over = [];
console.log("bundle                           raw  min+gzip(9)  budget / ceiling");
for (const [name, text, budget, ceiling] of rows) {
  const gz = gzipSync(Buffer.from(text), { level: 9 }).length;
  const status = [
    budget ? (gz <= budget ? `<= ${budget} budget ok` : `> ${budget} OVER BUDGET`) : "",
    ceiling !== budget ? `ceiling ${ceiling}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  console.log(`${name.padEnd(30)} ${String(text.length).padStart(7)}  ${String(gz).padStart(11)}  ${status}`);
  if (gz > ceiling) over.push(`${name} is ${gz} B min+gzip, over its enforced ${ceiling} B`);
}
// LADDER_BUNDLE_BUDGET=warn downgrades the failure to a warning while a change is being trimmed (CI never sets it).
if (over.length && process.env.LADDER_BUNDLE_BUDGET !== "warn") {
  console.error(`\n${over.join("\n")}\n(see packages/client/README.md, "Bundle size")`);
  process.exit(1);
}

// `node scripts/bundle.mjs --parts`: where ladder.min.js's bytes go, built the same way from smaller entries (the
// Engine.IO session alone, then with io()'s Socket.IO layer, with LadderSocket, with both).
if (process.argv.includes("--parts")) {
  const parts = {
    "EngineSocket alone (session, probes, polling, websocket, stand-in)":
      'export { EngineSocket } from "../src/engine/session.ts";',
    "LadderSocket (the engine + the W3C wrapper)": 'export { LadderSocket } from "../src/ladder-socket.ts";',
    "io() (the engine + Manager, Socket, acks, backoff)": 'export { io } from "../src/io.ts";',
    "io() and LadderSocket":
      'export { io } from "../src/io.ts"; export { LadderSocket } from "../src/ladder-socket.ts";',
  };
  console.log("\nladder.min.js by part                                              min+gzip(9)");
  for (const [label, contents] of Object.entries(parts)) {
    const iife = await esb({
      entryPoints: undefined,
      stdin: { contents, resolveDir: join(root, "scripts"), loader: "ts" },
      format: "iife",
      globalName: "ladder",
      target: "es2018",
      plugins: [lazyStreaming].concat(modernPlugins),
    });
    const code = (await minify(iife, terserOptions(2018))).code;
    console.log(
      `${label.padEnd(66)} ${String(gzipSync(Buffer.from(code), { level: 9 }).length).padStart(11)}`,
    );
  }
}
