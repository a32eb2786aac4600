// The Engine.IO codecs ship in the ES5 legacy bundle, which only down-levels syntax. Here their sources are
// compiled to ES5 and run in a fresh V8 context stripped of the ES2015+ library (and of TextDecoder, the
// ES2026 base64 methods and ArrayBuffer.isView), then once more without typed arrays at all, as in IE9.
// Any run-time dependency on a newer built-in fails here.
import { readFileSync } from "node:fs";
import { createContext, runInContext } from "node:vm";
import { expect } from "chai";
import ts from "typescript";

const SRC = new URL("../src/", import.meta.url);

/** `dir/name` (under src/, no extension) for a relative import `spec` written in module `from`. */
function resolveModule(from: string, spec: string): string {
  const segments = from.split("/").slice(0, -1).concat(spec.replace(/\.js$/, "").split("/"));
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === "..") out.pop();
    else if (segment !== ".") out.push(segment);
  }
  return out.join("/");
}

/** The engine codec and everything it imports, as ES5 CommonJS keyed by module name. */
function compileEngine(): Record<string, { code: string; deps: Record<string, string> }> {
  const modules: Record<string, { code: string; deps: Record<string, string> }> = {};
  const pending = ["engine/index"];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (modules[name]) continue;
    const source = readFileSync(new URL(`${name}.ts`, SRC), "utf8");
    const code = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, removeComments: true },
    }).outputText;
    const deps: Record<string, string> = {};
    for (const match of code.matchAll(/require\("([^"]+)"\)/g)) {
      deps[match[1]!] = resolveModule(name, match[1]!);
      pending.push(deps[match[1]!]!);
    }
    modules[name] = { code, deps };
  }
  return modules;
}

const WITHOUT_ES2015 = `
  ["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Promise", "Reflect", "Proxy", "TextEncoder", "TextDecoder",
   "globalThis"].forEach(function (name) { delete this[name]; }, this);
  delete Object.assign; delete Object.hasOwn; delete Object.entries; delete Object.values; delete Array.from;
  delete Array.of; delete Array.prototype.includes; delete Array.prototype.find; delete Array.prototype.fill;
  delete Number.isInteger; delete Number.isSafeInteger; delete Number.isFinite; delete Number.isNaN;
  delete String.prototype.startsWith; delete String.prototype.endsWith; delete String.prototype.includes;
  delete String.prototype.repeat; delete String.prototype.padStart; delete String.prototype.codePointAt;
  delete String.prototype.at; delete String.prototype.toWellFormed; delete String.prototype.isWellFormed;
  delete ArrayBuffer.isView; delete Uint8Array.of; delete Uint8Array.from;
`;
const WITHOUT_TYPED_ARRAYS = `
  ["ArrayBuffer", "DataView", "Uint8Array", "Uint16Array", "Int32Array", "Float64Array"].forEach(function (name) {
    delete this[name];
  }, this);
`;

// An ES5 CommonJS loader over MODULES, evaluated inside the stripped context.
const LOADER = `
  var loaded = {};
  function load(name) {
    if (loaded[name]) return loaded[name].exports;
    var module = { exports: {} };
    loaded[name] = module;
    var entry = MODULES[name];
    new Function("exports", "require", "module", entry.code)(module.exports, function (spec) {
      return load(entry.deps[spec]);
    }, module);
    return module.exports;
  }
  var eio = load("engine/index");
  var isProtocolError = load("errors").isProtocolError;
  function attempt(fn) {
    try { fn(); return "accepted"; } catch (e) { return isProtocolError(e) ? e.code : "foreign: " + e; }
  }
`;

// Text-only work: must succeed with or without typed arrays.
const TEXT_SCENARIO = `
  var report = {};
  var payload = eio.encodePayload([{ type: "message", data: "hello" }, { type: "ping" }, { type: "noop" }]);
  report.payload = payload;
  report.decoded = eio.decodePayload("4hello\\x1e2probe\\x1e6");
  report.frames = [eio.encodePacket({ type: "pong", data: "probe" }, true), eio.encodePacket({ type: "upgrade" }, false)];
  var h = { sid: "abc", upgrades: ["websocket"], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 };
  report.handshake = eio.encodeHandshake(h);
  report.handshakeBack = eio.decodeHandshake(report.handshake);
  var tricky = '4"q\\\\ \\n\\u2028\\u00e9\\x1e';
  var script = eio.encodeJsonpResponse(tricky, "12");
  report.jsonp = eio.decodeJsonpResponse(script).payload === tricky && script.indexOf("\\u2028") === -1;
  report.body = eio.encodeJsonpBody("4a\\nb\\\\nc +\\u00e9");
  report.bodyBack = eio.decodeJsonpBody(report.body) === "4a\\nb\\\\nc +\\u00e9";
  report.isType = [eio.isEnginePacketType("noop"), eio.isEnginePacketType("toString")];
  report.rejections = [
    attempt(function () { eio.decodePacket(""); }),
    attempt(function () { eio.decodePayload("4a\\x1e9"); }),
    attempt(function () { eio.decodePayload("4a\\x1e4b", { maxPackets: 1 }); }),
    attempt(function () { eio.decodeHandshake('{"sid":""}'); }),
    attempt(function () { eio.encodeJsonpResponse("4", "0);alert(1)//"); }),
    attempt(function () { eio.decodeJsonpResponse("alert(1)"); }),
    attempt(function () { eio.decodeJsonpBody("x=1"); }),
    attempt(function () { eio.decodePacket(42); }),
  ];
`;

