// Search (issue #16), on the release build:
// - the ranking fixture (press/tests/fixtures/search, built here by press): known queries give
//   known results in a known order: headline over body, tags over body, stems, prefixes while
//   typing, a mistyped word corrected, newer first among equals, section filter and date order;
//   German stems and Japanese words (segmented by Pagefind's indexer) on their own sites;
// - a reader's journeys on the sample site: the header's field from a story's first view,
//   live results as they type (one history entry), a result picked with the keyboard, the
//   section filter and the order, back restoring query and results;
// - no search code in a first view, no request to another origin, the site's CSP;
// - hostile queries never break the page or put anything into it;
// - an index that cannot be loaded or read is a named state, and Retry recovers;
// - without JavaScript the page says what to do instead.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { appTakesOver, launch, root, serveDist, watchErrors } from "./browser.mjs";

const press = `${root}target/press/press`;
const work = mkdtempSync(`${tmpdir()}/broadsheet-search-`);
const ANSWERED = ".search:is([data-state=results], [data-state=corrected], [data-state=no-results], [data-state=unavailable], [data-state=failed])";

function build(name, content) {
  const out = `${work}/${name}`;
  execFileSync(press, ["--content", content, "--app", `${root}target/app`, "--out", out], { stdio: "pipe" });
  return out;
}

const sites = {};
let browser;
before(async () => {
  browser = await launch();
  sites.sample = await serveDist();
  for (const [name, content] of [["fixture", "search"], ["de", "site-de"], ["ja", "search-ja"]]) {
    sites[name] = await serveDist({ dir: build(name, `${root}press/tests/fixtures/${content}`) });
  }
});
after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) await site.close();
  rmSync(work, { recursive: true, force: true });
});

async function open(site, path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  if (path) await page.goto(site.base + path);
  return { context, page, errors, requests };
}

async function answer(page) {
  await page.locator(ANSWERED).waitFor({ timeout: 20000 });
  return {
    state: await page.locator(".search").getAttribute("data-state"),
    status: await page.locator("#search-status").textContent(),
    titles: await page.locator("#search-results .card__title").allTextContents(),
  };
}

// Query -> the headlines expected first, in order (and, where given, exactly these).
const RANKING = [
  ["lighthouse", ["Lighthouse keeper retires after thirty winters"], 3, "a headline outweighs the body of a newer story"],
  ["lightho", ["Lighthouse keeper retires after thirty winters"], 3, "a word being typed matches as a prefix"],
  ["lighthuose", ["Lighthouse keeper retires after thirty winters"], 3, "a mistyped word is corrected"],
  ["voting", ["Council votes on new harbour lights"], 1, "English stems: voting finds votes"],
  ["harbours", ["Council votes on new harbour lights", "Strong winds keep small boats in port"], 2, "plural finds singular; headline first"],
  ["tide tables", ["Tide tables printed for autumn", "Tide tables printed for spring"], 2, "equal scores: the newer story first"],
  ["regatta", ["Sailing club hands out its season prizes", "Strong winds keep small boats in port"], 2, "a tag outweighs a word in the body"],
  ["keeper's", ["Lighthouse keeper retires after thirty winters"], 1, "punctuation in the query is not a word"],
];

