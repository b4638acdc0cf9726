// press's pre-rendered site in the browser: pages readable with JavaScript off, the app
// taking over with the same markup and no layout shift, the Content-Security-Policy and
// caching headers of _headers honoured, and the feeds and sitemaps well-formed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { appTakesOver, canonical, dist, useSite, watchErrors } from "./browser.mjs";

const home = JSON.parse(readFileSync(`${dist}/api/home.json`, "utf8"));
const lead = JSON.parse(readFileSync(`${dist}/api/articles/${home.lead.slug}.json`, "utf8"));
const leadPath = `/${lead.section.slug}/${lead.slug}`;
const firstParagraph = lead.body.find((b) => b.type === "paragraph" && b.text)?.text;

const site = useSite();

test("with JavaScript off, an article page shows its headline, story and links", async () => {
  const context = await site.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(site.server.base + leadPath);
  assert.equal(await page.locator("h1").innerText(), lead.title);
  assert.ok((await page.locator(".story__body").innerText()).includes(firstParagraph));
  assert.equal(await page.locator(".breadcrumb a").nth(1).innerText(), lead.section.name);
  assert.equal(await page.title(), `${lead.title} — Broadsheet`);
  assert.ok(await page.locator(".carousel#related, #related-heading").count() > 0, "Related is there");
  // The skip link stays on this page (a bare "#main" would resolve against <base href>).
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal(new URL(page.url()).pathname, leadPath, "the skip link did not leave the page");
  // Following a link works without the app too: the front page is a real page.
  await page.locator(".breadcrumb a").first().click();
  await page.locator(".lead-story .card__title").waitFor();
  assert.equal(await page.locator(".lead-story .card__title").innerText(), home.lead.title);
  await context.close();
});

