// One build, every shipped language. press builds the sample content again in American
// English, German, Spanish, Japanese and Arabic (only site.yaml's language and time zone
// changed), and the German and Arabic fixture sites (their own words too); then:
// - the app takes over each page with exactly the text press wrote (dates, times, counts,
//   plural forms, labels), in that language;
// - no English UI word is left on a German page, live or pre-rendered;
// - Arabic is right to left: `dir`, axe's language and direction rules, carousels that start at
//   the right and page leftwards;
// - screenshots in Arabic and Japanese, 320 and 1280 px, light and dark, to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import AxeBuilder from "@axe-core/playwright";
import { appTakesOver, canonical, launch, root, serveDist, watchErrors } from "./browser.mjs";

const press = `${root}target/press/press`;
const work = mkdtempSync(`${tmpdir()}/broadsheet-languages-`);
const catalogue = (language) => JSON.parse(readFileSync(`${root}messages/${language.split("-")[0]}.json`, "utf8"));

/// Where two trees part, with some context either side: the whole pages are too long to read.
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i === a.length && i === b.length ? null : `at ${i}:\n  press: ${a.slice(Math.max(0, i - 120), i + 120)}\n  app:   ${b.slice(Math.max(0, i - 120), i + 120)}`;
}

/// Builds `content` (edited by `edit` in a copy, if given) with press into a folder of its own.
function build(name, content, edit) {
  let from = content;
  if (edit) {
    from = `${work}/${name}-content`;
    cpSync(content, from, { recursive: true });
    edit(from);
  }
  const out = `${work}/${name}`;
  execFileSync(press, ["--content", from, "--app", `${root}target/app`, "--out", out], { stdio: "pipe" });
  return out;
}

/// The sample content in another language and time zone.
const sampleIn = (language, zone) => (dir) => {
  const file = `${dir}/site.yaml`;
  const yaml = readFileSync(file, "utf8")
    .replace(/^language: .*$/m, `language: "${language}"`)
    .replace(/^time_zone: .*$/m, `time_zone: "${zone}"`);
  writeFileSync(file, yaml);
};

const sites = {};
let browser;
before(async () => {
  const content = `${root}content`;
  for (const [language, zone] of [["en-US", "America/New_York"], ["de", "Europe/Berlin"], ["es", "Europe/Madrid"], ["ja", "Asia/Tokyo"], ["ar", "Asia/Riyadh"]]) {
    sites[language] = { language, dir: build(`sample-${language}`, content, sampleIn(language, zone)) };
  }
  sites["fixture-de"] = { language: "de", dir: build("fixture-de", `${root}press/tests/fixtures/site-de`) };
  sites["fixture-ar"] = { language: "ar", dir: build("fixture-ar", `${root}press/tests/fixtures/site-ar`) };
  for (const site of Object.values(sites)) site.server = await serveDist({ dir: site.dir });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) await site.server?.close();
  rmSync(work, { recursive: true, force: true });
});

/// A front, a section and a story of a built site.
function pagesOf(site) {
  const home = JSON.parse(readFileSync(`${site.dir}/api/home.json`, "utf8"));
  return ["/", `/${home.lead.section.slug}`, `/${home.lead.section.slug}/${home.lead.slug}`];
}

/// Opens `path` with the app held back, and returns the page, the tree press wrote, and a
/// function that lets the app start and returns the tree it then shows.
async function openHeld(site, path, options = {}) {
  const page = await browser.newPage(options);
  const errors = watchErrors(page);
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route("**/*.wasm", async (route) => { await held; await route.continue(); });
  await page.goto(site.server.base + path);
  // Whether a carousel can scroll is measured by the app; press assumes it can. With the
  // fixtures' two or three cards that differs, and is not text.
  const tree = async () => (await page.evaluate(canonical)).replace(/ aria-disabled="(true|false)"/g, "");
  const before = await tree();
  const start = async () => {
    release();
    await appTakesOver(page);
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    return tree();
  };
  return { page, errors, before, start };
}

