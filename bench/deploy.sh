#!/usr/bin/env bash
# Deploy overhead against the raw engine, job pick-up latency and event -> SSE latency (issue: deployments).
#   bench/deploy.sh [rounds, default 20] [seconds of quiet before each deploy, default 0] [sigterm-deaf: true|false]
# With sigterm-deaf=true the app (and the raw baseline) run busybox httpd as PID 1, which ignores SIGTERM: every old
# instance then takes its whole grace period to stop, in the background (bench/redeploy-sigterm-deaf.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_stack
bench deploy --n "${1:-20}" --pause "${2:-0}" --sigterm-deaf "${3:-false}"
