// Release smoke test: the optimised build a CDN would serve (wasm-opt and all) loads a deep
// article URL in Chromium and shows the story. Debug-build tests cannot see release-only breakage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { watchErrors, dist, root, useSite, serveDist } from "./browser.mjs";

const home = JSON.parse(readFileSync(`${dist}/api/home.json`, "utf8"));
const lead = home.lead;
const article = JSON.parse(readFileSync(`${dist}/api/articles/${lead.slug}.json`, "utf8"));
const firstParagraph = article.body.find((b) => b.type === "paragraph" && b.text)?.text;

const site = useSite();

test("a deep article URL shows its headline and body from the release build", async () => {
  const page = await site.browser.newPage();
  const errors = watchErrors(page);
  const articleRequests = [];
  page.on("request", (r) => r.url().endsWith(`/articles/${lead.slug}.json`) && articleRequests.push(r.url()));
  await page.goto(`${site.server.base}/${lead.section.slug}/${lead.slug}`);
  await page.locator("article.story[data-state=ready]").waitFor();
  assert.equal(await page.locator("h1").innerText(), article.title);
  assert.equal(articleRequests.length, 0, "the pre-rendered page carries its JSON: no request");
  assert.ok(firstParagraph, "the sample article has a plain paragraph");
  assert.ok((await page.locator(".story__body").innerText()).includes(firstParagraph));
  assert.equal(await page.title(), `${article.title} — Broadsheet`);
  const descriptions = await page.locator("meta[name=description]").evaluateAll((ms) => ms.map((m) => m.content));
  assert.deepEqual(descriptions, [article.standfirst], "exactly one description: the article's");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the front page and a missing story work from the release build", async () => {
  const page = await site.browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.server.base}/`);
  await page.locator(".lead-story .card__title").waitFor();
  assert.equal(await page.locator(".lead-story .card__title").innerText(), lead.title);
  await page.goto(`${site.server.base}/news/this-story-does-not-exist`);
  await page.locator(".not-found[data-state=not-found]").waitFor();
  // The 404 of the missing JSON is the one expected console error.
  assert.ok(errors.every((e) => e.includes("404")), errors.join("\n"));
  await page.close();
});

test("the same content publishes under a path (press --url)", async () => {
  const out = mkdtempSync(`${tmpdir()}/broadsheet-paper-`);
  execFileSync(`${root}target/press/press`, [
    "--content", `${root}content`, "--app", `${root}target/app`, "--out", `${out}/dist`,
    "--url", "https://news.example/paper/",
  ], { stdio: "pipe" });
  const under = await serveDist({ prefix: "/paper/", dir: `${out}/dist` });
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${under.base}/paper/${lead.section.slug}/${lead.slug}`);
  await page.locator("article.story[data-state=ready]").waitFor();
  assert.equal(await page.locator("h1").innerText(), article.title);
  assert.equal(await page.locator(".breadcrumb a").first().getAttribute("href"), "/paper/");
  await page.locator(".section-nav a").first().click();
  await page.locator(".section-head h1").waitFor();
  assert.match(new URL(page.url()).pathname, /^\/paper\/[a-z]+$/);
  await page.locator(".card-grid .card__link").first().click();
  await page.locator("article.story[data-state=ready]").waitFor();
  assert.match(new URL(page.url()).pathname, /^\/paper\/[a-z]+\/[a-z0-9-]+$/);
  const images = await page.locator("img").evaluateAll((imgs) => imgs.filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src));
  assert.deepEqual(images, [], "no broken images under the path");
  assert.deepEqual(errors, []);
  await context.close();
  await under.close();
  rmSync(out, { recursive: true, force: true });
});
