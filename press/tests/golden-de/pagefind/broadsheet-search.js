// The bridge between the app and Pagefind's search library. press writes it beside the index, as
// pagefind/broadsheet-search.js; the app adds it to the page (a module script, under the
// site's CSP) only when a reader starts a search, so no first view pays for search.
// It hands the app plain data: the app renders everything, as text.
import * as pagefind from "./pagefind.js";

let started = null;
function start() {
  // On the main thread: the search itself takes a few milliseconds, and a worker would be
  // one more script (12 KB) to fetch before the first result.
  started ??= pagefind
    .options({ noWorker: true, baseUrl: "/", excerptLength: 30 })
    .then(() => pagefind.init());
  return started;
}

/// `query` in `section` ("" for all), by relevance or "newest"; the results from `from`,
/// `count` of them, with their cards. Counts per section are for the query in all sections.
async function search(query, section, sort, from, count) {
  await start();

  // An empty list filters nothing but still counts the results in each section.
  const options = { filters: { section: section ? [section] : [] } };
  if (sort === "newest") options.sort = { published: "desc" };
  const found = await pagefind.search(query, options);
  const page = await Promise.all(found.results.slice(from, from + count).map((r) => r.data()));
  return {
    total: found.results.length,
    sections: Object.entries(found.totalFilters?.section ?? {}),
    results: page.map((d) => ({
      url: String(d.url ?? ""),
      card: String(d.meta?.card ?? ""),
      excerpt: String(d.excerpt ?? ""),
    })),
  };
}

let words = null;
/// The headline and tag words a mistyped query is corrected to, fetched on first need.
function correctable() {
  words ??= fetch(new URL("./broadsheet-words.json", import.meta.url))
    .then((r) => (r.ok ? r.json() : []))
    .then((list) => (Array.isArray(list) ? list.filter((w) => typeof w === "string") : []))
    .catch(() => {
      words = null;
      return [];
    });
  return words;
}

window.__broadsheetSearch = { search, words: correctable, warm: start };
