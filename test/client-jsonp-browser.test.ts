// JSONP polling in headless Chromium: a page served from one origin (127.0.0.1:A) loads the legacy bundle and talks
// to a Ladder Engine on another origin (127.0.0.1:B) that sends no CORS headers, with `forceJSONP: true`. The GETs
// are <script> tags (`&j=N`), the POSTs hidden-form submissions into an iframe. Messages go both ways, including
// text that the form encoding would mangle (newlines, escaped "\n", non-ASCII), and the engine's request log proves
// which transport carried them.
import { readFileSync } from "node:fs";
import { createServer, type Server as HttpServer, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Engine } from "@ladder/server";
import { expect } from "chai";
import { ARTIFACTS, useBrowser } from "./browser-helpers.js";

// The page global the evaluate callback uses (typechecked here without the DOM lib).
declare const window: { reply(text: string): void };

const BUNDLE = join(new URL("..", import.meta.url).pathname, "packages/client/dist/ladder.legacy.min.js");

function listen(http: HttpServer): Promise<number> {
  return new Promise((r) => http.listen(0, "127.0.0.1", () => r((http.address() as AddressInfo).port)));
}

// ES5 only: the page runs the legacy bundle as an old browser would.
const page = (engineUrl: string): string => `<!doctype html>
<meta charset="utf-8"><title>JSONP</title>
<div id="status">connecting</div><div id="transport"></div><div id="log"></div>
<script src="/ladder.legacy.min.js"></script>
<script>
  var log = document.getElementById("log");
  function line(text) { var d = document.createElement("div"); d.textContent = text; log.appendChild(d); }
  var ws = new ladder.LadderSocket(${JSON.stringify(engineUrl)}, { transports: ["polling"], forceJSONP: true });
  ws.onopen = function () {
    document.getElementById("status").textContent = "connected";
    document.getElementById("transport").textContent = ws.transport;
    ws.send("hello from the page");
    ws.send("two\\nlines and a literal \\\\n, ünïcödé 😀");
  };
  ws.onmessage = function (e) { line("got " + JSON.stringify(e.data)); };
  ws.onerror = function (e) { line("error " + (e.error && e.error.code)); };
  ws.onclose = function (e) { document.getElementById("status").textContent = "closed " + e.code; };
  window.reply = function (text) { ws.send(text); };
</script>`;

describe("browser: JSONP polling cross-origin without CORS (legacy bundle, headless Chromium)", function () {
  this.timeout(60000);
  const browser = useBrowser();
  let site: HttpServer;
  let api: HttpServer;
  let proxy: HttpServer;
  let failPosts = false;
  let posts500 = 0;
  let engine: Engine;
  let requests: Array<{ method: string; url: string; origin?: string }>;
  let siteUrl: string;
  let received: string[];

  beforeEach(async () => {
    requests = [];
    received = [];
    api = createServer();
    // A short heartbeat, so the POST-failure case below ends in about a second.
    engine = new Engine({ pingInterval: 400, pingTimeout: 300 });
    engine.attach(api);
    // After attach (which takes over the request listeners), first in line: every request the engine sees.
    api.prependListener("request", (req: IncomingMessage) =>
      requests.push({ method: req.method ?? "", url: req.url ?? "", origin: req.headers.origin }),
    );
    engine.on("connection", (s) => {
      s.send("welcome\nto \\n JSONP ✓");
      s.on("message", (d: unknown) => {
        received.push(String(d));
        s.send("echo:" + String(d));
      });
    });
    const apiPort = await listen(api);
    const apiUrl = `http://127.0.0.1:${apiPort}/engine.io/`;
    // The fault injector: a pass-through proxy that answers every POST with 500 once failPosts is set.
    proxy = createServer((req, res) => {
      if (failPosts && req.method === "POST") {
        posts500++;
        req.resume();
        req.on("end", () => {
          res.writeHead(500, { "content-type": "text/html" });
          res.end("<h1>500 Internal Server Error</h1>");
        });
        return;
      }
      const up = request(
        { host: "127.0.0.1", port: apiPort, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on("error", () => res.destroy());
      req.pipe(up);
    });
    const proxyUrl = `http://127.0.0.1:${await listen(proxy)}/engine.io/`;
    failPosts = false;
    posts500 = 0;
    site = createServer((req, res) => {
      if (req.url === "/ladder.legacy.min.js") {
        res.writeHead(200, { "content-type": "application/javascript" });
        res.end(readFileSync(BUNDLE));
      } else {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(page(req.url === "/via-proxy" ? proxyUrl : apiUrl));
      }
    });
    siteUrl = `http://127.0.0.1:${await listen(site)}/`;
  });
  afterEach(async () => {
    engine.close();
    for (const h of [site, proxy, api]) {
      h.closeAllConnections();
      await new Promise((r) => h.close(r));
    }
  });

  it("exchanges messages both ways over <script> GETs and form POSTs", async () => {
    const context = await browser().newContext();
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    // Waits for the load event: the long-poll <script> must not hold it back (it waits for the load itself).
    await tab.goto(siteUrl, { timeout: 10000 });
    await tab.locator("#status", { hasText: "connected" }).waitFor();
    expect(await tab.locator("#transport").textContent()).to.equal("polling");
    await tab.locator("#log div", { hasText: 'got "echo:two' }).waitFor();
    await tab.evaluate(() => window.reply("third"));
    await tab.locator("#log div", { hasText: 'got "echo:third"' }).waitFor();
    expect(received).to.deep.equal([
      "hello from the page",
      "two\nlines and a literal \\n, ünïcödé 😀",
      "third",
    ]);
    const lines = await tab.locator("#log div").allTextContents();
    expect(lines).to.deep.equal([
      'got "welcome\\nto \\\\n JSONP ✓"',
      'got "echo:hello from the page"',
      'got "echo:two\\nlines and a literal \\\\n, ünïcödé 😀"',
      'got "echo:third"',
    ]);
    // JSONP, not XHR: every engine request carries j=, GETs come from <script> tags (no Origin header, so no CORS
    // was needed) and POSTs from the hidden form (urlencoded, submitted into an iframe).
    const engineRequests = requests.filter((r) => r.url.startsWith("/engine.io/"));
    expect(engineRequests.length).to.be.greaterThan(3);
    for (const r of engineRequests) expect(r.url).to.match(/[?&]j=\d+(&|$)/);
    expect(engineRequests.some((r) => r.method === "POST")).to.equal(true);
    expect(engineRequests.filter((r) => r.method === "GET").every((r) => r.origin === undefined)).to.equal(
      true,
    );
    await tab.screenshot({ path: join(ARTIFACTS, "jsonp-cross-origin.png") });
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it("POSTs answered with 500 by a proxy: the page learns of the disconnect (close 1006)", async () => {
    const context = await browser().newContext();
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(siteUrl + "via-proxy", { waitUntil: "domcontentloaded" });
    await tab.locator("#status", { hasText: "connected" }).waitFor();
    await tab.locator("#log div", { hasText: 'got "echo:two' }).waitFor();
    failPosts = true;
    await tab.evaluate(() => window.reply("lost"));
    // The iframe cannot see the 500, so the packets (pongs included) are lost silently at first; the heartbeat
    // then ends the session on both sides and the page gets its close event instead of staying "connected".
    await tab.locator("#status", { hasText: "closed 1006" }).waitFor({ timeout: 10000 });
    expect(posts500).to.be.greaterThan(0);
    expect(received).to.not.include("lost");
    await tab.screenshot({ path: join(ARTIFACTS, "jsonp-post-500.png") });
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
