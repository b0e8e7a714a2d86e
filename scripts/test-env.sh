#!/usr/bin/env bash
# Makes this machine ready for the integration tests, idempotently (Debian 12, as root):
#   - Debian packages: docker.io, bubblewrap, busybox-static; redis-server only when nothing
#     answers on 127.0.0.1:6379
#   - dockerd started in the background when `docker info` fails (log: $LOG_DIR/dockerd.log)
#   - redis-server started (daemonized, no persistence, 127.0.0.1:6379) when nothing answers
#   - the test images (scripts/test-images.sh)
# Without root and with something missing, it prints what to install and exits 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REDIS_PORT=6379
DOCKERD_DEADLINE_S=90
REDIS_DEADLINE_S=20
if [ "$(id -u)" = 0 ]; then LOG_DIR=/var/log/rock-test-env; else LOG_DIR="${TMPDIR:-/tmp}/rock-test-env-$(id -u)"; fi
started=$(date +%s)

log() { echo "test-env: $*"; }
fail() { echo "test-env: ERROR: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

redis_answers() {
  timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT && printf 'PING\r\n' >&3 && head -c 7 <&3" \
    2>/dev/null | grep -q PONG
}
docker_answers() { command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; }
busybox_static() { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }

# Polls "$1" (a function name) every 250 ms until it succeeds or "$2" seconds pass.
wait_for() {
  local check="$1" deadline=$(( $(date +%s) + $2 ))
  until "$check"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.25
  done
}

missing_packages() {
  # The machine image ships a docker CLI without the engine: look for dockerd itself.
  command -v dockerd >/dev/null || echo docker.io
  command -v bwrap >/dev/null || echo bubblewrap
  busybox_static || echo busybox-static
  redis_answers || command -v redis-server >/dev/null || echo redis-server
}

install_packages() {
  local packages
  packages=$(missing_packages | tr '\n' ' ')
  [ -n "${packages// /}" ] || { log "Debian packages present"; return; }
  if ! is_root; then
    fail "missing: $packages- install them as root: apt-get install -y $packages(or run this script as root)"
  fi
  log "installing $packages"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq || fail "apt-get update failed"
  # shellcheck disable=SC2086
  timeout 1200 apt-get install -y -qq --no-install-recommends $packages >"$LOG_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/apt.log" >&2; fail "apt-get install $packages failed (log $LOG_DIR/apt.log)"; }
}

start_dockerd() {
  if docker_answers; then log "dockerd answers"; return; fi
  is_root || fail "dockerd does not answer: start it (e.g. sudo dockerd &) or add $(id -un) to the docker group"
  log "starting dockerd (log $LOG_DIR/dockerd.log)"
  # Packages may have started a systemd unit; with no systemd (containers, CI) start it ourselves.
  setsid nohup dockerd >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
  if ! wait_for docker_answers "$DOCKERD_DEADLINE_S"; then
    tail -n 40 "$LOG_DIR/dockerd.log" >&2
    fail "dockerd did not answer within ${DOCKERD_DEADLINE_S} s"
  fi
  log "dockerd answers"
}

start_redis() {
  if redis_answers; then log "redis answers on 127.0.0.1:$REDIS_PORT"; return; fi
  command -v redis-server >/dev/null || fail "nothing answers on 127.0.0.1:$REDIS_PORT and redis-server is not installed"
  log "starting redis-server on 127.0.0.1:$REDIS_PORT (no persistence, log $LOG_DIR/redis.log)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir /tmp --logfile "$LOG_DIR/redis.log" >/dev/null
  if ! wait_for redis_answers "$REDIS_DEADLINE_S"; then
    tail -n 20 "$LOG_DIR/redis.log" >&2
    fail "redis-server did not answer within ${REDIS_DEADLINE_S} s"
  fi
  log "redis answers on 127.0.0.1:$REDIS_PORT"
}

mkdir -p "$LOG_DIR"
install_packages
start_dockerd
start_redis
bash "$ROOT/scripts/test-images.sh"
log "ready in $(( $(date +%s) - started )) s"
