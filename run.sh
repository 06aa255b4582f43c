#!/usr/bin/env bash
# Runs Paddock locally: Postgres, a container engine, the migrator, the portal,
# the workers and the edge proxy that serves environment URLs, all from published
# output (as a container image holds them). Ctrl-C or SIGTERM stops everything
# this script started (from a script, where SIGINT is ignored: kill -TERM PID).
#
# Environment (all optional):
#   PADDOCK_PORT          portal port on 127.0.0.1 (default 5080)
#   PADDOCK_EDGE_PORT     edge proxy port on 127.0.0.1: environments answer at
#                         http://{app}-{env}.localhost:PORT/ (default 5090)
#   PADDOCK_PG_PORT       port of the local Postgres cluster (default 5433)
#   PADDOCK_REDIS_PORT    port of the local redis-server, the default redis resource class (default 6380)
#   PADDOCK_DB            Npgsql connection string of an existing database's owner
#                         role (can create roles/tables); skips the local cluster
#   PADDOCK_DB_APP_USER   login role the portal/workers use (default paddock_runtime;
#                         created by the migrator, member of group role paddock_app)
#   DOCKER_HOST           an existing Docker-compatible engine; skips the local Podman
#   PADDOCK_STATE_DIR     where keys, credentials, logs and the local cluster live
#                         (default .paddock beside this script)
#   PADDOCK_PUBLISH_DIR   already published output (scripts/lib/apps.sh); skips the
#                         build and the publish step
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh
# shellcheck source=scripts/lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=scripts/lib/engine.sh
. scripts/lib/engine.sh
# shellcheck source=scripts/lib/apps.sh
. scripts/lib/apps.sh
# shellcheck source=scripts/lib/redis.sh
. scripts/lib/redis.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STATE=${PADDOCK_STATE_DIR:-$ROOT/.paddock}
LOGS="$STATE/logs"
PORTAL_PORT=${PADDOCK_PORT:-5080}
EDGE_PORT=${PADDOCK_EDGE_PORT:-5090}
PG_PORT=${PADDOCK_PG_PORT:-5433}
REDIS_PORT_WANTED=${PADDOCK_REDIS_PORT:-6380}
PUBLISH_DIR=${PADDOCK_PUBLISH_DIR:-$STATE/publish}
PADDOCK_PUBLISH_DIR_GIVEN=${PADDOCK_PUBLISH_DIR:-}

PG_STARTED_DIR=""   # data dir of the cluster we must stop on exit
PORTAL_PID="" WORKERS_PID="" EDGE_PID="" TAIL_PID=""
CLEANED=0

# shellcheck disable=SC2317  # invoked from the EXIT trap
cleanup() {
  [ "$CLEANED" -eq 1 ] && return 0
  CLEANED=1
  set +e
  log "stopping"
  stop_pid "$TAIL_PID" 1
  stop_pid "$WORKERS_PID" 15
  stop_pid "$EDGE_PID" 15
  stop_pid "$PORTAL_PID" 15
  rm -f "$STATE/portal.pid" "$STATE/workers.pid" "$STATE/edge.pid"
  engine_stop
  redis_stop
  if [ -n "$PG_STARTED_DIR" ]; then pg_stop "$PG_STARTED_DIR"; fi
  info "stopped"
}
# A script's background job starts with SIGINT ignored (and bash cannot trap it
# then): SIGTERM stops everything the same way.
trap 'exit 130' INT
trap 'exit 143' TERM
trap cleanup EXIT

# app_conn_string OWNER_CS PASSWORD: the owner's connection string with the
# credentials replaced by the app login role's. The migrator creates that login
# and makes it a member of the group role paddock_app (which it grants the
# rights to), so the login must have a name of its own: PADDOCK_DB_APP_USER,
# default paddock_runtime.
app_conn_string() {
  local owner=$1 password=$2 part key out="" parts
  IFS=';' read -ra parts <<<"$owner"
  for part in "${parts[@]}"; do
    key=$(printf '%s' "${part%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')
    case "$key" in
      ''|username|user|userid|uid|password|pwd|passfile) continue ;;
    esac
    out="$out$part;"
  done
  printf '%sUsername=%s;Password=%s' "$out" "${PADDOCK_DB_APP_USER:-paddock_runtime}" "$password"
}

