// The first view of a page press wrote: the island (src/island.js) and no app. A story opens
// with no JS or wasm of the app, within the byte budget; nothing on the page changes at start;
// the reaction button and the carousels work; the app is fetched on intent (a pointer over a
// site link, focus on one, or an idle browser after a while, but not when the reader asked to
// save data) and then takes the page over, keeping what the reader did.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { appTakesOver, canonical, dist, sample, useSite, watchErrors } from "./browser.mjs";
import { formatNumber } from "../../src/island.js";

const site = useSite();
const lead = sample("home.json").lead;
const story = `/${lead.section.slug}/${lead.slug}`;
// Issue #14's budget: the JS and wasm a first view of a story costs, brotli-compressed.
const BUDGET = 60 * 1024;

const isApp = (url) => /\/assets\/broadsheet-[0-9a-f]+(_bg\.wasm|\.js)$/.test(new URL(url).pathname);

/// Opens `path` in a fresh context; collects the requests; waits until the island works.
async function open(path, { options = {}, init } = {}) {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(site.server.base + path);
  await page.locator("html[data-island]").waitFor({ state: "attached" });
  return { context, page, errors, requests };
}

test("the island writes counts as Intl does, from the shapes press writes into the page", () => {
  // The shapes as press writes them (press/src/first_view.rs), here from Node's Intl.
  const shapesOf = (lang) => {
    const f = new Intl.NumberFormat(lang);
    const grouped = (n) => f.format(n).length > String(n).length;
    return {
      digits: Array.from({ length: 10 }, (_, d) => f.format(d)).join(""),
      sample: f.format(1234567890123456),
      min: grouped(1000) ? 4 : grouped(10000) ? 5 : 0,
    };
  };
  const numbers = [0, 7, 42, 999, 1000, 1234, 9999, 10000, 12345, 99999, 100000, 654321, 1234567, 98765432, 1000000000, 2 ** 40];
  for (const lang of ["en-GB", "de-DE", "es-ES", "pl-PL", "fr-FR", "hi-IN", "bn-BD", "ar-EG", "fa-IR", "he-IL", "ja-JP"]) {
    const shapes = shapesOf(lang);
    for (const n of numbers) assert.equal(formatNumber(n, shapes), new Intl.NumberFormat(lang).format(n), `${lang} ${n}`);
  }
  // What press wrote into the sample site, in its language.
  const page = readFileSync(`${dist}/index.html`, "utf8");
  const lang = page.match(/<html lang="([^"]+)"/)[1];
  const written = JSON.parse(page.match(/<script type="application\/json" id="broadsheet-numbers">([^<]*)<\/script>/)[1]);
  assert.deepEqual(written, shapesOf(lang));
  // Without shapes, or for what is not a count: the number as it is.
  assert.equal(formatNumber(4812, null), "4812");
  assert.equal(formatNumber(-1, shapesOf("en-GB")), "-1");
  assert.equal(formatNumber(1.5, shapesOf("en-GB")), "1.5");
});

test("a story's first view fetches none of the app, and its JS and wasm fit the budget", async () => {
  const { context, page, errors, requests } = await open(story);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(requests.filter(isApp), [], "no app before intent");
  const code = requests.map((u) => new URL(u).pathname).filter((p) => /\.(js|wasm)$/.test(p));
  assert.ok(code.some((p) => /\/assets\/island-[0-9a-f]+\.js$/.test(p)), code.join(", "));
  const bytes = code.reduce((n, p) => n + brotliCompressSync(readFileSync(`${dist}${p}`), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
  assert.ok(bytes <= BUDGET, `the first view's JS and wasm are ${bytes} bytes brotli, over ${BUDGET}`);
  // No stylesheet to wait for: the page carries its CSS.
  assert.deepEqual(requests.filter((u) => u.endsWith(".css")), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the first view changes nothing on the page and moves nothing", async () => {
  const init = () => {
    window.__shift = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => (window.__shift += e.value))).observe({ type: "layout-shift", buffered: true });
  };
  const { context, page } = await open(story, { init });
  await page.waitForLoadState("networkidle");
  // The page as press wrote it, parsed the same way, against the live one.
  const source = readFileSync(`${dist}${story}.html`, "utf8");
  const written = await page.evaluate(([html, walk]) => {
    const doc = new DOMParser().parseFromString(html, "text/html");
    return new Function("document", `return ${walk}`)(doc);
  }, [source, canonical]);
  const live = await page.evaluate(canonical);
  assert.equal(live, written);
  assert.equal(await page.evaluate(() => window.__shift), 0);
  await context.close();
});

test("the reaction works before the app, and the app keeps it", async () => {
  const { context, page, requests } = await open(story);
  const number = () => page.locator(".reaction__number").innerText();
  const before = await number();
  await page.locator(".reaction__button").click();
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "true");
  assert.notEqual(await number(), before);
  assert.equal(await page.locator(".reaction__count .visually-hidden").innerText(), "readers said very good");
  await page.locator(".reaction__button").dblclick();
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "false", "a double click is one press");
  assert.equal(await number(), before);
  await page.locator(".reaction__button").click();
  const id = await page.locator(".reaction").getAttribute("data-article-id");
  assert.equal(await page.evaluate((id) => localStorage.getItem(`broadsheet:very-good:${id}`), id), "1");
  assert.deepEqual(requests.filter(isApp), [], "still no app");
  await appTakesOver(page);
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "true", "the app keeps the reader's reaction");
  assert.notEqual(await number(), before);
  await context.close();
});

