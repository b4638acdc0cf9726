// Broadsheet's benchmark: the release build served with brotli like a CDN, driven through
// Debian's Chromium with playwright-core and CDP, several runs each, medians printed as a
// markdown table (and written to bench/results.md). Run it with `make bench`.
//   node bench/run.mjs [--runs 5] [--no-lighthouse]
import { chromium } from "playwright-core";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, readFileSync, readdirSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import { startServer } from "../scripts/serve.mjs";
import { floorPage } from "./floor.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const execFileAsync = promisify(execFile);
const dist = process.env.BROADSHEET_DIST ?? `${root}dist`;
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 5;
const LIGHTHOUSE = !args.includes("--no-lighthouse");
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run", "--enable-precise-memory-info"];
// Lighthouse's "slow 4G" and a mid-range phone's CPU.
const MOBILE = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, cpu: 4 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;
const kb = (x) => `${(x / 1024).toFixed(1)} KB`;
const read = (p) => JSON.parse(readFileSync(`${dist}/api/${p}`, "utf8"));

const home = read("home.json");
const lead = home.lead;
const article = read(`articles/${lead.slug}.json`);
const articlePath = `/${lead.section.slug}/${lead.slug}`;
// The CSS press writes into its pages (the app's stylesheets and the site's colours).
const pageCss = (site, path) => readFileSync(`${site}${path}.html`, "utf8").match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? "";
writeFileSync(`${dist}/bench-floor.html`, floorPage(article, pageCss(dist, articlePath)));
// Side by side, when given: the site built by the commit before (`BENCH_BASELINE=dir`).
const baselineDist = process.env.BENCH_BASELINE ?? null;

