// Reader journeys on the release build, asserting what the reader sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appTakesOver, watchErrors, sample, useSite } from "./browser.mjs";

const home = sample("home.json");
const lead = home.lead;
const leadArticle = sample(`articles/${lead.slug}.json`);

const site = useSite();

async function newPage(options = {}) {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors = watchErrors(page);
  return { context, page, errors };
}

const headline = (page) => page.locator("h1").first().innerText();
// The story is on screen and the app has started (on a pre-rendered page it removes the
// page's embedded JSON when it takes over).
const ready = async (page) => {
  await page.locator("article.story[data-state=ready]").waitFor();
  await appTakesOver(page);
};

test("open an article by its URL, then again from front page -> section front -> card", async () => {
  const { context, page, errors } = await newPage();
  await page.goto(`${site.server.base}/${lead.section.slug}/${lead.slug}`);
  await ready(page);
  assert.equal(await headline(page), leadArticle.title);
  assert.equal(await page.locator(".breadcrumb a[aria-current=location]").innerText(), lead.section.name);

  await page.goto(`${site.server.base}/`);
  await page.locator(".lead-story").waitFor();
  const section = home.sections[1].section;
  await page.locator(`.section-nav a[href="/${section.slug}"]`).click();
  await page.locator(".section-head h1").waitFor();
  assert.equal(await headline(page), section.name);
  assert.equal(page.url(), `${site.server.base}/${section.slug}`);
  const front = sample(`sections/${section.slug}.json`);
  const first = front.articles[0];
  await page.locator(".card-grid .card__link").first().click();
  await ready(page);
  assert.equal(await headline(page), first.title);
  assert.equal(page.url(), `${site.server.base}/${first.section.slug}/${first.slug}`);
  assert.equal(await page.title(), `${first.title} — Broadsheet`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("back and forward between three articles: right page, title and scroll position", async () => {
  const { context, page, errors } = await newPage();
  const a = leadArticle;
  const b = a.related[0];
  const bArticle = sample(`articles/${b.slug}.json`);
  const c = bArticle.related.find((card) => card.slug !== a.slug);
  await page.goto(`${site.server.base}/${a.section.slug}/${a.slug}`);
  await ready(page);
  // The reader scrolls down to a card and clicks it: that is the position to come back to.
  const toB = page.locator(`#related-track a[href="/${b.section.slug}/${b.slug}"]`);
  await toB.scrollIntoViewIfNeeded();
  const aY = await page.evaluate(() => window.scrollY);
  assert.ok(aY > 500, `the reader scrolled down (${aY})`);
  await toB.click();
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, b.title);
  assert.equal(await page.evaluate(() => window.scrollY), 0, "a new article starts at the top");
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "focus on the new headline");
  const toC = page.locator(`#related-track a[href="/${c.section.slug}/${c.slug}"]`);
  await toC.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((y) => window.scrollY < y - 200, aY);
  const bY = await page.evaluate(() => window.scrollY);
  await toC.click({ noWaitAfter: true, position: { x: 10, y: 10 } });
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, c.title);

  await page.goBack();
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, b.title);
  assert.equal(await page.title(), `${b.title} — Broadsheet`);
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, bY);
  await page.goBack();
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, a.title);
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, aY);
  assert.equal(page.url(), `${site.server.base}/${a.section.slug}/${a.slug}`);
  await page.goForward();
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, b.title);
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, bY);
  assert.deepEqual(errors, []);
  await context.close();
});

test("react, reload: count and pressed state persist; react again takes it back; a double click counts once", async () => {
  const { context, page, errors } = await newPage();
  const url = `${site.server.base}/${lead.section.slug}/${lead.slug}`;
  const base = leadArticle.reactions.very_good;
  const button = page.locator("button.reaction__button");
  const count = page.locator(".reaction__number");
  const n = (v) => new Intl.NumberFormat("en-US").format(v);
  await page.goto(url);
  await ready(page);
  assert.equal(await count.innerText(), n(base));
  await button.click();
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  assert.equal(await count.innerText(), n(base + 1));
  await page.reload();
  await ready(page);
  assert.equal(await button.getAttribute("aria-pressed"), "true", "pressed after reload");
  assert.equal(await count.innerText(), n(base + 1), "count after reload");
  await button.click();
  assert.equal(await button.getAttribute("aria-pressed"), "false");
  assert.equal(await count.innerText(), n(base));
  await button.dblclick();
  assert.equal(await button.getAttribute("aria-pressed"), "true", "a double click is one reaction");
  assert.equal(await count.innerText(), n(base + 1));
  assert.equal(await button.innerText(), "veryGood!", "the label never changes");
  assert.deepEqual(errors, []);
  await context.close();
});

test("keyboard only: skip link, sensible order with visible focus, carousel buttons, reaction keys", async () => {
  const { context, page, errors } = await newPage();
  await page.goto(`${site.server.base}/${lead.section.slug}/${lead.slug}`);
  await ready(page);
  await page.keyboard.press("Tab");
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        tag: el.tagName,
        text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 60),
        cls: el.className,
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      };
    });
  const skip = await focused();
  assert.equal(skip.text, "Skip to main content");
  assert.ok(skip.ring, "skip link has a visible focus ring");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");

  const seen = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const f = await focused();
    if (f.tag === "BODY") break;
    seen.push(f);
  }
  const texts = seen.map((f) => f.text);
  const index = (pred) => seen.findIndex(pred);
  const crumb = index((f) => f.text === "Home");
  const reaction = index((f) => String(f.cls).includes("reaction__button"));
  const relatedNext = index((f) => f.text === "Next Related stories");
  const rankingNext = index((f) => f.text === "Next Ranking stories");
  assert.ok(crumb >= 0 && crumb < reaction && reaction < relatedNext && relatedNext < rankingNext, texts.join(" | "));
  const noRing = seen.filter((f) => !f.ring);
  assert.deepEqual(noRing, [], "every focused element shows a focus ring");

  const next = page.locator("button[aria-label='Next Related stories']");
  const viewport = await page.locator("#related-track").locator("xpath=..").elementHandle();
  await viewport.evaluate((el) => { el.style.scrollBehavior = "auto"; el.scrollLeft = 0; });
  await next.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((el) => el.scrollLeft > 0, viewport);
  const prev = page.locator("button[aria-label='Previous Related stories']");
  await prev.focus();
  await page.keyboard.press("Space");
  await page.waitForFunction((el) => el.scrollLeft === 0, viewport);
  assert.equal(await prev.evaluate((el) => el === document.activeElement), true, "focus stays on the button at the start");
  assert.equal(await prev.getAttribute("aria-disabled"), "true");

  const button = page.locator("button.reaction__button");
  await button.focus();
  await page.keyboard.press("Space");
  assert.equal(await button.getAttribute("aria-pressed"), "true", "Space reacts");
  await page.keyboard.press("Enter");
  assert.equal(await button.getAttribute("aria-pressed"), "false", "Enter takes it back");
  assert.deepEqual(errors, []);
  await context.close();
});