for (const path of ["/", `/${lead.section.slug}`, leadPath]) {
  test(`the app takes over ${path} with the same markup, no layout shift and no request`, async () => {
    const page = await site.browser.newPage();
    const errors = watchErrors(page);
    const fetched = [];
    page.on("request", (r) => r.url().includes("/api/") && fetched.push(r.url()));
    // Hold the wasm back so the pre-rendered page can be read before the app starts.
    let release;
    const held = new Promise((ok) => (release = ok));
    await page.route("**/*.wasm", async (route) => { await held; await route.continue(); });
    await page.addInitScript(() => {
      window.__shifts = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__shifts += e.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto(site.server.base + path);
    const before = await page.evaluate(canonical);
    assert.ok(await page.locator("script[data-broadsheet-url]").count() > 0, "the page carries its JSON");
    release();
    await appTakesOver(page);
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const after = await page.evaluate(canonical);
    assert.equal(after, before, "the app renders exactly what was pre-rendered");
    assert.equal(await page.evaluate(() => window.__shifts), 0, "no layout shift");
    assert.deepEqual(fetched, [], "nothing fetched: the answers were in the page");
    // And it is the app now: a link is followed on the client, without a document load.
    let documents = 0;
    page.on("request", (r) => r.resourceType() === "document" && documents++);
    await page.locator(".section-nav a").last().click();
    await page.locator(".section-head h1").waitFor();
    assert.equal(documents, 0, "client-side navigation");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// The app leaves the carousels below the fold as they were pre-rendered until the reader
// nears them (src/components/later.rs): the same elements stay, then the app builds its own.
async function openHeld(viewport) {
  const page = await site.browser.newPage({ viewport });
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route("**/*.wasm", async (route) => { await held; await route.continue(); });
  await page.goto(site.server.base + leadPath);
  // Mark the pre-rendered elements, to tell them from the app's own later.
  await page.evaluate(() => {
    document.querySelector(".more-stories").__prerendered = true;
    document.querySelector(".story__title").__prerendered = true;
  });
  release();
  await appTakesOver(page);
  return page;
}
// Whether the element at `selector` is the pre-rendered one (page functions, not strings:
// the page's Content-Security-Policy forbids eval).
const isPrerendered = (selector) => document.querySelector(selector).__prerendered === true;
const isBuilt = (selector) => document.querySelector(selector).__prerendered !== true;

test("carousels below the fold stay pre-rendered until the reader scrolls near, then work", async () => {
  const page = await openHeld({ width: 412, height: 700 });
  const errors = watchErrors(page);
  assert.equal(await page.evaluate(isPrerendered, ".story__title"), false, "the app built the story");
  assert.equal(await page.evaluate(isPrerendered, ".more-stories"), true, "the carousels are still the page's own");
  await page.locator(".more-stories").scrollIntoViewIfNeeded();
  await page.waitForFunction(isBuilt, ".more-stories");
  assert.equal(await page.locator(".more-stories").count(), 1, "one copy, not two");
  // The app's carousel: its Next button scrolls the row.
  const track = page.locator("#related-track").locator("..");
  await page.locator('button[aria-controls="related-track"]').last().click();
  await page.waitForFunction(() => document.querySelector("#related-track").parentElement.scrollLeft > 0);
  assert.ok(await track.evaluate((el) => el.scrollLeft) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("focus moving into a pre-rendered carousel builds it and keeps the focus in place", async () => {
  const page = await openHeld({ width: 412, height: 700 });
  const href = await page.evaluate(() => {
    const link = document.querySelectorAll("#related-track a")[1];
    link.focus({ preventScroll: true });
    return link.getAttribute("href");
  });
  await page.waitForFunction(isBuilt, ".more-stories");
  await page.waitForFunction((h) => document.activeElement?.getAttribute("href") === h && document.activeElement.closest("#related-track"), href);
  await page.close();
});

test("a reader who tabbed into the page before the app started keeps their place", async () => {
  const page = await site.browser.newPage();
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route("**/*.wasm", async (route) => { await held; await route.continue(); });
  await page.goto(site.server.base + leadPath);
  for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
  // The element as tag, attributes in order of name, and text (the app may write the same
  // attributes in another order than press did).
  const element = () => {
    const el = document.activeElement;
    return [el.localName, ...[...el.attributes].map((a) => `${a.name}=${a.value}`).sort(), el.textContent].join(" ");
  };
  const focused = await page.evaluate(element);
  release();
  await appTakesOver(page);
  assert.equal(await page.evaluate(element), focused);
  assert.ok(await page.evaluate(() => document.getElementById("app").contains(document.activeElement)));
  await page.close();
});

test("a story reached through 404.html (a wrong section) is shown at its own address, indexable", async () => {
  const other = home.sections.map((s) => s.section.slug).find((slug) => slug !== lead.section.slug);
  const page = await site.browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.server.base}/${other}/${lead.slug}`);
  await page.locator("article.story[data-state=ready]").waitFor();
  await page.waitForFunction((p) => location.pathname === p, leadPath);
  const head = await page.evaluate(() => ({
    robots: document.querySelectorAll("head meta[name=robots]").length,
    descriptions: [...document.querySelectorAll("head meta[name=description]")].map((m) => m.content),
    title: document.title,
  }));
  assert.equal(head.robots, 0, "404.html's noindex is gone");
  assert.equal(head.descriptions.length, 1, JSON.stringify(head.descriptions));
  assert.equal(head.title, `${lead.title} — Broadsheet`);
  // The one expected error: the browser logs the 404 status of the page itself.
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await page.close();
});

test("the app runs under the site's Content-Security-Policy with no violation", async () => {
  const page = await site.browser.newPage();
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(site.server.base + leadPath);
  const csp = response.headers()["content-security-policy"];
  assert.ok(csp, "the page is served with a policy");
  assert.ok(!csp.includes("unsafe-inline") && csp.includes("'wasm-unsafe-eval'"), csp);
  await appTakesOver(page);
  await page.locator(".reaction button").click();
  await page.locator(".card__link").first().click();
  await page.locator("article.story[data-state=ready]").waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("only the app's assets/ run as script, and a picture opened on its own runs nothing", async () => {
  // Regression: images/page.html with images/evil.js ran as the site's own script, and so did
  // an SVG with a <script> opened directly. press no longer publishes such files; these are
  // put in dist/ by hand, as if they had reached the host some other way.
  const script = `${dist}/images/e2e-evil.js`;
  const svg = `${dist}/images/e2e-evil.svg`;
  writeFileSync(script, 'window.__evil = true; document.title = "ran";');
  writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="4" height="4"><script xlink:href="e2e-evil.js"/></svg>');
  const page = await site.browser.newPage();
  try {
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective));
    });
    await page.goto(site.server.base + leadPath);
    const ran = await page.evaluate(() => new Promise((done) => {
      const s = document.createElement("script");
      s.src = "images/e2e-evil.js";
      s.onload = () => done(window.__evil === true);
      s.onerror = () => done(window.__evil === true);
      document.head.append(s);
    }));
    assert.equal(ran, false, "a script outside assets/ is refused");
    assert.ok((await page.evaluate(() => window.__violations)).includes("script-src-elem"));
    const picture = await page.goto(`${site.server.base}/images/e2e-evil.svg`);
    assert.match(picture.headers()["content-security-policy"], /^default-src 'none'.*sandbox/);
    assert.notEqual(await page.title(), "ran", "the SVG's script did not run");
  } finally {
    await page.close();
    rmSync(script, { force: true });
    rmSync(svg, { force: true });
  }
});

test("hashed assets are cached for ever, pages and JSON briefly, and unknown paths are 404", async () => {
  const page = await site.browser.newPage();
  const assets = [];
  page.on("response", (r) => r.url().includes("/assets/") && assets.push(r));
  const response = await page.goto(site.server.base + leadPath);
  await appTakesOver(page);
  assert.match(response.headers()["cache-control"], /max-age=300/);
  assert.ok(assets.length >= 3, "css, js and wasm come from assets/");
  for (const r of assets) assert.match(r.headers()["cache-control"], /immutable/, r.url());
  const api = await page.request.get(`${site.server.base}/api/home.json`);
  assert.match(api.headers()["cache-control"], /max-age=300/);
  const missing = await page.goto(`${site.server.base}/no-such-section-at-all`);
  assert.equal(missing.status(), 404);
  await page.locator(".not-found[data-state=not-found]").waitFor();
  await page.close();
});

test("feeds and sitemaps are well-formed and list the stories", async () => {
  const page = await site.browser.newPage();
  await page.goto(`${site.server.base}/robots.txt`);
  for (const [path, selector] of [["/feed.xml", "entry"], [`/${lead.section.slug}/feed.xml`, "entry"], ["/sitemap.xml", "url"], ["/news-sitemap.xml", "urlset"]]) {
    const text = await (await page.request.get(site.server.base + path)).text();
    const result = await page.evaluate(([xml, sel]) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      return { error: doc.querySelector("parsererror")?.textContent ?? null, count: doc.getElementsByTagName(sel).length };
    }, [text, selector]);
    assert.equal(result.error, null, `${path} is well-formed XML`);
    assert.ok(result.count > 0, `${path} has ${selector}`);
  }
  const sitemap = await (await page.request.get(`${site.server.base}/sitemap.xml`)).text();
  assert.ok(sitemap.includes(`${leadPath}</loc>`), "the lead story is in the sitemap");
  const robots = await (await page.request.get(`${site.server.base}/robots.txt`)).text();
  assert.match(robots, /Sitemap: https?:\/\/.+\/sitemap\.xml/);
  await page.close();
});

test("pointing at a story reads it ahead once, and following it needs no other request", async () => {
  const page = await site.browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.server.base}/`);
  await appTakesOver(page);
  const link = page.locator(".front-section .card__link").first();
  const slug = (await link.getAttribute("href")).split("/").pop();
  const asked = [];
  page.on("request", (r) => r.url().endsWith(`/api/articles/${slug}.json`) && asked.push(r.url()));
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/articles/${slug}.json`));
  await link.hover();
  await answered;
  assert.equal(asked.length, 1, "read ahead on hover");
  await link.click();
  await page.locator("article.story[data-state=ready]").waitFor();
  assert.equal(asked.length, 1, "the page used the answer read ahead");
  assert.deepEqual(errors, []);
  await page.close();
});
