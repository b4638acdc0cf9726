#!/usr/bin/env bash
# The engagement service's benchmark (not a test): the release binary on a fresh SQLite file
# and a site of 1,000 articles, driven over loopback by engagement/examples/load.rs on the
# same machine, bounded in time (SECONDS per phase, 12x for the visitors phase) and count
# (VISITORS). Prints the table for the README, start-up time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-10}
CONNECTIONS=${CONNECTIONS:-32}
VISITORS=${VISITORS:-1000000}
cargo build --quiet --release -p engagement --example load --bin engagement
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/site/api"
python3 - "$work/site/api/manifest.json" <<'PY'
import json, sys
cards = [{"id": f"a-{i}", "card": {"slug": f"story-{i}", "title": f"Story {i}", "section": {"slug": "news", "name": "News"}, "published_at": "2026-12-01T09:00:00Z"}} for i in range(1000)]
json.dump({"most_read_title": "Most read", "articles": cards}, open(sys.argv[1], "w"))
PY
started=$(date +%s%N)
target/release/engagement --listen 127.0.0.1:0 --database "$work/bench.sqlite" --site "$work/site" \
  --rate-per-second 1000000000 --rate-burst 1000000000 --reads-per-group 1000000000 \
  --reactions-per-day 1000000000 > "$work/out" 2> "$work/log" &
pid=$!
until grep -q "listening on" "$work/out" 2>/dev/null; do sleep 0.01; done
ready=$(date +%s%N)
address=$(sed -n 's/.*listening on http:\/\///p' "$work/out")
echo "start-up: $(( (ready - started) / 1000000 )) ms (process start to listening, fresh database)"
target/release/examples/load "$address" 1000 "$SECONDS_PER_PHASE" "$CONNECTIONS" "$VISITORS"
echo "peak memory (VmHWM): $(awk '/VmHWM/ {print int($2/1024) " MB"}' /proc/$pid/status)"
kill -TERM "$pid"; wait "$pid" || true
target/release/engagement check --database "$work/bench.sqlite"
echo "database: $(du -h "$work/bench.sqlite" | cut -f1)"
