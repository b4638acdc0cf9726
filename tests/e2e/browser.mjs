// Shared set-up for browser tests: Debian's Chromium through playwright-core (no browser
// download), and the production build served the way a CDN serves it.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const dist = process.env.BROADSHEET_DIST ?? `${root}dist`;

export async function launch() {
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}`);
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

/// Serves dist/ on a free loopback port; returns { base, close }.
export async function serveDist() {
  if (!existsSync(`${dist}/index.html`)) throw new Error(`${dist}/index.html missing: run trunk build --release first`);
  const server = await startServer({ dir: dist, port: 0 });
  const { port } = server.address();
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/// Collects uncaught exceptions and console errors of a page.
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  return errors;
}
