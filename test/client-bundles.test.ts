// The browser bundles: ES5 syntax check, the IIFE global, no Node-only code, and the ES5 bundle running in
// Debian's duktape (an ES5 engine). Sizes are printed by the build and reported by the benchmark.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runInNewContext } from "node:vm";
import { parse } from "acorn";
import { expect } from "chai";

const dist = join(dirname(createRequire(import.meta.url).resolve("@ladder/client/package.json")), "dist");
const read = (name: string): string => readFileSync(join(dist, name), "utf8");

describe("client bundles", () => {
  before(() => {
    if (!existsSync(join(dist, "ladder.legacy.min.js"))) {
      throw new Error("packages/client/dist has no bundles: run `pnpm build` first");
    }
  });

  it("ladder.legacy.min.js parses as ES5; ladder.min.js does not (the check can fail)", () => {
    expect(() => parse(read("ladder.legacy.min.js"), { ecmaVersion: 5 })).to.not.throw();
    expect(() => parse(read("ladder.min.js"), { ecmaVersion: 5 })).to.throw(SyntaxError);
  });

  it("the legacy chat page's own scripts are ES5 too (an arrow function there breaks the page in IE)", () => {
    const html = readFileSync(join(import.meta.dirname, "../examples/legacy-chat/public/index.html"), "utf8");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).to.have.length.greaterThan(0);
    for (const code of scripts) expect(() => parse(code, { ecmaVersion: 5 })).to.not.throw();
    // The same check rejects what the page had before (ES2015 in an inline script).
    expect(() => parse("ws.onopen = () => {};", { ecmaVersion: 5 })).to.throw(SyntaxError);
  });

  for (const name of ["ladder.min.js", "ladder.legacy.min.js"]) {
    it(`${name} defines the global "ladder" with io and LadderSocket, and holds no Node-only code`, () => {
      const code = read(name);
      expect(code).to.not.match(/require\(|node:|process\.env/);
      const sandbox: Record<string, unknown> = {};
      sandbox.self = sandbox;
      runInNewContext(code, sandbox);
      const ladder = sandbox.ladder as Record<string, unknown>;
      expect(ladder.io).to.be.a("function");
      expect(ladder.LadderSocket).to.be.a("function");
      expect((ladder.LadderSocket as { OPEN: number }).OPEN).to.equal(1);
    });
  }

  it("ladder.legacy-streaming.min.js is ES5, needs the legacy core, and makes the streaming transport real", () => {
    const addon = read("ladder.legacy-streaming.min.js");
    expect(() => parse(addon, { ecmaVersion: 5 })).to.not.throw();
    expect(() => runInNewContext(addon, { self: {} })).to.throw(/load ladder\.legacy\.min\.js first/);

    // A page with only XHR: which URLs would a streaming-only session request, without and with the add-on?
    const run = (withAddon: boolean): string[] => {
      const urls: string[] = [];
      function XMLHttpRequest(this: Record<string, unknown>) {
        this.open = (_method: string, url: string) => urls.push(url);
        this.send = this.setRequestHeader = this.abort = () => {};
      }
      const sandbox: Record<string, unknown> = { XMLHttpRequest, setTimeout, clearTimeout };
      sandbox.self = sandbox;
      runInNewContext(read("ladder.legacy.min.js"), sandbox);
      if (withAddon) runInNewContext(addon, sandbox);
      const ladder = sandbox.ladder as { EngineSocket: new (uri: string, o: object) => { close(): void } };
      new ladder.EngineSocket("http://127.0.0.1:9", { transports: ["streaming"] }).close();
      return urls;
    };
    expect(run(false)).to.deep.equal([]);
    const urls = run(true);
    expect(urls).to.have.length(1);
    expect(urls[0]).to.match(/^http:\/\/127\.0\.0\.1:9\/engine\.io\/\?.*transport=streaming/);
  });

  describe("ladder.streaming.min.js, the add-on ladder.min.js fetches when a session opens streaming", () => {
    interface FakeScript {
      src: string;
      onload: ((ev: { type: string }) => void) | null;
      onerror: ((ev: { type: string }) => void) | null;
    }
    interface Session {
      close(): void;
      on(event: string, fn: (...args: unknown[]) => void): void;
    }
    interface Page {
      sandbox: Record<string, unknown>;
      scripts: FakeScript[];
      head: FakeScript[];
      fetches: string[];
      ladder: {
        EngineSocket: new (uri: string, o: object) => Session;
        transports: { streaming: { available(o: object): boolean } };
      };
    }
    /** A page that ran ladder.min.js from `src` (null: no currentScript, e.g. the bundle inlined). */
    const page = (src: string | null): Page => {
      const scripts: FakeScript[] = [];
      const head: FakeScript[] = [];
      const fetches: string[] = [];
      const document = {
        currentScript: src === null ? null : { src },
        createElement: () => {
          const el: FakeScript = { src: "", onload: null, onerror: null };
          scripts.push(el);
          return el;
        },
        head: {
          appendChild: (el: FakeScript) => head.push(el),
          removeChild: (el: FakeScript) => head.splice(head.indexOf(el), 1),
        },
      };
      const fetch = (url: string) => {
        fetches.push(url);
        return new Promise(() => {});
      };
      const sandbox: Record<string, unknown> = {
        document,
        fetch,
        ReadableStream: class {},
        AbortController,
        setTimeout,
        clearTimeout,
      };
      sandbox.self = sandbox;
      runInNewContext(read("ladder.min.js"), sandbox);
      // The core's own script is no longer "current" once it ran.
      document.currentScript = null;
      return { sandbox, scripts, head, fetches, ladder: sandbox.ladder as Page["ladder"] };
    };
    const streamingOnly = (p: Page): Session =>
      new p.ladder.EngineSocket("http://127.0.0.1:9", { transports: ["streaming"], upgrade: false });

    it("is ES2018 (not ES5) and needs the modern core", () => {
      const addon = read("ladder.streaming.min.js");
      expect(() => parse(addon, { ecmaVersion: 2018 })).to.not.throw();
      expect(() => parse(addon, { ecmaVersion: 5 })).to.throw(SyntaxError);
      expect(() => runInNewContext(addon, { self: {} })).to.throw(/load ladder\.min\.js first/);
    });

    it("is fetched once from beside ladder.min.js, for every session waiting, and then carries them", () => {
      const p = page("https://cdn.example/js/ladder.min.js?v=3");
      const closed = streamingOnly(p);
      const waiting = streamingOnly(p);
      expect(p.scripts.map((el) => el.src)).to.deep.equal(["https://cdn.example/js/ladder.streaming.min.js"]);
      expect(p.fetches).to.deep.equal([]);
      closed.close();
      runInNewContext(read("ladder.streaming.min.js"), p.sandbox);
      p.scripts[0]!.onload!({ type: "load" });
      expect(p.head).to.deep.equal([]);
      // Only the session still open sends its streaming GET, through the add-on's transport.
      expect(p.fetches).to.have.length(1);
      expect(p.fetches[0]).to.match(/^http:\/\/127\.0\.0\.1:9\/engine\.io\/\?.*transport=streaming/);
      // Later sessions use the add-on directly.
      streamingOnly(p).close();
      expect(p.scripts).to.have.length(1);
      expect(p.fetches).to.have.length(2);
      waiting.close();
    });

    it("that fails to load fails the transport, and streaming is then unavailable (no second try)", () => {
      const p = page("https://cdn.example/ladder.min.js");
      const errors: string[] = [];
      streamingOnly(p).on("error", (err) => errors.push((err as Error).message));
      p.scripts[0]!.onerror!({ type: "error" });
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/streaming add-on \(ladder\.streaming\.min\.js\) did not load/);
      expect(p.ladder.transports.streaming.available({})).to.equal(false);
      // A file that loads but is not the add-on (an HTML error page served as script) counts as a failure too.
      const q = page("https://cdn.example/ladder.min.js");
      streamingOnly(q);
      q.scripts[0]!.onload!({ type: "load" });
      expect(q.ladder.transports.streaming.available({})).to.equal(false);
    });

    it("loaded by the page itself (no currentScript to find it by) makes streaming available without a fetch", () => {
      const p = page(null);
      expect(p.ladder.transports.streaming.available({})).to.equal(false);
      runInNewContext(read("ladder.streaming.min.js"), p.sandbox);
      expect(p.ladder.transports.streaming.available({})).to.equal(true);
      streamingOnly(p).close();
      expect(p.scripts).to.deep.equal([]);
      expect(p.fetches).to.have.length(1);
    });
  });

  it("ladder.esm.js is an ES module exporting io and LadderSocket", () => {
    const code = read("ladder.esm.js");
    const ast = parse(code, { ecmaVersion: 2020, sourceType: "module" }) as unknown as {
      body: Array<{ type: string; specifiers?: Array<{ exported: { name: string } }> }>;
    };
    const exported = ast.body
      .filter((n) => n.type === "ExportNamedDeclaration")
      .flatMap((n) => (n.specifiers ?? []).map((s) => s.exported.name));
    expect(exported).to.include.members(["io", "LadderSocket", "Manager", "Socket"]);
    expect(code).to.not.match(/from "ws"|require\("ws"\)/);
    // No streaming parser inside: the transport is imported on demand from the module beside it.
    expect(code).to.not.match(/StreamParser/);
    expect(code).to.match(/import\("\.\/ladder\.streaming\.esm\.js"\)/);
  });

  it("ladder.streaming.esm.js takes everything it shares with the core from ./ladder.esm.js (one instance)", () => {
    const code = read("ladder.streaming.esm.js");
    const ast = parse(code, { ecmaVersion: 2020, sourceType: "module" }) as unknown as {
      body: Array<{ type: string; source?: { value: string } }>;
    };
    const imports = ast.body.filter((n) => n.type === "ImportDeclaration").map((n) => n.source!.value);
    expect(imports.length).to.be.greaterThan(0);
    expect(new Set(imports)).to.deep.equal(new Set(["./ladder.esm.js"]));
    expect(code).to.not.match(/\bvar (Transport|Emitter|Listeners) = class/);
    expect(code).to.match(/\bvar StreamParser = class/);
  });

  it("the ES5 bundle runs its protocol core in duktape", function () {
    if (!existsSync("/usr/bin/duk")) {
      console.log("    skipped: /usr/bin/duk (Debian duktape) is not installed");
      this.skip();
    }
    const probe = `
      var out = [];
      out.push(ladder.encodePayload([{ type: "message", data: "hello" }, { type: "ping" },
        { type: "message", data: new Uint8Array([1, 2, 3]) }]));
      var packets = ladder.decodePayload("4hi\\u001e2\\u001ebAQID");
      for (var i = 0; i < packets.length; i++) {
        var d = packets[i].data;
        out.push(packets[i].type + ":" + (typeof d === "string" ? d : d ? Array.prototype.join.call(d, ",") : ""));
      }
      out.push(ladder.encodeSocketPacket({ type: 2, nsp: "/admin", id: 7, data: ["chat", { t: "h\\u00e9" }] })[0]);
      var p = new ladder.SocketDecoder().add('2/admin,7["chat",{"t":"hi"}]');
      out.push(p.nsp + " " + p.id + " " + JSON.stringify(p.data));
      var b = new ladder.Backoff({ min: 100, max: 1000, jitter: 0 });
      out.push([b.duration(), b.duration(), b.duration(), b.duration(), b.duration()].join(","));
      print(out.join("\\n"));`;
    const dir = mkdtempSync(join(tmpdir(), "ladder-duk-"));
    try {
      const file = join(dir, "run.js");
      writeFileSync(file, read("ladder.legacy.min.js") + "\n" + probe);
      const output = execFileSync("/usr/bin/duk", [file], { encoding: "utf8" });
      expect(output.trim().split("\n")).to.deep.equal([
        "4hello\x1e2\x1ebAQID",
        "message:hi",
        "ping:",
        "message:1,2,3",
        '2/admin,7["chat",{"t":"hé"}]',
        '/admin 7 ["chat",{"t":"hi"}]',
        "100,200,400,800,1000",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
