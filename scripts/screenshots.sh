#!/usr/bin/env bash
# Refreshes docs/screenshots/*.png: the browser tests' portal, walked through its main pages by
# tests/E2E.Tests/Screenshots/ (ScreenshotTour.cs, WorkloadScreenshots.cs) in Debian's Chromium. Not part of ./test.sh.
#
# Uses PADDOCK_TEST_PG when set; otherwise starts a throwaway Postgres cluster for the run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh

PG_DIR=""
cleanup() {
  if [ -n "$PG_DIR" ]; then pg_stop "$PG_DIR"; rm -rf "$PG_DIR"; fi
}
trap cleanup EXIT

if [ -z "${PADDOCK_TEST_PG:-}" ]; then
  pg_ensure_binaries
  PG_DIR=$(mktemp -d /tmp/paddock-shots-pg.XXXXXX)
  pg_init "$PG_DIR"
  port=$(free_port)
  pg_start "$PG_DIR" "$port" "-c fsync=off"
  export PADDOCK_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi
if [ -z "${PADDOCK_TEST_CHROMIUM:-}" ] && command -v chromium >/dev/null 2>&1; then
  PADDOCK_TEST_CHROMIUM=$(command -v chromium)
  export PADDOCK_TEST_CHROMIUM
fi

export PADDOCK_SCREENSHOTS_DIR="$ROOT/docs/screenshots"
mkdir -p "$PADDOCK_SCREENSHOTS_DIR"
log "saving screenshots to $PADDOCK_SCREENSHOTS_DIR"
dotnet test tests/E2E.Tests --nologo --filter "FullyQualifiedName~Paddock.E2E.Tests.Screenshots" --logger "console;verbosity=minimal"
ls -1 "$PADDOCK_SCREENSHOTS_DIR"