// A photo-led story: the same site with a camera photograph (3840 x 2160, 8.3 MB JPEG, from
// Debian's mate-backgrounds) as the lead story's picture, built by press into its own folder.
// Its floor is the same static page with one picture sized by hand for the viewport (cwebp,
// quality 80, exactly the column's width); "as published before" is that page with the
// original file, which is what press published before it made renditions.
const photos = execFileSync(`${root}scripts/photos.sh`, { encoding: "utf8" }).trim();
const PHOTO = "Elephants_3840x2160.jpg";
const photoSite = `${root}target/bench-photo`;
rmSync(photoSite, { recursive: true, force: true });
cpSync(`${root}content`, `${photoSite}/content`, { recursive: true });
cpSync(`${photos}/${PHOTO}`, `${photoSite}/content/images/${PHOTO}`);
{
  const file = readdirSync(`${photoSite}/content/articles`, { recursive: true }).map((f) => `${photoSite}/content/articles/${f}`).find((f) => f.endsWith(`/${lead.slug}.md`));
  writeFileSync(file, readFileSync(file, "utf8").replace(/^(  src: )"images\/[^"]+"/m, `$1"images/${PHOTO}"`));
}
execFileSync(`${root}target/press/press`, ["--content", `${photoSite}/content`, "--app", `${root}target/app`, "--out", `${photoSite}/dist`, "--cache", `${root}.press-cache`], { stdio: "pipe" });
const photoDist = `${photoSite}/dist`;
const photoArticle = JSON.parse(readFileSync(`${photoDist}/api/articles/${lead.slug}.json`, "utf8"));
const photoCss = pageCss(photoDist, articlePath);
for (const [name, width] of [["mobile", 412 - 32], ["desktop", 640]]) {
  execFileSync("cwebp", ["-quiet", "-q", "80", "-resize", String(width), "0", `${photos}/${PHOTO}`, "-o", `${photoDist}/bench-floor-${name}.webp`]);
  writeFileSync(`${photoDist}/bench-floor-${name}.html`, floorPage({ ...photoArticle, image: { ...photoArticle.image, src: `bench-floor-${name}.webp` } }, photoCss));
}
cpSync(`${photos}/${PHOTO}`, `${photoDist}/bench-original.jpg`);
writeFileSync(`${photoDist}/bench-before.html`, floorPage({ ...photoArticle, image: { ...photoArticle.image, src: "bench-original.jpg", width: 3840, height: 2160 } }, photoCss));

// Collected in every page from its first byte: LCP, CLS, long tasks, when the story showed,
// and the wasm memory (caught at instantiation).
const OBSERVE = () => {
  window.__m = { lcp: 0, cls: 0, longest: 0, frame: 0, story: 0 };
  const observe = (type, fn) => { try { new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch {} };
  observe("largest-contentful-paint", (e) => (window.__m.lcp = e.startTime));
  observe("layout-shift", (e) => { if (!e.hadRecentInput) window.__m.cls += e.value; });
  // A long animation frame (over 50 ms) counts script, style, layout and paint; the longest
  // script in one is the longest task the page's own code ran. (Not the Long Tasks API:
  // the requestAnimationFrame below that times the story's paint makes that frame's
  // rendering count as a task of script.)
  observe("long-animation-frame", (e) => {
    window.__m.frame = Math.max(window.__m.frame, e.duration);
    for (const s of e.scripts) window.__m.longest = Math.max(window.__m.longest, s.duration);
  });
  const check = () => {
    if (!window.__m.story && document.querySelector("h1") && document.querySelector(".story__body p")) {
      requestAnimationFrame(() => (window.__m.story = performance.now()));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = async (...a) => {
      const result = await original.apply(WebAssembly, a);
      const instance = result.instance ?? result;
      window.__wasmMemory = instance.exports?.memory;
      return result;
    };
  }
};

const server = await startServer({ dir: dist, port: 0, compress: true });
const base = `http://127.0.0.1:${server.address().port}`;
const baselineServer = baselineDist ? await startServer({ dir: baselineDist, port: 0, compress: true }) : null;
const baselineBase = baselineServer ? `http://127.0.0.1:${baselineServer.address().port}` : null;
const photoServer = await startServer({ dir: photoDist, port: 0, compress: true });
const photoBase = `http://127.0.0.1:${photoServer.address().port}`;
const browser = await chromium.launch({ executablePath: CHROME, args: FLAGS });

async function fresh({ mobile = false, width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width: mobile ? 412 : width, height: mobile ? 823 : 900 }, deviceScaleFactor: 1 });
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (mobile) {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: MOBILE.latency, downloadThroughput: MOBILE.downloadThroughput, uploadThroughput: MOBILE.uploadThroughput });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: MOBILE.cpu });
  }
  return { context, page, cdp };
}

/// One cold load of `path` (on `opts.at`, the main site by default); returns the page's
/// metrics once the story and the network settled.
async function load(path, opts) {
  const { context, page } = await fresh(opts);
  await page.goto((opts?.at ?? base) + path, { waitUntil: "load", timeout: 120000 });
  await page.waitForFunction(() => window.__m.story > 0, null, { timeout: 60000 });
  await page.waitForLoadState("networkidle");
  // The first view is done when the island works the page (or, on a build without it, when
  // the app has taken the page over: it removes the embedded JSON), so whatever that costs
  // (LCP, CLS, long tasks) is counted.
  if (!opts?.static) await page.waitForFunction(() => document.documentElement.hasAttribute("data-island") || !document.querySelector("script[data-broadsheet-url]"), null, { timeout: 60000 });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const m = await page.evaluate(() => window.__m);
  const resources = await page.evaluate(() => [
    ...performance.getEntriesByType("navigation").map((e) => ({ name: e.name, kind: "html" })),
    ...performance.getEntriesByType("resource").map((e) => ({ name: e.name })),
  ]);
  await context.close();
  return { ...m, resources };
}

