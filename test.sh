#!/usr/bin/env bash
# The single test command (CI runs it through .ci/run).
#
# Installs what is missing, starts a throwaway Postgres cluster and Podman
# engine, builds the solution once, runs every test project under tests/ in
# turn, and ends with exactly one line "N passed, N failed, N skipped".
# Exit status is non-zero on any failure. Everything it makes lives in temp
# dirs, which are removed on exit.
#
# Exported to the tests:
#   PADDOCK_TEST_PG            Npgsql connection string of the cluster's superuser
#                              (database "postgres"); tests create their own databases
#   PADDOCK_TEST_DOCKER_HOST   unix:///.../podman.sock of the throwaway engine, holding
#                              localhost/paddock-demo:1 and :2; unset if no engine started
#   PADDOCK_TEST_CHROMIUM      path of Debian's chromium, when installed
#   PADDOCK_TEST_PUBLISH_DIR   the apps' published output (scripts/lib/apps.sh, as ./run.sh
#                              runs them): the browser tests start Paddock's processes from it
#   PADDOCK_TEST_REDOCLY       path of Redocly's CLI (installed from npm into .tools/redocly)
#   PADDOCK_TEST_REDIS         host:port of a throwaway redis-server (scripts/lib/redis.sh, nothing persisted);
#                              unset if none started. Its admin: PADDOCK_TEST_REDIS_USER, PADDOCK_TEST_REDIS_PASSWORD
# Optional input:
#   PADDOCK_TEST_DOCKER_HOST   if already set, used as is (no engine is started)
#   PADDOCK_TEST_FILTER        passed to `dotnet test --filter`
#   PADDOCK_TEST_HANG_TIMEOUT  per-project hang timeout (default 20m)
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
# vstest gives its test host 90 s to reach the blame data collector; on these 2-core machines that has run out
# once before a single test ran (a whole project counted as crashed).
export VSTEST_CONNECTION_TIMEOUT=${VSTEST_CONNECTION_TIMEOUT:-300}

PASSED=0 FAILED=0 SKIPPED=0
COMPLETED=0          # set once every project ran; otherwise the run counts as failed
WORK=""              # temp dir for results and the engine
PG_DIR=""            # throwaway cluster's data dir

# FATAL lines of the throwaway cluster's log, other than the sessions that
# DROP DATABASE ... WITH (FORCE) ends on purpose.
pg_fatal_lines() {
  grep FATAL "$1/server.log" 2>/dev/null | grep -v "terminating connection due to administrator command"
}

# On every exit: stop and remove what we started, then print the summary as the
# very last line (nothing we started is left to print after it).
# shellcheck disable=SC2317  # invoked from the EXIT trap
finish() {
  set +e
  phase_end
  if [ "$FAILED" -gt 0 ] && [ -n "$PG_DIR" ] && pg_fatal_lines "$PG_DIR" | grep -q .; then
    warn "the test postgres logged FATAL errors (last 10):"
    pg_fatal_lines "$PG_DIR" | tail -n 10 >&2
  fi
  if [ -n "$PG_DIR" ]; then pg_stop "$PG_DIR"; rm -rf "$PG_DIR"; fi
  redis_stop
  engine_destroy
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  if [ "$COMPLETED" -ne 1 ] && [ "$FAILED" -eq 0 ]; then FAILED=1; fi
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
  if [ "$FAILED" -gt 0 ]; then exit 1; fi
  exit 0
}
trap 'exit 130' INT TERM
trap finish EXIT

install_missing() {
  pg_ensure_binaries
  # docker-compose: a test validates docker-compose.yml with `docker-compose config`;
  # chromium: browser tests drive it through Playwright;
  # docker-registry + apache2-utils (htpasswd): the Docker backend's private-registry pull tests.
  apt_install docker-compose chromium docker-registry apache2-utils || warn "could not install docker-compose/chromium/docker-registry"
  apt_install "${ENGINE_PACKAGES[@]}" || warn "could not install the engine packages"
  # redis-server: the redis provisioner's tests provision on a real server.
  redis_ensure_binaries || warn "could not install redis-server: the redis provisioner tests fail"
  install_redocly
}

# Redocly's CLI lints the OpenAPI document in ApiDocumentationTests (pinned; npm, into .tools/, git-ignored).
REDOCLY_VERSION=2.77.0
install_redocly() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm || { warn "could not install node/npm: the OpenAPI lint test skips"; return 0; }
  if [ "$(.tools/redocly/node_modules/.bin/redocly --version 2>/dev/null | tail -n 1)" != "$REDOCLY_VERSION" ]; then
    npm install --prefix .tools/redocly --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >/dev/null \
      || warn "could not install @redocly/cli: the OpenAPI lint test fails"
  fi
  export PADDOCK_TEST_REDOCLY="$ROOT/.tools/redocly/node_modules/.bin/redocly"
}

# Tests only need durability within a run: skip fsync for speed. Tests clone
# databases per class, so allow more connections than the default 100.
start_postgres() {
  local port attempt
  PG_DIR=$(mktemp -d /tmp/paddock-test-pg.XXXXXX)
  pg_init "$PG_DIR"
  for attempt in 1 2 3; do
    port=$(free_port)
    if pg_start "$PG_DIR" "$port" \
      "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"; then
      export PADDOCK_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      info "PADDOCK_TEST_PG=$PADDOCK_TEST_PG"
      return 0
    fi
    warn "postgres start attempt $attempt failed"
  done
  die "could not start a test postgres cluster"
}

