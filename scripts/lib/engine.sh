# shellcheck shell=bash
# A Docker-compatible container engine for run.sh and test.sh.
# Requires common.sh to be sourced first.
#
# Docker's own engine does not run on our dev/CI machines, but Podman does and
# serves the Docker Engine API on a unix socket. Each caller gets its own Podman
# service with private storage/run/tmp/network dirs under ENGINE_DIR, so runs do
# not see (or prune) each other's containers, images or networks.

ENGINE_DIR=""       # dir holding storage/, run/, tmp/, networks/, podman.sock, podman.log
ENGINE_PID=""       # pid of the `podman system service` we started (empty if none)
ENGINE_PACKAGES=(podman runc busybox-static uidmap)

# _engine_cmd: prints nothing; sets ENGINE_CMD to the podman command line bound
# to ENGINE_DIR's private state (an array, so setsid can exec it).
_engine_cmd() {
  ENGINE_CMD=(env "CONTAINERS_CONF=$ENGINE_DIR/containers.conf" podman
    --root "$ENGINE_DIR/storage" --runroot "$ENGINE_DIR/run" --tmpdir "$ENGINE_DIR/tmp"
    --network-config-dir "$ENGINE_DIR/networks")
}

# engine_podman ARGS...: the podman CLI on our private engine.
engine_podman() {
  _engine_cmd
  "${ENGINE_CMD[@]}" "$@"
}

# engine_ensure DIR: uses $DOCKER_HOST when set (someone else's engine, left
# alone), else starts a private Podman service in DIR. Returns 1 (after saying
# why) if no engine could be started; callers go on without one.
engine_ensure() {
  if [ -n "${DOCKER_HOST:-}" ]; then
    info "using DOCKER_HOST=$DOCKER_HOST"
    return 0
  fi
  engine_start_podman "$1"
}

# engine_start_podman DIR: starts `podman system service` on unix://DIR/podman.sock
# and exports DOCKER_HOST for it.
engine_start_podman() {
  ENGINE_DIR=$1
  apt_install "${ENGINE_PACKAGES[@]}" || { warn "could not install ${ENGINE_PACKAGES[*]}"; return 1; }
  mkdir -p "$ENGINE_DIR"/{storage,run,tmp,networks}
  _engine_write_conf
  _engine_kill_stale
  local sock="$ENGINE_DIR/podman.sock"
  if [ "${#sock}" -gt 100 ]; then
    warn "socket path too long for a unix socket (${#sock} chars): $sock"
    return 1
  fi
  rm -f "$sock"
  # setsid: the service gets its own process group, so a terminal Ctrl-C reaches
  # only us and our trap stops it in order (containers first, then the service).
  _engine_cmd
  setsid "${ENGINE_CMD[@]}" system service --time=0 "unix://$sock" >"$ENGINE_DIR/podman.log" 2>&1 &
  ENGINE_PID=$!
  echo "$ENGINE_PID" >"$ENGINE_DIR/podman.pid"
  if ! wait_for 30 curl -fsS --unix-socket "$sock" http://d/v1.41/version; then
    warn "the podman service did not answer on $sock; last log lines:"
    tail -n 15 "$ENGINE_DIR/podman.log" >&2 || true
    engine_stop
    return 1
  fi
  export DOCKER_HOST="unix://$sock"
  info "podman service ready: DOCKER_HOST=$DOCKER_HOST"
}

# Podman's settings for our engines are in containers.conf beside this file (why each one, there). This engine's
# networks take a /16 of 10.100-179, chosen by its folder (the Docker tests' engines take 10.180-249).
ENGINE_CONF_TEMPLATE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/containers.conf"
_engine_write_conf() {
  local octet=$(( 100 + $(printf '%s' "$ENGINE_DIR" | cksum | cut -d' ' -f1) % 80 ))
  sed "s|@SUBNET_POOL@|10.$octet.0.0/16|" "$ENGINE_CONF_TEMPLATE" >"$ENGINE_DIR/containers.conf"
}

# A service left over from a run that was killed with SIGKILL: stop it if the
# recorded pid is still that very service (checked by its socket path).
_engine_kill_stale() {
  local pid cmdline
  pid=$(cat "$ENGINE_DIR/podman.pid" 2>/dev/null) || return 0
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || cmdline=""
  if [ -n "$pid" ] && [[ "$cmdline" == *"unix://$ENGINE_DIR/podman.sock"* ]]; then
    info "stopping a podman service left over from an earlier run (pid $pid)"
    ENGINE_PID=$pid
    engine_stop
  fi
  rm -f "$ENGINE_DIR/podman.pid"
}