// 1. Transfer of a first article view, by type, from the files served.
function transfer(resources) {
  const kinds = { html: [0, 0, 0], js: [0, 0, 0], wasm: [0, 0, 0], css: [0, 0, 0], json: [0, 0, 0], images: [0, 0, 0] };
  for (const r of resources) {
    let path = new URL(r.name).pathname;
    let kind = r.kind;
    if (!kind) kind = path.endsWith(".js") ? "js" : path.endsWith(".wasm") ? "wasm" : path.endsWith(".css") ? "css" : path.endsWith(".json") ? "json" : /\.(svg|webp|png|jpe?g)$/.test(path) ? "images" : null;
    if (!kind) continue;
    if (kind === "html") path = path === "/" ? "/index.html" : existsSync(`${dist}${path}.html`) ? `${path}.html` : "/404.html";
    if (!existsSync(dist + path)) continue;
    const data = readFileSync(dist + path);
    const t = kinds[kind];
    t[0] += data.length;
    t[1] += gzipSync(data, { level: 9 }).length;
    t[2] += brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return kinds;
}

console.error(`bench: ${RUNS} runs each against ${base}`);
const results = {};
const pages = [["app", articlePath, base], ["floor", "/bench-floor.html", base, true]];
if (baselineBase) pages.push(["baseline", articlePath, baselineBase]);
for (const [name, mobile] of [["desktop", false], ["mobile", true]]) {
  for (const [which, path, at, isStatic] of pages) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(path, { mobile, at, static: isStatic }));
    results[`${which}-${name}`] = runs;
    console.error(`bench: ${which} ${name}: LCP ${runs.map((r) => Math.round(r.lcp)).join(", ")}`);
  }
}
const sizes = transfer(results["app-desktop"][0].resources);

// 2. The photo-led story on the mobile profile: Broadsheet, its hand-sized floor, and the
// page as published before (the original file; one run, it takes about 40 s).
const photoPath = articlePath;
for (const [which, path, runs, isStatic] of [["app", photoPath, RUNS, false], ["floor", "/bench-floor-mobile.html", RUNS, true], ["before", "/bench-before.html", 1, true]]) {
  const list = [];
  for (let i = 0; i < runs; i++) list.push(await load(path, { mobile: true, at: photoBase, static: isStatic }));
  results[`photo-${which}`] = list;
  console.error(`bench: photo ${which} mobile: LCP ${list.map((r) => Math.round(r.lcp)).join(", ")}`);
}
// Bytes of picture a first view of the photo-led story downloads, on a 360 px phone at 2x and
// a 1280 px screen at 1x (no throttling; transfer sizes from Resource Timing).
const pictureBytes = {};
for (const [name, device, path] of [
  ["360 px phone at 2x", { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true }, photoPath],
  ["1280 px screen at 1x", { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }, photoPath],
]) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  await page.goto(photoBase + path, { waitUntil: "networkidle" });
  pictureBytes[name] = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.initiatorType === "img" || /\.(webp|jpe?g|png|svg)$/.test(e.name)).reduce((n, e) => n + e.encodedBodySize, 0));
  await context.close();
}
const originalBytes = readFileSync(`${photoDist}/bench-original.jpg`).length;

// 3. Client-side navigation, click to new headline painted; cold (JSON not yet fetched) and warm.
/// Opens the story at `at` and shows intent to navigate (a pointer over a link of the site),
/// as a reader would before clicking, then waits until the app has taken the page over.
async function openWithApp(page, at) {
  await page.goto(at + articlePath);
  await page.waitForFunction(() => window.__m.story > 0);
  await page.waitForFunction(() => document.documentElement.hasAttribute("data-island") || !document.querySelector("script[data-broadsheet-url]"), null, { timeout: 60000 });
  await page.evaluate(() => document.querySelector("a.card__link")?.dispatchEvent(new PointerEvent("pointerover", { bubbles: true })));
  await page.waitForFunction(() => !document.querySelector("script[data-broadsheet-url]"), null, { timeout: 60000 });
}

/// Follows a link to `href` in the page, as a click does, and resolves with the time until the
/// new headline `title` is painted.
function clickToHeadline(page, href, title) {
  return page.evaluate(([href, title]) => new Promise((done) => {
    const start = performance.now();
    const watch = new MutationObserver(() => {
      if (document.querySelector("article.story h1")?.textContent === title) {
        watch.disconnect();
        requestAnimationFrame(() => done(performance.now() - start));
      }
    });
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
    const a = document.createElement("a");
    a.href = href;
    document.body.append(a);
    a.click();
    a.remove();
  }), [href, title]);
}

