#!/usr/bin/env bash
# Hangfire's own enqueue -> Processing on this machine with no Paddock work around it: the floor under the deployments
# issue's "enqueue-to-start of a deploy job", for Paddock's way (its one-statement enqueue, its queue and locks) and
# Hangfire's client with the library's own, in one run. Needs a Postgres superuser connection in PADDOCK_TEST_PG
# (default: the dev cluster on 127.0.0.1:55432).
#   bench/hangfire-pickup.sh [rounds per queue, default 40] [ms between rounds, default 300]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PADDOCK_TEST_PG="${PADDOCK_TEST_PG:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}"
flock /tmp/paddock-build.lock dotnet build -c Release bench/Paddock.Bench.Hangfire -v quiet -nologo | grep -E "error|Warn|Build succeeded" | sort -u
dotnet bench/Paddock.Bench.Hangfire/bin/Release/net10.0/Paddock.Bench.Hangfire.dll "$@"
