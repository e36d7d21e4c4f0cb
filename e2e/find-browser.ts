import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export type BrowserChoice = { executablePath?: string; args: string[]; source: string };

// Flags that let Debian's Chromium run headless as root on a machine without internet access.
const systemChromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

function onPath(name: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Playwright's own Chromium when installed, else a system Chromium on PATH; otherwise a clear failure. */
export function findBrowser(): BrowserChoice {
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return { args: [], source: `Playwright's Chromium (${bundled})` };
  for (const name of ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"]) {
    const path = onPath(name);
    if (path) return { executablePath: path, args: systemChromiumArgs, source: `${name} on PATH (${path})` };
  }
  throw new Error(
    "No Chromium for the e2e tests. Install Playwright's (`npx playwright install chromium`) or your system's " +
      "(Debian/Ubuntu: `sudo apt-get install chromium`), then run the tests again.",
  );
}
