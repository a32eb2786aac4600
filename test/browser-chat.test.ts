// The chat demo in headless Chromium: two pages chat; then the same with WebSocket deleted from window (the page
// fetches the streaming add-on and ends on streaming), and once more with that add-on missing (it stays on polling).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { expect } from "chai";
// @ts-expect-error the demo is plain JavaScript
import { startChat } from "../examples/chat/server.mjs";
import { ARTIFACTS, say, useBrowser } from "./browser-helpers.js";

interface Chat {
  url: string;
  app: { close(): Promise<void> };
}

// The page's window, as the init script below (run in the page, typechecked here without the DOM lib) uses it.
declare const window: { WebSocket?: unknown };

const CLIENT_DIST = join(
  dirname(createRequire(import.meta.url).resolve("@ladder/client/package.json")),
  "dist",
);

describe("browser: chat demo (headless Chromium)", function () {
  this.timeout(60000);
  const browser = useBrowser();
  let chat: Chat;

  beforeEach(async () => {
    chat = (await startChat({ port: 0 })) as Chat;
  });
  afterEach(async () => {
    await chat.app.close();
  });

  for (const variant of [
    {
      label: "two pages chat and upgrade to websocket (the streaming add-on is never fetched)",
      noWebSocket: false,
      addonMissing: false,
      transport: "websocket",
      addonRequests: 0,
      shot: "chat.png",
    },
    {
      label:
        "WebSocket deleted from window: fetches the streaming add-on, climbs polling → streaming and chats",
      noWebSocket: true,
      addonMissing: false,
      transport: "streaming",
      addonRequests: 2,
      shot: "chat-no-websocket.png",
    },
    {
      label:
        "WebSocket deleted, page under a nonce-only script CSP: the add-on is loaded with the page's nonce",
      noWebSocket: true,
      addonMissing: false,
      csp: true,
      transport: "streaming",
      addonRequests: 2,
      shot: "chat-no-websocket-csp.png",
    },
    {
      label: "WebSocket deleted and the streaming add-on answering 404: stays on polling and chats",
      noWebSocket: true,
      addonMissing: true,
      transport: "polling",
      addonRequests: 2,
      shot: "chat-no-websocket-no-addon.png",
    },
  ]) {
    it(variant.label, async () => {
      const context = await browser().newContext();
      if (variant.noWebSocket) {
        await context.addInitScript(() => {
          delete (window as { WebSocket?: unknown }).WebSocket;
        });
      }
      // ladder.min.js fetches ladder.streaming.min.js from beside itself, once per page, only to open streaming.
      const addonStatus: number[] = [];
      if (variant.addonMissing) {
        await context.route("**/ladder.streaming.min.js", (route) =>
          route.fulfill({ status: 404, body: "" }),
        );
      }
      if (variant.csp) {
        // The demo page as a strict site would serve it: scripts run only with the nonce (the add-on too).
        await context.route(chat.url + "/?*", async (route) => {
          const res = await route.fetch();
          const body = (await res.text()).replace(/<script/g, '<script nonce="n0nce"');
          await route.fulfill({
            response: res,
            body,
            headers: { ...res.headers(), "content-security-policy": "script-src 'nonce-n0nce'" },
          });
        });
      }
      context.on("response", (res) => {
        if (res.url() === chat.url + "/ladder.streaming.min.js") addonStatus.push(res.status());
      });
      const alice = await context.newPage();
      const bob = await context.newPage();
      await alice.goto(chat.url + "/?name=alice");
      await bob.goto(chat.url + "/?name=bob");
      for (const page of [alice, bob]) {
        await page.locator("#status", { hasText: "connected" }).waitFor();
      }
      if (!variant.noWebSocket) {
        for (const page of [alice, bob]) await page.locator("#transport", { hasText: "websocket" }).waitFor();
        expect(await alice.locator("#transports").textContent()).to.equal("(polling → websocket)");
      }
      await say(alice, "hello from alice", "#form button");
      await bob.locator("#log li", { hasText: "alice:hello from alice" }).waitFor();
      await say(bob, "hi alice, <b>bob</b> here", "#form button");
      await alice.locator("#log li", { hasText: "bob:hi alice, <b>bob</b> here" }).waitFor();
      for (let i = 0; i < 10; i++) await say(alice, "n" + i, "#form button");
      await bob.locator("#log li", { hasText: "alice:n9" }).waitFor();
      const bobLines = await bob.locator("#log li.chat").allTextContents();
      expect(bobLines).to.deep.equal([
        "alice:hello from alice",
        "bob:hi alice, <b>bob</b> here",
        ...Array.from({ length: 10 }, (_, i) => "alice:n" + i),
      ]);
      expect(await alice.locator("#transport").textContent()).to.equal(variant.transport);
      expect(await bob.locator("#transport").textContent()).to.equal(variant.transport);
      if (variant.addonMissing) {
        expect(await alice.locator("#transports").textContent()).to.equal("(polling)");
        // The failed load is remembered: a streaming-only session now finds no transport (rather than trying again).
        const code = await alice.evaluate(
          () =>
            new Promise<string>((resolve) => {
              const w = window as unknown as {
                ladder: {
                  LadderSocket: new (
                    url: string,
                    o: object,
                  ) => { onerror: (e: { error: { code: string } }) => void };
                };
              };
              const s = new w.ladder.LadderSocket("/socket.io/", { transports: ["streaming"] });
              s.onerror = (e) => resolve(e.error.code);
            }),
        );
        expect(code).to.equal("LADDER_ERR_CLIENT_NO_TRANSPORT");
      }
      expect(addonStatus).to.deep.equal(
        Array.from({ length: variant.addonRequests }, () => (variant.addonMissing ? 404 : 200)),
      );
      await alice.screenshot({ path: join(ARTIFACTS, variant.shot) });
      await context.close();
    });
  }

  it("the network goes offline: the page disconnects at once (not after the heartbeat) and reconnects when back", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(chat.url + "/?name=carol");
    await page.locator("#transport", { hasText: "websocket" }).waitFor();
    const offlineAt = Date.now();
    await context.setOffline(true);
    // The demo's heartbeat would take pingInterval + pingTimeout = 15 s to notice.
    await page.locator("#status", { hasText: "disconnected (transport close)" }).waitFor({ timeout: 3000 });
    const noticedMs = Date.now() - offlineAt;
    await context.setOffline(false);
    await page.locator("#status", { hasText: /^connected$/ }).waitFor({ timeout: 10000 });
    await say(page, "back online", "#form button");
    await page.locator("#log li", { hasText: "carol:back online" }).waitFor();
    console.log(`      offline noticed in ${noticedMs} ms (heartbeat: 15000 ms)`);
    await context.close();
  });

  it("ladder.esm.js in a <script type=module> page without WebSocket: imports its add-on and chats on streaming", async () => {
    const context = await browser().newContext();
    await context.addInitScript(() => {
      delete (window as { WebSocket?: unknown }).WebSocket;
    });
    // The two modules served from beside each other (as serveClient does), and a page importing the core.
    const served: string[] = [];
    for (const file of ["ladder.esm.js", "ladder.streaming.esm.js"]) {
      await context.route(`${chat.url}/esm/${file}`, (route) => {
        served.push(file);
        return route.fulfill({
          contentType: "text/javascript",
          body: readFileSync(join(CLIENT_DIST, file), "utf8"),
        });
      });
    }
    await context.route(`${chat.url}/esm/`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body:
          '<!doctype html><ul id="log"></ul><script type="module">' +
          'import { io } from "./ladder.esm.js";' +
          'const socket = io({ auth: { name: "esm" } }); window.socket = socket;' +
          'socket.on("chat", (m) => { const li = document.createElement("li"); li.textContent = m.name + ":" + m.text;' +
          ' document.getElementById("log").appendChild(li); });' +
          "</script>",
      }),
    );
    const page = await context.newPage();
    await page.goto(chat.url + "/esm/");
    await page.waitForFunction(
      () => (window as unknown as EsmPage).socket?.io.engine?.transport?.name === "streaming",
      undefined,
      { timeout: 15000 },
    );
    await page.evaluate(() => (window as unknown as EsmPage).socket.emit("chat", "from a module"));
    await page.locator("#log li", { hasText: "esm:from a module" }).waitFor();
    expect(served).to.deep.equal(["ladder.esm.js", "ladder.streaming.esm.js"]);
    await context.close();
  });
});

interface EsmPage {
  socket: {
    io: { engine?: { transport?: { name: string } } };
    emit(event: string, ...args: unknown[]): void;
  };
}
