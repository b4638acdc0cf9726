// Faults and hostile input, injected with Playwright request routing against the release
// build. Each must end in a named, visible state with no uncaught exception and no console
// error but the expected one, and the app must still navigate afterwards.
//
// The faults are in JSON answers, which a pre-rendered page carries instead of fetching, so
// these pages start as the client-rendered app (`bare`) and fetch their JSON, as every
// client-side navigation does; the last test checks a fault met by navigating from a
// pre-rendered page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appTakesOver, watchErrors, sample, configure, useSite } from "./browser.mjs";

const lead = sample("home.json").lead;
const article = sample(`articles/${lead.slug}.json`);
const path = `/${lead.section.slug}/${lead.slug}`;
const articleUrl = `**/api/articles/${lead.slug}.json`;
const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> &amp; &lt;b&gt;`;
const STATUS = /the server responded with a status of/;

const site = useSite();

/// Opens `at` with `routes` installed; returns the page and its error log.
async function open(at, routes = {}, { width = 1280, config } = {}) {
  const context = await site.browser.newContext({ viewport: { width, height: 900 } });
  await configure(context, { bare: true, ...config });
  // A stand-in reactions service has no most-read list yet: Ranking keeps the published one.
  if (config?.reactions) await context.route(`**${config.reactions}/most-read`, json({ items: [] }));
  for (const [pattern, handler] of Object.entries(routes)) await context.route(pattern, handler);
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = watchErrors(page);
  await page.goto(site.server.base + at);
  // A bare page starts the app, which puts its own page in place of the pre-rendered one.
  await page.waitForFunction(() => !document.getElementById("app"));
  return { context, page, errors };
}

const json = (body) => (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(body) });
const status = (code) => (route) => route.fulfill({ status: code, body: "" });

/// The common ending: only expected console errors, none uncaught, and the app still works.
async function finish({ context, page, errors }, expected = []) {
  await context.unrouteAll({ behavior: "ignoreErrors" });
  await page.locator("a.masthead").click();
  await page.locator(".lead-story").waitFor();
  const unexpected = errors.filter((e) => e.startsWith("pageerror") || !expected.some((re) => re.test(e)));
  assert.deepEqual(unexpected, []);
  await context.close();
}

for (const [code, state, text] of [
  [500, "server", "500"],
  [403, "server", "403"],
]) {
  test(`HTTP ${code} on the article is an error panel whose Retry works`, async () => {
    const t = await open(path, { [articleUrl]: status(code) });
    const panel = t.page.locator(`.error-panel[data-state=${state}]`);
    await panel.waitFor();
    assert.ok((await panel.innerText()).includes(text));
    await t.context.unrouteAll();
    await t.page.getByRole("button", { name: "Retry" }).click();
    await t.page.locator("article.story[data-state=ready]").waitFor();
    await finish(t, [STATUS]);
  });
}

test("HTTP 404 is the not-found page", async () => {
  const t = await open(path, { [articleUrl]: status(404) });
  await t.page.locator(".not-found[data-state=not-found]").waitFor();
  assert.equal(await t.page.title(), "Page not found — Broadsheet");
  await finish(t, [STATUS]);
});

test("a request that never answers times out into a retryable state", async () => {
  const t = await open(path, { [articleUrl]: () => {} }, { config: { timeoutMs: 1500 } });
  await t.page.locator("[data-state=loading]").waitFor();
  await t.page.locator(".error-panel[data-state=timed-out]").waitFor();
  await finish(t);
});

test("a reset connection is the offline state", async () => {
  const t = await open(path, { [articleUrl]: (route) => route.abort("connectionreset") });
  await t.page.locator(".error-panel[data-state=offline]").waitFor();
  await finish(t, [/ERR_CONNECTION_RESET/]);
});

for (const [name, body] of [
  ["truncated JSON", JSON.stringify(article).slice(0, 900)],
  ["wrong types in required fields", JSON.stringify({ ...article, title: 5, views: "many" })],
]) {
  test(`${name} says the story could not be read`, async () => {
    const t = await open(path, { [articleUrl]: (route) => route.fulfill({ status: 200, body }) });
    const panel = t.page.locator(".error-panel[data-state=bad-data]");
    await panel.waitFor();
    assert.ok((await panel.innerText()).includes("could not be read"));
    await finish(t, [/breaks the content contract/]);
  });
}

test("a 5 MB article renders", async () => {
  const paragraph = "A long report paragraph with ordinary words in it. ".repeat(40);
  const count = Math.ceil((5 * 1024 * 1024) / paragraph.length);
  const body = Array.from({ length: count }, (_, i) => ({ type: "paragraph", text: `${i}: ${paragraph}` }));
  const t = await open(path, { [articleUrl]: json({ ...article, body }) });
  await t.page.locator("article.story[data-state=ready]").waitFor({ timeout: 30000 });
  assert.equal(await t.page.locator(".story__body > p").count(), count);
  await finish(t);
});

test("a body of 2,000 blocks renders every block; unknown block types are skipped", async () => {
  const body = Array.from({ length: 2000 }, (_, i) =>
    i % 100 === 0 ? { type: i % 200 ? "poll" : "video", src: "x" } : { type: "paragraph", text: `Block ${i}` },
  );
  const t = await open(path, { [articleUrl]: json({ ...article, body }) });
  await t.page.locator("article.story[data-state=ready]").waitFor();
  assert.equal(await t.page.locator(".story__body > *").count(), 1980);
  assert.equal(await t.page.locator(".story__body > p").last().innerText(), "Block 1999");
  await finish(t);
});

test("an article with 100,000 Related cards shows the first 100 and stays responsive", async () => {
  // Regression: every card was read and built; 100,000 froze the page for 49 s.
  const card = article.related[0];
  const related = Array.from({ length: 100_000 }, (_, i) => ({ ...card, slug: `story-${i}`, title: `Story ${i}` }));
  const t = await open(path, { [articleUrl]: json({ ...article, related }) });
  await t.page.locator("article.story[data-state=ready]").waitFor({ timeout: 30000 });
  const carousel = t.page.locator("section.carousel").filter({ has: t.page.locator("h2", { hasText: /^Related$/ }) });
  await carousel.scrollIntoViewIfNeeded();
  await carousel.locator(".carousel__slide").nth(99).waitFor({ state: "attached" });
  assert.equal(await carousel.locator(".carousel__slide").count(), 100);
  await finish(t);
});

test("empty lists are quiet empty states", async () => {
  const t = await open(path, {
    [articleUrl]: json({ ...article, related: [] }),
    "**/api/rankings.json": json({ items: [] }),
    "**/api/recommendations.json": json({ items: [] }),
  });
  await t.page.locator("article.story[data-state=ready]").waitFor();
  await t.page.locator(".carousel--empty").nth(2).waitFor();
  assert.equal(await t.page.locator(".carousel--empty").count(), 3);
  await finish(t);
});

test("a card list with repeated items and the current article shows each other story once", async () => {
  const cards = sample("rankings.json").items;
  const self = { ...cards[0], slug: lead.slug, section: lead.section, title: article.title };
  const items = [self, ...cards, ...cards.slice(0, 4), self];
  const t = await open(path, { "**/api/rankings.json": json({ items }) });
  await t.page.locator("#ranking-track").waitFor();
  const hrefs = await t.page.locator("#ranking-track .card__link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const expected = cards.filter((c) => c.slug !== lead.slug).map((c) => `/${c.section.slug}/${c.slug}`);
  assert.deepEqual(hrefs, expected);
  await finish(t);
});

test("markup, entities and unsafe URLs in every field stay text; no script runs", async () => {
  const card = { slug: "x-card", title: HOSTILE, section: { slug: "news", name: HOSTILE }, published_at: article.published_at, standfirst: HOSTILE, image: { src: "javascript:window.__pwned=1", alt: HOSTILE, width: 4, height: 3 } };
  const hostile = {
    ...article,
    title: HOSTILE,
    standfirst: HOSTILE,
    dateline: HOSTILE,
    byline: [{ name: HOSTILE, role: HOSTILE }],
    source: { name: HOSTILE, url: "javascript:window.__pwned=1" },
    image: { src: "data:image/svg+xml,<svg onload='window.__pwned=1'/>", alt: HOSTILE, width: 10, height: 10, caption: HOSTILE, credit: HOSTILE },
    body: [
      { type: "paragraph", text: HOSTILE },
      { type: "paragraph", content: [{ text: HOSTILE, href: "javascript:window.__pwned=1" }, { text: "data", href: "data:text/html,<script>alert(1)</script>" }, { text: HOSTILE, em: true, strong: true }] },
      { type: "heading", text: HOSTILE, level: 2 },
      { type: "quote", text: HOSTILE, cite: HOSTILE },
      { type: "image", src: "javascript:window.__pwned=1", alt: HOSTILE, width: 5, height: 5, caption: HOSTILE, credit: HOSTILE },
      { type: "list", ordered: true, items: [HOSTILE, HOSTILE] },
    ],
    contributors: HOSTILE,
    tags: [{ slug: "x", name: HOSTILE }],
    related: [card],
  };
  const t = await open(path, { [articleUrl]: json(hostile) });
  await t.page.locator("article.story[data-state=ready]").waitFor();
  assert.equal(await t.page.locator("h1").innerText(), HOSTILE);
  assert.equal(await t.page.locator(".story__standfirst").innerText(), HOSTILE, "entities are not decoded");
  assert.equal(await t.page.locator("main script, main [onerror], main [onload]").count(), 0);
  assert.equal(await t.page.locator("a[href^='javascript'], a[href^='data'], img[src^='javascript'], img[src^='data']").count(), 0);
  assert.equal(await t.page.evaluate(() => window.__pwned), undefined);
  await finish(t);
});

test("very long unbroken words never make the page scroll sideways at 320 px", async () => {
  const word = "Donaudampfschifffahrtsgesellschaftskapitän".repeat(8);
  const long = { ...article, title: word, standfirst: word, dateline: word, contributors: word, section: { ...article.section, name: word }, byline: [{ name: word, role: word }], tags: [{ slug: "x", name: word }], body: [{ type: "paragraph", text: word }, { type: "quote", text: word, cite: word }, { type: "list", ordered: false, items: [word] }], related: article.related.map((c) => ({ ...c, title: word })) };
  const t = await open(path, { [articleUrl]: json(long) }, { width: 320 });
  await t.page.locator("article.story[data-state=ready]").waitFor();
  const [scroll, client] = await t.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px window`);
  await finish(t);
});