for (const name of ["en-US", "de", "es", "ja", "ar", "fixture-de", "fixture-ar"]) {
  test(`${name}: the app takes over every kind of page with the text press wrote`, async () => {
    const site = sites[name];
    const words = catalogue(site.language);
    for (const path of pagesOf(site)) {
      const { page, errors, before, start } = await openHeld(site, path);
      assert.ok(before.includes(words.skip_link), `${path} is in ${site.language}`);
      const after = await start();
      assert.equal(firstDifference(before, after), null, `${name} ${path}: the app changed the text`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
}

// Every word of the English catalogue that the German one does not also use.
const wordsOf = (messages) => Object.values(messages).flatMap((m) => (typeof m === "string" ? [m] : Object.values(m)))
  .join(" ").replace(/\{\w+\}/g, " ").match(/\p{L}{3,}/gu);
const english = new Set(wordsOf(catalogue("en")));
for (const word of wordsOf(catalogue("de"))) english.delete(word);

/// The words a reader (or a screen reader) meets on the page: its text and labels.
const readerWords = () => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !["SCRIPT", "STYLE", "NOSCRIPT"].includes(parent.tagName)) out.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [aria-roledescription]")) {
    for (const a of ["aria-label", "title", "alt", "aria-roledescription"]) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
  }
  out.push(document.title);
  return out.join(" ");
};

test("no English UI word is left on a German page, pre-rendered or live", async () => {
  const site = sites["fixture-de"];
  for (const path of [...pagesOf(site), "/politik/kein-solcher-artikel"]) {
    const { page, start } = await openHeld(site, path);
    const found = (text) => [...new Set(text.match(/\p{L}{3,}/gu))].filter((w) => english.has(w));
    // "carousel" and "slide" are the WAI-ARIA role descriptions: read by screen readers in
    // the page's language only if translated, so they must be German too.
    assert.deepEqual(found(await page.evaluate(readerWords)), [], `${path} before the app`);
    await start();
    await page.waitForLoadState("networkidle");
    assert.deepEqual(found(await page.evaluate(readerWords)), [], `${path} with the app`);
    await page.close();
  }
});

test("Arabic pages are right to left and pass axe, including its language rules", async () => {
  for (const name of ["fixture-ar", "ar"]) {
    const site = sites[name];
    for (const path of pagesOf(site)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(site.server.base + path);
      await appTakesOver(page);
      await page.waitForLoadState("networkidle");
      assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ["ar", "rtl"]);
      const { violations } = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
        .analyze();
      const report = violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(report, [], `${name} ${path}\n${report.join("\n")}`);
      const rules = await new AxeBuilder({ page }).withRules(["html-has-lang", "html-lang-valid", "valid-lang", "html-xml-lang-mismatch"]).analyze();
      assert.ok(rules.passes.some((r) => r.id === "html-lang-valid"), "axe checked the page's language");
      await context.close();
    }
  }
});

test("Arabic carousels start at the right and their next button pages leftwards", async () => {
  const site = sites.ar;
  const [, , story] = pagesOf(site);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.base + story);
  const carousel = page.locator("#ranking-track").locator("xpath=ancestor::section[1]");
  await carousel.scrollIntoViewIfNeeded();
  await page.locator("#ranking-track .carousel__slide").first().waitFor();
  const [previous, next] = [carousel.locator(".carousel__button").first(), carousel.locator(".carousel__button").last()];
  assert.equal(await previous.getAttribute("aria-disabled"), "true", "at the start");
  const geometry = () => carousel.evaluate((el) => {
    const viewport = el.querySelector(".carousel__viewport").getBoundingClientRect();
    const first = el.querySelector(".carousel__slide").getBoundingClientRect();
    return { firstRight: first.right, viewportRight: viewport.right, scroll: el.querySelector(".carousel__viewport").scrollLeft };
  });
  const start = await geometry();
  assert.ok(Math.abs(start.firstRight - start.viewportRight) < 24, `the first card is at the right (${JSON.stringify(start)})`);
  await next.click();
  await page.waitForFunction(() => document.querySelector("#ranking-track").closest(".carousel__viewport").scrollLeft < -50);
  await page.waitForFunction(() => document.querySelector("#ranking-track").closest("section").querySelector(".carousel__button").getAttribute("aria-disabled") === "false");
  const moved = await geometry();
  assert.ok(moved.firstRight > start.firstRight + 50, "the row moved rightwards, showing the cards to the left");
  // The arrows point the way they move: ‹ and › are mirrored characters (Unicode's
  // Bidi_Mirrored), which a right-to-left line draws as › and ‹; previous sits at the right.
  assert.deepEqual([await previous.innerText(), await next.innerText()], ["‹", "›"]);
  assert.equal(await previous.evaluate((el) => getComputedStyle(el).direction), "rtl");
  const [p, n] = [await previous.boundingBox(), await next.boundingBox()];
  assert.ok(p.x > n.x, "previous is to the right of next");
  await page.close();
});

test("screenshots in Arabic and Japanese at 320 and 1280 px, light and dark", async () => {
  const out = `${root}tests/e2e/artifacts`;
  mkdirSync(out, { recursive: true });
  for (const [name, site] of [["ar", sites["fixture-ar"]], ["ar-sample", sites.ar], ["ja", sites.ja]]) {
    const [home, , story] = pagesOf(site);
    for (const scheme of ["light", "dark"]) {
      for (const width of [320, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
        for (const [kind, path] of [["home", home], ["article", story]]) {
          await page.goto(site.server.base + path);
          await appTakesOver(page);
          await page.waitForLoadState("networkidle");
          const file = `${out}/${name}-${kind}-${width}-${scheme}.png`;
          await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
          assert.ok(statSync(file).size > 1000, `${file} was written`);
        }
        await page.close();
      }
    }
  }
});
