#!/usr/bin/env bash
# Delivery dashboard at scale (issue: ticket-to-production): seeds one team with 50,000 deployments and 20,000 tickets
# into a throwaway database (generate_series) and times the delivery report (SQL reads + Domain arithmetic, the same
# DeliveryService the API and the dashboard call) several times. Target: under 500 ms.
# Needs a Postgres superuser connection: PADDOCK_BENCH_PG, else PADDOCK_TEST_PG, else the dev cluster on 127.0.0.1:55432.
#   bench/delivery-dashboard.sh [deployments=50000] [tickets=20000] [runs=7]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PADDOCK_TEST_PG="${PADDOCK_BENCH_PG:-${PADDOCK_TEST_PG:-Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres}}"
flock /tmp/paddock-build.lock dotnet build -c Release bench/Paddock.Bench.Delivery -v quiet -nologo | grep -E "error|Build succeeded" | sort -u
dotnet bench/Paddock.Bench.Delivery/bin/Release/net10.0/Paddock.Bench.Delivery.dll "$@"