# state_password FILE: a password generated once and kept with the local state.
state_password() {
  local f="$STATE/$1"
  if [ ! -s "$f" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$f")
  fi
  cat "$f"
}

ensure_postgres() {
  if [ -n "${PADDOCK_DB:-}" ]; then
    info "using PADDOCK_DB"
    OWNER_CS=$PADDOCK_DB
    return 0
  fi
  pg_ensure_binaries
  local dir port owner_password
  # The cluster's superuser needs its password on every connection, socket or TCP.
  owner_password=$(state_password db-owner-password)
  PG_PASSWORD=$owner_password
  dir=$(pg_data_dir "$STATE")
  [ -f "$dir/PG_VERSION" ] || info "creating a local cluster in $dir"
  pg_init "$dir" "$STATE/db-owner-password"
  if pg_running "$dir"; then
    # Left running by an earlier run that was killed: it is this project's
    # cluster, so reuse it and stop it on exit like one we started.
    port=$(pg_port "$dir")
    info "reusing the running local cluster on port $port"
  else
    port=$PG_PORT
    if port_in_use "$port"; then
      die "port $port is in use: set PADDOCK_PG_PORT to a free port (or PADDOCK_DB to use another server)"
    fi
    pg_start "$dir" "$port" || die "could not start postgres (log: $dir/server.log)"
  fi
  PG_STARTED_DIR=$dir
  if pg_hba_trusts "$dir"; then
    info "the local cluster trusted local connections: it now requires the password in $STATE/db-owner-password"
    pg_require_password "$dir" "$port" "$owner_password" || die "could not set the cluster's password"
  fi
  pg_create_db "$port" paddock
  OWNER_CS="Host=127.0.0.1;Port=$port;Username=postgres;Password=$owner_password;Database=paddock"
  register_default_postgres_class "$port"
  info "postgres ready on 127.0.0.1:$port"
}

# ensure_redis: the local redis-server (data and provisioned users kept in $STATE/redis), given to the portal and
# workers as the redis resource class `default` (README, Configuration: ResourceClasses). Without it Paddock runs
# with no redis class.
ensure_redis() {
  if ! redis_ensure_binaries; then
    warn "could not install redis-server: no default redis resource class"
    return 0
  fi
  redis_stop_stale "$STATE/redis"
  if port_in_use "$REDIS_PORT_WANTED"; then
    die "port $REDIS_PORT_WANTED is in use: set PADDOCK_REDIS_PORT to a free port"
  fi
  local password
  password=$(state_password redis-admin-password)
  redis_start "$STATE/redis" "$REDIS_PORT_WANTED" "$password" yes || die "could not start redis-server (log: $STATE/redis/redis.log)"
  # The portal registers configured classes at start (ResourceClasses:N:...); entry 0 is the local Postgres cluster's.
  local class=ResourceClasses__1
  export "${class}__Type=redis" "${class}__Name=default" \
    "${class}__Values__host=127.0.0.1" "${class}__Values__port=$REDIS_PORT" \
    "${class}__Values__username=$REDIS_ADMIN_USER" "${class}__Secrets__password=$password" \
    "${class}__Values__containerHost=$CONTAINER_HOST"
}

# The servers above listen on 127.0.0.1 only. The app's containers, on the engine's bridge networks, reach them as
# host.containers.internal (Podman's name for their network's gateway), where the workers relay to loopback
# (ContainerHostRelay): the classes say so with containerHost, and their outputs carry it.
CONTAINER_HOST=host.containers.internal

# register_default_postgres_class PORT: the local cluster is also the default postgres class, where workloads'
# postgres resources get their databases. Paddock provisions there as its own role (CREATEDB, CREATEROLE; not a
# superuser); the portal registers the class at start from the ResourceClasses__0__* settings exported here.
register_default_postgres_class() {
  local port=$1 password
  password=$(state_password db-provisioner-password)
  pg_psql "$port" postgres -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'paddock_provisioner') THEN
        CREATE ROLE paddock_provisioner LOGIN CREATEDB CREATEROLE;
      END IF;
    END \$\$" -c "ALTER ROLE paddock_provisioner PASSWORD '$password'" >/dev/null \
    || { warn "could not create the provisioner role: workloads' postgres resources will not be provisioned"; return 0; }
  export ResourceClasses__0__Type=postgres ResourceClasses__0__Name=default \
    ResourceClasses__0__Values__host=127.0.0.1 ResourceClasses__0__Values__port="$port" \
    ResourceClasses__0__Values__username=paddock_provisioner ResourceClasses__0__Values__database=postgres \
    ResourceClasses__0__Secrets__password="$password" ResourceClasses__0__Values__containerHost="$CONTAINER_HOST"
}

ensure_engine() {
  if ! engine_ensure "$STATE/engine"; then
    warn "no container engine: the portal will run and show the engine as unreachable"
    DOCKER_ENDPOINT="unix://$STATE/engine/podman.sock"
    return 0
  fi
  DOCKER_ENDPOINT=$DOCKER_HOST
  if [ -n "$ENGINE_DIR" ]; then engine_import_demo_images || true; use_local_mediawiki; fi
}

# The catalog's MediaWiki entry runs the image scripts/build-mediawiki-image.sh makes from Debian's packages, once
# it was built (no registry is needed): imported into this engine when missing, and substituted for the entry's own.
use_local_mediawiki() {
  local tarball="${PADDOCK_MEDIAWIKI_CACHE:-$ROOT/.paddock/images}/paddock-mediawiki-1.39.tar"
  [ -s "$tarball" ] || return 0
  if ! engine_podman image exists localhost/paddock-mediawiki:1.39 2>/dev/null; then
    "$ROOT/scripts/build-mediawiki-image.sh" --engine-dir "$ENGINE_DIR" || { warn "could not import the MediaWiki image"; return 0; }
  fi
  export Paddock__Catalog__Images__mediawiki__wiki=localhost/paddock-mediawiki:1.39
}

