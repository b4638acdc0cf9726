#!/usr/bin/env bash
# press's scale benchmark (not a test): builds generated sites of 1,000, 5,000 and 10,000
# articles with the release app and prints wall time and peak memory for each. Then, for
# PICTURE_SIZES (default 10000), the same site with a real photograph of its own on every
# third article (Debian's mate-backgrounds, each a distinct file): the first build, which
# encodes them all, and a rebuild from the picture cache. The output goes to a fresh folder
# each time.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
[ -f target/app/index.html ] || trunk build --release --offline
cargo build --quiet --profile press -p press
# BENCH_DIR=/dev/shm measures in memory, without the disk's cost of creating 20,000 files.
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$work"' EXIT
printf '| articles | wall time | peak memory | press says |\n|---:|---:|---:|---|\n'
for n in ${SIZES:-1000 5000 10000}; do
  python3 scripts/generate_content.py "$n" "$work/content-$n"
  /usr/bin/time -f '%e %M' -o "$work/time" target/press/press --content "$work/content-$n" \
    --app target/app --out "$work/site-$n" > "$work/log"
  read -r secs kb < "$work/time"
  printf '| %s | %s s | %s MB | %s |\n' "$n" "$secs" "$((kb / 1024))" "$(sed 's/^press: //' "$work/log")"
  rm -rf "$work/site-$n" "$work/content-$n"
done
photos=$(scripts/photos.sh)
for n in ${PICTURE_SIZES-10000}; do
  python3 scripts/generate_content.py "$n" "$work/photos-$n" "$photos"
  for run in "first build" "cached rebuild"; do
    /usr/bin/time -f '%e %M' -o "$work/time" target/press/press --content "$work/photos-$n" \
      --app target/app --out "$work/site-$n" --cache "$work/cache" > "$work/log"
    read -r secs kb < "$work/time"
    printf '| %s, photographs, %s | %s s | %s MB | %s |\n' "$n" "$run" "$secs" "$((kb / 1024))" "$(sed 's/^press: //' "$work/log")"
  done
  rm -rf "$work/site-$n" "$work/photos-$n" "$work/cache"
done
