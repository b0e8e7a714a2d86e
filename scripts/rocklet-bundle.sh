#!/usr/bin/env bash
# Builds dist/rocklet-runtime/: a self-contained rocklet that runs in any Linux image, with or
# without a libc, because it starts through its own dynamic loader:
#   /rock/lib/ld-linux-x86-64.so.2 --library-path /rock/lib /rock/bin/node /rock/rocklet.js --port 22555
# The loader's --library-path is not an environment variable, so processes rocklet spawns see the
# image's own libraries (LD_LIBRARY_PATH stays unset).
# Incremental: a hash of every input is stored in the bundle; unchanged inputs skip the rebuild.
# Usage: bash scripts/rocklet-bundle.sh [--force] [--image]
#   --image also builds rock-rocklet-runtime:latest (docker/rocklet-runtime.Dockerfile) when its
#   rock.bundle.hash label differs from the bundle's input hash.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/dist/rocklet-runtime"
ENTRY="$ROOT/services/rocklet/src/main.ts"
PTY_DIR="$ROOT/node_modules/node-pty"
NODE_BIN="$(readlink -f "$(command -v node)")"
LOCK="$ROOT/dist/.rocklet-bundle.lock"
started=$(date +%s%N)

log() { echo "rocklet-bundle: $*"; }
fail() { echo "rocklet-bundle: ERROR: $*" >&2; exit 1; }

[ -f "$ENTRY" ] || fail "entry $ENTRY is missing"
[ -f "$PTY_DIR/build/Release/pty.node" ] || fail "node-pty is not built ($PTY_DIR/build/Release/pty.node missing; run npm ci)"
[ "$(uname -m)" = "x86_64" ] || fail "only x86_64 hosts are supported (loader ld-linux-x86-64.so.2)"

# Every input that can change the bundle: this script, the lockfile, tsconfig, node, node-pty, and
# exactly the source files esbuild read last time (its metafile, kept as .inputs-list). A new import
# changes an already listed file, so the list never misses an input. No list: rebuild.
inputs_hash() {
  local list="$1"
  [ -f "$list" ] || { echo "no-input-list"; return; }
  {
    sha256sum "${BASH_SOURCE[0]}" "$ROOT/package-lock.json" "$ROOT/tsconfig.json" "$NODE_BIN" \
      "$PTY_DIR/package.json" "$PTY_DIR/build/Release/pty.node"
    (cd "$ROOT" && xargs -d '\n' -r sha256sum <"$list") 2>/dev/null || echo "an input is gone"
    find "$PTY_DIR/lib" -name '*.js' ! -name '*.test.js' -print0 | sort -z | xargs -0 -r sha256sum
  } | sed "s#  $ROOT/#  #" | sha256sum | cut -d' ' -f1
}

# Shared libraries ldd resolves for a binary, one absolute path per line, loader included.
resolved_libs() {
  ldd "$1" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }'
}

write_launcher() {
  cat >"$1/bin/rocklet" <<'EOF'
#!/bin/sh
# Host launcher: runs the bundled node through the bundled loader, so it works on any x86_64 Linux.
# Usage: bin/rocklet --host 127.0.0.1 --port 22555   (token from ROCKLET_TOKEN)
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd) || exit 1
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib" "$here/bin/node" "$here/rocklet.js" "$@"
EOF
  chmod 755 "$1/bin/rocklet"
}

