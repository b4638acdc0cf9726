#!/usr/bin/env python3
"""One-off converter: Broadsheet's sample JSON articles -> a Markdown content folder.

Reads public/api/articles/*.json (the content contract, /work/shared/api.md) and
the SECTIONS and EDITORS_PICKS lists from scripts/build_sample_api.py, and writes:

  content/sections.yaml                         sections in navigation order
  content/stats.yaml                            slug -> {views, very_good}
  content/picks.yaml                            editors' picks, in order
  content/articles/<section>/<slug>.md          YAML front matter + Markdown body

public/api is only read, never changed. Derived data (the "related" cards, the
section's display name inside each article) is not written; the build tool
recomputes it. Image width/height are not written either: the build tool reads
them from the image files.

Blocks of unknown type are reported on stderr and skipped. Anything in the JSON
that the Markdown format cannot hold is listed in the summary at the end.

Python 3 standard library only. Output is deterministic; running the script
twice gives the same files.

Usage: python3 scripts/json_to_markdown.py [--api-dir PATH] [--images-dir PATH] [--out PATH]
"""

import argparse
import ast
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Plain-scalar spellings a YAML 1.1 or 1.2 parser would not read as a string.
YAML_NON_STRING = re.compile(
    r"^(~|null|true|false|yes|no|on|off|y|n|[-+]?[0-9][0-9_.:eE+-]*|\.inf|\.nan)$",
    re.IGNORECASE,
)

KNOWN_ARTICLE_FIELDS = {
    "id", "slug", "section", "title", "standfirst", "published_at", "updated_at",
    "dateline", "byline", "source", "image", "body", "contributors", "tags",
    "views", "reactions", "related",
}
KNOWN_BLOCK_TYPES = {"paragraph", "heading", "quote", "image", "list", "separator"}


def load_lists(script):
    """SECTIONS and EDITORS_PICKS from build_sample_api.py, read without importing it."""
    tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("SECTIONS", "EDITORS_PICKS"):
                    found[target.id] = ast.literal_eval(node.value)
    missing = {"SECTIONS", "EDITORS_PICKS"} - set(found)
    if missing:
        sys.exit(f"json_to_markdown: error: {script} does not define {sorted(missing)}")
    return found["SECTIONS"], found["EDITORS_PICKS"]


class Report:
    def __init__(self):
        self.skipped = []        # unknown blocks
        self.lossy = []          # things the Markdown format cannot represent
        self.dropped = {}        # deliberately not written (derived data), counted

    def skip(self, where, message):
        line = f"{where}: {message}"
        self.skipped.append(line)
        print(f"json_to_markdown: skipped {line}", file=sys.stderr)

    def loss(self, where, message):
        self.lossy.append(f"{where}: {message}")

    def drop(self, what):
        self.dropped[what] = self.dropped.get(what, 0) + 1


# ---------------------------------------------------------------- YAML

def yaml_str(value):
    """A double-quoted YAML scalar. JSON string syntax is valid YAML; on top of
    json.dumps, escape the characters YAML treats as line breaks or forbids."""
    text = json.dumps(str(value), ensure_ascii=False)
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\u0085\u2028\u2029\ufeff" or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF \
                or code in (0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def yaml_key(slug):
    """A mapping key: bare if it is a plain slug a parser reads as a string, else quoted."""
    if SLUG_RE.match(slug) and not YAML_NON_STRING.match(slug):
        return slug
    return yaml_str(slug)


def yaml_int(value, where, report):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.loss(where, f"count {value!r} is not a non-negative integer; written as 0")
        return "0"
    return str(value)


# ---------------------------------------------------------------- Markdown

# Always escaped, wherever they appear in text.
INLINE_SPECIAL = set("\\`*_[]<|~")
ENTITY_RE = re.compile(r"&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]*;)")
# At the start of a line (after up to three spaces): block markers.
LINE_START_RE = re.compile(r"^( {0,3})([#>+=-])")
ORDERED_START_RE = re.compile(r"^( {0,3}[0-9]{1,9})([.)])")


