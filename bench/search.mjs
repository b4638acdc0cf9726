// Search's benchmark (issue #16), not a test: on a site press built (the 10,000-article
// generated one from scripts/search_bench.sh), served with brotli like a CDN, a reader opens
// /search and types three queries (150 ms a key), one after another, on the desktop and the mobile profile
// (slow 4G, CPU 4x slower). For each query: the bytes fetched for it (Pagefind's library,
// wasm, index chunks and the results' fragments; the app itself is not counted, a reader
// has it from any page) and the time from the last keystroke to the results painted.
// Medians of RUNS fresh browsers (empty cache).
//   node bench/search.mjs SITE_DIR [--runs 3]
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { startServer } from "../scripts/serve.mjs";

const args = process.argv.slice(2);
const site = args[0];
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 3;
// 150 ms a key: about 80 words a minute.
const TYPING_MS = 150;
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const MOBILE = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8, cpu: 4 };
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Three headline words the site uses often, far apart in the list: three different chunks.
const words = JSON.parse(readFileSync(`${site}/pagefind/broadsheet-words.json`, "utf8"));
const queries = [words[0], words[Math.floor(words.length / 3)], words[Math.floor((2 * words.length) / 3)]];

const server = await startServer({ dir: site, port: 0, compress: true });
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROME, args: FLAGS });

async function run(mobile) {
  const context = await browser.newContext({ viewport: { width: mobile ? 412 : 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (mobile) {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: MOBILE.latency, downloadThroughput: MOBILE.downloadThroughput, uploadThroughput: MOBILE.uploadThroughput });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: MOBILE.cpu });
  }
  const urls = new Map();
  let bytes = 0;
  let files = 0;
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    if (urls.get(e.requestId)?.includes("/pagefind/")) {
      bytes += e.encodedDataLength;
      files += 1;
    }
  });
  await page.goto(`${base}/search`, { waitUntil: "load", timeout: 120000 });
  await page.locator(".search[data-state=prompt]").waitFor({ timeout: 60000 });
  await page.waitForLoadState("networkidle");
  // In the page: when the last input came, and the frame after the status first named the
  // query with its answer (a mutation observer, so the time is the page's, not when the
  // benchmark looked).
  await page.evaluate(() => {
    window.__lastInput = 0;
    window.__painted = {};
    document.getElementById("search-q").addEventListener("input", () => (window.__lastInput = performance.now()));
    const status = document.getElementById("search-status");
    new MutationObserver(() => {
      const state = document.querySelector(".search")?.dataset.state;
      const text = status.textContent;
      if (!["results", "corrected", "no-results"].includes(state)) return;
      const typed = document.getElementById("search-q").value;
      if (!text.includes(`“${typed}”`) || window.__painted[typed]) return;
      const since = window.__lastInput;
      window.__painted[typed] = -1;
      requestAnimationFrame(() => (window.__painted[typed] = performance.now() - since));
    }).observe(document.querySelector(".search"), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const out = [];
  for (const [i, q] of queries.entries()) {
    // The first query's count includes what the page loaded ahead of it (the library, the
    // wasm and the index's metadata, fetched when the reader arrives to search).
    if (i > 0) {
      bytes = 0;
      files = 0;
    }
    await page.locator("#search-q").fill("");
    // At a brisk typist's pace: every pause between keys lets a search run, as it would.
    await page.locator("#search-q").pressSequentially(q, { delay: TYPING_MS });
    const painted = await page.waitForFunction((q) => window.__painted[q] > 0 && window.__painted[q], q, { timeout: 60000 });
    const ms = await painted.jsonValue();
    await page.waitForLoadState("networkidle");
    out.push({ q, ms, bytes, files });
  }
  await context.close();
  return out;
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
console.log(`Search on ${site}: queries ${queries.map((q) => `"${q}"`).join(", ")}; medians of ${RUNS} fresh browsers.\n`);
console.log("| profile | query | bytes fetched (files) | last keystroke → results painted |\n|---|---|---:|---:|");
for (const [name, mobile] of [["desktop", false], ["mobile", true]]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(mobile));
  queries.forEach((q, i) => {
    const label = i === 0 ? `first ("${q}")` : `further ("${q}")`;
    const bytes = median(runs.map((r) => r[i].bytes));
    const files = median(runs.map((r) => r[i].files));
    console.log(`| ${name} | ${label} | ${kb(bytes)} (${files}) | ${Math.round(median(runs.map((r) => r[i].ms)))} ms |`);
  });
}
await browser.close();
server.close();
server.closeAllConnections();
