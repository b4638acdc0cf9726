#!/usr/bin/env python3
"""Build the derived files of Broadsheet's sample API from its articles.

The article files in public/api/articles/*.json are the source of truth. This
script reads them and writes, following the content contract (api.md):

  public/api/sections.json               [Section] in navigation order
  public/api/sections/{section}.json     SectionFront, newest first
  public/api/home.json                   Home
  public/api/rankings.json               CardList "Most read" (views, descending)
  public/api/recommendations.json        CardList "Editors' picks" (fixed list below)

and fills the "related" field of every article in place with ten Cards.

Python 3 standard library only. The output is deterministic and the script is
idempotent: running it twice leaves every file byte-for-byte the same. Files
whose content would not change are not rewritten.

Usage: python3 scripts/build_sample_api.py [--api-dir PATH]
"""

import argparse
import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_DIR = ROOT / "public" / "api"

# The site's sections, in navigation order.
SECTIONS = [
    {"slug": "news", "name": "News"},
    {"slug": "world", "name": "World"},
    {"slug": "business", "name": "Business"},
    {"slug": "technology", "name": "Technology"},
    {"slug": "science", "name": "Science"},
    {"slug": "culture", "name": "Culture"},
]

# Editors' picks, in the order they are shown.
EDITORS_PICKS = [
    "cross-border-rail-link-reopens",
    "seagrass-meadows-returning",
    "glacial-lake-early-warning-sirens",
    "art-museum-opens-in-power-station",
    "ai-assistant-for-building-permits",
    "later-school-start-teen-sleep",
    "battery-plant-begins-hiring",
    "folk-recordings-digitised",
    "marren-valley-flood-barrier-backed",
    "translated-fiction-prize-shortlist",
]

HOME_ARTICLES_PER_SECTION = 4
RANKING_SIZE = 10
RELATED_SIZE = 10

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def fail(message):
    print(f"build_sample_api: error: {message}", file=sys.stderr)
    sys.exit(1)


def parse_time(value):
    """Parse an RFC 3339 timestamp with an offset into an aware datetime."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp without offset: {value}")
    return parsed


def dump(data):
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_json(path, data):
    """Write data as JSON; leave the file untouched if it would not change."""
    text = dump(data)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def load_articles(articles_dir):
    sections = {s["slug"]: s for s in SECTIONS}
    articles = []
    seen_ids = {}
    for path in sorted(articles_dir.glob("*.json")):
        try:
            article = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            fail(f"{path}: invalid JSON: {err}")
        slug = article.get("slug")
        if slug != path.stem:
            fail(f"{path}: slug {slug!r} does not match the file name")
        if not SLUG_RE.match(slug):
            fail(f"{path}: slug {slug!r} is not of the form [a-z0-9]+(-[a-z0-9]+)*")
        section = article.get("section") or {}
        if sections.get(section.get("slug")) != section:
            fail(f"{path}: unknown or misnamed section {section!r}")
        article_id = article.get("id")
        if not article_id or article_id in seen_ids:
            fail(f"{path}: missing or duplicate id {article_id!r} (also in {seen_ids.get(article_id)})")
        seen_ids[article_id] = path.name
        for field in ("title", "published_at", "body", "views", "reactions"):
            if field not in article:
                fail(f"{path}: missing field {field!r}")
        try:
            parse_time(article["published_at"])
            if article.get("updated_at"):
                parse_time(article["updated_at"])
        except ValueError as err:
            fail(f"{path}: {err}")
        articles.append((path, article))
    if not articles:
        fail(f"no articles found in {articles_dir}")
    return articles


def card(article):
    """The Card for an article: {slug, title, section, published_at, standfirst?, image?, views?}."""
    result = {
        "slug": article["slug"],
        "title": article["title"],
        "section": article["section"],
        "published_at": article["published_at"],
    }
    if article.get("standfirst"):
        result["standfirst"] = article["standfirst"]
    if article.get("image"):
        result["image"] = article["image"]
    if article.get("views") is not None:
        result["views"] = article["views"]
    return result


def newest_first(articles):
    """Newest first; ties broken by slug so the order is always the same."""
    by_slug = sorted(articles, key=lambda a: a["slug"])
    return sorted(by_slug, key=lambda a: parse_time(a["published_at"]), reverse=True)


def tag_slugs(article):
    return {t["slug"] for t in article.get("tags") or []}


def related_for(article, articles):
    """Other articles ranked by shared tags, then same section, then newest first."""
    tags = tag_slugs(article)
    others = [a for a in articles if a["slug"] != article["slug"]]
    ranked = sorted(
        newest_first(others),
        key=lambda a: (
            -len(tags & tag_slugs(a)),
            0 if a["section"]["slug"] == article["section"]["slug"] else 1,
        ),
    )  # sorted() is stable, so newest-first order survives within each group
    return [card(a) for a in ranked[:RELATED_SIZE]]


def build(api_dir):
    articles_dir = api_dir / "articles"
    loaded = load_articles(articles_dir)
    articles = [a for _, a in loaded]
    by_slug = {a["slug"]: a for a in articles}
    ordered = newest_first(articles)
    changed = []

    def put(path, data):
        if write_json(path, data):
            changed.append(path)

    # Related cards, written back into each article (other keys keep their order).
    for path, article in loaded:
        article["related"] = related_for(article, articles)
        put(path, article)

    put(api_dir / "sections.json", SECTIONS)

    home_sections = []
    for section in SECTIONS:
        cards = [card(a) for a in ordered if a["section"]["slug"] == section["slug"]]
        put(api_dir / "sections" / f"{section['slug']}.json", {"section": section, "articles": cards})
        home_sections.append({"section": section, "articles": cards[:HOME_ARTICLES_PER_SECTION]})

    with_image = [a for a in ordered if a.get("image")]
    if not with_image:
        fail("no article has a lead image, so the front page has no lead")
    put(api_dir / "home.json", {"lead": card(with_image[0]), "sections": home_sections})

    most_read = sorted(ordered, key=lambda a: a.get("views") or 0, reverse=True)
    put(api_dir / "rankings.json", {
        "title": "Most read",
        "items": [card(a) for a in most_read[:RANKING_SIZE]],
    })

    missing = [slug for slug in EDITORS_PICKS if slug not in by_slug]
    if missing:
        fail(f"editors' picks not found among the articles: {', '.join(missing)}")
    if len(set(EDITORS_PICKS)) != len(EDITORS_PICKS):
        fail("editors' picks contain a duplicate slug")
    put(api_dir / "recommendations.json", {
        "title": "Editors' picks",
        "items": [card(by_slug[slug]) for slug in EDITORS_PICKS],
    })

    return len(articles), changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-dir", type=Path, default=DEFAULT_API_DIR,
                        help=f"the API directory (default: {DEFAULT_API_DIR})")
    args = parser.parse_args()
    count, changed = build(args.api_dir)
    print(f"build_sample_api: {count} articles, {len(changed)} file(s) written")
    for path in changed:
        print(f"  {path}")


if __name__ == "__main__":
    main()
