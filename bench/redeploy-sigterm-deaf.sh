#!/usr/bin/env bash
# Back-to-back redeploys of an image whose PID 1 ignores SIGTERM (issue 19): API call -> new version serving, p50 and
# p95, against the raw engine's create + start + first answer of the same image and command; and whether any
# deployment waited for the previous one's instances to stop.
#   bench/redeploy-sigterm-deaf.sh [rounds, default 10]
exec "$(dirname "${BASH_SOURCE[0]}")/deploy.sh" "${1:-10}" 0 true
