// The socket codec ships in the ES5 legacy bundle, which down-levels syntax only. This test compiles the codec's
// sources to ES5 and runs them in a fresh V8 context where the ES2015+ library is deleted (Map, Set, Symbol,
// Promise, Object.assign, Number.isSafeInteger, ArrayBuffer.isView, ...), and once more without typed arrays at
// all, as in the oldest browsers. A runtime dependency on any of those fails here.
import { readFileSync } from "node:fs";
import { createContext, runInContext } from "node:vm";
import { expect } from "chai";
import ts from "typescript";

const SRC = new URL("../src/", import.meta.url);

/** Resolves `./x.js` / `../y.js` as seen from module `from` (paths relative to src/, without extension). */
function resolve(from: string, spec: string): string {
  const parts = (from.includes("/") ? from.slice(0, from.lastIndexOf("/") + 1) : "")
    .concat(spec.replace(/\.js$/, ""))
    .split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part !== ".") out.push(part);
  }
  return out.join("/");
}

/** CommonJS ES5 for the socket codec and everything it imports, keyed by path under src/ without extension. */
function compile(): Record<string, string> {
  const out: Record<string, string> = {};
  const queue = ["socket/index"];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (out[name] !== undefined) continue;
    const source = readFileSync(new URL(`${name}.ts`, SRC), "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, removeComments: true },
    }).outputText;
    expect(js).to.not.match(
      /\b(Map|Set|WeakMap|Symbol|Promise|Reflect)\b\s*[.(]/,
      `${name} uses an ES2015 global`,
    );
    out[name] = js;
    for (const match of js.matchAll(/require\("([^"]+)"\)/g)) queue.push(resolve(name, match[1]!));
  }
  return out;
}

const STRIP_ES2015 = `
  delete globalThis.Map; delete globalThis.Set; delete globalThis.WeakMap; delete globalThis.WeakSet;
  delete globalThis.Symbol; delete globalThis.Promise; delete globalThis.Reflect; delete globalThis.Proxy;
  delete globalThis.TextEncoder; delete globalThis.TextDecoder;
  delete Object.assign; delete Object.hasOwn; delete Object.entries; delete Object.values; delete Array.from;
  delete Array.prototype.includes; delete Array.prototype.find; delete Array.prototype.fill;
  delete Number.isInteger; delete Number.isSafeInteger; delete Number.isFinite; delete Number.isNaN;
  delete Number.MAX_SAFE_INTEGER;
  delete String.prototype.startsWith; delete String.prototype.endsWith; delete String.prototype.includes;
  delete String.prototype.repeat; delete String.prototype.padStart; delete String.prototype.codePointAt;
  delete ArrayBuffer.isView;
`;

const STRIP_TYPED_ARRAYS = `
  delete globalThis.ArrayBuffer; delete globalThis.Uint8Array; delete globalThis.DataView;
  delete globalThis.Int8Array; delete globalThis.Int16Array; delete globalThis.Float64Array;
`;

/** A tiny CommonJS loader over the compiled modules, run inside the stripped context. */
const LOADER = `
  var cache = {};
  function load(name) {
    if (cache[name]) return cache[name].exports;
    var module = { exports: {} };
    cache[name] = module;
    var base = name.lastIndexOf("/") === -1 ? "" : name.slice(0, name.lastIndexOf("/") + 1);
    function req(spec) {
      var path = spec.replace(/\\.js$/, "");
      var parts = (base + path).split("/");
      var resolved = [];
      for (var i = 0; i < parts.length; i++) {
        if (parts[i] === "..") resolved.pop(); else if (parts[i] !== ".") resolved.push(parts[i]);
      }
      return load(resolved.join("/"));
    }
    new Function("exports", "require", "module", SOURCES[name])(module.exports, req, module);
    return module.exports;
  }
`;

