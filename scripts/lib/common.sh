# shellcheck shell=bash
# Small helpers shared by run.sh, test.sh and the other scripts/lib files.
# Source it; it defines functions only (plus a few globals prefixed with _PADDOCK_).

# Logging goes to stderr so that functions can return values on stdout.
log()  { printf '==> %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
warn() { printf 'WARN: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Sets SUDO to "" (root) or "sudo", so callers can write "$SUDO cmd" for privileged steps.
need_root_or_sudo() {
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    die "this step needs root (or sudo), which is not available"
  fi
}

# (Not `dpkg -s | grep -q`: under pipefail, grep quitting early can SIGPIPE dpkg.)
pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# apt_install PKG...: installs only the packages that are missing.
# `apt-get update` runs at most once per shell. The dpkg lock may be held by
# another apt run (e.g. a background install), so wait for it instead of failing.
_PADDOCK_APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    pkg_installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  need_root_or_sudo
  log "installing ${missing[*]} (apt)"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  if [ "$_PADDOCK_APT_UPDATED" -eq 0 ]; then
    ${SUDO:+"$SUDO"} "${apt[@]}" update >/dev/null || return 1
    _PADDOCK_APT_UPDATED=1
  fi
  ${SUDO:+"$SUDO"} "${apt[@]}" install -y "${missing[@]}" >/dev/null
}

# port_in_use PORT: true if something listens on 127.0.0.1:PORT (or on all addresses).
# Uses `ss` when present, else a bash /dev/tcp connect (python3 may be absent).
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# free_port: prints a loopback TCP port that nothing listens on right now.
free_port() {
  local i port
  for i in $(seq 1 200); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM + i) % 40000 ))
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  die "no free port found"
}

# Phase timing: phase_begin NAME ... phase_end  -> prints "phase NAME took Ns".
_PADDOCK_PHASE=""
_PADDOCK_PHASE_T0=0
phase_begin() {
  _PADDOCK_PHASE=$1
  _PADDOCK_PHASE_T0=$SECONDS
  log "phase $1"
}
phase_end() {
  [ -n "$_PADDOCK_PHASE" ] || return 0
  printf 'phase %s took %ss\n' "$_PADDOCK_PHASE" "$(( SECONDS - _PADDOCK_PHASE_T0 ))" >&2
  _PADDOCK_PHASE=""
}

# wait_for SECONDS CMD...: retries CMD every 0.5 s until it succeeds or time runs out.
wait_for() {
  local deadline=$(( SECONDS + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

# stop_pid PID [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL. Only the given pid.
stop_pid() {
  local pid=$1 grace=${2:-10} _
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $(( grace * 5 ))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# path_hash PATH: short stable id for a path (used to name fallback dirs under /var/tmp).
path_hash() {
  printf '%s' "$1" | sha256sum | cut -c1-12
}

# stop_stale PIDFILE PATTERN: stops the process recorded in PIDFILE by an
# earlier run that was killed before its cleanup ran, but only if its command
# line still contains PATTERN (the pid may have been reused by something else).
stop_stale() {
  local file=$1 pattern=$2 pid cmdline
  pid=$(cat "$file" 2>/dev/null) || return 0
  rm -f "$file"
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
  if [[ "$cmdline" == *"$pattern"* ]]; then
    info "stopping $pattern left over from an earlier run (pid $pid)"
    stop_pid "$pid" 15
  fi
}
