// The chat demo in headless Chromium: two pages chat; then the same with WebSocket deleted from window.
import { join } from "node:path";
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
      label: "two pages chat and upgrade to websocket",
      noWebSocket: false,
      transport: "websocket",
      shot: "chat.png",
    },
    {
      label: "WebSocket deleted from window: climbs polling → streaming and still chats",
      noWebSocket: true,
      transport: "streaming",
      shot: "chat-no-websocket.png",
    },
  ]) {
    it(variant.label, async () => {
      const context = await browser().newContext();
      if (variant.noWebSocket) {
        await context.addInitScript(() => {
          delete (window as { WebSocket?: unknown }).WebSocket;
        });
      }
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
      await alice.screenshot({ path: join(ARTIFACTS, variant.shot) });
      await context.close();
    });
  }
});
