#!/usr/bin/env bash
# Real photographs for the picture tests and benchmarks, taken at run time from Debian's
# mate-backgrounds package (free licences; see its copyright file) and never committed.
# Prints the folder of JPEGs. Safe to run again: skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.tools/photos
if ! ls "$dir"/*.jpg >/dev/null 2>&1; then
  mkdir -p "$dir/deb"
  (cd "$dir/deb" && { apt-get download mate-backgrounds >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get download mate-backgrounds >/dev/null; }; })
  dpkg -x "$dir"/deb/mate-backgrounds_*.deb "$dir/deb/x"
  find "$dir/deb/x/usr/share/backgrounds" -name '*.jpg' -exec cp {} "$dir/" \;
  cp "$dir/deb/x/usr/share/doc/mate-backgrounds/copyright" "$dir/COPYRIGHT"
  rm -rf "$dir/deb"
fi
echo "$PWD/$dir"
