#!/usr/bin/env bash
# Deploy overhead against the raw engine, job pick-up latency and event -> SSE latency (issue: deployments).
#   bench/deploy.sh [rounds, default 20] [seconds of quiet before each deploy, default 0]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_stack
bench deploy --n "${1:-20}" --pause "${2:-0}"
