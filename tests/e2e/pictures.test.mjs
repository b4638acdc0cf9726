// Photographs on the release build. press builds the sample content again with real camera
// photographs (Debian's mate-backgrounds, unpacked by scripts/photos.sh) as every story's
// picture, then:
// - a phone downloads a phone's rendition and a desktop a desktop's, in WebP;
// - every picture on a front, a section and a story fetches the rendition its `sizes` asks
//   for: the smallest at least as wide as it is drawn;
// - the placeholder is painted in the picture's box before the picture arrives, and nothing
//   moves when it does (CLS 0).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { appTakesOver, launch, root, serveDist, watchErrors } from "./browser.mjs";

const photos = execFileSync(`${root}scripts/photos.sh`, { encoding: "utf8" }).trim();
const work = mkdtempSync(`${tmpdir()}/broadsheet-pictures-`);
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

/// The sample content with every story's picture replaced by a photograph, in turn.
function photoContent() {
  const dir = `${work}/content`;
  cpSync(`${root}content`, dir, { recursive: true });
  const jpegs = readdirSync(photos).filter((n) => n.endsWith(".jpg")).sort();
  // The 4K photograph leads (the newest story), then the others in turn.
  jpegs.sort((a, b) => (b === "Elephants_3840x2160.jpg") - (a === "Elephants_3840x2160.jpg"));
  let i = 0;
  const articles = `${dir}/articles`;
  const files = readdirSync(articles, { recursive: true }).filter((f) => f.endsWith(".md")).map((f) => `${articles}/${f}`);
  files.sort((a, b) => (readFileSync(b, "utf8").match(/^published: "(.*)"/m)?.[1] ?? "").localeCompare(readFileSync(a, "utf8").match(/^published: "(.*)"/m)?.[1] ?? ""));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (!/^image:/m.test(text)) continue;
    const photo = jpegs[i++ % jpegs.length];
    cpSync(`${photos}/${photo}`, `${dir}/images/${photo}`);
    writeFileSync(file, text.replace(/^(  src: )"images\/[^"]+"/m, `$1"images/${photo}"`));
  }
  return dir;
}

