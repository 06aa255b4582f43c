#!/usr/bin/env bash
# Runs Paddock locally: Postgres, a container engine, the migrator, the portal,
# the edge proxy that serves environment URLs and (when built) the workers.
# Ctrl-C stops everything this script started.
#
# Environment (all optional):
#   PADDOCK_PORT          portal port on 127.0.0.1 (default 5080)
#   PADDOCK_WORKERS_PORT  workers' HTTP port on 127.0.0.1, if it serves one (default 5081)
#   PADDOCK_EDGE_PORT     edge proxy port on 127.0.0.1: environments answer at
#                         http://{app}-{env}.localhost:PORT/ (default 5090)
#   PADDOCK_PG_PORT       port of the local Postgres cluster (default 5433)
#   PADDOCK_DB            Npgsql connection string of an existing database's owner
#                         role (can create roles/tables); skips the local cluster
#   PADDOCK_DB_APP_USER   login role the portal/workers use (default paddock_runtime;
#                         created by the migrator, member of group role paddock_app)
#   DOCKER_HOST           an existing Docker-compatible engine; skips the local Podman
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh
# shellcheck source=scripts/lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=scripts/lib/engine.sh
. scripts/lib/engine.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STATE="$ROOT/.paddock"
LOGS="$STATE/logs"
PORTAL_PORT=${PADDOCK_PORT:-5080}
WORKERS_PORT=${PADDOCK_WORKERS_PORT:-5081}
EDGE_PORT=${PADDOCK_EDGE_PORT:-5090}
PG_PORT=${PADDOCK_PG_PORT:-5433}
BIN_DIR="bin/Release/net10.0"

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
  if [ -n "$PG_STARTED_DIR" ]; then pg_stop "$PG_STARTED_DIR"; fi
  info "stopped"
}
trap 'exit 130' INT TERM
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

# The app role's password is generated once and kept with the local state.
app_password() {
  local f="$STATE/db-app-password"
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
  local dir port
  dir=$(pg_data_dir "$ROOT")
  [ -f "$dir/PG_VERSION" ] || info "creating a local cluster in $dir"
  pg_init "$dir"
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
  pg_create_db "$port" paddock
  OWNER_CS="Host=127.0.0.1;Port=$port;Username=postgres;Database=paddock"
  info "postgres ready on 127.0.0.1:$port"
}

ensure_engine() {
  if ! engine_ensure "$STATE/engine"; then
    warn "no container engine: the portal will run and show the engine as unreachable"
    DOCKER_ENDPOINT="unix://$STATE/engine/podman.sock"
    return 0
  fi
  DOCKER_ENDPOINT=$DOCKER_HOST
  if [ -n "$ENGINE_DIR" ]; then engine_import_demo_images || true; fi
}

build() {
  local out="$LOGS/build.log"
  if ! dotnet build Platform.sln -c Release -v q -nologo >"$out" 2>&1; then
    grep -E ': error ' "$out" | sort -u | head -n 40 >&2 || tail -n 40 "$out" >&2
    die "build failed (full log: $out)"
  fi
}

migrate() {
  local out="$LOGS/migrate.log"
  if ! ConnectionStrings__PaddockOwner=$OWNER_CS ConnectionStrings__Paddock=$APP_CS \
    dotnet run --no-build --no-launch-profile -c Release --project migrations -- >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    die "migrations failed (full log: $out)"
  fi
  tail -n 3 "$out" | sed 's/^/    /' >&2
}

# start_app NAME DLL URLS: starts a built app from its output dir (so its
# content root holds appsettings.json), in its own session so a terminal Ctrl-C
# reaches only this script, which then stops it in order. Sets STARTED_PID
# (not printed: a $(...) subshell would make it someone else's child).
start_app() {
  local name=$1 dll=$2 urls=$3
  (
    cd "$(dirname "$dll")"
    ASPNETCORE_URLS=$urls exec setsid dotnet "$(basename "$dll")" >"$LOGS/$name.log" 2>&1
  ) &
  STARTED_PID=$!
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
  stop_stale "$STATE/portal.pid" Paddock.Portal.dll
  stop_stale "$STATE/workers.pid" Paddock.Workers.dll
  stop_stale "$STATE/edge.pid" Paddock.Edge.dll
  if port_in_use "$PORTAL_PORT"; then die "port $PORTAL_PORT is in use: set PADDOCK_PORT"; fi
  if port_in_use "$EDGE_PORT"; then die "port $EDGE_PORT is in use: set PADDOCK_EDGE_PORT"; fi

  phase_begin postgres; ensure_postgres; phase_end
  APP_CS=$(app_conn_string "$OWNER_CS" "$(app_password)")

  phase_begin engine; ensure_engine; phase_end
  phase_begin build; build; phase_end
  phase_begin migrate; migrate; phase_end

  phase_begin start
  export ConnectionStrings__Paddock=$APP_CS
  export Paddock__DataDirectory=$STATE
  export Backends__docker__Kind=docker
  export Backends__docker__Endpoint=$DOCKER_ENDPOINT
  # Portal and workers name environment URLs after the edge's port; deploys probe through it.
  export Edge__PublicUrlTemplate="http://{host}:$EDGE_PORT/"
  export Edge__Address="http://127.0.0.1:$EDGE_PORT"
  local portal_dll="src/Portal/$BIN_DIR/Paddock.Portal.dll"
  local workers_dll="src/Workers/$BIN_DIR/Paddock.Workers.dll"
  local edge_dll="src/Edge/$BIN_DIR/Paddock.Edge.dll"
  [ -f "$portal_dll" ] || die "$portal_dll not found after the build"
  start_app portal "$ROOT/$portal_dll" "http://127.0.0.1:$PORTAL_PORT"
  PORTAL_PID=$STARTED_PID
  echo "$PORTAL_PID" >"$STATE/portal.pid"
  [ -f "$edge_dll" ] || die "$edge_dll not found after the build"
  start_app edge "$ROOT/$edge_dll" "http://127.0.0.1:$EDGE_PORT"
  EDGE_PID=$STARTED_PID
  echo "$EDGE_PID" >"$STATE/edge.pid"
  if [ -f "$workers_dll" ]; then
    start_app workers "$ROOT/$workers_dll" "http://127.0.0.1:$WORKERS_PORT"
    WORKERS_PID=$STARTED_PID
    echo "$WORKERS_PID" >"$STATE/workers.pid"
  fi
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
  local logs=("$LOGS/portal.log" "$LOGS/edge.log")
  [ -z "$WORKERS_PID" ] || logs+=("$LOGS/workers.log")
  # --pid: the tail also ends if this script is killed without running its trap.
  tail -n 0 -F --pid=$$ "${logs[@]}" &
  TAIL_PID=$!

  # Run until Ctrl-C, or until the portal, the edge or the workers exit.
  local pids=("$PORTAL_PID" "$EDGE_PID")
  [ -z "$WORKERS_PID" ] || pids+=("$WORKERS_PID")
  local rc=0
  wait -n "${pids[@]}" || rc=$?
  warn "a Paddock process exited (status $rc); stopping the rest"
  exit "$rc"
}

main "$@"
