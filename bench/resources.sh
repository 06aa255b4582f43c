#!/usr/bin/env bash
# Create environment -> serving for an app with a postgres database and a redis cache (the default classes run.sh
# registers) against the same app alone, alternating in one run (issue 22; target: resources add <= 1 s at p50).
#   bench/resources.sh [rounds, default 10]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_stack
bench resources --n "${1:-10}"