test("right-to-left text runs right to left", async () => {
  const rtl = "هذا نص تجريبي مكتوب من اليمين إلى اليسار";
  const t = await open(path, { [articleUrl]: json({ ...article, title: rtl, body: [{ type: "paragraph", text: rtl }] }) });
  await t.page.locator("article.story[data-state=ready]").waitFor();
  const dirs = await t.page.evaluate(() => [getComputedStyle(document.querySelector("h1")).direction, getComputedStyle(document.querySelector(".story__body p")).direction]);
  assert.deepEqual(dirs, ["rtl", "rtl"]);
  await finish(t);
});

test("twenty rapid clicks between articles: the last clicked wins", async () => {
  const cards = sample("rankings.json").items.concat(sample("recommendations.json").items);
  const targets = Array.from({ length: 20 }, (_, i) => cards[i % cards.length]);
  let n = 0;
  let pending = 0;
  const t = await open(path, {
    "**/api/articles/*.json": async (route) => {
      // Answers arrive out of order: earlier requests are the slowest.
      const delay = Math.max(0, 600 - 30 * n++);
      pending++;
      await new Promise((r) => setTimeout(r, delay));
      await route.fallback().catch(() => {});
      pending--;
    },
  });
  await t.page.locator("article.story[data-state=ready]").waitFor();
  await t.page.evaluate((paths) => {
    for (const p of paths) {
      const a = document.createElement("a");
      a.href = p;
      document.body.append(a);
      a.click();
      a.remove();
    }
  }, targets.map((c) => `/${c.section.slug}/${c.slug}`));
  const last = targets.at(-1);
  await t.page.waitForFunction((title) => document.querySelector("article.story h1")?.textContent === title, last.title);
  while (pending > 0) await new Promise((r) => setTimeout(r, 20)); // every slower answer is in
  await t.page.evaluate(() => new Promise(requestAnimationFrame));
  assert.equal(await t.page.locator("h1").innerText(), last.title);
  assert.equal(new URL(t.page.url()).pathname, `/${last.section.slug}/${last.slug}`);
  await finish(t);
});

