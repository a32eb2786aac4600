// The legacy chat (ES5 page, ladder.legacy.min.js, LadderSocket over a bare Engine) in headless Chromium with the
// modern globals deleted before any page script runs: with the streaming add-on loaded it ends on streaming through
// the XHR reader. Results are read from the DOM (page.evaluate needs Map).
import { join } from "node:path";
import { expect } from "chai";
// @ts-expect-error the demo is plain JavaScript
import { startLegacyChat } from "../examples/legacy-chat/server.mjs";
import { ARTIFACTS, say, useBrowser } from "./browser-helpers.js";

interface LegacyChat {
  url: string;
  app: { close(): Promise<void> };
}

// The page's globals, as the init script below (run in the page, typechecked here without the DOM lib) uses them.
interface PageElement {
  id: string;
  textContent: string | null;
  appendChild(child: PageElement): unknown;
}
declare const window: object;
declare const document: {
  body: PageElement;
  addEventListener(type: string, listener: () => void): void;
  createElement(tag: string): PageElement;
};

const REMOVED = [
  "Promise",
  "Map",
  "Set",
  "WeakMap",
  "Symbol",
  "fetch",
  "WebSocket",
  "ReadableStream",
  "TextEncoder",
  "TextDecoder",
];

describe("browser: legacy chat on the ES5 bundle without modern globals (headless Chromium)", function () {
  this.timeout(60000);
  const browser = useBrowser();
  let chat: LegacyChat;

  beforeEach(async () => {
    chat = (await startLegacyChat({ port: 0 })) as LegacyChat;
  });
  afterEach(async () => {
    await chat.app.close();
  });

  it(`chats over streaming (XHR reader) with ${REMOVED.join(", ")} deleted`, async () => {
    const context = await browser().newContext();
    await context.addInitScript((names: string[]) => {
      const w = window as unknown as Record<string, unknown>;
      const gone: string[] = [];
      for (const n of names) {
        try {
          delete w[n];
        } catch {}
        if (w[n] !== undefined) w[n] = undefined;
        if (w[n] === undefined) gone.push(n);
      }
      // Written into the DOM once it exists, so the test can check the simulation really happened.
      document.addEventListener("DOMContentLoaded", () => {
        const marker = document.createElement("div");
        marker.id = "removed";
        marker.textContent = gone.join(",");
        document.body.appendChild(marker);
      });
    }, REMOVED);
    const alice = await context.newPage();
    const bob = await context.newPage();
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on("pageerror", (e) => errors.push(String(e)));
    await alice.goto(chat.url + "/?name=alice");
    await bob.goto(chat.url + "/?name=bob");
    expect(await alice.locator("#removed").textContent()).to.equal(REMOVED.join(","));
    for (const page of [alice, bob]) {
      await page.locator("#status", { hasText: "connected" }).waitFor();
      // No WebSocket, no fetch: the session opens on polling and climbs to streaming, which the server offers and
      // the legacy streaming add-on reads from the growing XHR responseText (readyState 3).
      await page.locator("#transport", { hasText: "streaming" }).waitFor();
    }
    await alice.locator("#log div", { hasText: "* bob joined" }).waitFor();
    await say(alice, "hello from an old browser", "#send");
    await bob.locator("#log div", { hasText: "alice: hello from an old browser" }).waitFor();
    await say(bob, "ünïcödé & <tags> 😀", "#send");
    await alice.locator("#log div", { hasText: "bob: ünïcödé & <tags> 😀" }).waitFor();
    for (let i = 0; i < 5; i++) await say(alice, "n" + i, "#send");
    await bob.locator("#log div", { hasText: "alice: n4" }).waitFor();
    // innerText of the container (one line per message): allTextContents() needs Set inside the page.
    // biome-ignore lint/performance/useDomNodeTextContent: textContent would join the lines without separators
    const lines = (await bob.locator("#log").innerText()).split("\n");
    expect(lines.filter((l) => !l.startsWith("*"))).to.deep.equal([
      "alice: hello from an old browser",
      "bob: ünïcödé & <tags> 😀",
      "alice: n0",
      "alice: n1",
      "alice: n2",
      "alice: n3",
      "alice: n4",
    ]);
    for (const page of [alice, bob])
      expect(await page.locator("#transport").textContent()).to.equal("streaming");
    await alice.screenshot({ path: join(ARTIFACTS, "legacy-chat.png") });
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
