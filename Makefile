# Broadsheet. `make dev` builds the site from content/ and serves it; `make test` runs every
# test; `make site` builds the production site into dist/. All install whatever is missing
# first (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)
PORT ?= 8080
PRESS := cargo run --quiet --profile press -p press --

.PHONY: setup dev preview app app-release site test bench press-bench engagement-bench search-bench

setup:
	@scripts/setup.sh

## Build the site with a debug app (fast to compile) and serve it on http://127.0.0.1:$(PORT)/
## with the engagement service beside it (live counts; SQLite in data/), both stopped by Ctrl-C.
dev: setup app
	$(PRESS) --app target/app --out dist --reactions /engage
	scripts/dev.sh $(PORT)

## Build the production site and serve it exactly as a static host would.
preview: site
	node scripts/serve.mjs dist $(PORT)

## The production site in dist/: the release app, the JSON API, pre-rendered pages, feeds,
## sitemaps, _headers and nginx.conf, from content/. Upload dist/ to any static host.
site: setup app-release
	$(PRESS) --app target/app --out dist

app:
	trunk build --offline

app-release:
	trunk build --release --offline

test: setup
	@scripts/test.sh

## The performance benchmark (not a test): release site against a static-HTML floor.
bench: site
	@command -v cwebp >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq webp >/dev/null; }
	cd bench && npm ci --silent --no-audit --no-fund
	node bench/run.mjs

## The engagement service's benchmark: throughput and latency per endpoint over loopback.
engagement-bench: setup
	scripts/engagement_bench.sh

## The publishing benchmark: press on 1,000 to 10,000 generated articles.
press-bench: setup
	scripts/press_bench.sh

## Search's benchmark: index build time, bytes and time per query on the 10,000-article site.
search-bench: setup
	scripts/search_bench.sh