def escape_inline(text):
    out = []
    for ch in text:
        out.append("\\" + ch if ch in INLINE_SPECIAL else ch)
    # "&amp;" and friends would be decoded by a Markdown parser.
    return ENTITY_RE.sub(lambda m: "\\&" + m.group(1), "".join(out))


def escape_line_start(line):
    line = LINE_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
    return ORDERED_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def escape_text(text, where, report):
    """Escape text for a Markdown paragraph-like context, line by line."""
    lines = text.split("\n")
    if len(lines) > 1:
        report.loss(where, "text contains a line break; kept as a soft line break")
    result = []
    for line in lines:
        if line.strip() == "":
            report.loss(where, "text contains a blank line, which would split the block; removed")
            continue
        if line.startswith("    ") or line.startswith("\t"):
            report.loss(where, "line starts with an indent (would be code); indent removed")
            line = line.lstrip(" \t")
        if line.endswith("  "):
            line = line.rstrip(" ")  # two trailing spaces would be a hard break
        result.append(escape_line_start(escape_inline(line)))
    return "\n".join(result)


def escape_destination(url):
    if re.search(r"[\s<>]", url):
        return "<" + url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"
    return re.sub(r"([\\()])", r"\\\1", url)


def escape_title(title):
    title = title.replace("\\", "\\\\").replace('"', '\\"')
    return ENTITY_RE.sub(lambda m: "\\&" + m.group(1), title)


def is_punct(ch):
    return ch != "" and (unicodedata.category(ch).startswith("P") or unicodedata.category(ch).startswith("S"))


def is_space(ch):
    return ch == "" or ch.isspace()


def safe_href(href):
    return isinstance(href, str) and (re.match(r"^https?://", href, re.IGNORECASE) or href.startswith("/"))


def render_runs(runs, where, report):
    """Inline runs -> Markdown text."""
    # Merge neighbours with the same formatting so markers never touch.
    merged = []
    for run in runs:
        if not isinstance(run, dict) or not isinstance(run.get("text"), str):
            report.skip(where, f"inline run without text: {run!r}")
            continue
        extra = set(run) - {"text", "href", "em", "strong"}
        if extra:
            report.loss(where, f"inline run has unknown fields {sorted(extra)}; dropped")
        key = (run.get("href") or None, bool(run.get("em")), bool(run.get("strong")))
        if merged and merged[-1][0] == key:
            merged[-1][1] += run["text"]
        else:
            merged.append([key, run["text"]])

    pieces = []
    for (href, em, strong), text in merged:
        if href is not None and not safe_href(href):
            report.loss(where, f"link {href!r} is not http(s) or a path; the app shows it as plain text, so written as plain text")
            href = None
        marker = "*" * ((1 if em else 0) + (2 if strong else 0))
        # Whitespace at the edges goes outside the markers (`* a*` is not emphasis).
        stripped = text.strip()
        if not stripped:
            pieces.append((text, "", "", ""))
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        inner = escape_inline(stripped)
        if href is not None:
            inner = f"[{inner}]({escape_destination(href)})"
        pieces.append((lead, marker, inner, trail))

    out = ""
    for i, (lead, marker, inner, trail) in enumerate(pieces):
        out += lead
        if marker:
            before = out[-1:] if out else ""
            after_text = "".join(p[0] + p[1] + p[2] + p[3] for p in pieces[i + 1:])
            after = trail[:1] or after_text[:1]
            first, last = inner[:1], inner[-1:]
            # CommonMark flanking rules for the opening and closing delimiter runs.
            opens = not is_space(first) and (not is_punct(first) or is_space(before) or is_punct(before))
            closes = not is_space(last) and (not is_punct(last) or is_space(after) or is_punct(after))
            if not (opens and closes) or before == "*" or after == "*":
                report.loss(where, f"emphasis around {inner!r} may not parse as emphasis in this position")
            out += marker + inner + marker
        else:
            out += inner
        out += trail
    return out


def paragraph_markdown(markdown):
    """Line-start escaping for rendered inline Markdown, one line at a time."""
    lines = [line for line in markdown.split("\n")]
    return "\n".join(escape_line_start(line.lstrip(" \t")) for line in lines if line.strip())


