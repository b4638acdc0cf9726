#!/usr/bin/env python3
"""Writes a content folder of N generated articles for press's scale benchmark.

The text is random words from a fixed vocabulary (seeded, so every run is the same); it
exists only to give press realistic amounts of Markdown, tags and images to process.

With PHOTOS_DIR (a folder of JPEGs, e.g. scripts/photos.sh's), every third article leads
with a photograph of its own: one of those JPEGs with a comment naming the article, so each
is a distinct file that press must encode (the same pixels, but a different content hash).

Usage: python3 scripts/generate_content.py N OUT_DIR [PHOTOS_DIR]
"""

import random
import sys
from pathlib import Path

SECTIONS = ["news", "world", "business", "technology", "science", "culture", "sport", "opinion"]
SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "va", "pel", "dor", "in", "tha", "bru", "en", "sel", "mor", "qui", "at"]


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def photo_variant(jpeg, note):
    """The JPEG with a comment segment after its start marker: another file, same picture."""
    comment = note.encode()
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def main():
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    photos = sorted(Path(sys.argv[3]).glob("*.jpg")) if len(sys.argv) > 3 else []
    # The 16 MB one would make the folder twice as large for no new kind of work.
    photos = [p.read_bytes() for p in photos if p.stat().st_size < 12_000_000]
    rng = random.Random(20261128)
    vocabulary = sorted({word(rng) for _ in range(6000)})
    tags = [f"Topic {w}" for w in vocabulary[:300]]
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "images" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675"><rect width="1200" height="675" fill="#456"/></svg>\n')
    (out / "site.yaml").write_text('name: "Scale"\nurl: "https://scale.example/"\ndescription: "Generated."\n')
    (out / "sections.yaml").write_text("".join(f'- slug: "{s}"\n  name: "{s.title()}"\n' for s in SECTIONS))
    stats, picks = [], []
    for i in range(n):
        section = SECTIONS[i % len(SECTIONS)]
        slug = f"story-{i:05d}"
        folder = out / "articles" / section
        folder.mkdir(parents=True, exist_ok=True)
        sentence = lambda k: " ".join(rng.choice(vocabulary) for _ in range(k)).capitalize() + "."
        day = 1 + i % 28
        front = [
            "---",
            f'title: "{sentence(8)[:-1]}"',
            f'section: "{section}"',
            f'published: "2026-{1 + i % 11:02d}-{day:02d}T{i % 24:02d}:00:00Z"',
            f'standfirst: "{sentence(20)}"',
            "byline:",
            f'  - name: "{word(rng).title()} {word(rng).title()}"',
            "tags:",
            *[f'  - "{rng.choice(tags)}"' for _ in range(3)],
        ]
        if i % 3 == 0 and photos:
            (out / "images" / f"{slug}.jpg").write_bytes(photo_variant(photos[(i // 3) % len(photos)], slug))
            front += ["image:", f'  src: "images/{slug}.jpg"', '  alt: "A photograph"']
        elif i % 3 == 0:
            front += ["image:", '  src: "images/pic.svg"', '  alt: "A blue-grey rectangle"']
        front.append("---")
        body = []
        for p in range(8):
            body.append(" ".join(sentence(rng.randint(8, 16)) for _ in range(4)))
            if p == 3:
                body.append(f"## {sentence(5)[:-1]}")
            if p == 5 and i % 4 == 0:
                body.append(f"> {sentence(15)}\n>\n> — {word(rng).title()}")
        (folder / f"{slug}.md").write_text("\n".join(front) + "\n\n" + "\n\n".join(body) + "\n")
        stats.append(f"{slug}:\n  views: {rng.randint(0, 50000)}\n  very_good: {rng.randint(0, 900)}\n")
        if i % 997 == 0:
            picks.append(f'- "{slug}"\n')
    (out / "stats.yaml").write_text("".join(stats))
    (out / "picks.yaml").write_text("".join(picks))


if __name__ == "__main__":
    main()
