#!/usr/bin/env bash
# Runs every benchmark against the dist build and the bundle (`make bench` builds both and the test
# images first). Results print to stdout and land in bench/out/*.json; bench/RESULTS.md keeps the
# numbers we publish, with the command that produced them.
# Usage: bash bench/run.sh [extra args passed to each benchmark, e.g. --n 50]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f dist/test/support/index.js ] || { echo "bench: dist/ is missing: run make build" >&2; exit 1; }
[ -f dist/rocklet-runtime/rocklet.js ] || { echo "bench: the rocklet bundle is missing: run make rocklet-bundle" >&2; exit 1; }

echo "bench: $(date -u +%FT%TZ) on $(hostname), $(nproc) cores, $(docker version -f 'docker {{.Server.Version}}' 2>/dev/null || echo 'docker ?')"
for bench in bench/rocklet/exec.bench.mjs bench/rocklet/readiness.bench.mjs; do
  echo "=== node $bench $*"
  timeout 900 node "$bench" "$@"
done
# Control plane and GEM serving: write + read services as processes (own Redis prefix and instance).
for bench in bench/control-plane/docker-create.bench.mjs bench/control-plane/local-create.bench.mjs \
  bench/control-plane/create-floor.bench.mjs bench/control-plane/create-intake.bench.mjs \
  bench/control-plane/exec.bench.mjs bench/control-plane/throughput.bench.mjs bench/gem/serving.bench.mjs; do
  echo "=== node $bench $*"
  timeout 1200 node "$bench" "$@"
done