/// Click to new headline, the story's JSON not yet fetched, once the app runs: `RUNS` times.
async function coldAfterIntent(at, mobile) {
  const { context, page } = await fresh({ mobile });
  await openWithApp(page, at);
  const times = [];
  for (const card of article.related.slice(0, RUNS)) {
    times.push(await clickToHeadline(page, `/${card.section.slug}/${card.slug}`, card.title));
    await page.goBack();
    await page.waitForFunction((t) => document.querySelector("article.story h1")?.textContent === t, article.title);
  }
  await context.close();
  return times;
}

/// Bytes over the network (brotli, as served) for a reader who opens the story and then
/// reads two more from its Related row, in the app: first view, app on intent, two stories.
async function threeStories(at) {
  const { context, page } = await fresh();
  await openWithApp(page, at);
  for (const card of article.related.slice(0, 2)) {
    await clickToHeadline(page, `/${card.section.slug}/${card.slug}`, card.title);
    await page.waitForFunction((t) => document.querySelector("article.story h1")?.textContent === t && document.querySelector(".story__body p"), card.title);
  }
  await page.waitForLoadState("networkidle");
  const bytes = await page.evaluate(() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce((n, e) => n + e.transferSize, 0));
  await context.close();
  return bytes;
}

async function navigations() {
  const { context, page } = await fresh();
  await openWithApp(page, base);
  const go = (href, title) => clickToHeadline(page, href, title);
  // A reader's pointer rests on a card ~100 ms before the click: the app reads the story ahead.
  const goAfterPointing = (slug, title) =>
    page.evaluate(([slug, title]) => new Promise((done) => {
      const link = [...document.querySelectorAll("a.card__link")].find((a) => a.getAttribute("href").endsWith(`/${slug}`));
      if (!link) return done(NaN);
      link.dispatchEvent(new PointerEvent("pointerenter"));
      setTimeout(() => {
        const start = performance.now();
        const finish = () => requestAnimationFrame(() => done(performance.now() - start));
        const watch = new MutationObserver(() => {
          if (document.querySelector("article.story h1")?.textContent === title) { watch.disconnect(); finish(); }
        });
        watch.observe(document.body, { childList: true, subtree: true, characterData: true });
        link.click();
      }, 100);
    }), [slug, title]);
  const cold = [];
  const warm = [];
  const ahead = [];
  const cards = article.related.slice(0, RUNS);
  for (const card of cards) {
    cold.push(await go(`/${card.section.slug}/${card.slug}`, card.title));
    warm.push(await go(articlePath, article.title));
  }
  for (const card of article.related.slice(RUNS, 2 * RUNS)) {
    ahead.push(await goAfterPointing(card.slug, card.title));
    await go(articlePath, article.title);
  }
  // 4. Reaction click to updated count in the DOM.
  const reaction = [];
  for (let i = 0; i < RUNS * 2; i++) {
    reaction.push(await page.evaluate(() => new Promise((done) => {
      const count = document.querySelector(".reaction__number");
      const start = performance.now();
      new MutationObserver((_, o) => { o.disconnect(); done(performance.now() - start); }).observe(count, { childList: true, subtree: true, characterData: true });
      document.querySelector(".reaction__button").click();
    })));
  }
  // 5. Memory after 1 and after 200 article navigations.
  const cdp = await context.newCDPSession(page);
  const memory = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return page.evaluate(() => ({ js: performance.memory.usedJSHeapSize, wasm: window.__wasmMemory?.buffer.byteLength ?? 0 }));
  };
  const all = read("rankings.json").items.concat(read("recommendations.json").items);
  const after1 = await memory();
  for (let i = 0; i < 200; i++) {
    const c = all[i % all.length];
    if (i % all.length === 0 && c.slug === lead.slug) continue;
    await go(`/${c.section.slug}/${c.slug}`, c.title);
  }
  const after200 = await memory();
  await context.close();
  return { cold, warm, ahead: ahead.filter((x) => !Number.isNaN(x)), reaction, after1, after200 };
}
const nav = await navigations();
const afterIntent = {};
for (const [name, at] of [["app", base], ["baseline", baselineBase]]) {
  if (!at) continue;
  for (const mobile of [false, true]) afterIntent[`${name}-${mobile ? "mobile" : "desktop"}`] = await coldAfterIntent(at, mobile);
  afterIntent[`${name}-three`] = await threeStories(at);
}

