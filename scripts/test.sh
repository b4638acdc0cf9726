#!/usr/bin/env bash
# Every test of Broadsheet, in the order that fails fastest. Run through `make test`, which
# installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "shape: components use neither the pages nor the router (the first view and press render them alone)"
if grep -rnE "crate::(pages|router)" src/components; then
  echo "a component imports pages/ or the router (above)" >&2
  exit 1
fi

step "clippy (host: the app, press with the app's ssr feature, the engagement service)"
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy -p press --all-targets --quiet -- -D warnings
cargo clippy -p engagement --all-targets --quiet -- -D warnings

step "clippy (wasm32)"
cargo clippy --all-targets --target wasm32-unknown-unknown --quiet -- -D warnings

step "unit tests (native)"
cargo test --quiet

step "press: unit, golden, bad-content, picture and property tests (real photographs from Debian's mate-backgrounds)"
# In the press profile: the build that publishes below reuses it, and pictures are decoded
# and encoded at full speed (a debug build took 9 minutes over the photographs).
BROADSHEET_PHOTOS=$(scripts/photos.sh) cargo test -p press --profile press --quiet

step "the engagement service: unit tests, and the real binary over HTTP, every test on SQLite and on a throwaway PostgreSQL cluster (SIGKILL, two replicas, PostgreSQL crashing under load)"
scripts/postgres.sh
cargo test -p engagement --quiet

step "component tests (wasm, headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test browser

step "release build (trunk, wasm-opt -Oz) and the site from content/ (press)"
trunk build --release --offline
cargo run --quiet --profile press -p press -- --app target/app --out dist

step "browser tests on the release build: schema, smoke, journeys, search, accessibility, faults, screenshots"
started=$(date +%s)
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec \
  serve.test.mjs schema.test.mjs smoke.test.mjs prerender.test.mjs first_view.test.mjs pictures.test.mjs languages.test.mjs engagement.test.mjs journeys.test.mjs search.test.mjs a11y.test.mjs faults.test.mjs screenshots.test.mjs)
echo "browser suite: $(( $(date +%s) - started )) s"

step "all passed"
