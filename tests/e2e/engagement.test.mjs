// The site with the real engagement service beside it, as `make dev` runs them: the sample
// site built with `press --reactions /engage`, served with /engage/ routed to the service
// (target/debug/engagement, built by the service's own tests) on a fresh SQLite file. No
// routed mocks: two readers see each other's reactions, a read is counted once, a page that
// is not shown counts nothing, Ranking follows the reads, and a service that goes away leaves
// the published counts and rolls a reaction back with its message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { appTakesOver, launch, root, watchErrors } from "./browser.mjs";
import { startServer } from "../../scripts/serve.mjs";

// Headless Chromium says "HeadlessChrome", which the service rightly does not count as a reader.
const PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const work = mkdtempSync(`${tmpdir()}/broadsheet-engagement-`);
const site = `${work}/site`;
let service, server, browser, base, home, story;

/// Starts the service on a free port and resolves with its address.
function startService() {
  const child = spawn(`${root}target/debug/engagement`, [
    "--listen", "127.0.0.1:0", "--database", `${work}/engagement.sqlite`, "--site", site,
    "--trust-proxy", "127.0.0.1", "--flush-ms", "100", "--most-read-refresh-ms", "0",
  ], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ENGAGEMENT_LOG: "warn" } });
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const address = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      address ? ok({ child, address }) : fail(new Error(`unexpected: ${line}`));
    });
    child.once("exit", (code) => fail(new Error(`engagement exited with ${code}`)));
  });
}

const stopService = () => new Promise((ok) => {
  if (!service || service.child.exitCode !== null) return ok();
  service.child.once("exit", ok);
  service.child.kill("SIGTERM");
});

before(async () => {
  execFileSync(`${root}target/press/press`, ["--app", `${root}target/app`, "--out", site, "--reactions", "/engage", "--content", `${root}content`], { stdio: "pipe" });
  home = JSON.parse(readFileSync(`${site}/api/home.json`, "utf8"));
  story = `/${home.lead.section.slug}/${home.lead.slug}`;
  service = await startService();
  server = await startServer({ dir: site, port: 0, engage: service.address });
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await stopService();
  await new Promise((ok) => { server?.close(ok); server?.closeAllConnections(); });
  rmSync(work, { recursive: true, force: true });
});

/// A story of the front page other than the lead, from its `n`th section.
const another = (n) => {
  const card = home.sections[n].articles.find((c) => c.slug !== home.lead.slug);
  return { card, path: `/${card.section.slug}/${card.slug}` };
};
const readCount = async (page) => page.locator(".story-meta__views").innerText();
const reactionCount = async (page) => page.locator(".reaction__number").innerText();

/// Opens the story and waits until the service's counts are in.
async function openStory(context, path = story) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const answered = page.waitForResponse((r) => r.url().includes("/engage/articles/") && r.url().endsWith("/reactions"));
  await page.goto(base + path);
  const counts = await (await answered).json();
  await appTakesOver(page);
  // The service's numbers replace the published ones.
  await shows(page, counts.counts.very_good);
  await page.waitForFunction((n) => document.querySelector(".story-meta__views").textContent.startsWith(String(n)), counts.views, { timeout: 5000 })
    .catch(async () => assert.fail(`the story shows ${await readCount(page)}, the service said ${counts.views}`));
  return { page, errors, counts };
}

/// Waits until the reaction count reads `n`.
async function shows(page, n) {
  try {
    await page.waitForFunction((n) => document.querySelector(".reaction__number")?.textContent.replace(/\D/g, "") === String(n), n, { timeout: 5000 });
  } catch {
    assert.fail(`the count shows ${await reactionCount(page)}, not ${n}`);
  }
}

test("two readers react and each sees the other's reaction after a reload", async () => {
  const [a, b] = [await browser.newContext({ userAgent: PERSON }), await browser.newContext({ userAgent: PERSON })];
  const { page: pa, counts } = await openStory(a);
  const before = counts.counts.very_good;
  await pa.locator(".reaction__button").click();
  await shows(pa, before + 1);
  const { page: pb } = await openStory(b);
  await shows(pb, before + 1);
  assert.equal(await pb.locator(".reaction__button").getAttribute("aria-pressed"), "false", "not b's own");
  await pb.locator(".reaction__button").click();
  await shows(pb, before + 2);
  await pa.reload();
  await shows(pa, before + 2);
  assert.equal(await pa.locator(".reaction__button").getAttribute("aria-pressed"), "true", "a's own is remembered by the service");
  // Taking it back is seen by the other reader too.
  await pa.locator(".reaction__button").click();
  await shows(pa, before + 1);
  await pb.reload();
  await shows(pb, before + 1);
  await a.close();
  await b.close();
});