/** Runs inside the context; returns a JSON report of what happened. */
const SCENARIO = `
  var sio = load("socket/index");
  var errors = load("errors");
  var report = { roundTrips: [], rejections: [], binary: null };
  var wires = ["0", '0{"token":"x"}', '0/admin,{"sid":"abc"}', "1/admin,", '2["hello",1]', '2/admin,13["ping"]',
    '3/admin,13[{"ok":1}]', '4{"message":"nope","data":{"code":1}}', '29007199254740991["max"]'];
  for (var i = 0; i < wires.length; i++) {
    var packet = new sio.SocketDecoder().add(wires[i]);
    report.roundTrips.push(sio.encodeSocketPacket(packet)[0] === wires[i] && JSON.stringify(sio.decodeSocketPacket(wires[i])) === JSON.stringify(packet));
  }
  var hostile = ['2[{"toString":"foo"}]', '2[true,"x"]', '2["connect"]', "2[]", "5999999-", '29007199254740992["x"]',
    '51-["x",{"_placeholder":true,"num":"splice"}]', "2/a\\u0000b,[1]"];
  for (var j = 0; j < hostile.length; j++) {
    try { sio.decodeSocketPacket(hostile[j]); report.rejections.push("accepted"); }
    catch (e) { report.rejections.push(errors.isProtocolError(e) ? e.code : "foreign: " + e); }
  }
  var loop = ["x"]; loop.push(loop);
  try { sio.encodeSocketPacket({ type: 2, nsp: "/", data: loop }); report.rejections.push("accepted"); }
  catch (e) { report.rejections.push(errors.isProtocolError(e) ? e.code : "foreign: " + e); }
  report.reserved = sio.RESERVED_EVENTS.length;
  if (typeof Uint8Array !== "undefined") {
    var a = new Uint8Array([1, 2]);
    var dv = new DataView(new ArrayBuffer(3));
    var enc = sio.encodeSocketPacket({ type: 2, nsp: "/x", id: 4, data: ["up", { a: a, list: [dv] }] });
    var dec = new sio.SocketDecoder();
    var steps = [];
    for (var k = 0; k < enc.length; k++) steps.push(dec.add(enc[k]) === null ? "pending" : "done");
    var decoded = dec.add('2["after"]');
    report.binary = { header: enc[0], parts: enc.length - 1, steps: steps, hasBinary: sio.hasBinary([{ b: dv }]),
      sameBuffer: enc[1] === a, after: decoded.data[0] };
    var split = sio.deconstructPacket({ type: 2, nsp: "/", data: ["e", a] });
    report.reconstructed = sio.reconstructPacket(split.packet, split.buffers).data[1] === a;
  } else {
    report.hasBinary = sio.hasBinary([{ a: 1 }]);
  }
  JSON.stringify(report);
`;

function run(strip: string): Record<string, unknown> {
  const context = createContext({});
  runInContext(strip, context);
  context.SOURCES = compile();
  return JSON.parse(runInContext(LOADER + SCENARIO, context) as string) as Record<string, unknown>;
}

const EXPECTED_REJECTIONS = [
  "LADDER_ERR_SIO_BAD_EVENT_NAME",
  "LADDER_ERR_SIO_BAD_EVENT_NAME",
  "LADDER_ERR_SIO_RESERVED_EVENT",
  "LADDER_ERR_SIO_BAD_PAYLOAD",
  "LADDER_ERR_SIO_TOO_MANY_ATTACHMENTS",
  "LADDER_ERR_SIO_BAD_ACK_ID",
  "LADDER_ERR_SIO_BAD_PLACEHOLDER",
  "LADDER_ERR_SIO_BAD_NAMESPACE",
  "LADDER_ERR_SIO_UNENCODABLE",
];

describe("socket codec: ES5 runtime", function () {
  this.timeout(20_000);

  it("works with the ES2015+ library deleted (typed arrays kept, ArrayBuffer.isView gone)", () => {
    const report = run(STRIP_ES2015);
    expect(report.roundTrips).to.deep.equal(new Array(9).fill(true));
    expect(report.rejections).to.deep.equal(EXPECTED_REJECTIONS);
    expect(report.reserved).to.equal(6);
    expect(report.binary).to.deep.equal({
      header: '52-/x,4["up",{"a":{"_placeholder":true,"num":0},"list":[{"_placeholder":true,"num":1}]}]',
      parts: 2,
      steps: ["pending", "pending", "done"],
      hasBinary: true,
      sameBuffer: true,
      after: "after",
    });
    expect(report.reconstructed).to.equal(true);
  });

  it("works for text packets where there are no typed arrays at all", () => {
    const report = run(STRIP_ES2015 + STRIP_TYPED_ARRAYS);
    expect(report.roundTrips).to.deep.equal(new Array(9).fill(true));
    expect(report.rejections).to.deep.equal(EXPECTED_REJECTIONS);
    expect(report.hasBinary).to.equal(false);
  });
});
