#!/usr/bin/env bash
# Self-heal time: kill the environment's container N times; from the kill to the stable URL answering again.
#   bench/self-heal.sh [rounds, default 20]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_stack
bench self-heal --n "${1:-20}"
