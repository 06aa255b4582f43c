# Shared by the bench scripts: make sure a Paddock stack runs (portal, workers and edge as separate Release
# processes, as ./run.sh starts them), and build the bench console. Source it; it sets PORTAL, EDGE, ENGINE, DB.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORTAL=http://127.0.0.1:${PADDOCK_PORT:-5080}
EDGE=http://127.0.0.1:${PADDOCK_EDGE_PORT:-5090}
ENGINE=${DOCKER_HOST:-unix://$ROOT/.paddock/engine/podman.sock}
# The database, for the timings only it holds (Hangfire's job states): the owner's connection, as run.sh has it.
# run.sh's local cluster requires the owner's password, which its first start writes into .paddock/ (read when used).
DB=${PADDOCK_DB:-}
RUN_PID=""

stop_stack() {
  if [ -n "$RUN_PID" ]; then
    kill -TERM "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
  fi
}

ensure_stack() {
  if curl -fs -o /dev/null "$PORTAL/healthz"; then
    echo "using the Paddock already running at $PORTAL" >&2
  else
    echo "starting ./run.sh (log: $ROOT/.paddock/bench-run.log)" >&2
    mkdir -p "$ROOT/.paddock"
    (cd "$ROOT" && exec ./run.sh >"$ROOT/.paddock/bench-run.log" 2>&1) &
    RUN_PID=$!
    trap stop_stack EXIT
    for _ in $(seq 1 600); do
      curl -fs -o /dev/null "$PORTAL/healthz" && curl -fs -o /dev/null "$EDGE/_edge/healthz" && break
      kill -0 "$RUN_PID" 2>/dev/null || { tail -n 40 "$ROOT/.paddock/bench-run.log" >&2; exit 1; }
      sleep 0.5
    done
  fi
  dotnet build "$ROOT/bench/Paddock.Bench" -c Release -v q -nologo >/dev/null
}

bench() {
  dotnet "$ROOT/bench/Paddock.Bench/bin/Release/net10.0/Paddock.Bench.dll" "$@" \
    --portal "$PORTAL" --edge "$EDGE" --engine "$ENGINE" --token-file "$ROOT/.paddock/admin.token" \
    --db "${DB:-Host=127.0.0.1;Port=${PADDOCK_PG_PORT:-5433};Username=postgres;Password=$(cat "$ROOT/.paddock/db-owner-password");Database=paddock}"
}