def render_block(block, where, report):
    """One body block -> Markdown text, or None to skip it."""
    if not isinstance(block, dict):
        report.skip(where, f"block is not an object: {block!r}")
        return None
    kind = block.get("type")
    if kind not in KNOWN_BLOCK_TYPES:
        report.skip(where, f"unknown block type {kind!r}")
        return None

    def extra(allowed):
        unknown = set(block) - allowed - {"type"}
        if unknown:
            report.loss(where, f"{kind} block has unknown fields {sorted(unknown)}; dropped")

    if kind == "paragraph":
        extra({"text", "content"})
        if block.get("content") is not None:
            if block.get("text") is not None:
                report.loss(where, "paragraph has both text and content; content used")
            if "\n" in "".join(r.get("text", "") for r in block["content"] if isinstance(r, dict)):
                report.loss(where, "rich paragraph contains a line break; kept as a soft line break")
            text = paragraph_markdown(render_runs(block["content"], where, report))
        elif isinstance(block.get("text"), str):
            text = escape_text(block["text"], where, report)
        else:
            report.skip(where, "paragraph with neither text nor content")
            return None
        if not text.strip():
            report.skip(where, "empty paragraph")
            return None
        return text

    if kind == "heading":
        extra({"text", "level"})
        level = block.get("level")
        if level not in (2, 3):
            report.loss(where, f"heading level {level!r} is not 2 or 3; written as level 2")
            level = 2
        text = block.get("text") or ""
        if "\n" in text:
            report.loss(where, "heading contains a line break; joined with a space")
            text = " ".join(part.strip() for part in text.split("\n"))
        text = escape_inline(text.strip())
        # A trailing run of '#' would be read as the heading's closing sequence.
        text = re.sub(r"(#+)$", lambda m: "\\" + m.group(1), text)
        return "#" * level + " " + text

    if kind == "quote":
        extra({"text", "cite"})
        paragraphs = [p for p in re.split(r"\n\s*\n", block.get("text") or "") if p.strip()]
        rendered = []
        for p in paragraphs:
            if p.lstrip().startswith("\u2014"):
                report.loss(where, "a quote paragraph starts with an em dash and would be read as the cite")
            rendered.append(escape_text(p.strip(), where, report))
        cite = block.get("cite")
        if cite:
            rendered.append("\u2014 " + escape_text(" ".join(cite.split()), where, report))
        lines = []
        for i, p in enumerate(rendered):
            if i:
                lines.append(">")
            lines.extend("> " + line for line in p.split("\n"))
        return "\n".join(lines) if lines else None

    if kind == "list":
        extra({"items", "ordered"})
        items = block.get("items") or []
        if not items:
            report.skip(where, "empty list")
            return None
        lines = []
        for n, item in enumerate(items, start=1):
            marker = f"{n}. " if block.get("ordered") else "- "
            text = escape_text(str(item), where, report).split("\n")
            lines.append(marker + text[0])
            lines.extend(" " * len(marker) + line for line in text[1:])
        return "\n".join(lines)

    if kind == "separator":
        extra(set())
        return "---"

    if kind == "image":
        extra({"src", "alt", "width", "height", "caption", "credit"})
        src = block.get("src")
        if not src:
            report.skip(where, "image block without src")
            return None
        if block.get("credit"):
            report.loss(where, f"body image credit {block['credit']!r} has no place in Markdown; dropped")
        alt = escape_inline(" ".join((block.get("alt") or "").split()))
        title = ""
        if block.get("caption"):
            title = f' "{escape_title(" ".join(block["caption"].split()))}"'
        return f"![{alt}]({escape_destination(src)}{title})"

    return None


# ---------------------------------------------------------------- article

def svg_size(path):
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return None
    root = re.search(r"<svg\b[^>]*>", head)
    if not root:
        return None
    w = re.search(r'\swidth="([0-9.]+)(px)?"', root.group(0))
    h = re.search(r'\sheight="([0-9.]+)(px)?"', root.group(0))
    if not (w and h):
        return None
    return float(w.group(1)), float(h.group(1))