// 6. Lighthouse, mobile preset, median of three.
let lighthouse = null;
if (LIGHTHOUSE) {
  const bin = `${root}bench/node_modules/.bin/lighthouse`;
  const scores = [];
  try {
    for (let i = 0; i < 3; i++) {
      // Asynchronously: the page server runs in this process and must keep answering.
      const { stdout: out } = await execFileAsync(bin, [base + articlePath, "--output=json", "--quiet", "--max-wait-for-load=30000", "--only-categories=performance,accessibility,best-practices,seo", `--chrome-flags=--headless=new ${FLAGS.join(" ")}`], { env: { ...process.env, CHROME_PATH: CHROME }, maxBuffer: 1 << 28, timeout: 180000 });
      const report = JSON.parse(out);
      scores.push(Object.fromEntries(Object.entries(report.categories).map(([k, v]) => [k, Math.round(v.score * 100)])));
    }
    lighthouse = Object.fromEntries(Object.keys(scores[0]).map((k) => [k, median(scores.map((s) => s[k]))]));
  } catch (err) {
    lighthouse = { "not measured": `Lighthouse did not finish (${err.signal ?? err.message.split("\n")[0]})` };
  }
}

await browser.close();
server.closeAllConnections();
server.close();
photoServer.closeAllConnections();
photoServer.close();
baselineServer?.closeAllConnections();
baselineServer?.close();
rmSync(`${dist}/bench-floor.html`);