test("the carousels page with their buttons before the app", async () => {
  const { context, page, requests } = await open(story, { options: { viewport: { width: 600, height: 900 } } });
  const carousel = page.locator("section.carousel").first();
  const [previous, next] = [carousel.locator(".carousel__button").first(), carousel.locator(".carousel__button").last()];
  await carousel.scrollIntoViewIfNeeded();
  assert.equal(await previous.getAttribute("aria-disabled"), "true");
  await next.click();
  await page.waitForFunction(() => document.querySelector("section.carousel .carousel__viewport").scrollLeft > 0);
  await page.waitForFunction(() => document.querySelector("section.carousel .carousel__button").getAttribute("aria-disabled") === "false");
  // From the keyboard, too: the buttons are buttons.
  await previous.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("section.carousel .carousel__viewport").scrollLeft === 0);
  assert.deepEqual(requests.filter(isApp), [], "buttons are not links: no app");
  await context.close();
});

test("the app is fetched when a pointer comes over a link of the site, or focus reaches one", async () => {
  for (const show of ["pointer", "focus"]) {
    const { context, page, requests } = await open(story);
    assert.deepEqual(requests.filter(isApp), []);
    const appAsked = page.waitForRequest((r) => isApp(r.url()));
    if (show === "pointer") await page.locator("a.card__link").first().hover();
    else await page.keyboard.press("Tab"); // the skip link, a link of this site
    await appAsked;
    await page.waitForFunction(() => !document.querySelector("script[data-broadsheet-url]"));
    // From then on the app navigates: no new document.
    const documents = requests.length;
    await page.locator("a.card__link").first().click();
    await page.locator("article.story[data-state=ready]").waitFor();
    assert.equal(requests.slice(documents).filter((u) => !new URL(u).pathname.includes(".")).length, 0, `${show}: navigated in the app`);
    await context.close();
  }
});

test("an app that fails to arrive leaves the page working, and the next intent fetches it again", async () => {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
  let refused = 0;
  await context.route((url) => isApp(url.href), (route) => (refused++ === 0 ? route.abort("internetdisconnected") : route.fallback()));
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(site.server.base + story);
  await page.locator("html[data-island]").waitFor({ state: "attached" });
  const first = page.waitForEvent("requestfailed", (r) => isApp(r.url()));
  await page.locator("a.card__link").first().dispatchEvent("pointerover");
  await first;
  // Still the first view: the reaction works, nothing was thrown.
  await page.locator(".reaction__button").click();
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "true");
  await page.locator("a.card__link").nth(1).dispatchEvent("pointerover");
  await page.waitForFunction(() => !document.querySelector("script[data-broadsheet-url]"));
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "true");
  // The failed request itself is the only error the browser reports.
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
  await context.close();
});

test("an idle page fetches the app after a while, unless the reader saves data", async () => {
  for (const saveData of [false, true]) {
    const init = saveData ? () => Object.defineProperty(navigator, "connection", { value: { saveData: true } }) : undefined;
    const context = await site.browser.newContext();
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    await page.clock.install();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(site.server.base + story);
    await page.locator("html[data-island]").waitFor({ state: "attached" });
    await page.clock.runFor(60_000);
    if (saveData) {
      await page.waitForLoadState("networkidle");
      assert.deepEqual(requests.filter(isApp), [], "Save-Data: no app without intent");
    } else {
      if (!requests.some(isApp)) await page.waitForRequest((r) => isApp(r.url()), { timeout: 10_000 });
      assert.ok(requests.some(isApp), "an idle browser fetched the app");
    }
    await context.close();
  }
});
