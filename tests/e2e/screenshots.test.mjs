// Screenshots of the release build for a person to look at: front page, a section, an
// article (top and end), the not-found page and the error panel, at 320 px and 1280 px, light
// and dark. Saved to tests/e2e/artifacts/ (ignored by git); FULL=1 takes whole pages.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { appTakesOver, sample, root, useSite } from "./browser.mjs";

const out = `${root}tests/e2e/artifacts`;
const lead = sample("home.json").lead;
const article = `/${lead.section.slug}/${lead.slug}`;
const shots = [
  ["home", "/", ".lead-story"],
  ["section", `/${lead.section.slug}`, ".section-head"],
  ["article", article, "article.story[data-state=ready]"],
  ["article-end", article, "#recommendation-track", ".story__footer"],
  ["notfound", "/news/no-such-story", ".not-found"],
  ["search", "/search?q=harbour", ".search[data-state=results]"],
  ["error", article, ".error-panel", null, true],
];

const site = useSite();
before(() => {
  mkdirSync(out, { recursive: true });
});

for (const scheme of ["light", "dark"]) {
  for (const width of [320, 1280]) {
    test(`screenshots at ${width} px, ${scheme}`, async () => {
      const context = await site.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, path, ready, scrollTo, fail] of shots) {
        if (fail) {
          // The pre-rendered page carries its JSON: meet the fault on a client-side navigation.
          await page.goto(site.server.base + "/");
          await appTakesOver(page);
          await page.route("**/api/articles/**", (route) => route.fulfill({ status: 503, body: "" }));
          await page.locator(`.lead-story a[href$="${path}"]`).click();
        } else {
          await page.goto(site.server.base + path);
        }
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState("networkidle");
        if (scrollTo) await page.locator(scrollTo).scrollIntoViewIfNeeded();
        const file = `${out}/${name}-${width}-${scheme}.png`;
        await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
        assert.ok(statSync(file).size > 1000, `${file} was written`);
        await page.unrouteAll();
      }
      await context.close();
    });
  }
}
