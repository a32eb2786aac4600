// The transport ladder behind real proxies in headless Chromium (issue 6): the chat demo page, loaded THROUGH
// each proxy, ends on websocket (nginx with the WebSocket block), streaming (HTTP-only nginx) or polling (the
// store-and-forward FAULT INJECTOR). 1,000 chat messages each way between the page and a Node client connected
// directly arrive complete, in order, without duplicates; the page's time to its final transport is printed.
import { io, type Socket } from "@ladder/client";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
// @ts-expect-error the demo is plain JavaScript
import { startChat } from "../examples/chat/server.mjs";
// @ts-expect-error the demo is plain JavaScript
import { startLegacyChat } from "../examples/legacy-chat/server.mjs";
import { hasChromium, launch } from "./browser-helpers.js";
import { until } from "./client-helpers.js";
import { CASES, hasNginx } from "./proxy-helpers.js";

interface Chat {
  url: string;
  app: { close(): Promise<void> };
}

const N = 1000;

// The page's globals: the demo's `socket` (a top-level const: a global binding, not a window property, so
// page.evaluate code names it directly) and our records on window.
interface DemoSocket {
  connected: boolean;
  emit(ev: string, ...args: unknown[]): void;
  on(ev: string, fn: (m: { name: string; text: string }) => void): void;
  io: {
    engine: {
      transport: { name: string } | null;
      on(ev: string, fn: (x: unknown) => void): void;
    } | null;
  };
}
declare const socket: DemoSocket;
interface PageGlobals {
  __got: string[];
  __failed: string[];
}

async function pageState(
  page: Page,
): Promise<{ transport: string; failed: string[]; got: number; t: number }> {
  return page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const engine = socket.io.engine;
    return {
      transport: engine?.transport ? engine.transport.name : "",
      failed: w.__failed ? w.__failed.slice() : [],
      got: w.__got ? w.__got.length : 0,
      t: performance.now(),
    };
  });
}