# engine_stop: removes the containers, pods and networks of our private engine,
# then stops the service. Never fails; does nothing for an external DOCKER_HOST.
engine_stop() {
  [ -n "$ENGINE_DIR" ] && [ -d "$ENGINE_DIR/storage" ] || return 0
  engine_podman rm -af -t 0 >/dev/null 2>&1 || true
  engine_podman pod rm -af -t 0 >/dev/null 2>&1 || true
  engine_podman network prune -f >/dev/null 2>&1 || true
  stop_pid "$ENGINE_PID" 10
  ENGINE_PID=""
  _engine_kill_orphans
  rm -f "$ENGINE_DIR/podman.pid" "$ENGINE_DIR/podman.sock"
}

# A container that was being stopped gracefully (an old instance retiring) when `rm -af` removed its record keeps
# running under its conmon, which nothing will reap: end each conmon of this engine's storage and its children.
_engine_kill_orphans() {
  local pid
  for pid in $(pgrep -f -- "conmon .*-b $ENGINE_DIR/storage/" 2>/dev/null); do
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# engine_destroy: engine_stop, then delete ENGINE_DIR. The overlay driver makes
# storage/overlay a private mount, so unmount before deleting.
engine_destroy() {
  [ -n "$ENGINE_DIR" ] && [ -d "$ENGINE_DIR" ] || return 0
  engine_stop
  engine_podman system reset -f >/dev/null 2>&1 || true
  local m
  for m in $(findmnt -rn -o TARGET 2>/dev/null | grep -F "$ENGINE_DIR/" | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$ENGINE_DIR" 2>/dev/null || warn "could not fully remove $ENGINE_DIR"
}

# engine_import_demo_images: imports localhost/paddock-demo:1 and :2 into our
# private storage (no registry is reachable, so images are made locally) unless
# present. The images are ~2 MB: static busybox with sh/httpd/echo/cat/sleep and
# /www/index.html saying "paddock demo vN". Default command: httpd on port
# $PORT (default 8080) serving /www, under a sh that exits on SIGTERM (busybox
# httpd as PID 1 ignores SIGTERM, which would make every stop wait its timeout).
# httpd -v writes one access-log line per request to stderr ("ip:port: response:200"),
# so the portal's Logs tab has something to show.
engine_import_demo_images() {
  [ -n "$ENGINE_DIR" ] || { warn "no private engine: demo images not imported"; return 1; }
  local v
  for v in 1 2; do
    if engine_podman image exists "localhost/paddock-demo:$v" 2>/dev/null; then continue; fi
    _engine_import_demo "$v" || return 1
  done
}

_engine_import_demo() {
  local v=$1 tmp busybox c
  busybox=$(command -v busybox) || { warn "busybox not found"; return 1; }
  tmp=$(mktemp -d)
  mkdir -p "$tmp/root/bin" "$tmp/root/www" "$tmp/root/tmp"
  cp "$busybox" "$tmp/root/bin/busybox"
  for c in sh httpd echo cat sleep; do ln -s busybox "$tmp/root/bin/$c"; done
  echo "paddock demo v$v" >"$tmp/root/www/index.html"
  # Same size in every version: a distinct mtime gives each its own Last-Modified/ETag, so a browser that cached
  # one version does not get "304 Not Modified" from the other.
  touch -d "2026-01-01 00:00:0$v" "$tmp/root/www/index.html"
  tar -C "$tmp/root" -cf "$tmp/image.tar" .
  # shellcheck disable=SC2016  # $PORT is expanded in the container, not here
  if ! engine_podman import -q \
    --change 'ENV PORT=8080' \
    --change 'EXPOSE 8080' \
    --change 'CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; /bin/httpd -f -v -p \"${PORT}\" -h /www & wait"]' \
    --change "LABEL org.opencontainers.image.version=$v" \
    "$tmp/image.tar" "localhost/paddock-demo:$v" >/dev/null; then
    rm -rf "$tmp"
    warn "could not import localhost/paddock-demo:$v"
    return 1
  fi
  rm -rf "$tmp"
  info "imported localhost/paddock-demo:$v"
}
