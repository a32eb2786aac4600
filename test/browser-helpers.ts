// Shared headless-Chromium helpers for the browser tests (not a test file itself).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = join(new URL("..", import.meta.url).pathname, "test-artifacts");

/** True when Debian's chromium is installed (CI installs it; a dev machine may not have it). */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Launches Chromium once for the enclosing describe block and closes it after; skips the block (saying why) when
 * Chromium is not installed. Returns a getter, since the browser exists only once `before` has run.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    if (!hasChromium()) {
      console.log("    skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
      this.skip();
    }
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** Types `text` into the chat page's #input and clicks its send button. */
export async function say(page: Page, text: string, sendButton: string): Promise<void> {
  // A page in the background gets no animation frames, which Playwright's actions wait for.
  await page.bringToFront();
  await page.locator("#input").fill(text);
  await page.locator(sendButton).click();
}
