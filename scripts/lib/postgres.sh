# shellcheck shell=bash
# Local PostgreSQL clusters for run.sh (persistent) and test.sh (throwaway).
# Requires common.sh to be sourced first.
#
# As root, initdb/pg_ctl refuse to run, so the cluster runs as the `postgres`
# OS user: its data dir is owned by postgres, and every path down to it must be
# traversable by that user (see pg_data_dir for projects under e.g. /root).
# run.sh's persistent cluster requires a password (scram-sha-256) on every local
# connection, socket and TCP alike: pg_init DIR PASSWORD_FILE. test.sh's throwaway
# clusters (pg_init DIR) trust local connections: they live for one run, on loopback.
# pg_psql sends PG_PASSWORD (not exported, so the apps run.sh starts never see it).

PG_BIN=""
PG_PASSWORD=""

# pg_ensure_binaries: sets PG_BIN to a dir holding initdb, pg_ctl, pg_isready and psql.
# Debian puts the server tools in /usr/lib/postgresql/N/bin (not on PATH), so a
# PATH hit is resolved to its real dir and checked for the full tool set.
pg_ensure_binaries() {
  _pg_find_bindir && return 0
  apt_install postgresql || die "could not install postgresql"
  _pg_find_bindir || die "postgresql is installed but its server binaries were not found"
}

_pg_has_tools() {
  local d=$1 t
  for t in initdb pg_ctl pg_isready psql; do
    [ -x "$d/$t" ] || return 1
  done
}

_pg_find_bindir() {
  local d
  if command -v pg_ctl >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    if _pg_has_tools "$d"; then PG_BIN=$d; return 0; fi
  fi
  # Highest installed major version first.
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4,4 -rn); do
    if _pg_has_tools "$d"; then PG_BIN=$d; return 0; fi
  done
  return 1
}

# pg_as_owner CMD...: runs CMD as the cluster owner (postgres when we are root).
# cd / first: the postgres user may not be allowed into the caller's cwd.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# pg_data_dir STATE_DIR: prints the data dir to use for the local cluster of the
# project whose state lives in STATE_DIR (normally the checkout's .paddock).
# Normally STATE_DIR/pg. When we are root and the postgres user cannot reach
# STATE_DIR (e.g. a checkout under /root, mode 0700), the data lives in
# /var/tmp/paddock-pg-<hash of STATE_DIR's project> instead (/var/tmp survives
# reboots), and STATE_DIR/pg is a symlink to it, which records the choice for later runs.
pg_data_dir() {
  local state=$1 link
  link="$state/pg"
  mkdir -p "$state"
  if [ -L "$link" ]; then
    readlink -f "$link"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || [ -d "$link" ] || runuser -u postgres -- test -x "$state" 2>/dev/null; then
    echo "$link"
    return 0
  fi
  local fallback
  fallback="/var/tmp/paddock-pg-$(path_hash "$(dirname "$state")")"
  mkdir -p "$fallback"
  ln -s "$fallback" "$link"
  info "postgres cannot reach $state; cluster data is in $fallback (linked from $link)"
  echo "$fallback"
}

# pg_init DIR [PASSWORD_FILE]: creates the cluster in DIR unless one is already there.
# With PASSWORD_FILE (one line: the superuser's password) every connection must
# give that password (scram-sha-256); without, local connections are trusted.
pg_init() {
  local dir=$1 pwfile=${2:-}
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  [ -f "$dir/PG_VERSION" ] && return 0
  local out auth=(-A trust) copy=""
  if [ -n "$pwfile" ]; then
    # initdb reads the file as the cluster owner, who may not reach the caller's copy
    # (and refuses a data dir that holds any file).
    copy=$(mktemp)
    install -m 600 "$pwfile" "$copy"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$copy"; fi
    auth=(-A scram-sha-256 --pwfile="$copy")
  fi
  out=$(pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres "${auth[@]}" -E UTF8 --locale=C 2>&1) \
    || { rm -f "$copy"; printf '%s\n' "$out" >&2; return 1; }
  rm -f "$copy"
}

# pg_hba_trusts DIR: true if the cluster's pg_hba.conf still trusts some connections
# (a cluster made before run.sh required passwords).
pg_hba_trusts() {
  grep -Eq '^[[:space:]]*(local|host)[^#]*[[:space:]]trust([[:space:]]|$)' "$1/pg_hba.conf"
}

# pg_require_password DIR PORT PASSWORD: for a running cluster that trusts local
# connections: sets the superuser's password, then makes every local connection
# (socket and TCP) require it (scram-sha-256) and reloads the configuration.
pg_require_password() {
  local dir=$1 port=$2 password=$3
  pg_psql "$port" postgres -c "SET password_encryption = 'scram-sha-256'" \
    -c "ALTER ROLE postgres PASSWORD '${password//\'/\'\'}'" || return 1
  pg_as_owner sed -i -E 's/^([[:space:]]*(local|host)[^#]*[[:space:]])trust([[:space:]]|$)/\1scram-sha-256\3/' "$dir/pg_hba.conf"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" reload >/dev/null
}

pg_running() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# pg_port DIR: the port of the running cluster in DIR (4th line of postmaster.pid).
pg_port() {
  sed -n 4p "$1/postmaster.pid" 2>/dev/null
}

# pg_start DIR PORT [EXTRA_SERVER_OPTS]: starts the cluster listening on
# 127.0.0.1:PORT with its unix socket in DIR, and waits until it accepts connections.
pg_start() {
  local dir=$1 port=$2 extra=${3:-}
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k '$dir' -c listen_addresses=127.0.0.1 $extra" start >/dev/null \
    || { warn "postgres failed to start; last log lines:"; tail -n 20 "$dir/server.log" >&2; return 1; }
  wait_for 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    || { warn "postgres on port $port is not ready"; return 1; }
}

# pg_stop DIR: fast shutdown; tolerant of a cluster that is not running.
pg_stop() {
  local dir=$1
  [ -n "$PG_BIN" ] && [ -f "$dir/postmaster.pid" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# pg_psql PORT DB ARGS...: psql as superuser over loopback TCP, quiet, unaligned
# (with PG_PASSWORD, when the cluster requires one).
pg_psql() {
  local port=$1 db=$2; shift 2
  PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtAX "$@"
}

# pg_create_db PORT NAME: creates database NAME if it does not exist.
pg_create_db() {
  local port=$1 name=$2
  if [ "$(pg_psql "$port" postgres -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    pg_psql "$port" postgres -c "CREATE DATABASE \"$name\""
    info "created database $name"
  fi
}