const med = (key, field) => median(results[key].map((r) => r[field]));
const lines = [];
lines.push(`Machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; Chromium ${browser.version()}; ${RUNS} runs, medians; ${new Date().toISOString().slice(0, 10)}.`, "");
lines.push("| first article view, transfer | raw | gzip | brotli |", "|---|---|---|---|");
for (const [k, [raw, gz, br]] of Object.entries(sizes)) lines.push(`| ${k} | ${kb(raw)} | ${kb(gz)} | ${kb(br)} |`);
lines.push("", "| paint of a deep article URL | Broadsheet | static floor | ratio |", "|---|---|---|---|");
for (const p of ["desktop", "mobile"]) {
  const label = p === "mobile" ? "mobile (4× CPU, slow 4G)" : "desktop (no throttling)";
  for (const [field, name] of [["lcp", "LCP"], ["story", "headline + first paragraph painted"]]) {
    const a = med(`app-${p}`, field);
    const f = med(`floor-${p}`, field);
    lines.push(`| ${name}, ${label} | ${ms(a)} | ${ms(f)} | ${(a / f).toFixed(2)}× |`);
  }
  lines.push(`| CLS, ${label} | ${med(`app-${p}`, "cls").toFixed(3)} | ${med(`floor-${p}`, "cls").toFixed(3)} | |`);
  lines.push(`| longest script task during start-up, ${label} | ${ms(med(`app-${p}`, "longest"))} | ${ms(med(`floor-${p}`, "longest"))} | |`);
  lines.push(`| longest animation frame (script, style, layout and paint), ${label} | ${ms(med(`app-${p}`, "frame"))} | ${ms(med(`floor-${p}`, "frame"))} | |`);
}
const photoMed = (which) => median(results[`photo-${which}`].map((r) => r.lcp));
lines.push("", `| photo-led story (${PHOTO}, 8.3 MB), mobile (4× CPU, slow 4G) | LCP | ratio to the floor |`, "|---|---|---|");
lines.push(`| Broadsheet | ${ms(photoMed("app"))} | **${(photoMed("app") / photoMed("floor")).toFixed(2)}×** |`);
lines.push(`| static floor, one picture sized by hand (cwebp q80, 380 px) | ${ms(photoMed("floor"))} | 1.00× |`);
lines.push(`| as published before: the same page with the original photograph | ${ms(photoMed("before"))} | ${(photoMed("before") / photoMed("floor")).toFixed(1)}× |`);
lines.push("", "| picture bytes, first view of the photo-led story | now | before (the original) |", "|---|---|---|");
for (const [name, bytes] of Object.entries(pictureBytes)) lines.push(`| ${name} | ${kb(bytes)} | ${kb(originalBytes)} |`);
if (baselineBase) {
  lines.push("", "| against the build before (same run) | now | before | |", "|---|---|---|---|");
  for (const p of ["desktop", "mobile"]) {
    const [a, b] = [med(`app-${p}`, "lcp"), med(`baseline-${p}`, "lcp")];
    lines.push(`| LCP, ${p} | ${ms(a)} | ${ms(b)} | ${(a / b).toFixed(2)}× |`);
    lines.push(`| longest script task in the first view, ${p} | ${ms(med(`app-${p}`, "longest"))} | ${ms(med(`baseline-${p}`, "longest"))} | |`);
    lines.push(`| longest animation frame in the first view, ${p} | ${ms(med(`app-${p}`, "frame"))} | ${ms(med(`baseline-${p}`, "frame"))} | |`);
    const [c, d] = [median(afterIntent[`app-${p}`]), median(afterIntent[`baseline-${p}`])];
    lines.push(`| click to new headline after intent (the app running), ${p} | ${ms(c)} | ${ms(d)} | ${c - d >= 0 ? "+" : ""}${Math.round(c - d)} ms |`);
  }
  const [t, u] = [afterIntent["app-three"], afterIntent["baseline-three"]];
  lines.push(`| bytes for three stories in a row (first view, the app on intent, two in the app) | ${kb(t)} | ${kb(u)} | ${((t / u - 1) * 100).toFixed(1)}% |`);
  const firstView = (site) => site.filter((r) => /\.(js|wasm)$/.test(new URL(r.name).pathname));
  const brotli = (root, rs) => rs.reduce((n, r) => {
    const path = new URL(r.name).pathname;
    return existsSync(root + path) ? n + brotliCompressSync(readFileSync(root + path), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : n;
  }, 0);
  lines.push(`| first view of a story, JS + wasm (brotli) | ${kb(brotli(dist, firstView(results["app-desktop"][0].resources)))} | ${kb(brotli(baselineDist, firstView(results["baseline-desktop"][0].resources)))} | |`);
}
lines.push("", "| interaction | median |", "|---|---|");
lines.push(`| article → article, click to new headline painted, cold (JSON fetched) | ${ms(median(nav.cold))} |`);
lines.push(`| article → article, warm (JSON cached) | ${ms(median(nav.warm))} |`);
lines.push(`| article → article, pointer on the card 100 ms before the click (read ahead) | ${nav.ahead.length ? ms(median(nav.ahead)) : "not measured"} |`);
lines.push(`| reaction click → count updated in the DOM | ${median(nav.reaction).toFixed(1)} ms |`);
lines.push(`| JS heap after 1 / after 200 navigations | ${kb(nav.after1.js)} / ${kb(nav.after200.js)} |`);
lines.push(`| wasm memory after 1 / after 200 navigations | ${kb(nav.after1.wasm)} / ${kb(nav.after200.wasm)} |`);
if (lighthouse) {
  lines.push("", "| Lighthouse 12 mobile (median of 3) | score |", "|---|---|");
  for (const [k, v] of Object.entries(lighthouse)) lines.push(`| ${k} | ${v} |`);
}
const table = lines.join("\n");
writeFileSync(`${root}bench/results.md`, table + "\n");
console.log(table);
