import { launch, serveDist, appTakesOver } from "./browser.mjs";
const server = await serveDist({ dir: process.env.DIST ?? undefined });
const browser = await launch();
const q = process.argv[2] ?? "harbour";
const name = process.argv[3] ?? "en";
for (const scheme of ["light", "dark"]) for (const width of [320, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log("pageerror", e.message));
  page.on("console", (m) => m.type() === "error" && console.log("console", m.text()));
  await page.goto(`${server.base}/search?q=${encodeURIComponent(q)}`);
  await page.locator(".search:not([data-state=prompt]):not([data-state=searching])").waitFor({ timeout: 15000 });
  await page.screenshot({ path: `/tmp/shots/${name}-search-${width}-${scheme}.png`, fullPage: width === 320 });
  await page.goto(`${server.base}/`);
  await page.screenshot({ path: `/tmp/shots/${name}-home-${width}-${scheme}.png` });
  await context.close();
}
await browser.close();
await server.close();
