#!/usr/bin/env bash
# Read API under a fixed-rate load (issue #20): 200 requests/s for 20 s of GET one environment and GET the app list,
# alternately, with a team member's personal token; prints p50/p95/p99 (from each request's scheduled time), errors
# and the portal's resident memory before and after. Target on a quiet machine: p95 <= 20 ms, no errors, no growth.
# Uses the Paddock at PADDOCK_PORT (default 5080) or starts ./run.sh on the PADDOCK_* ports (see bench/lib.sh).
#   PADDOCK_PORT=6580 PADDOCK_EDGE_PORT=6590 PADDOCK_PG_PORT=6533 bench/api-load.sh [--rate 200] [--seconds 20]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_stack
flock /tmp/paddock-build.lock dotnet build "$ROOT/bench/Paddock.Bench.ApiLoad" -c Release -v q -nologo | grep -E "error|Build succeeded" | sort -u
port=${PADDOCK_PORT:-5080}
# The portal's process: the one listening on its port.
pid=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
dotnet "$ROOT/bench/Paddock.Bench.ApiLoad/bin/Release/net10.0/Paddock.Bench.ApiLoad.dll" \
  --portal "$PORTAL" --token-file "$ROOT/.paddock/admin.token" --pid "${pid:-0}" "$@"
