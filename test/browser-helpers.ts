// Shared headless-Chromium helpers for the browser tests (not a test file itself).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

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