# build: the solution, then the apps' published output (what a container image
# holds: the portal's wwwroot with the framework's and MudBlazor's files).
build() {
  local out="$LOGS/build.log"
  if ! dotnet build Platform.sln -c Release -v q -nologo >"$out" 2>&1; then
    grep -E ': error ' "$out" | sort -u | head -n 40 >&2 || tail -n 40 "$out" >&2
    die "build failed (full log: $out)"
  fi
  apps_publish "$ROOT" "$PUBLISH_DIR" "$out" || die "publish failed (full log: $out)"
}

migrate() {
  local out="$LOGS/migrate.log"
  if ! PADDOCK_OWNER_DB=$OWNER_CS "$ROOT/scripts/start-app.sh" migrator >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    die "migrations failed (full log: $out)"
  fi
  tail -n 3 "$out" | sed 's/^/    /' >&2
}

# start_app NAME [URLS]: starts a published app (scripts/start-app.sh: its
# environment is the one the browser tests use too) in its own session, so a
# terminal Ctrl-C reaches only this script, which then stops it in order. Sets
# STARTED_PID (not printed: a $(...) subshell would make it someone else's child).
start_app() {
  local name=$1 urls=${2:-}
  setsid "$ROOT/scripts/start-app.sh" "$name" ${urls:+"$urls"} >"$LOGS/$name.log" 2>&1 &
  STARTED_PID=$!
  echo "$STARTED_PID" >"$STATE/$name.pid"
}

portal_healthy() {
  curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$PORTAL_PORT/healthz"
}

wait_healthy() {
  local deadline=$(( SECONDS + 120 ))
  until portal_healthy; do
    if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
      tail -n 40 "$LOGS/portal.log" >&2
      die "the portal exited during start-up (log: $LOGS/portal.log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "the portal did not answer /healthz within 120 s (log: $LOGS/portal.log)"
    sleep 0.5
  done
}

main() {
  command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not installed"
  mkdir -p "$LOGS"
  # An earlier run killed with SIGKILL leaves its apps running: stop them first.
  local app
  for app in portal workers edge; do stop_stale "$STATE/$app.pid" "$(app_assembly "$app")"; done
  if port_in_use "$PORTAL_PORT"; then die "port $PORTAL_PORT is in use: set PADDOCK_PORT"; fi
  if port_in_use "$EDGE_PORT"; then die "port $EDGE_PORT is in use: set PADDOCK_EDGE_PORT"; fi

  phase_begin postgres; ensure_postgres; phase_end
  # What scripts/start-app.sh gives each process (the owner's credentials go to the migrator only).
  PADDOCK_APP_DB=$(app_conn_string "$OWNER_CS" "$(state_password db-app-password)")
  export PADDOCK_APP_DB PADDOCK_STATE_DIR=$STATE PADDOCK_EDGE_PORT=$EDGE_PORT PADDOCK_PUBLISH_DIR=$PUBLISH_DIR

  phase_begin redis; ensure_redis; phase_end
  phase_begin engine; ensure_engine; phase_end
  export PADDOCK_DOCKER_ENDPOINT=$DOCKER_ENDPOINT
  if [ -n "${PADDOCK_PUBLISH_DIR_GIVEN:-}" ]; then
    info "using the published output in $PUBLISH_DIR"
  else
    phase_begin build; build; phase_end
  fi
  phase_begin migrate; migrate; phase_end

  phase_begin start
  start_app portal "http://127.0.0.1:$PORTAL_PORT"
  PORTAL_PID=$STARTED_PID
  start_app edge "http://127.0.0.1:$EDGE_PORT"
  EDGE_PID=$STARTED_PID
  start_app workers
  WORKERS_PID=$STARTED_PID
  wait_healthy
  phase_end

  cat >&2 <<EOF

  Paddock is running at  http://127.0.0.1:$PORTAL_PORT
  environment URLs:      http://{app}-{env}.localhost:$EDGE_PORT/ (edge proxy)
  admin password:        $STATE/admin-password
  admin API token:       $STATE/admin.token
  logs:                  $LOGS/ (followed below)
  Ctrl-C stops everything.

EOF
  local logs=("$LOGS/portal.log" "$LOGS/edge.log" "$LOGS/workers.log")
  # --pid: the tail also ends if this script is killed without running its trap.
  tail -n 0 -F --pid=$$ "${logs[@]}" &
  TAIL_PID=$!

  # Run until Ctrl-C (or SIGTERM), or until the portal, the edge or the workers exit.
  local pids=("$PORTAL_PID" "$EDGE_PID" "$WORKERS_PID")
  local rc=0
  wait -n "${pids[@]}" || rc=$?
  warn "a Paddock process exited (status $rc); stopping the rest"
  exit "$rc"
}

main "$@"
