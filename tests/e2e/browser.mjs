// Shared set-up for browser tests: Debian's Chromium through playwright-core (no browser
// download), and the production build served the way a CDN serves it.
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { existsSync, readFileSync } from "node:fs";
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

/// Serves dist/ (or `dir`) on a free loopback port with its _headers; returns { base, close }.
export async function serveDist({ prefix = "/", dir = dist } = {}) {
  if (!existsSync(`${dir}/index.html`)) throw new Error(`${dir}/index.html missing: run make site first`);
  const server = await startServer({ dir, port: 0, prefix });
  const { port } = server.address();
  const close = () => new Promise((ok) => {
    server.close(ok);
    server.closeAllConnections();
  });
  return { base: `http://127.0.0.1:${port}`, close };
}

/// For a test file: one Chromium and one server of dist/ for all its tests, closed at the end.
/// Returns an object whose `browser` and `server` are set once the file's tests start.
export function useSite() {
  const site = {};
  before(async () => {
    site.server = await serveDist();
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/// Shows intent to navigate, as a reader would (a pointer over a link of the site), so a
/// page press wrote fetches the app, and waits until the app has taken the page over (it
/// removes the page's embedded JSON when done). Before that, the island works the page.
export async function appTakesOver(page) {
  // The not-found page (and a bare page, below) starts the app at once.
  if (await page.evaluate(() => typeof window.__broadsheetApp === "function")) {
    await page.locator("html[data-island]").waitFor({ state: "attached" });
    await page.locator("a[href^='/']").first().dispatchEvent("pointerover");
  }
  await page.waitForFunction(() => !document.querySelector("script[data-broadsheet-url]"));
}

/// The module script that starts the app at once (press keeps it on the not-found page; its
/// hash is in the site's Content-Security-Policy), for a page made bare below.
function appLoader(dir) {
  const page = readFileSync(`${dir}/404.html`, "utf8");
  return page.match(/<script type="module">[^<]*await init[^<]*<\/script>/)?.[0] ?? "";
}

/// Collects uncaught exceptions and console errors of a page.
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  return errors;
}

/// Rewrites the run-time configuration meta tags of every page document the browser loads
/// (the way a publisher edits dist/index.html), through request routing.
/// `bare: true` strips what press adds to a page (the JSON it was rendered from, the first
/// view's island), so the app starts at once as a client-rendered app and fetches the JSON
/// itself: how faults in that JSON are tested.
export async function configure(context, { timeoutMs, reactions, base, bare } = {}) {
  await context.route(
    (url) => !url.pathname.includes("."),
    async (route) => {
      if (route.request().resourceType() !== "document") return route.fallback();
      const response = await route.fetch();
      let html = await response.text();
      if (timeoutMs) html = html.replace(/(name="broadsheet:timeout-ms" content=")\d+/, `$1${timeoutMs}`);
      if (base) html = html.replace(/<base href="[^"]*" \/>/, `<base href="${base}" />`);
      if (reactions) html = html.replace(/(name="broadsheet:reactions" content=")[^"]*/, `$1${reactions}`);
      if (bare) {
        html = html.replace(/<script type="application\/json" data-broadsheet-url="[^"]*">[^<]*<\/script>/g, "");
        html = html.replace(/(<html[^>]*) data-prerendered( data-app-on-intent)?>/, "$1>");
        html = html.replace(/<script>window\.__broadsheetApp = [^<]*<\/script>/, appLoader(dist));
      }
      await route.fulfill({ response, body: html });
    },
  );
}

/// JSON of the sample site, read from dist/.
export function sample(path) {
  return JSON.parse(readFileSync(`${dist}/api/${path}`, "utf8"));
}

/// Text of the page's h1 once the page has settled into a named state.
export async function settled(page) {
  await page.locator("[data-state=ready], [data-state=not-found], .error-panel, .lead-story, .section-head").first().waitFor();
}

// The page as a tree: tags, sorted attributes and text, without comments; the text of
// recent times is left out (the app says "3 hours ago" where a build could only say the date).
export const canonical = `(() => {
  const week = 7 * 24 * 3600 * 1000;
  const walk = (n) => {
    if (n.nodeType === 3) return n.textContent;
    if (n.nodeType !== 1) return "";
    const recent = n.localName === "time" && Date.now() - Date.parse(n.getAttribute("datetime")) < week;
    const attrs = [...n.attributes].map((a) => " " + a.name + "=" + JSON.stringify(a.value)).sort().join("");
    return "<" + n.localName + attrs + ">" + (recent ? "" : [...n.childNodes].map(walk).join("")) + "</" + n.localName + ">";
  };
  return walk(document.getElementById("app") || document.body).replace(/\\s+/g, " ");
})()`;