const BINARY_SCENARIO = `
  var bytes = new Uint8Array([1, 2, 3]);
  var large = new Uint8Array(300);
  for (var i = 0; i < large.length; i++) large[i] = (i * 7) & 255;
  var view = new DataView(new Uint8Array([9, 1, 2, 3]).buffer, 1);
  report.binary = {
    b64: eio.encodePacket({ type: "message", data: bytes }, false),
    raw: eio.encodePacket({ type: "message", data: bytes }, true) === bytes,
    view: eio.encodePacket({ type: "message", data: view }, false),
    back: Array.prototype.slice.call(eio.decodePacket("bAQID").data),
    frame: Array.prototype.slice.call(eio.decodePacket(new Uint8Array([5, 6]).buffer).data),
    large: eio.fromBase64(eio.toBase64(large)).length === 300 && eio.toBase64(large).length === 400,
    notMessage: attempt(function () { eio.encodePacket({ type: "ping", data: bytes }, true); }),
  };
`;

function run(strip: string, scenario: string): Record<string, unknown> {
  const context = createContext({});
  runInContext(strip, context);
  context.MODULES = compileEngine();
  return JSON.parse(runInContext(`${LOADER}${scenario}JSON.stringify(report);`, context) as string);
}

const EXPECTED_TEXT = {
  payload: "4hello\x1e2\x1e6",
  decoded: [{ type: "message", data: "hello" }, { type: "ping", data: "probe" }, { type: "noop" }],
  frames: ["3probe", "5"],
  handshake:
    '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}',
  handshakeBack: {
    sid: "abc",
    upgrades: ["websocket"],
    pingInterval: 25000,
    pingTimeout: 20000,
    maxPayload: 1000000,
  },
  jsonp: true,
  body: "d=4a%5Cnb%5C%5Cnc%20%2B%C3%A9",
  bodyBack: true,
  isType: [true, false],
  rejections: [
    "LADDER_ERR_EIO_EMPTY_PACKET",
    "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE",
    "LADDER_ERR_EIO_PAYLOAD_TOO_LARGE",
    "LADDER_ERR_EIO_BAD_HANDSHAKE",
    "LADDER_ERR_EIO_BAD_JSONP_INDEX",
    "LADDER_ERR_EIO_BAD_JSONP_RESPONSE",
    "LADDER_ERR_EIO_BAD_JSONP_BODY",
    "LADDER_ERR_EIO_UNKNOWN_PACKET_TYPE",
  ],
};

describe("engine codec: ES5 runtime", function () {
  // Compiling with the TypeScript API takes a moment on a busy machine.
  this.timeout(20_000);

  it("compiles to ES5 that names no ES2015+ global", () => {
    const modules = compileEngine();
    expect(Object.keys(modules).sort()).to.include.members([
      "base64",
      "engine/index",
      "engine/packet",
      "errors",
    ]);
    for (const [name, { code }] of Object.entries(modules)) {
      expect(code, name).to.not.match(/\b(Map|Set|WeakMap|Symbol|Promise|Reflect|globalThis)\b\s*[.(]/);
      expect(code, name).to.not.match(/\bObject\.(hasOwn|assign|entries|values)\b|\bArray\.from\b/);
    }
  });

  it("encodes and decodes text and binary with the ES2015+ library (and TextDecoder) deleted", () => {
    const report = run(WITHOUT_ES2015, TEXT_SCENARIO + BINARY_SCENARIO);
    const { binary, ...text } = report;
    expect(text).to.deep.equal(EXPECTED_TEXT);
    expect(binary).to.deep.equal({
      b64: "bAQID",
      raw: true,
      view: "bAQID",
      back: [1, 2, 3],
      frame: [5, 6],
      large: true,
      notMessage: "LADDER_ERR_EIO_BINARY_NOT_MESSAGE",
    });
  });

  it("handles every text packet without typed arrays, and refuses binary cleanly", () => {
    const report = run(
      WITHOUT_ES2015 + WITHOUT_TYPED_ARRAYS,
      TEXT_SCENARIO + `report.b64 = attempt(function () { eio.decodePayload("4a\\x1ebAQID"); });`,
    );
    const { b64, ...text } = report;
    expect(text).to.deep.equal(EXPECTED_TEXT);
    expect(b64).to.equal("LADDER_ERR_EIO_BAD_BASE64");
  });
});
