#!/usr/bin/env bash
# `make dev`'s last step: the engagement service (SQLite in data/, git-ignored) on port
# ENGAGE_PORT (8787), and the site from dist/ on the given port, routing /engage/ to the
# service as a same-origin deployment does. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8080}
engage_port=${ENGAGE_PORT:-8787}
cargo build --quiet --release -p engagement
mkdir -p data
target/release/engagement --listen "127.0.0.1:$engage_port" --database data/engagement.sqlite \
  --site dist --trust-proxy 127.0.0.1 &
service=$!
trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null' EXIT INT TERM
node scripts/serve.mjs dist "$port" 127.0.0.1 / "http://127.0.0.1:$engage_port"