build_into() {
  local dir="$1" lib
  mkdir -p "$dir/bin" "$dir/lib" "$dir/node_modules/node-pty/lib" "$dir/node_modules/node-pty/build/Release"
  cp "$NODE_BIN" "$dir/bin/node"
  for lib in $( (resolved_libs "$NODE_BIN"; resolved_libs "$PTY_DIR/build/Release/pty.node") | sort -u); do
    cp -L "$lib" "$dir/lib/$(basename "$lib")"
  done
  [ -x "$dir/lib/ld-linux-x86-64.so.2" ] || fail "ldd did not report ld-linux-x86-64.so.2 for $NODE_BIN"
  cp "$PTY_DIR/package.json" "$dir/node_modules/node-pty/"
  cp "$PTY_DIR/build/Release/pty.node" "$dir/node_modules/node-pty/build/Release/"
  (cd "$PTY_DIR/lib" && find . -name '*.js' ! -name '*.test.js' -exec cp --parents {} "$dir/node_modules/node-pty/lib/" \;)
  (cd "$ROOT" && node_modules/.bin/esbuild "$ENTRY" --bundle --platform=node --target=node20 --format=cjs \
    --tsconfig=tsconfig.json --external:node-pty --sourcemap --log-level=warning \
    --metafile="$dir.meta.json" --outfile="$dir/rocklet.js")
  node -e "for (const f of Object.keys(require(process.argv[1]).inputs)) console.log(f)" "$dir.meta.json" \
    | sort >"$dir/.inputs-list"
  rm -f "$dir.meta.json"
  write_launcher "$dir"
}

# Proves the bundle starts through its own loader; a broken bundle must never be installed.
smoke_test() {
  local dir="$1" out
  out=$("$dir/lib/ld-linux-x86-64.so.2" --library-path "$dir/lib" "$dir/bin/node" -e \
    "require('$dir/node_modules/node-pty'); process.stdout.write(process.version)" 2>&1) \
    || fail "bundled node or node-pty does not load: $out"
  log "smoke test: bundled node $out loads node-pty"
}

# Old bundles may still be bind-mounted into running containers: move them aside, delete later.
install_bundle() {
  local tmp="$1" stamp
  stamp=$(date +%s)
  [ -d "$OUT" ] && mv "$OUT" "$ROOT/dist/.rocklet-runtime.old-$stamp-$$"
  mv "$tmp" "$OUT"
  find "$ROOT/dist" -maxdepth 1 -name '.rocklet-runtime.old-*' -mmin +30 -exec rm -rf {} + 2>/dev/null || true
}

# The bundle as an image for Kubernetes init containers; skipped when its label matches the bundle.
build_image() {
  local tag=rock-rocklet-runtime:latest hash current out
  hash=$(cat "$OUT/.inputs-hash")
  current=$(docker image inspect -f '{{ index .Config.Labels "rock.bundle.hash" }}' "$tag" 2>/dev/null || true)
  if [ "$current" = "$hash" ]; then log "$tag is up to date"; return; fi
  out=$(timeout 300 docker build -q --build-arg "BUNDLE_HASH=$hash" -f "$ROOT/docker/rocklet-runtime.Dockerfile" \
    -t "$tag" "$OUT" 2>&1) || fail "docker build of $tag failed: $out"
  log "built $tag"
}

FORCE=false
IMAGE=false
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=true ;;
    --image) IMAGE=true ;;
    *) fail "unknown argument $arg (expected --force or --image)" ;;
  esac
done

mkdir -p "$ROOT/dist"
exec 9>"$LOCK"
flock -w 120 9 || fail "another bundle build holds $LOCK for over 120 s"

hash=$(inputs_hash "$OUT/.inputs-list")
if [ "$FORCE" = false ] && [ -f "$OUT/.inputs-hash" ] && [ "$(cat "$OUT/.inputs-hash")" = "$hash" ]; then
  log "inputs unchanged (${hash:0:12}), kept $OUT"
  [ "$IMAGE" = false ] || build_image
  exit 0
fi

tmp="$ROOT/dist/.rocklet-runtime.tmp-$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp" "$tmp.meta.json"' EXIT
build_into "$tmp"
smoke_test "$tmp"
hash=$(inputs_hash "$tmp/.inputs-list")
echo "$hash" >"$tmp/.inputs-hash"
install_bundle "$tmp"
trap - EXIT
log "built $OUT (${hash:0:12}): $(du -sh "$OUT" | cut -f1), $(ls "$OUT/lib" | wc -l) libs, node $(basename "$NODE_BIN") from $NODE_BIN, in $(( ($(date +%s%N) - started) / 1000000 )) ms"
[ "$IMAGE" = false ] || build_image
