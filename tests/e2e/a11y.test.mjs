// axe-core (WCAG 2.x A and AA rules, 2.2 included) reports zero violations on every kind of
// page, in both colour schemes.
import { test } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { sample, useSite, configure } from "./browser.mjs";

const lead = sample("home.json").lead;
const pages = [
  ["front page", "/", ".lead-story", null],
  ["section front", `/${lead.section.slug}`, ".section-head", null],
  ["article", `/${lead.section.slug}/${lead.slug}`, "#ranking-track", null],
  ["not-found page", "/news/no-such-story", ".not-found", null],
  ["search page with results", "/search?q=harbour", ".search[data-state=results]", null],
  ["search page, index unavailable", "/search?q=harbour", ".search[data-state=unavailable]", "search"],
  ["error panel", `/${lead.section.slug}/${lead.slug}`, ".error-panel", "500"],
];
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

const site = useSite();

for (const scheme of ["light", "dark"]) {
  for (const [name, path, ready, fault] of pages) {
    test(`${name} has no WCAG A/AA violations (${scheme})`, async () => {
      const context = await site.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // A fault is in the JSON, which the pre-rendered page carries: start the bare app.
      if (fault === "search") await page.route("**/pagefind/**", (route) => route.fulfill({ status: 404, body: "" }));
      else if (fault) {
        await configure(context, { bare: true });
        await page.route("**/api/articles/**", (route) => route.fulfill({ status: Number(fault), body: "" }));
      }
      await page.goto(site.server.base + path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState("networkidle");
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`);
      assert.deepEqual(report, [], report.join("\n"));
      await context.close();
    });
  }
}
