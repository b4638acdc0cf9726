// Screenshots of the release build for a person to look at: front page, a section, an
// article, the not-found page, at 320 px and 1280 px, light and dark. Written to
// tests/e2e/artifacts/ (ignored by git).   node tests/e2e/screenshots.mjs
import { mkdirSync } from "node:fs";
import { readFileSync } from "node:fs";
import { launch, serveDist, dist, root } from "./browser.mjs";

const out = `${root}tests/e2e/artifacts`;
mkdirSync(out, { recursive: true });
const lead = JSON.parse(readFileSync(`${dist}/api/home.json`, "utf8")).lead;
const pages = {
  home: ["/", ".lead-story"],
  section: [`/${lead.section.slug}`, ".section-head"],
  article: [`/${lead.section.slug}/${lead.slug}`, "article.story[data-state=ready]"],
  notfound: ["/news/no-such-story", ".not-found"],
};
const server = await serveDist();
const browser = await launch();
for (const scheme of ["light", "dark"]) {
  for (const width of [320, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    for (const [name, [path, ready]] of Object.entries(pages)) {
      await page.goto(server.base + path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState("networkidle");
      const file = `${out}/${name}-${width}-${scheme}.png`;
      await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
      console.log(file);
    }
    await page.goto(server.base + pages.article[0]);
    await page.locator(".more-stories #ranking-track").waitFor();
    await page.locator(".story__footer").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}/article-end-${width}-${scheme}.png` });
    await context.close();
  }
}
await browser.close();
await server.close();
