# shellcheck shell=bash
# A private Redis server for run.sh (kept data) and test.sh (throwaway): the server the default `redis` resource
# class provisions on. Requires common.sh to be sourced first.
#
# Each caller gets its own redis-server (Debian's package) on 127.0.0.1 and a port of its own, with its data dir,
# config, log and ACL file in one folder. The `default` user is switched off: every client logs in, and Paddock's
# provisioner logs in as the admin user REDIS_ADMIN_USER, whose password is kept only as a SHA-256 in the ACL file
# (the provisioner's `ACL SAVE` writes the users it creates there too, so they survive a restart).

REDIS_ADMIN_USER=paddock-admin
REDIS_DIR=""        # folder of the server we started: redis.conf, users.acl, redis.log, redis.pid, data
REDIS_PID=""        # pid of the redis-server we started (empty if none)
REDIS_PORT=""

redis_ensure_binaries() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
  apt_install redis-server || return 1
  command -v redis-server >/dev/null 2>&1
}

# redis_start DIR PORT PASSWORD PERSIST: starts redis-server on 127.0.0.1:PORT with its files in DIR and waits
# until the admin can log in. PERSIST=yes keeps data across restarts (append-only file in DIR); no keeps nothing
# (tests). Users other than the admin already in DIR/users.acl are kept.
redis_start() {
  local dir=$1 port=$2 password=$3 persist=$4
  REDIS_DIR=$dir
  REDIS_PORT=$port
  mkdir -p "$dir/data"
  chmod 700 "$dir"
  redis_stop_stale "$dir"
  _redis_write_acl "$password"
  _redis_write_conf "$persist"
  # setsid: its own process group, so a terminal Ctrl-C reaches only the calling script, whose trap stops it.
  setsid redis-server "$dir/redis.conf" >>"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  echo "$REDIS_PID" >"$dir/redis.pid"
  if ! wait_for 20 redis_admin_cli "$password" PING; then
    warn "redis-server did not answer on 127.0.0.1:$port; last log lines:"
    tail -n 15 "$dir/redis.log" >&2 || true
    redis_stop
    return 1
  fi
  info "redis ready on 127.0.0.1:$port (admin user $REDIS_ADMIN_USER)"
}

# redis_admin_cli PASSWORD ARGS...: redis-cli as the admin (the password through the environment, not argv);
# fails on an error reply, which redis-cli itself only prints.
redis_admin_cli() {
  local password=$1 out; shift
  out=$(REDISCLI_AUTH=$password redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" --user "$REDIS_ADMIN_USER" "$@" 2>&1) || return 1
  case "$out" in *ERR*|*NOAUTH*|*WRONGPASS*|*"Could not connect"*) return 1 ;; esac
  printf '%s\n' "$out"
}

# redis_stop: stops the server we started (SIGTERM: with nothing to save it exits at once).
redis_stop() {
  [ -n "$REDIS_PID" ] || return 0
  stop_pid "$REDIS_PID" 10
  REDIS_PID=""
  rm -f "$REDIS_DIR/redis.pid"
}

_redis_write_conf() {
  local persist=$1 conf="$REDIS_DIR/redis.conf"
  {
    echo "# Written by scripts/lib/redis.sh on each start."
    echo "bind 127.0.0.1"
    echo "port $REDIS_PORT"
    echo "daemonize no"
    echo "dir $REDIS_DIR/data"
    echo "aclfile $REDIS_DIR/users.acl"
    echo "logfile \"\""
    echo "save \"\""
    if [ "$persist" = yes ]; then echo "appendonly yes"; else echo "appendonly no"; fi
  } >"$conf"
  chmod 600 "$conf"
}

# The ACL file: the default user off, the admin with every right (its password as SHA-256), and whatever users an
# earlier run's provisioner saved.
_redis_write_acl() {
  local password=$1 acl="$REDIS_DIR/users.acl" hash kept=""
  hash=$(printf '%s' "$password" | sha256sum | cut -d' ' -f1)
  if [ -f "$acl" ]; then
    kept=$(grep -Ev "^user (default|$REDIS_ADMIN_USER) " "$acl" || true)
  fi
  (
    umask 077
    {
      echo "user default off resetchannels -@all"
      echo "user $REDIS_ADMIN_USER on #$hash ~* &* +@all"
      if [ -n "$kept" ]; then printf '%s\n' "$kept"; fi
    } >"$acl.new"
  )
  mv "$acl.new" "$acl"
}

# redis_stop_stale DIR: stops a server of DIR left over from a run killed with SIGKILL, if the recorded pid is
# still that very server (a redis-server working in DIR/data).
redis_stop_stale() {
  local dir=$1 pid cmdline
  pid=$(cat "$dir/redis.pid" 2>/dev/null) || return 0
  rm -f "$dir/redis.pid"
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
  if [[ "$cmdline" == *redis-server* ]] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$dir/data" ]; then
    info "stopping the redis-server left over from an earlier run (pid $pid)"
    stop_pid "$pid" 10
  fi
}
