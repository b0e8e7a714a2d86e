# ROCK developer entry points. `make run` starts local mode; `make test` runs every test tier.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install build rocklet-bundle test-env test-images lint circular test test-unit test-integration run bench clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## install npm dependencies (npm ci)

build: install ## compile services and libs to dist/ (swc)
	npm run build

rocklet-bundle: install ## build dist/rocklet-runtime/ (node + libs + loader + rocklet.js + node-pty)
	bash scripts/rocklet-bundle.sh

test-env: ## make sure Redis, dockerd and the test images are there (installs Debian packages as root)
	bash scripts/test-env.sh

test-images: ## build the Docker test images from Debian packages
	bash scripts/test-images.sh

lint: install ## eslint (zero warnings) + tsc type check
	npm run lint

circular: install ## fail on import cycles
	npm run circular

test-unit: install ## unit tests (*.spec.ts, no network)
	npm run test:unit

test-integration: build rocklet-bundle ## integration tests (real Redis, Docker, processes)
	npm run test:integration

test: test-env build rocklet-bundle lint circular ## the whole suite: env, build, lint, cycles, unit, integration
	npm run test:unit
	npm run test:integration

run: build rocklet-bundle ## start ROCK in local mode on :8080
	node bin/rock admin start --env local

bench: build rocklet-bundle test-env ## run the benchmarks and print results (see bench/RESULTS.md)
	bash bench/run.sh

clean: ## remove build output
	rm -rf dist