describe("proxies: the transport ladder in headless Chromium (chat demo page)", function () {
  this.timeout(120000);
  let browser: Browser;

  before(async function () {
    if (!hasChromium() || !hasNginx()) {
      console.log("    skipped: needs /usr/bin/chromium and /usr/sbin/nginx");
      this.skip();
    }
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it("HTTP-only nginx, the legacy page without ReadableStream: the add-on's XHR readyState-3 reader streams (budget reopen included); the modern page has no XHR reader and stays on polling", async () => {
    const chat = (await startLegacyChat({ port: 0 })) as Chat;
    const proxy = await CASES[1]!.proxy(Number(new URL(chat.url).port));
    const context = await browser.newContext();
    try {
      await context.addInitScript(() => {
        delete (globalThis as { ReadableStream?: unknown }).ReadableStream;
        delete (globalThis as { WebSocket?: unknown }).WebSocket;
        // Count the streaming GETs the page opens (the first, then one per budget-ended response).
        const w = globalThis as unknown as { __streamGets: number };
        w.__streamGets = 0;
        const proto = (
          globalThis as unknown as { XMLHttpRequest: { prototype: { open(...a: unknown[]): void } } }
        ).XMLHttpRequest.prototype;
        const open = proto.open;
        proto.open = function (this: unknown, ...args: unknown[]) {
          if (args[0] === "GET" && /transport=streaming/.test(String(args[1]))) w.__streamGets++;
          return open.apply(this, args);
        };
      });
      const page = await context.newPage();
      await page.goto(`${proxy.url}/?name=X`);
      await page.locator("#transport", { hasText: "streaming" }).waitFor({ timeout: 15000 });
      expect(await page.evaluate("typeof ReadableStream")).to.equal("undefined");
      // The legacy chat echoes every message to every page as "X: <text>".
      await page.evaluate(`(() => {
        for (let i = 0; i < ${N}; i++) ws.send("x".repeat(200) + i);
      })()`);
      // ~1000 × 250 bytes through 128 KiB responses: the server ends the response and the XHR reader reopens.
      const lines = (): Promise<string[]> => page.locator("#log div").allTextContents();
      const deadline = Date.now() + 60000;
      while ((await lines()).filter((l) => l.startsWith("X: ")).length < N) {
        if (Date.now() > deadline) throw new Error("the page did not get every message");
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await lines()).filter((l) => l.startsWith("X: "))).to.deep.equal(
        Array.from({ length: N }, (_, i) => "X: " + "x".repeat(200) + i),
      );
      expect(await page.locator("#transport").textContent()).to.equal("streaming");
      const gets = (await page.evaluate("window.__streamGets")) as number;
      console.log(
        `      XHR reader: ${gets} streaming GETs for ${N} messages of ~250 bytes (128 KiB budget)`,
      );
      expect(gets).to.be.greaterThan(1);

      // The modern bundle leaves the XHR reader out: without fetch streams it does not offer streaming at all.
      const modern = (await startChat({ port: 0 })) as Chat;
      try {
        const demo = await context.newPage();
        await demo.goto(`${modern.url}/?name=Y`);
        await demo.waitForFunction(() => socket.connected, undefined, { timeout: 10000 });
        expect(
          await demo.evaluate(
            "[ladder.transports.polling.available({}), ladder.transports.streaming.available({})]",
          ),
        ).to.deep.equal([true, false]);
        expect((await pageState(demo)).transport).to.equal("polling");
      } finally {
        await modern.app.close();
      }
    } finally {
      await context.close();
      await proxy.stop();
      await chat.app.close();
    }
  });

  for (const c of CASES) {
    it(`${c.label} → ${c.final}; ${N} chat messages each way`, async () => {
      const chat = (await startChat({ port: 0 })) as Chat;
      const proxy = await c.proxy(Number(new URL(chat.url).port));
      const context = await browser.newContext();
      let b: Socket | undefined;
      try {
        const page = await context.newPage();
        await page.goto(`${proxy.url}/?name=A`);
        // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
        await page.evaluate(`(() => {
          window.__got = [];
          window.__failed = [];
          socket.on("chat", (m) => window.__got.push(m.name + ":" + m.text));
          (function hook() {
            const engine = socket.io.engine;
            if (!engine) return setTimeout(hook, 5);
            engine.on("upgradeError", (err) => window.__failed.push(String(err.transport)));
          })();
        })()`);
        // Settled: on the final transport, and (for polling) after the streaming probe gave up.
        let state = await pageState(page);
        const deadline = Date.now() + 30000;
        while (
          !(state.transport === c.final && (c.final !== "polling" || state.failed.indexOf("streaming") >= 0))
        ) {
          if (Date.now() > deadline) throw new Error(`page stuck on ${state.transport} (${state.failed})`);
          await new Promise((r) => setTimeout(r, 20));
          state = await pageState(page);
        }
        console.log(
          `      Chromium, ${c.label}: ${await page.locator("#transports").textContent()} within ${Math.round(state.t)} ms of navigation start`,
        );
        expect(await page.locator("#status").textContent()).to.equal("connected");

        b = io(chat.url, {
          forceNew: true,
          reconnection: false,
          transports: ["websocket"],
          auth: { name: "B" },
        });
        const gotB: string[] = [];
        b.on("chat", (m: { name: string; text: string }) => gotB.push(`${m.name}:${m.text}`));
        await until(() => !!b?.connected, "B connected");
        await page.evaluate((n) => {
          for (let i = 0; i < n; i++) socket.emit("chat", `A-${i}`);
        }, N);
        for (let i = 0; i < N; i++) b.emit("chat", `B-${i}`);
        await until(() => gotB.length >= 2 * N, "B got everything", 60000);
        const deadline2 = Date.now() + 60000;
        while ((await pageState(page)).got < 2 * N) {
          if (Date.now() > deadline2) throw new Error("the page did not get every message");
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 100));
        const gotA = await page.evaluate(() => (globalThis as unknown as PageGlobals).__got.slice());
        for (const [who, got] of [
          ["page", gotA],
          ["node", gotB],
        ] as const) {
          expect(got.length, `${who} received`).to.equal(2 * N);
          for (const sender of ["A", "B"]) {
            const mine = got.filter((m) => m.startsWith(`${sender}:`));
            expect(mine, `${who}: ${sender}'s messages`).to.deep.equal(
              Array.from({ length: N }, (_, i) => `${sender}:${sender}-${i}`),
            );
          }
        }
        expect((await pageState(page)).transport).to.equal(c.final);
      } finally {
        b?.disconnect();
        await context.close();
        await proxy.stop();
        await chat.app.close();
      }
    });
  }
});
