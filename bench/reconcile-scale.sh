#!/usr/bin/env bash
# Reconcile scale: one full resync pass over N environments whose observed state already matches (an in-process
# backend), with the SQL round trips it makes. Needs a Postgres superuser connection in PADDOCK_TEST_PG (default:
# the dev cluster on 127.0.0.1:55432).
#   bench/reconcile-scale.sh [sizes..., default 1000 10000 100000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PADDOCK_TEST_PG="${PADDOCK_TEST_PG:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}"
flock /tmp/paddock-build.lock dotnet build -c Release bench/Paddock.Bench.Reconcile -v quiet -nologo | grep -E "error|Warn|Build succeeded" | sort -u
dotnet bench/Paddock.Bench.Reconcile/bin/Release/net10.0/Paddock.Bench.Reconcile.dll "$@"
