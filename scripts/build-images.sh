#!/usr/bin/env bash
# Builds ROCK's images here, where no registry is reachable:
#   rock/node-base:20          base assembled from this machine's node binary + its glibc libraries,
#                              busybox (a shell for debugging) and tini-static, loaded with docker import
#   rock/service:latest        docker/service.Dockerfile (write and read), BASE_IMAGE=rock/node-base:20
#   rock/rocklet-runtime:latest  docker/rocklet-runtime.Dockerfile (init container copying the bundle)
# With a registry, pass --base node:20-bookworm-slim to skip the assembled base.
# Each image carries a label with the hash of its inputs; an image whose label matches is kept.
# Usage: bash scripts/build-images.sh [--force] [--base IMAGE] [--tag TAG]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HASH_LABEL="rock.image.hash"
STAGE="$ROOT/.cache/image-build"
LOCK="$ROOT/.cache/build-images.lock"
NODE_BIN="${NODE_BIN:-$(readlink -f "$(command -v node)")}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
TINI="${TINI:-/usr/bin/tini-static}"
FORCE=false
BASE=""
TAG=latest

log() { echo "build-images: $*"; }
fail() { echo "build-images: ERROR: $*" >&2; exit 1; }
image_hash() { docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true; }

while [ $# -gt 0 ]; do
  case "$1" in
    --force) FORCE=true ;;
    --base) BASE="${2:?--base needs an image}"; shift ;;
    --tag) TAG="${2:?--tag needs a tag}"; shift ;;
    *) fail "unknown argument $1 (expected --force, --base IMAGE or --tag TAG)" ;;
  esac
  shift
done

# Shared libraries a binary needs (absolute paths from ldd, the loader included).
libraries_of() { ldd "$1" | awk '/=> \// {print $3} /^[ \t]*\/lib/ {print $1}'; }

# rock/node-base:20 from the host's node: a rootfs with node, its libraries, busybox, tini, /etc.
build_base() {
  local tag=rock/node-base:20 hash rootfs lib
  [ -x "$TINI" ] || fail "$TINI missing (apt-get install tini)"
  hash=$(cat "$NODE_BIN" "$BUSYBOX" "$TINI" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-32)
  if [ "$FORCE" = false ] && [ "$(image_hash "$tag")" = "$hash" ]; then log "$tag is up to date"; return; fi
  rootfs="$STAGE/base-rootfs"
  rm -rf "$rootfs" && mkdir -p "$rootfs"/{usr/local/bin,bin,etc,tmp,lib64,lib/x86_64-linux-gnu}
  cp "$NODE_BIN" "$rootfs/usr/local/bin/node"
  for lib in $(libraries_of "$NODE_BIN"); do cp -L "$lib" "$rootfs$lib"; done
  # Extra glibc pieces node loads at run time (DNS, users).
  for lib in /lib/x86_64-linux-gnu/libnss_{dns,files}.so.2 /lib/x86_64-linux-gnu/libresolv.so.2 /lib/x86_64-linux-gnu/libutil.so.1; do
    [ -e "$lib" ] && cp -L "$lib" "$rootfs$lib"
  done
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in sh ls cat env ps wget; do ln -s busybox "$rootfs/bin/$applet"; done
  cp "$TINI" "$rootfs/usr/local/bin/tini"
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nrock:x:10001:10001:rock:/app:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nrock:x:10001:\n' > "$rootfs/etc/group"
  printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c "LABEL $HASH_LABEL=$hash" -c 'CMD ["node"]' - "$tag" >/dev/null
  rm -rf "$rootfs"
  log "built $tag from $NODE_BIN"
}

# The service build context: compiled services + libs, production node_modules, tini.
stage_service_context() {
  local ctx="$STAGE/service" dir
  rm -rf "$ctx" && mkdir -p "$ctx/dist" "$ctx/node_modules"
  cp "$ROOT/package.json" "$ctx/"
  cp -a "$ROOT/dist/services" "$ROOT/dist/libs" "$ctx/dist/"
  rm -rf "$ctx/dist/services/rocklet" "$ctx/dist/services/local"
  # Left out: workspace links (@rock/*: the build rewrote the aliases to relative paths) and
  # node-pty (rocklet's, shipped in the bundle). @kubernetes/client-node stays (the kubernetes
  # driver loads it at run time) without its type declarations, source maps and nested type-only
  # packages (@types/node, undici-types): ~35 MB of 65.
  (cd "$ROOT" && npm ls --omit=dev --parseable --all 2>/dev/null) | grep "^$ROOT/node_modules/" |
    grep -Ev "/node_modules/(@rock/|node-pty(/|$))" |
    while read -r dir; do
      mkdir -p "$ctx/$(dirname "${dir#"$ROOT/"}")"
      [ -e "$ctx/${dir#"$ROOT/"}" ] || cp -a "$dir" "$ctx/${dir#"$ROOT/"}"
    done
  rm -rf "$ctx/node_modules/@kubernetes/client-node/node_modules"
  find "$ctx/node_modules/@kubernetes/client-node" \( -name '*.d.ts' -o -name '*.map' \) -delete
  cp "$TINI" "$ctx/tini-static" && chmod 0755 "$ctx/tini-static"
  echo "$ctx"
}

build_service() {
  local tag="rock/service:$TAG" base="$1" hash ctx out
  hash=$( { docker image inspect -f '{{.Id}}' "$base"; cat "$ROOT/docker/service.Dockerfile" "$ROOT/package-lock.json";
    (cd "$ROOT/dist" && find services libs -type f -name '*.js' ! -path 'services/rocklet/*' | sort | xargs sha256sum); } | sha256sum | cut -c1-32)
  if [ "$FORCE" = false ] && [ "$(image_hash "$tag")" = "$hash" ]; then log "$tag is up to date"; return; fi
  ctx=$(stage_service_context)
  out=$(timeout 900 docker build -q --build-arg "BASE_IMAGE=$base" --label "$HASH_LABEL=$hash" \
    -f "$ROOT/docker/service.Dockerfile" -t "$tag" "$ctx" 2>&1) || fail "docker build of $tag failed: $out"
  rm -rf "$ctx"
  log "built $tag on $base"
}

build_rocklet_runtime() {
  bash "$ROOT/scripts/rocklet-bundle.sh" --image
  docker tag rock-rocklet-runtime:latest "rock/rocklet-runtime:$TAG"
  log "tagged rock/rocklet-runtime:$TAG"
}

mkdir -p "$STAGE"
exec 9>"$LOCK"
flock -w 900 9 || fail "another image build holds $LOCK for over 900 s"
node "$ROOT/scripts/build.mjs" >/dev/null
if [ -z "$BASE" ]; then build_base; BASE=rock/node-base:20; fi
build_service "$BASE"
build_rocklet_runtime