test("the ranking fixture: known queries give known results in a known order", async () => {
  const { context, page, errors } = await open(sites.fixture);
  for (const [q, expected, total, why] of RANKING) {
    await page.goto(`${sites.fixture.base}/search?q=${encodeURIComponent(q)}`);
    const { titles, state } = await answer(page);
    assert.deepEqual(titles.slice(0, expected.length), expected, `${q}: ${why}`);
    assert.equal(titles.length, total, `${q}: ${titles.join(" | ")}`);
    assert.equal(state, q === "lighthuose" ? "corrected" : "results", q);
  }
  // The section filter and the order by date.
  await page.goto(`${sites.fixture.base}/search?q=lighthouse&section=science`);
  assert.deepEqual((await answer(page)).titles, ["How an old lens still throws light twenty miles"]);
  await page.goto(`${sites.fixture.base}/search?q=lighthouse&sort=newest`);
  assert.deepEqual((await answer(page)).titles, [
    "Ferry timetable changes for the winter",
    "Lighthouse keeper retires after thirty winters",
    "How an old lens still throws light twenty miles",
  ]);
  const corrected = await (async () => {
    await page.goto(`${sites.fixture.base}/search?q=Lighthuose`);
    return (await answer(page)).status;
  })();
  assert.match(corrected, /“Lighthouse”.*“Lighthuose”/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("German stems and Japanese words are found on their own sites", async () => {
  for (const [site, q, title] of [
    ["de", "Fähren", "Stadtrat beschließt neue Fähre über den Hafen"],
    ["de", "Stadträte", "Stadtrat beschließt neue Fähre über den Hafen"],
    ["ja", "図書館", "図書館が日曜日も開館へ"],
    ["ja", "フェリー", "東京湾に新しいフェリーが就航"],
    ["ja", "東京湾フェリー", "東京湾に新しいフェリーが就航"],
  ]) {
    const { context, page, errors } = await open(sites[site], `/search?q=${encodeURIComponent(q)}`);
    assert.deepEqual((await answer(page)).titles, [title], `${site}: ${q}`);
    assert.ok(await page.locator("#search-results mark").count(), `${site}: ${q} is marked`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a story's first view loads no search code; the header's field searches in place, live, with one history entry", async () => {
  const { context, page, errors, requests } = await open(sites.sample, "/");
  await page.locator("html[data-island]").waitFor({ state: "attached" });
  const story = await page.locator(".lead-story a.card__link, .card__link").first().getAttribute("href");
  await page.goto(sites.sample.base + story);
  await page.locator("html[data-island]").waitFor({ state: "attached" });
  assert.equal(requests.filter((u) => u.includes("/pagefind/")).length, 0, "no search code before a search");
  // Focus on the field is intent: the app comes, and what the reader typed is kept.
  await page.locator("#site-search-q").focus();
  await page.keyboard.type("harb");
  await page.waitForFunction(() => !document.querySelector("script[data-broadsheet-url]"));
  await page.evaluate(() => (window.__sameDocument = true));
  await page.keyboard.type("our");
  assert.equal(await page.locator("#site-search-q").inputValue(), "harbour");
  const before = await page.evaluate(() => history.length);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=harbour$/);
  const first = await answer(page);
  assert.equal(first.state, "results");
  assert.ok(first.titles.length >= 2, first.titles.join(" | "));
  assert.match(first.status, /found for “harbour”/);
  assert.ok(await page.evaluate(() => window.__sameDocument), "the search page came without a reload");
  // Every result marks what matched, as text.
  const marks = await page.locator("#search-results mark").allTextContents();
  assert.ok(marks.length && marks.every((m) => /^harbour/i.test(m)), marks.join(" | "));
  // Typing refines live; the address follows without new history entries.
  const field = page.locator("#search-q");
  await field.fill("harbour festival");
  await page.waitForURL(/q=harbour\+festival$/);
  await page.locator("#search-status", { hasText: "1 story found" }).waitFor();
  assert.equal(await page.evaluate(() => history.length), before + 1, "the search page is one history entry");
  assert.ok(!requests.some((u) => !u.startsWith(sites.sample.base) && !u.startsWith("data:")), "no request leaves the site");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a result is picked with the keyboard, and back restores the query and its results", async () => {
  // Arriving with nothing asked (on a phone the header shows only its button), the field has
  // the focus: on the search page opened afresh, and reached in place from another page.
  const phone = { viewport: { width: 390, height: 844 } };
  for (const start of ["/search", "/"]) {
    const empty = await open(sites.sample, start, phone);
    if (start === "/") {
      await appTakesOver(empty.page);
      await empty.page.locator(".site-search__button").click();
      await empty.page.waitForURL(/\/search\?q=$/);
    }
    await empty.page.locator(".search[data-state=prompt]").waitFor();
    await empty.page.waitForFunction(() => document.activeElement?.id === "search-q", null, { timeout: 5000 });
    await empty.page.keyboard.type("harbour");
    await empty.page.locator(".search[data-state=results]").waitFor();
    await empty.context.close();
  }
  const { context, page, errors } = await open(sites.sample, "/search?q=harbour");
  const shown = await answer(page);
  await page.locator("#search-q").focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.closest("li")?.querySelector(".card__title")?.textContent), shown.titles[0]);
  await page.keyboard.press("ArrowDown");
  const second = await page.evaluate(() => document.activeElement.closest("li")?.querySelector(".card__title")?.textContent);
  assert.equal(second, shown.titles[1]);
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-q", "up from the first result is the field");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator("article.story[data-state=ready] h1", { hasText: second }).waitFor();
  await page.goBack();
  await page.waitForURL(/\/search\?q=harbour$/);
  assert.deepEqual((await answer(page)).titles, shown.titles);
  assert.equal(await page.locator("#search-q").inputValue(), "harbour");
  // Leaving while a search is on its way: its answer arrives after the page is gone, and the
  // app goes on.
  await page.route("**/pagefind/**", async (route) => {
    await new Promise((ok) => setTimeout(ok, 300));
    await route.continue();
  });
  await page.evaluate(() => {
    const bridge = window.__broadsheetSearch;
    const search = bridge.search;
    window.__answered = 0;
    bridge.search = (...args) => search(...args).finally(() => (window.__answered += 1));
  });
  await page.locator("#search-q").fill("lighthouse keeper");
  await page.locator(".search[data-state=searching]").waitFor();
  await page.locator("#search-results a.card__link").first().click();
  await page.locator("article.story[data-state=ready]").waitFor();
  await page.waitForFunction(() => window.__answered > 0);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.goBack();
  await page.waitForURL(/q=lighthouse\+keeper$/);
  await page.locator(".search:is([data-state=results], [data-state=no-results], [data-state=corrected])").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the section filter and the order are in the address, with counts, and back undoes them", async () => {
  const { context, page, errors } = await open(sites.fixture, "/search?q=lighthouse");
  await answer(page);
  const science = page.locator("select[name=section] option[value=science]");
  assert.equal(await science.textContent(), "Science (1)");
  await page.locator("select[name=section]").selectOption("science");
  await page.waitForURL(/section=science/);
  await page.locator("#search-status", { hasText: "1 story found" }).waitFor();
  assert.deepEqual(await page.locator("#search-results .card__section").allTextContents(), ["Science"]);
  await page.locator("select[name=section]").selectOption("");
  await page.locator("select[name=sort]").selectOption("newest");
  await page.waitForURL(/sort=newest/);
  await page.locator("#search-results .card__title").first().filter({ hasText: "Ferry timetable" }).waitFor();
  await page.goBack();
  await page.goBack();
  await page.waitForURL(/section=science/);
  await page.locator("#search-status", { hasText: "1 story found" }).waitFor();
  assert.equal(await page.locator("select[name=section]").inputValue(), "science");
  assert.deepEqual((await answer(page)).titles, ["How an old lens still throws light twenty miles"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("hostile queries never break the page nor put anything into it", async () => {
  const { context, page, errors } = await open(sites.fixture, "/search");
  await page.locator(".search[data-state=prompt]").waitFor();
  const queries = [
    "a".repeat(10000),
    "(.*)+$^[]{}\\|?",
    "<img src=x onerror=window.__pwned=1>",
    "<script>window.__pwned=1</script>",
    "\"><svg onload=window.__pwned=1>",
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "🌊🔥👩‍👩‍👧",
    "%00%zz%",
    "' OR 1=1 --",
    "${7*7}{{7*7}}",
  ];
  for (const q of queries) {
    await page.locator("#search-q").fill(q);
    await page.locator(ANSWERED).waitFor({ timeout: 20000 });
    assert.equal(await page.evaluate(() => window.__pwned), undefined, q);
    assert.equal(await page.locator("#search-results :is(img[src=x], script, svg[onload])").count(), 0, q);
    assert.ok((await page.locator("#search-q").inputValue()).length <= 200, "the query is cut at 200 characters");
  }
  // The story whose headline is code is found, and shown as the text it is.
  await page.locator("#search-q").fill("<script>alert");
  await page.locator("#search-results .card__title", { hasText: "<script>alert('x')</script>" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("an index that cannot be loaded or read is a named state, and Retry recovers", async () => {
  const { context, page, errors } = await open(sites.fixture);
  await context.route("**/pagefind/**", (route) => route.fulfill({ status: 404, body: "gone" }));
  await page.goto(`${sites.fixture.base}/search?q=lighthouse`);
  assert.equal((await answer(page)).state, "unavailable");
  assert.match(await page.locator(".search__unavailable[role=alert]").textContent(), /could not be loaded/);
  await context.unroute("**/pagefind/**");
  await page.getByRole("button", { name: "Retry" }).click();
  await page.locator(".search[data-state=results]").waitFor();
  // A damaged index (the metadata of its pages) fails the search, not the page.
  const damaged = await open(sites.fixture);
  await damaged.context.route("**/pagefind/*.pf_meta", (route) => route.fulfill({ status: 200, body: "not an index" }));
  await damaged.page.goto(`${sites.fixture.base}/search?q=lighthouse`);
  assert.match((await answer(damaged.page)).state, /^(failed|unavailable)$/);
  assert.deepEqual(damaged.errors.filter((e) => e.startsWith("pageerror")), []);
  await damaged.context.close();
  assert.deepEqual(errors.filter((e) => !e.includes("404")), []);
  await context.close();
});

test("without JavaScript the search page says what to do instead", async () => {
  const { context, page } = await open(sites.sample, "/search?q=harbour", { javaScriptEnabled: false });
  const note = page.locator(".search__no-script");
  assert.match(await note.textContent(), /needs JavaScript/);
  assert.equal(await note.locator("a").getAttribute("href"), "/feed.xml");
  // The header's form still goes to the search page.
  const { context: story, page: storyPage } = await open(sites.sample, "/", { javaScriptEnabled: false });
  assert.equal(await storyPage.locator("form.site-search").getAttribute("action"), "/search");
  await story.close();
  await context.close();
});
