// The physical floor: the same article as one plain, hand-written-style static HTML page with
// the same CSS written into it (no request before it can paint) and no script at all: the
// best a hand-written page of the story can do. Whatever Broadsheet does, it cannot paint
// sooner.
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function block(b) {
  switch (b.type) {
    case "paragraph":
      return `<p>${esc(b.text ?? "")}${(b.content ?? []).map((r) => (r.href ? `<a href="${esc(r.href)}">${esc(r.text)}</a>` : esc(r.text))).join("")}</p>`;
    case "heading":
      return b.level === 3 ? `<h3>${esc(b.text)}</h3>` : `<h2>${esc(b.text)}</h2>`;
    case "quote":
      return `<figure class="quote"><blockquote><p>${esc(b.text)}</p></blockquote>${b.cite ? `<figcaption>${esc(b.cite)}</figcaption>` : ""}</figure>`;
    case "image":
      return `<figure class="figure"><img src="${esc(b.src)}" alt="${esc(b.alt)}" width="${b.width}" height="${b.height}" loading="lazy"></figure>`;
    case "list": {
      const tag = b.ordered ? "ol" : "ul";
      return `<${tag}>${b.items.map((i) => `<li>${esc(i)}</li>`).join("")}</${tag}>`;
    }
    case "separator":
      return "<hr>";
    default:
      return "";
  }
}

/// The floor page for `article`, with `css` (the stylesheet text) in a `<style>`.
export function floorPage(article, css) {
  const image = article.image
    ? `<div class="story__lead"><figure class="figure"><img src="${esc(article.image.src)}" alt="${esc(article.image.alt)}" width="${article.image.width}" height="${article.image.height}"></figure></div>`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><base href="/">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(article.title)} — Broadsheet</title>
<style>${css}</style></head><body>
<header class="site-header"><div class="site-header__inner"><a class="masthead" href="/">Broadsheet</a></div></header>
<main class="page"><article class="story"><nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/${esc(article.section.slug)}">${esc(article.section.name)}</a></li></ol></nav>
<header class="story__header"><h1 class="story__title">${esc(article.title)}</h1><p class="story__standfirst">${esc(article.standfirst)}</p>
<div class="story-meta"><p>${esc(article.dateline)} · ${esc(article.published_at)}</p></div></header>
${image}<div class="story__body">${article.body.map(block).join("\n")}</div></article></main></body></html>`;
}
