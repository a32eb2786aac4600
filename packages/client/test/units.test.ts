import { expect } from "chai";
import { Emitter } from "../src/emitter.js";
import { Backoff } from "../src/socket/backoff.js";
import { escapeNewlines } from "../src/transports/polling-jsonp.js";
import { decodeQuery, encodeQuery, parseUrl } from "../src/url.js";

describe("client units", () => {
  describe("parseUrl", () => {
    it("absolute, relative, protocol-relative, bare host, IPv6", () => {
      expect(parseUrl("http://example.com:3000/admin?x=1")).to.deep.include({
        protocol: "http",
        hostname: "example.com",
        port: "3000",
        path: "/admin",
        query: "x=1",
        secure: false,
        id: "http://example.com:3000",
      });
      expect(parseUrl("wss://h/")).to.deep.include({ port: "443", secure: true, path: "/" });
      const loc = { protocol: "https:", host: "site.test:8443" };
      expect(parseUrl("/chat", loc)).to.deep.include({
        hostname: "site.test",
        port: "8443",
        path: "/chat",
        secure: true,
      });
      expect(parseUrl(undefined, loc)).to.deep.include({ hostname: "site.test", path: "/" });
      expect(parseUrl("//cdn.test/x", loc)).to.deep.include({
        protocol: "https",
        hostname: "cdn.test",
        path: "/x",
      });
      expect(parseUrl("localhost:3000", null)).to.deep.include({ hostname: "localhost", port: "3000" });
      expect(parseUrl("http://user:pw@[::1]:9000/p")).to.deep.include({
        hostname: "[::1]",
        port: "9000",
        path: "/p",
      });
    });

    it("query encode/decode round trip", () => {
      const q = { a: "1", "b c": "x&y=z", e: "" };
      expect(decodeQuery(encodeQuery(q))).to.deep.equal(q);
      expect(encodeQuery({ EIO: "4", transport: "polling", skip: undefined })).to.equal(
        "EIO=4&transport=polling",
      );
    });
  });

  describe("Backoff", () => {
    it("grows exponentially and caps at max", () => {
      const b = new Backoff({ min: 100, max: 1000, jitter: 0 });
      expect([1, 2, 3, 4, 5, 6].map(() => b.duration())).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
      b.reset();
      expect(b.duration()).to.equal(100);
    });

    it("jitter stays within ±factor and never yields NaN/Infinity after many attempts", () => {
      let r = 0;
      const seq = [0.05, 0.15, 0.95, 0.5];
      const b = new Backoff({ min: 1000, max: 100000, jitter: 0.5, random: () => seq[r++ % seq.length]! });
      const d = [b.duration(), b.duration(), b.duration(), b.duration()];
      // 0.05 → even tenth → minus 2.5%; 0.15 → odd → plus 7.5%; 0.95 → odd → plus 47.5%; 0.5 → odd → plus 25%
      expect(d).to.deep.equal([975, 2150, 5900, 10000]);
      const big = new Backoff({ min: 1000, max: 5000, jitter: 0.5, random: () => 0 });
      big.attempts = 5000;
      expect(big.duration()).to.equal(5000);
    });
  });

  describe("Emitter", () => {
    it("on/once/off, order, removal during emit, odd event names", () => {
      const e = new Emitter<{ [k: string]: unknown[] }>();
      const calls: string[] = [];
      const a = (x: unknown) => calls.push("a" + x);
      e.on("ev", a);
      e.once("ev", (x) => calls.push("once" + x));
      e.on("ev", () => e.off("ev", a));
      e.on("__proto__", () => calls.push("proto"));
      e.emit("ev", 1);
      e.emit("ev", 2);
      e.emit("__proto__");
      expect(calls).to.deep.equal(["a1", "once1", "proto"]);
      expect(e.hasListeners("ev")).to.equal(true);
      e.off();
      expect(e.emit("ev", 3)).to.equal(false);
    });
  });

  it("JSONP form escaping matches what the Engine.IO server un-escapes", () => {
    // newline → \n ; an existing backslash-n → \\n (the server maps \\n back to \n)
    expect(escapeNewlines("a\nb")).to.equal("a\\nb");
    expect(escapeNewlines('42["x","\\n"]')).to.equal('42["x","\\\\n"]');
  });
});