start_redis() {
  local password
  redis_ensure_binaries || { warn "no redis-server: the redis provisioner tests fail"; return 0; }
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
  if redis_start "$WORK/redis" "$(free_port)" "$password" no; then
    export PADDOCK_TEST_REDIS="127.0.0.1:$REDIS_PORT" PADDOCK_TEST_REDIS_USER=$REDIS_ADMIN_USER
    export PADDOCK_TEST_REDIS_PASSWORD=$password
    info "PADDOCK_TEST_REDIS=$PADDOCK_TEST_REDIS"
  else
    warn "could not start redis-server: the redis provisioner tests fail"
  fi
}

start_engine() {
  if [ -n "${PADDOCK_TEST_DOCKER_HOST:-}" ]; then
    info "using the given PADDOCK_TEST_DOCKER_HOST=$PADDOCK_TEST_DOCKER_HOST"
    return 0
  fi
  if engine_start_podman "$WORK/engine" && engine_import_demo_images; then
    export PADDOCK_TEST_DOCKER_HOST=$DOCKER_HOST
  else
    warn "no container engine: engine tests will fail or skip"
    unset PADDOCK_TEST_DOCKER_HOST
  fi
}

solution_file() {
  if [ -f Platform.sln ]; then echo Platform.sln; return 0; fi
  find . -maxdepth 1 \( -name '*.sln' -o -name '*.slnx' \) | sort | head -n 1
}

build() {
  local sln out="$WORK/build.log"
  sln=$(solution_file)
  [ -n "$sln" ] || { warn "no solution file found"; return 1; }
  if ! dotnet build "$sln" -c Release -v q -nologo >"$out" 2>&1; then
    grep -E ': error ' "$out" | sort -u | head -n 60 >&2 || tail -n 30 "$out" >&2
    warn "build failed"
    return 1
  fi
  # The browser tests run the apps as ./run.sh does: from this published output.
  apps_publish "$ROOT" "$WORK/publish" "$out" || return 1
  export PADDOCK_TEST_PUBLISH_DIR="$WORK/publish"
}

# counter NAME TRX: value of attribute NAME of the trx file's <Counters> element.
counter() {
  local v
  v=$(grep -o '<Counters [^>]*>' "$2" | head -n 1 | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p")
  echo "${v:-0}"
}

# skipped_count TRX: VSTest's trx counts a skipped test in total but not in
# executed (its notExecuted counter stays 0), so skipped = total - executed.
skipped_count() {
  local n
  n=$(( $(counter total "$1") - $(counter executed "$1") ))
  [ "$n" -ge 0 ] || n=0
  echo "$n"
}

# run_project CSPROJ: runs one test project and adds its results to the totals.
run_project() {
  local proj=$1 name rdir rc=0 trx p=0 f=0 s=0 t0=$SECONDS
  name=$(basename "$proj" .csproj)
  rdir="$WORK/results/$name"
  local args=(test "$proj" -c Release --no-build --nologo
    --results-directory "$rdir"
    --logger "trx;LogFileName=$name.trx"
    --logger "console;verbosity=minimal"
    --blame-hang-timeout "${PADDOCK_TEST_HANG_TIMEOUT:-20m}")
  if [ -n "${PADDOCK_TEST_FILTER:-}" ]; then args+=(--filter "$PADDOCK_TEST_FILTER"); fi
  log "dotnet test $name"
  dotnet "${args[@]}" || rc=$?
  local found=0
  while IFS= read -r trx; do
    found=1
    p=$(( p + $(counter passed "$trx") ))
    f=$(( f + $(counter failed "$trx") + $(counter error "$trx") + $(counter timeout "$trx") + $(counter aborted "$trx") ))
    s=$(( s + $(skipped_count "$trx") ))
  done < <(find "$rdir" -name '*.trx' 2>/dev/null)
  if [ "$found" -eq 0 ]; then
    warn "$name produced no test results (exit status $rc): counted as 1 failed"
    f=1
  elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    warn "$name exited with status $rc without a failed test (crash or abort): counted as 1 failed"
    f=$(( f + 1 ))
  fi
  printf '%s: %d passed, %d failed, %d skipped (%ss)\n' "$name" "$p" "$f" "$s" "$(( SECONDS - t0 ))" >&2
  PASSED=$(( PASSED + p )) FAILED=$(( FAILED + f )) SKIPPED=$(( SKIPPED + s ))
}

# Every project under tests/ that says it is a test project (<IsTestProject>true</IsTestProject>): support
# libraries such as Paddock.Testing and the ClientWalkthrough program are built, not run. The real-cluster tests
# need a Kubernetes cluster these machines cannot run.
test_projects() {
  local dir proj
  for dir in tests/*/; do
    case "$dir" in *Kubernetes.RealCluster*) continue ;; esac
    for proj in "$dir"*.csproj; do
      if [ -f "$proj" ] && grep -q '<IsTestProject>true</IsTestProject>' "$proj"; then echo "$proj"; fi
    done
  done
}

main() {
  command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not installed"
  WORK=$(mktemp -d /tmp/paddock-test.XXXXXX)

  phase_begin install; install_missing; phase_end
  phase_begin postgres; start_postgres; phase_end
  phase_begin redis; start_redis; phase_end
  phase_begin engine; start_engine; phase_end
  if command -v chromium >/dev/null 2>&1; then
    PADDOCK_TEST_CHROMIUM=$(command -v chromium)
    export PADDOCK_TEST_CHROMIUM
  fi

  phase_begin build
  if ! build; then
    FAILED=1
    exit 1
  fi
  phase_end

  phase_begin tests
  local projects
  mapfile -t projects < <(test_projects)
  [ "${#projects[@]}" -gt 0 ] || warn "no test projects under tests/"
  local proj
  for proj in "${projects[@]}"; do
    run_project "$proj"
  done
  phase_end
  COMPLETED=1
}

main "$@"
