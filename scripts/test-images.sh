#!/usr/bin/env bash
# Builds the Docker images the integration tests and benchmarks use, without any registry:
#   rock-test-bash:latest     Debian 12 userland from .deb files (apt-get download + dpkg -x):
#                             bash, coreutils, grep, sed, findutils, python3 (minimal), glibc.
#   rock-test-busybox:latest  ONLY a static busybox and its applet symlinks: no libc, no loader.
# Each image carries a label with the hash of its content (script + package versions, or the
# busybox binary); an image whose label matches is kept. Downloaded .debs are cached.
# Usage: bash scripts/test-images.sh [--force]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELF="${BASH_SOURCE[0]}"
HASH_LABEL="rock.test-image.hash"
FORCE="${1:-}"
if [ -w /var/cache ] || [ -w /var/cache/rock-test-images ]; then CACHE=/var/cache/rock-test-images
else CACHE="$ROOT/.cache/test-images"; fi
BASH_PACKAGES=(bash coreutils grep sed findutils mawk python3-minimal)
# Alternatives and tools that apt's recursive closure drags in but the image does not need.
SKIP_PACKAGES=' gawk original-awk dpkg install-info libsigsegv2 libmpfr6 tar '
BUSYBOX="${BUSYBOX:-/bin/busybox}"

log() { echo "test-images: $*"; }
fail() { echo "test-images: ERROR: $*" >&2; exit 1; }

image_hash() { docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true; }

# Packages in the dependency closure of BASH_PACKAGES as "name version arch" lines.
package_closure() {
  local names
  names=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${BASH_PACKAGES[@]}" | grep -v '^[ <]' | sort -u)
  names=$(for n in $names; do [[ "$SKIP_PACKAGES" == *" $n "* ]] || echo "$n"; done)
  # shellcheck disable=SC2086
  apt-cache show --no-all-versions $names \
    | awk '/^Package:/ {p=$2} /^Version:/ {v=$2} /^Architecture:/ {print p, v, $2}'
}

# Fetches one .deb into the cache (reusing apt's own archive cache) and prints its path.
fetch_deb() {
  local name="$1" version="$2" arch="$3" file
  file="${name}_${version//:/%3a}_${arch}.deb"
  if [ ! -s "$CACHE/debs/$file" ]; then
    if [ -s "/var/cache/apt/archives/$file" ]; then
      cp "/var/cache/apt/archives/$file" "$CACHE/debs/$file"
    else
      (cd "$CACHE/debs" && timeout 300 apt-get download -qq -o APT::Sandbox::User=root "$name=$version" >/dev/null) \
        || fail "apt-get download $name=$version failed (is the Debian mirror reachable?)"
    fi
  fi
  echo "$CACHE/debs/$file"
}

# Minimal account and directory layout every test image shares.
base_layout() {
  local rootfs="$1" shell="$2"
  mkdir -p "$rootfs"/{etc,tmp,root,dev,proc,sys,run,var/tmp,home}
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  chmod 700 "$rootfs/root"
  printf 'root:x:0:0:root:/root:%s\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' "$shell" >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
}

# Streams a rootfs into `docker import` with the content-hash label; root-owned, whoever runs it.
import_rootfs() {
  local rootfs="$1" tag="$2" hash="$3" old
  old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . \
    | timeout 300 docker import -c "LABEL $HASH_LABEL=$hash" -c 'CMD ["/bin/sh"]' \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$tag" >/dev/null \
    || fail "docker import of $tag failed"
  # The replaced image is removed only when nothing uses it (no --force).
  [ -n "$old" ] && docker rmi "$old" >/dev/null 2>&1 || true
}

build_bash_image() {
  local tag=rock-test-bash:latest packages hash rootfs deb
  if ! apt-cache show bash >/dev/null 2>&1; then
    log "apt package lists are empty, running apt-get update"
    timeout 300 apt-get update -qq || fail "apt-get update failed"
  fi
  packages=$(package_closure)
  [ -n "$packages" ] || fail "could not resolve the packages for $tag"
  hash=$( (sha256sum "$SELF" | cut -d' ' -f1; echo "$packages") | sha256sum | cut -c1-32)
  if [ "$FORCE" != "--force" ] && [ "$(image_hash "$tag")" = "$hash" ]; then
    log "$tag is up to date (${hash:0:12})"; return
  fi
  log "building $tag from $(echo "$packages" | wc -l) Debian packages (cache $CACHE/debs)"
  mkdir -p "$CACHE/debs"
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' RETURN
  while read -r name version arch; do
    deb=$(fetch_deb "$name" "$version" "$arch")
    dpkg -x "$deb" "$rootfs"
  done <<<"$packages"
  rm -rf "$rootfs"/usr/share/{doc,man,info,locale,lintian}
  base_layout "$rootfs" /bin/bash
  [ -e "$rootfs/bin/sh" ] || ln -s bash "$rootfs/bin/sh"
  echo 'include /etc/ld.so.conf.d/*.conf' >"$rootfs/etc/ld.so.conf"
  ldconfig -r "$rootfs" 2>/dev/null || /sbin/ldconfig -r "$rootfs"
  [ -x "$rootfs/usr/bin/python3" ] || fail "python3 is missing from the $tag rootfs"
  import_rootfs "$rootfs" "$tag" "$hash"
  log "built $tag (${hash:0:12}), $(du -sh "$rootfs" | cut -f1)"
}

build_busybox_image() {
  local tag=rock-test-busybox:latest hash rootfs applet
  [ -x "$BUSYBOX" ] || fail "$BUSYBOX not found: install busybox-static"
  if ldd "$BUSYBOX" >/dev/null 2>&1; then fail "$BUSYBOX is dynamically linked; install busybox-static"; fi
  hash=$(cat "$SELF" "$BUSYBOX" | sha256sum | cut -c1-32)
  if [ "$FORCE" != "--force" ] && [ "$(image_hash "$tag")" = "$hash" ]; then
    log "$tag is up to date (${hash:0:12})"; return
  fi
  log "building $tag from $BUSYBOX"
  mkdir -p "$CACHE"
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' RETURN
  mkdir -p "$rootfs/bin"
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in $("$BUSYBOX" --list-full); do
    mkdir -p "$rootfs/$(dirname "$applet")"
    [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
  done
  base_layout "$rootfs" /bin/sh
  [ -L "$rootfs/bin/sh" ] || fail "busybox has no sh applet"
  if [ -n "$(find "$rootfs" \( -name 'ld-linux*' -o -name 'libc.so*' -o -name 'ld-musl*' \) -print -quit)" ]; then
    fail "$tag rootfs unexpectedly holds a dynamic loader or libc"
  fi
  import_rootfs "$rootfs" "$tag" "$hash"
  log "built $tag (${hash:0:12}), $("$BUSYBOX" --list-full | wc -l) applets"
}

command -v docker >/dev/null || fail "docker CLI not found: install docker.io (or run scripts/test-env.sh)"
timeout 30 docker info >/dev/null 2>&1 || fail "dockerd does not answer (docker info); run scripts/test-env.sh"
mkdir -p "$CACHE"
exec 8>"$CACHE/.lock"
flock -w 600 8 || fail "another test-images run holds $CACHE/.lock for over 600 s"
started=$(date +%s)
build_busybox_image
build_bash_image
log "done in $(( $(date +%s) - started )) s"
