#!/usr/bin/env bash
# Click → wiki answering (issue 23): the catalog's MediaWiki installed by click in ./run.sh's Paddock with the entry's
# defaults (Debian's Chromium driven by Playwright: /catalog, Install MediaWiki, team, app, Plan install, Apply), timed
# from the click on Apply until the wiki's main page answers through the environment URL.
#   bench/mediawiki-click.sh [screenshot.png]
# Needs the image built first (scripts/build-mediawiki-image.sh --engine-dir .paddock/engine; ./run.sh imports it
# when .paddock/images holds its tarball). Uses a running Paddock at PADDOCK_PORT, else starts ./run.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -s "${PADDOCK_MEDIAWIKI_CACHE:-$ROOT/.paddock/images}/paddock-mediawiki-1.39.tar" ] \
  || { echo "build the MediaWiki image first: scripts/build-mediawiki-image.sh --engine-dir $ROOT/.paddock/engine" >&2; exit 1; }
ensure_stack
dotnet build "$ROOT/bench/Paddock.Bench.Click" -c Release -v q -nologo >/dev/null

suffix=$(date +%s)
team="wikis-$suffix" app="wiki$suffix"
curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$ROOT/.paddock/admin.token")" -H 'Content-Type: application/json' \
  "$PORTAL/api/v1/teams" -d "{\"name\":\"$team\"}"
dotnet "$ROOT/bench/Paddock.Bench.Click/bin/Release/net10.0/Paddock.Bench.Click.dll" \
  --portal "$PORTAL" --email "${PADDOCK_ADMIN_EMAIL:-admin@localhost}" --password-file "$ROOT/.paddock/admin-password" \
  --team "$team" --app "$app" ${1:+--screenshot "$1"}