def check_image_size(image, where, images_root, report):
    """width/height are not written; make sure the image file itself carries them."""
    src = image.get("src") or ""
    if re.match(r"^https?://", src):
        report.loss(where, f"remote image {src}: width/height {image.get('width')}x{image.get('height')} not written and cannot be read from a local file")
        return
    path = images_root / src
    if not path.exists():
        report.loss(where, f"image file {path} not found; width/height {image.get('width')}x{image.get('height')} not written")
        return
    if path.suffix.lower() != ".svg":
        return  # raster sizes are left to the build tool
    size = svg_size(path)
    if size is None:
        report.loss(where, f"{src} has no width/height on its <svg>; JSON said {image.get('width')}x{image.get('height')}")
    elif size != (float(image.get("width") or 0), float(image.get("height") or 0)):
        report.loss(where, f"{src} is {size[0]:g}x{size[1]:g} but the JSON said {image.get('width')}x{image.get('height')}")


def slugify(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def front_matter(article, where, images_root, report):
    lines = ["---"]
    lines.append(f"id: {yaml_str(article['id'])}")
    lines.append(f"title: {yaml_str(article['title'])}")
    lines.append(f"section: {yaml_str(article['section']['slug'])}")
    lines.append(f"published: {yaml_str(article['published_at'])}")
    if article.get("updated_at"):
        lines.append(f"updated: {yaml_str(article['updated_at'])}")
    if article.get("dateline"):
        lines.append(f"dateline: {yaml_str(article['dateline'])}")

    if article.get("byline"):
        lines.append("byline:")
        for person in article["byline"]:
            unknown = set(person) - {"name", "role"}
            if unknown:
                report.loss(where, f"byline entry has unknown fields {sorted(unknown)}; dropped")
            lines.append(f"  - name: {yaml_str(person['name'])}")
            if person.get("role"):
                lines.append(f"    role: {yaml_str(person['role'])}")

    source = article.get("source")
    if source:
        unknown = set(source) - {"name", "url"}
        if unknown:
            report.loss(where, f"source has unknown fields {sorted(unknown)}; dropped")
        lines.append("source:")
        lines.append(f"  name: {yaml_str(source['name'])}")
        if source.get("url"):
            lines.append(f"  url: {yaml_str(source['url'])}")

    image = article.get("image")
    if image:
        unknown = set(image) - {"src", "alt", "width", "height", "caption", "credit"}
        if unknown:
            report.loss(where, f"lead image has unknown fields {sorted(unknown)}; dropped")
        check_image_size(image, where + " (lead image)", images_root, report)
        lines.append("image:")
        lines.append(f"  src: {yaml_str(image['src'])}")
        lines.append(f"  alt: {yaml_str(image.get('alt') or '')}")
        if image.get("caption"):
            lines.append(f"  caption: {yaml_str(image['caption'])}")
        if image.get("credit"):
            lines.append(f"  credit: {yaml_str(image['credit'])}")

    if article.get("standfirst"):
        lines.append(f"standfirst: {yaml_str(article['standfirst'])}")
    if article.get("contributors"):
        lines.append(f"contributors: {yaml_str(article['contributors'])}")

    if article.get("tags"):
        lines.append("tags:")
        for tag in article["tags"]:
            if tag.get("slug") != slugify(tag.get("name", "")):
                report.loss(where, f"tag slug {tag.get('slug')!r} is not derivable from its name {tag.get('name')!r}; slug dropped")
            lines.append(f"  - {yaml_str(tag['name'])}")

    lines.append("---")
    return lines


def convert_article(article, where, sections, images_root, report):
    unknown = set(article) - KNOWN_ARTICLE_FIELDS
    if unknown:
        report.loss(where, f"unknown article fields {sorted(unknown)}; dropped")
    section = article.get("section") or {}
    if sections.get(section.get("slug")) != section.get("name"):
        report.loss(where, f"section {section!r} does not match sections.yaml; only the slug is kept")
    reactions = article.get("reactions") or {}
    other_kinds = set(reactions) - {"very_good"}
    if other_kinds:
        report.loss(where, f"reaction kinds {sorted(other_kinds)} have no place in stats.yaml; dropped")
    if article.get("related"):
        report.drop("related cards (derived; recomputed by the build tool)")

    lines = front_matter(article, where, images_root, report)
    blocks = []
    previous_kind = None
    for index, block in enumerate(article.get("body") or []):
        block_where = f"{where} body[{index}]"
        text = render_block(block, block_where, report)
        if text is None:
            continue
        kind = (block.get("type"), bool(block.get("ordered")))
        if kind[0] == "list" and previous_kind == kind:
            report.loss(block_where, "two lists of the same kind in a row would merge into one list")
        if block.get("type") == "image":
            check_image_size(block, block_where, images_root, report)
        previous_kind = kind
        blocks.append(text)
    return "\n".join(lines) + "\n\n" + "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------- main

def write(path, text, written):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api-dir", type=Path, default=ROOT / "public" / "api")
    parser.add_argument("--images-dir", type=Path, default=ROOT / "public",
                        help="directory that image srcs are relative to")
    parser.add_argument("--lists", type=Path, default=ROOT / "scripts" / "build_sample_api.py",
                        help="script that defines SECTIONS and EDITORS_PICKS")
    parser.add_argument("--out", type=Path, default=ROOT / "content")
    args = parser.parse_args()

    section_list, picks = load_lists(args.lists)
    sections = {s["slug"]: s["name"] for s in section_list}
    report = Report()
    written = []

    articles = []
    ids = {}
    for path in sorted((args.api_dir / "articles").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        where = path.name
        slug = article.get("slug")
        if slug != path.stem or not SLUG_RE.match(slug or ""):
            sys.exit(f"json_to_markdown: error: {where}: bad slug {slug!r}")
        if article.get("id") in ids:
            sys.exit(f"json_to_markdown: error: {where}: id {article.get('id')!r} also in {ids[article['id']]}")
        ids[article.get("id")] = where
        if (article.get("section") or {}).get("slug") not in sections:
            sys.exit(f"json_to_markdown: error: {where}: unknown section {article.get('section')!r}")
        articles.append((where, article))
    if not articles:
        sys.exit(f"json_to_markdown: error: no articles in {args.api_dir / 'articles'}")

    out = args.out
    write(out / "sections.yaml",
          "".join(f"- slug: {yaml_str(s['slug'])}\n  name: {yaml_str(s['name'])}\n" for s in section_list),
          written)

    stats = []
    for where, article in sorted(articles, key=lambda a: a[1]["slug"]):
        stats.append(f"{yaml_key(article['slug'])}:\n"
                     f"  views: {yaml_int(article.get('views'), where + ' views', report)}\n"
                     f"  very_good: {yaml_int((article.get('reactions') or {}).get('very_good', 0), where + ' very_good', report)}\n")
    write(out / "stats.yaml", "".join(stats), written)

    slugs = {a["slug"] for _, a in articles}
    for pick in picks:
        if pick not in slugs:
            report.loss("picks.yaml", f"pick {pick!r} has no article")
    write(out / "picks.yaml", "".join(f"- {yaml_str(p)}\n" for p in picks), written)

    for where, article in articles:
        text = convert_article(article, where, sections, args.images_dir, report)
        write(out / "articles" / article["section"]["slug"] / f"{article['slug']}.md", text, written)

    # Summary.
    md = sum(1 for p in written if p.suffix == ".md")
    print(f"Wrote {len(written)} files under {out}: {md} articles, "
          f"{len(written) - md} YAML files (sections, stats, picks).")
    print(f"Blocks skipped: {len(report.skipped)}")
    for line in report.skipped:
        print(f"  - {line}")
    print(f"Not representable / lost: {len(report.lossy)}")
    for line in report.lossy:
        print(f"  - {line}")
    if report.dropped:
        print("Deliberately not written (derived data):")
        for what, count in sorted(report.dropped.items()):
            print(f"  - {what}: {count} articles")
    print("Not written by design: image width/height (read from the image files by the build tool); "
          "section display names inside articles (in sections.yaml).")


if __name__ == "__main__":
    main()
