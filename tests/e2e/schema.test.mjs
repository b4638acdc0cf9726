// Every file of the JSON API press generated (the sample site in dist/api, and press's golden
// fixture site) is valid against the contract's JSON Schema, and the schema rejects what the
// contract forbids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const root = fileURLToPath(new URL("../..", import.meta.url));
const schema = JSON.parse(readFileSync(join(root, "schema/contract.schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(schema);
const validator = (type) => ajv.getSchema(`${schema.$id}#/$defs/${type}`);
const read = (path) => JSON.parse(readFileSync(path.startsWith("/") ? path : join(root, path), "utf8"));

function check(type, path) {
  const validate = validator(type);
  const ok = validate(read(path));
  assert.ok(ok, `${path} is not a valid ${type}: ${ajv.errorsText(validate.errors)}`);
}

const api = process.env.BROADSHEET_DIST ? join(process.env.BROADSHEET_DIST, "api") : "dist/api";
const fixed = [
  ["Home", "home.json"],
  ["Sections", "sections.json"],
  ["CardList", "rankings.json"],
  ["CardList", "recommendations.json"],
];

test("the sample index files match the schema", () => {
  for (const [type, file] of fixed) check(type, `${api}/${file}`);
});

test("every sample section front and article matches the schema", () => {
  const sections = readdirSync(api.startsWith("/") ? join(api, "sections") : join(root, api, "sections"));
  const articles = readdirSync(api.startsWith("/") ? join(api, "articles") : join(root, api, "articles"));
  assert.ok(sections.length >= 5, `at least 5 sections, found ${sections.length}`);
  assert.ok(articles.length >= 30, `at least 30 articles, found ${articles.length}`);
  for (const f of sections) check("SectionFront", `${api}/sections/${f}`);
  for (const f of articles) check("Article", `${api}/articles/${f}`);
});

test("press's golden fixture site matches the schema, hostile strings and all", () => {
  const golden = "press/tests/golden/api";
  for (const [type, file] of fixed) check(type, `${golden}/${file}`);
  for (const f of readdirSync(join(root, golden, "sections"))) check("SectionFront", `${golden}/sections/${f}`);
  for (const f of readdirSync(join(root, golden, "articles"))) check("Article", `${golden}/articles/${f}`);
});

test("the valid fixtures match the schema too", () => {
  check("Article", "tests/fixtures/api/articles/harbour-lights.json");
  check("CardList", "tests/fixtures/api/rankings.json");
  check("Home", "tests/fixtures/api/home.json");
});

test("the schema rejects what the contract forbids", () => {
  const article = read("tests/fixtures/api/articles/harbour-lights.json");
  const validate = validator("Article");
  const broken = [
    { ...article, title: 12345 },
    { ...article, slug: "Not A Slug" },
    { ...article, published_at: "2026-11-28T10:00:00" },
    { ...article, views: -1 },
    { ...article, body: [{ type: "heading", text: "x", level: 7 }] },
    { ...article, image: { ...article.image, src: "javascript:alert(1)" } },
    (({ related, ...rest }) => rest)(article),
  ];
  for (const bad of broken) assert.equal(validate(bad), false, JSON.stringify(bad).slice(0, 120));
});
