#!/usr/bin/env bash
# Search's benchmark (not a test): press builds the 10,000-article generated site (the time
# its search index step takes is in its summary line), then bench/search.mjs has a reader
# type three queries on the desktop and mobile profiles: bytes per query and time to results.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
[ -f target/app/index.html ] || trunk build --release --offline
cargo build --quiet --profile press -p press
(cd bench && npm ci --silent --no-audit --no-fund)
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$work"' EXIT
n=${SEARCH_SIZE:-10000}
python3 scripts/generate_content.py "$n" "$work/content"
/usr/bin/time -f '%e s, %M KB peak' -o "$work/time" target/press/press --content "$work/content" \
  --app target/app --out "$work/site" | sed 's/^/    /'
echo "    wall time $(cat "$work/time"); the search index: $(du -sh "$work/site/pagefind" | cut -f1), $(find "$work/site/pagefind" -type f | wc -l) files"
echo
node bench/search.mjs "$work/site" "$@"
