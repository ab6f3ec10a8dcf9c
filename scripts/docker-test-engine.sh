#!/usr/bin/env bash
# A private Docker engine for fleet-health's tests and local runs: its own socket, data root, exec root
# and pid file, and no bridge, iptables or masquerading, so nothing leaves loopback.
#
#   scripts/docker-test-engine.sh start    install (if missing), start, wait, import the test image
#   scripts/docker-test-engine.sh stop     stop the engine
#   scripts/docker-test-engine.sh status   exit 0 when the engine answers
#   scripts/docker-test-engine.sh env      print the export line for DOCKER_HOST
#   scripts/docker-test-engine.sh image    import the test image into the engine at DOCKER_HOST (an engine
#                                          of your own; no root needed, only /bin/busybox from busybox-static)
#
# Settings: FLEET_DOCKER_RUN_DIR (socket, pid, log; default /run/fleet-docker), FLEET_DOCKER_DATA_DIR
# (default /var/lib/fleet-docker), FLEET_TEST_IMAGE (default fleet-test/busybox:1).
set -euo pipefail

RUN_DIR=${FLEET_DOCKER_RUN_DIR:-/run/fleet-docker}
DATA_DIR=${FLEET_DOCKER_DATA_DIR:-/var/lib/fleet-docker}
SOCK="$RUN_DIR/docker.sock"
PIDFILE="$RUN_DIR/dockerd.pid"
LOG="$RUN_DIR/dockerd.log"
TEST_IMAGE=${FLEET_TEST_IMAGE:-fleet-test/busybox:1}
CALLER_DOCKER_HOST=${DOCKER_HOST:-}
export DOCKER_HOST="unix://$SOCK"

log() { echo "docker-test-engine: $*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "must run as root (it installs packages and starts dockerd): sudo $0 $*"
    exit 1
  fi
}

install_missing() {
  local pkgs=()
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || pkgs+=(docker.io)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx sh || pkgs+=(busybox-static)
  if [ ${#pkgs[@]} -gt 0 ]; then
    log "installing ${pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  fi
}

answers() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start_engine() {
  if running_pid >/dev/null && answers; then
    log "engine already running (pid $(running_pid)) on $SOCK"
    return
  fi
  # A stopped machine can leave a stale pid file and socket behind.
  if ! running_pid >/dev/null; then
    rm -f "$PIDFILE" "$SOCK" "$RUN_DIR/containerd.sock"
  fi
  mkdir -p "$RUN_DIR" "$DATA_DIR"
  local dockerd_bin
  dockerd_bin=$(command -v dockerd || echo /usr/sbin/dockerd)
  log "starting $dockerd_bin on $SOCK (data root $DATA_DIR, log $LOG)"
  nohup "$dockerd_bin" \
    --host "unix://$SOCK" \
    --data-root "$DATA_DIR/data" \
    --exec-root "$RUN_DIR/exec" \
    --pidfile "$PIDFILE" \
    --bridge=none --iptables=false --ip-masq=false --ip6tables=false \
    >"$LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until answers; do
    if [ $SECONDS -ge $deadline ]; then
      log "engine did not answer within 60 s; last lines of $LOG:"
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "engine ready: $(docker version --format '{{.Server.Version}}')"
}

import_test_image() {
  if docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
    return
  fi
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/root/bin" "$work/root/tmp" "$work/root/etc"
  cp /bin/busybox "$work/root/bin/busybox"
  for applet in sh sleep test touch mkdir rm cat echo kill ps true false ls date head grep wc; do
    ln -s busybox "$work/root/bin/$applet"
  done
  chmod 1777 "$work/root/tmp"
  echo "root:x:0:0:root:/:/bin/sh" > "$work/root/etc/passwd"
  tar -C "$work/root" -cf "$work/rootfs.tar" .
  docker import --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$TEST_IMAGE" >/dev/null
  log "imported test image $TEST_IMAGE"
}

stop_engine() {
  local pid
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "engine stopped"
  fi
  rm -f "$PIDFILE" "$SOCK"
}

case "${1:-start}" in
  start) need_root start; install_missing; start_engine; import_test_image
         echo "export DOCKER_HOST=$DOCKER_HOST" ;;
  stop) need_root stop; stop_engine ;;
  status) answers ;;
  env) echo "export DOCKER_HOST=$DOCKER_HOST" ;;
  image) export DOCKER_HOST=${CALLER_DOCKER_HOST:-$DOCKER_HOST}
         if ! /bin/busybox --list 2>/dev/null | grep -qx sh; then
           log "needs a static busybox at /bin/busybox: apt-get install busybox-static"; exit 1
         fi
         import_test_image; log "$TEST_IMAGE is in the engine at $DOCKER_HOST" ;;
  *) log "unknown command '$1': use start, stop, status, env or image"; exit 2 ;;
esac