const reactionsConfig = { config: { reactions: "/reactions-svc" } };
const answer = (count, mine) => json({ counts: { very_good: count }, mine: mine ? ["very_good"] : [] });
// The service's read counter (POST /articles/{id}/views): counts what it is sent.
const reads = [];
const countRead = (route) => {
  reads.push(`${route.request().method()} ${new URL(route.request().url()).pathname}`);
  return route.fulfill({ status: 204 });
};

for (const [name, put] of [
  ["failing", status(500)],
  ["answering garbage", (route) => route.fulfill({ status: 200, body: "<html>not json" })],
]) {
  test(`a reactions service ${name}: the count rolls back with a message, and works once it is back`, async () => {
    const t = await open(path, {
      "**/reactions-svc/articles/*/reactions": answer(70, false),
      "**/reactions-svc/articles/*/reactions/very_good": put,
      "**/reactions-svc/articles/*/views": countRead,
    }, reactionsConfig);
    const button = t.page.locator("button.reaction__button");
    const count = t.page.locator(".reaction__number");
    await t.page.waitForFunction(() => document.querySelector(".reaction__number")?.textContent === "70");
    await button.click();
    await t.page.locator(".reaction__message", { hasText: "could not be saved" }).waitFor();
    assert.equal(await count.innerText(), "70");
    assert.equal(await button.getAttribute("aria-pressed"), "false");
    await t.context.unroute("**/reactions-svc/articles/*/reactions/very_good");
    await t.context.route("**/reactions-svc/articles/*/reactions/very_good", answer(71, true));
    await button.click();
    await t.page.waitForFunction(() => document.querySelector(".reaction__number")?.textContent === "71");
    assert.equal(await button.getAttribute("aria-pressed"), "true");
    assert.equal(await t.page.locator(".reaction__message").innerText(), "");
    await finish(t, [STATUS]);
  });
}

