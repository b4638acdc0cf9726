# Broadsheet. `make dev` serves the app with its sample content; `make test` runs every test.
# Both install whatever is missing first (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)
PORT ?= 8080

.PHONY: setup dev preview build release test sample bench

setup:
	@scripts/setup.sh

## Build (debug) and serve on http://127.0.0.1:$(PORT)/
dev: setup build
	node scripts/serve.mjs dist $(PORT)

## Build the production site (release, wasm-opt -Oz) and serve it exactly as a CDN would.
preview: setup release
	node scripts/serve.mjs dist $(PORT)

build:
	trunk build --offline

release:
	trunk build --release --offline

## Rebuild the sample API's index files (home, sections, rankings, related) from its articles.
sample:
	python3 scripts/build_sample_api.py

test: setup
	@scripts/test.sh

## The performance benchmark (not a test): release build against a static-HTML floor.
bench: setup release
	cd bench && npm ci --silent --no-audit --no-fund
	node bench/run.mjs
