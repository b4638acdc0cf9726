#!/usr/bin/env bash
# The engagement service's benchmark (not a test): the release binary and a site of 1,000
# articles, driven over loopback by engagement/examples/load.rs on the same machine, bounded
# in time (SECONDS per phase, 12x for the visitors phase) and count (VISITORS), three times:
# on a fresh SQLite file, then one and two replicas on a fresh PostgreSQL database (a
# throwaway cluster on a loopback port, durable as shipped: fsync and synchronous_commit on).
# Prints a table per run for the README, start-up time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-10}
CONNECTIONS=${CONNECTIONS:-32}
VISITORS=${VISITORS:-1000000}
scripts/postgres.sh
cargo build --quiet --release -p engagement --example load --bin engagement
bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -1)")
work=$(mktemp -d)
pids=()
addresses=()
started_count=0
# PostgreSQL refuses to run as root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/site/api" "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg" && chmod 755 "$work"
python3 - "$work/site/api/manifest.json" <<'PY'
import json, sys
cards = [{"id": f"a-{i}", "card": {"slug": f"story-{i}", "title": f"Story {i}", "section": {"slug": "news", "name": "News"}, "published_at": "2026-12-01T09:00:00Z"}} for i in range(1000)]
json.dump({"most_read_title": "Most read", "articles": cards}, open(sys.argv[1], "w"))
PY

# Starts one service on DATABASE; its pid goes to pids, its address to addresses.
start() {
  local database=$1 out="$work/out.$((started_count += 1))"
  local started listening ready
  started=$(date +%s%N)
  target/release/engagement --listen 127.0.0.1:0 --database "$database" --site "$work/site" \
    --rate-per-second 1000000000 --rate-burst 1000000000 --reads-per-group 1000000000 \
    --reactions-per-day 1000000000 > "$out" 2>> "$work/log" &
  pids+=($!)
  until grep -q "listening on" "$out" 2>/dev/null; do sleep 0.01; done
  listening=$(date +%s%N)
  address=$(sed -n 's/.*listening on http:\/\///p' "$out")
  addresses+=("$address")
  until curl -sf "http://$address/readyz" >/dev/null; do sleep 0.01; done
  ready=$(date +%s%N)
  echo "start-up: $(( (listening - started) / 1000000 )) ms to listening, $(( (ready - started) / 1000000 )) ms to ready (fresh database)"
}

# Sums a counter of every replica's /metrics.
metric() {
  local address total=0
  for address in "${addresses[@]}"; do
    total=$(( total + $(curl -sf "http://$address/metrics" | awk -v m="$1" '$1 == m {s += $2} END {print s + 0}') ))
  done
  echo "$total"
}

# Loads the replicas in `addresses`, then reports each one's peak memory and stops them (a
# stop writes the reads still buffered). Sets $answered and $dropped (reads).
measure() {
  target/release/examples/load "$(IFS=,; echo "${addresses[*]}")" 1000 "$SECONDS_PER_PHASE" \
    "$CONNECTIONS" "$VISITORS"
  answered=$(metric 'engagement_requests_total{route="views",status="204"}')
  dropped=$(metric engagement_reads_dropped_total)
  echo "reads waiting to be written as the load ended: $(metric engagement_reads_buffered)"
  for pid in "${pids[@]}"; do
    echo "peak memory (VmHWM) of replica $pid: $(awk '/VmHWM/ {print int($2/1024) " MB"}' /proc/"$pid"/status)"
    kill -TERM "$pid"; wait "$pid" || echo "replica $pid stopped with an error (see the log)"
  done
  pids=()
  addresses=()
}

# After a stop: every read answered 204 is written, or was dropped with the buffer full.
reads() {
  echo "reads: $answered answered 204, $1 written, $dropped dropped (buffer full)"
}

echo "== SQLite"
start "$work/bench.sqlite"
measure
reads "$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT coalesce(sum(views), 0) FROM counters").fetchone()[0])' "$work/bench.sqlite")"
target/release/engagement check --database "$work/bench.sqlite"
echo "database: $(du -h "$work/bench.sqlite" | cut -f1)"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  --pgdata "$work/pg/data" >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
for replicas in 1 2; do
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), $replicas replica(s)"
  url="postgres://postgres@127.0.0.1:$port/bench$replicas"
  as_pg "$bin/psql" -Xq -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE bench$replicas"
  for _ in $(seq "$replicas"); do
    start "$url"
  done
  measure
  reads "$(as_pg "$bin/psql" -XAt -h 127.0.0.1 -p "$port" -U postgres -d "bench$replicas" \
    -c "SELECT coalesce(sum(views), 0) FROM counters")"
  target/release/engagement check --database "$url"
  echo "database: $(as_pg "$bin/psql" -XAt -h 127.0.0.1 -p "$port" -U postgres \
    -c "SELECT pg_size_pretty(pg_database_size('bench$replicas'))")"
done