test("a slow reactions service: the count changes at once and stays, and the read is counted once", async () => {
  reads.length = 0;
  const t = await open(path, {
    "**/reactions-svc/articles/*/views": countRead,
    "**/reactions-svc/articles/*/reactions": answer(8, false),
    "**/reactions-svc/articles/*/reactions/very_good": async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await answer(9, true)(route);
    },
  }, reactionsConfig);
  const count = t.page.locator(".reaction__number");
  await t.page.waitForFunction(() => document.querySelector(".reaction__number")?.textContent === "8");
  const put = t.page.waitForResponse("**/reactions-svc/articles/*/reactions/very_good");
  await t.page.locator("button.reaction__button").click();
  assert.equal(await count.innerText(), "9", "optimistic");
  await put;
  await t.page.evaluate(() => new Promise(requestAnimationFrame));
  assert.equal(await count.innerText(), "9");
  assert.equal(await t.page.locator("button.reaction__button").getAttribute("aria-pressed"), "true");
  assert.deepEqual(reads, [`POST /reactions-svc/articles/${encodeURIComponent(article.id)}/views`]);
  await finish(t);
});

test("a failing story reached from a pre-rendered page is an error panel, and the page stays", async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.server.base}/`);
  await appTakesOver(page);
  const link = page.locator(".lead-story .card__link");
  const target = new URL(await link.getAttribute("href"), site.server.base).pathname.split("/").pop();
  await context.route(`**/api/articles/${target}.json`, status(500));
  await link.click();
  await page.locator(".error-panel[data-state=server]").waitFor();
  await context.unrouteAll();
  await page.getByRole("button", { name: "Retry" }).click();
  await page.locator("article.story[data-state=ready]").waitFor();
  assert.deepEqual(errors.filter((e) => e.startsWith("pageerror") || !STATUS.test(e)), []);
  await context.close();
});