test("in the first view, before the app, the counts are live and a reaction reaches the service", async () => {
  const context = await browser.newContext({ userAgent: PERSON });
  const page = await context.newPage();
  const app = [];
  page.on("request", (r) => /\/assets\/broadsheet-[0-9a-f]+/.test(r.url()) && app.push(r.url()));
  const { path } = another(3);
  const answered = page.waitForResponse((r) => r.url().includes("/engage/articles/") && r.url().endsWith("/reactions"));
  await page.goto(base + path);
  const counts = await (await answered).json();
  await page.locator("html[data-island]").waitFor({ state: "attached" });
  await shows(page, counts.counts.very_good);
  await page.waitForFunction((n) => document.querySelector(".story-meta__views").textContent.startsWith(String(n)), counts.views);
  const put = page.waitForResponse((r) => r.request().method() === "PUT");
  await page.locator(".reaction__button").click();
  assert.equal((await put).status(), 200);
  await shows(page, counts.counts.very_good + 1);
  assert.deepEqual(app, [], "all of it without the app");
  // The app, taking over, shows what the service has: the reader's reaction.
  await appTakesOver(page);
  await shows(page, counts.counts.very_good + 1);
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "true");
  await context.close();
});

test("a read is counted once per reader, shown live, and Ranking follows the reads", async () => {
  const context = await browser.newContext({ userAgent: PERSON });
  const { card, path } = another(1);
  const { page } = await openStory(context, path);
  // The first visit's read arrives within a flush; reloading does not count it again.
  await page.waitForTimeout(400);
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await appTakesOver(page);
  }
  await page.waitForTimeout(400);
  const id = JSON.parse(readFileSync(`${site}/api/articles/${card.slug}.json`, "utf8")).id;
  const live = await (await fetch(`${base}/engage/articles/${id}/reactions`)).json();
  assert.equal(live.views, 1, "four visits, one read");
  // The page shows it once the anonymous answer a browser may keep (max-age=5) is stale.
  await page.waitForTimeout(5200);
  await page.reload();
  await page.waitForFunction(() => document.querySelector(".story-meta__views").textContent === "1 view", null, { timeout: 5000 })
    .catch(async () => assert.fail(`the story shows ${await readCount(page)}`));
  // The reader never reacted: nothing was made in the browser.
  assert.equal(await page.evaluate(() => localStorage.getItem("broadsheet:reader-id")), null);
  const ranking = await (await fetch(`${base}/engage/most-read`)).json();
  // The lead was read by three visitors in the test before (one anonymous, then two readers
  // with ids once they reacted), this story by one.
  assert.deepEqual(ranking.items.slice(0, 2).map((c) => c.slug), [home.lead.slug, card.slug]);
  assert.equal(ranking.title, "Most read");
  await context.close();
});

test("a page that is not shown counts no read until it is", async () => {
  const context = await browser.newContext({ userAgent: PERSON });
  const page = await context.newPage();
  const views = [];
  page.on("request", (r) => r.url().endsWith("/views") && views.push(r.url()));
  await page.addInitScript(() => {
    let state = "hidden";
    Object.defineProperty(document, "visibilityState", { get: () => state });
    window.__show = () => { state = "visible"; document.dispatchEvent(new Event("visibilitychange")); };
  });
  const { card: other, path } = another(2);
  await page.goto(base + path);
  await appTakesOver(page);
  await page.waitForTimeout(500);
  assert.deepEqual(views, [], "no read while hidden");
  await page.evaluate(() => window.__show());
  await page.waitForFunction(() => true);
  await page.waitForTimeout(300);
  assert.equal(views.length, 1, "one read once shown");
  // A prefetch of the endpoint itself is answered and not counted.
  const id = JSON.parse(readFileSync(`${site}/api/articles/${other.slug}.json`, "utf8")).id;
  const prefetch = await fetch(`${base}/engage/articles/${id}/views`, { method: "POST", headers: { "Sec-Purpose": "prefetch", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0" } });
  assert.equal(prefetch.status, 204);
  await context.close();
});

test("when the service goes away the published counts stay and a reaction rolls back with its message", async () => {
  await stopService();
  const context = await browser.newContext({ userAgent: PERSON });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(base + story);
  const published = JSON.parse(readFileSync(`${site}/api/articles/${home.lead.slug}.json`, "utf8"));
  // In the first view (the island), then in the app.
  await page.locator("html[data-island]").waitFor({ state: "attached" });
  await page.locator(".reaction__button").click();
  await page.locator(".reaction__message").filter({ hasText: /could not be saved/ }).waitFor();
  assert.equal((await reactionCount(page)).replace(/\D/g, ""), String(published.reactions.very_good));
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "false");
  await appTakesOver(page);
  await page.waitForTimeout(300);
  assert.equal((await reactionCount(page)).replace(/\D/g, ""), String(published.reactions.very_good));
  await page.locator(".reaction__button").click();
  await page.locator(".reaction__message").filter({ hasText: /could not be saved/ }).waitFor();
  assert.equal((await reactionCount(page)).replace(/\D/g, ""), String(published.reactions.very_good));
  assert.equal(await page.locator(".reaction__button").getAttribute("aria-pressed"), "false");
  // The failed calls are the browser's console errors (502s), not the app's.
  assert.ok(errors.every((e) => /502|Failed to load/.test(e)), errors.join("\n"));
  await context.close();
});