let server;
let browser;
before(async () => {
  const out = `${work}/dist`;
  execFileSync(`${root}target/press/press`, ["--content", photoContent(), "--app", `${root}target/app`, "--out", out, "--cache", `${root}.press-cache`], { stdio: "pipe" });
  server = await serveDist({ dir: out });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const home = () => JSON.parse(readFileSync(`${work}/dist/api/home.json`, "utf8"));

/// The width a rendition URL names (`images/x-640.<hash>.webp` -> 640).
const widthOf = (url) => Number(url.match(/-(\d+)\.[0-9a-f]+\.(webp|jpg|png)$/)?.[1]);

/// Opens `path` and collects the bytes of every picture the page downloads.
async function open(context, path, waitUntil = "load") {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const pictures = [];
  page.on("response", async (r) => {
    if (r.request().resourceType() !== "image" || r.url().startsWith("data:")) return;
    const body = await r.body().catch(() => Buffer.alloc(0));
    pictures.push({ url: r.url(), bytes: body.length });
  });
  await page.goto(`${server.base}${path}`, { waitUntil });
  return { page, errors, pictures };
}

test("a phone downloads the phone's rendition of the lead photograph and a desktop the desktop's", async () => {
  const lead = home().lead;
  const path = `/${lead.section.slug}/${lead.slug}`;
  const results = {};
  for (const [name, device] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    const context = await browser.newContext(device);
    const { page, errors, pictures } = await open(context, path);
    const image = page.locator(".story__lead .picture__image");
    await image.evaluate((img) => img.decode());
    const current = await image.evaluate((img) => img.currentSrc);
    assert.ok(current.endsWith(".webp"), `${name}: ${current}`);
    await page.waitForLoadState("load");
    results[name] = { width: widthOf(current), bytes: pictures.filter((p) => p.url === current).reduce((n, p) => n + p.bytes, 0) };
    assert.deepEqual(errors, []);
    await context.close();
  }
  // 360 px at 2x: the column is 328 px, 656 device pixels: 720. 1280 px at 1x: the 40rem
  // column, 640.
  assert.equal(results.phone.width, 720, JSON.stringify(results));
  assert.equal(results.desktop.width, 640, JSON.stringify(results));
  assert.ok(results.phone.bytes > 0 && results.phone.bytes <= 80 * 1024, JSON.stringify(results));
});

test("every picture fetches the rendition its place draws it at, on fronts, sections and stories", async () => {
  const lead = home().lead;
  const paths = ["/", `/${lead.section.slug}`, `/${lead.section.slug}/${lead.slug}`];
  for (const [name, device] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    for (const path of paths) {
      // A context of its own: a browser may show a larger rendition it already has.
      const context = await browser.newContext(device);
      const { page, errors } = await open(context, path);
      await page.locator("[data-state=ready], .lead-story, .card-grid").first().waitFor();
      // Once the app has taken over, bring every lazy picture into view (carousels become
      // the app's own as the reader nears them), then let each decode.
      await appTakesOver(page);
      const count = await page.locator(".picture__image").count();
      assert.ok(count > 0, `${name} ${path}: no pictures`);
      await page.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
          scrollTo(0, y);
          await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
        }
      });
      for (let i = 0; i < count; i++) {
        await page.locator(".picture__image").nth(i).evaluate((img) => {
          img.scrollIntoView({ block: "center" });
          return Promise.race([img.decode().catch(() => {}), new Promise((ok) => setTimeout(ok, 5000))]);
        });
      }
      const choices = await page.locator(".picture__image").evaluateAll((imgs) =>
        imgs.map((img) => {
          const source = img.parentElement.querySelector("source[type='image/webp']");
          return {
            current: img.currentSrc.replace(/-\d+\.(?=[0-9a-f]+\.\w+$)/, "-W."),
            url: img.currentSrc,
            drawn: img.getBoundingClientRect().width * devicePixelRatio,
            rungs: source ? source.srcset.split(", ").map((c) => Number(c.split(" ")[1].replace("w", ""))) : [],
            place: img.closest(".carousel") ? "carousel" : img.closest(".lead-story") ? "front lead" : img.closest(".card-grid") ? "grid" : "story",
          };
        }));
      const idealOf = (c) => c.rungs.find((w) => w >= c.drawn) ?? c.rungs.at(-1);
      assert.ok(choices.every((c) => c.url), `${name} ${path}: a picture never loaded`);
      for (const c of choices) {
        const chosen = widthOf(c.url);
        const ideal = idealOf(c);
        // The same story's picture drawn larger elsewhere on the page (a grid card and a
        // carousel card): the browser shows the rendition it already has.
        const shared = choices.some((o) => o !== c && o.rungs.join() === c.rungs.join() && o.current === c.current && idealOf(o) === chosen);
        assert.ok(chosen === ideal || (chosen > ideal && shared),
          `${name} ${path} ${c.place}: drawn ${Math.round(c.drawn)} px wide, fetched ${chosen} of ${c.rungs} (${c.url})`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test("the placeholder fills the picture's box until it arrives, and nothing moves when it does", async () => {
  const lead = home().lead;
  const context = await browser.newContext(PHONE);
  let release;
  const held = new Promise((ok) => { release = ok; });
  await context.route(/\/images\/.*\.(webp|jpg)$/, async (route) => {
    await held;
    await route.continue();
  });
  await context.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  const { page, errors } = await open(context, `/${lead.section.slug}/${lead.slug}`, "domcontentloaded");
  await page.locator("article.story[data-state=ready]").waitFor();
  const placeholder = page.locator(".story__lead .picture__placeholder");
  const image = page.locator(".story__lead .picture__image");
  await placeholder.evaluate((img) => img.decode());
  const before = await page.evaluate(() => {
    const p = document.querySelector(".story__lead .picture__placeholder");
    const i = document.querySelector(".story__lead .picture__image");
    const box = (e) => JSON.stringify(e.getBoundingClientRect());
    return { placeholderShown: p.complete && p.naturalWidth > 0, imageLoaded: i.complete && i.naturalWidth > 0, same: box(p) === box(i), height: i.getBoundingClientRect().height };
  });
  assert.deepEqual({ ...before, height: before.height > 100 }, { placeholderShown: true, imageLoaded: false, same: true, height: true });
  release();
  await image.evaluate((img) => img.decode());
  const heightAfter = await image.evaluate((img) => img.getBoundingClientRect().height);
  assert.equal(Math.round(heightAfter), Math.round(before.height), "the box did not change size");
  await page.waitForLoadState("load");
  assert.equal(await page.evaluate(() => window.__shift), 0, "cumulative layout shift");
  assert.deepEqual(errors, []);
  await context.close();
});
