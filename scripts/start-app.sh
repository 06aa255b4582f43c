#!/usr/bin/env bash
# Starts one Paddock process (portal, workers, edge or migrator) from published output, with the environment
# ./run.sh gives it; it replaces this shell (exec), so its pid is the process's. ./run.sh and the browser tests
# both start Paddock through here, so the tests see what users get.
#
#   scripts/start-app.sh NAME [URLS]      URLS: where a portal or edge listens (ASPNETCORE_URLS), e.g.
#                                         http://127.0.0.1:5080 (port 0: any free port, logged at start)
# Environment:
#   PADDOCK_PUBLISH_DIR       published output (scripts/lib/apps.sh apps_publish): NAME/ holds the app
#   PADDOCK_APP_DB            connection string of the app's database login (the migrator gets
#                             PADDOCK_OWNER_DB too, the owner's, to change the schema and create that login)
#   PADDOCK_STATE_DIR         data directory: master key, admin credentials (portal, workers)
#   PADDOCK_DOCKER_ENDPOINT   the Docker-compatible engine of the `docker` backend (unix:///...sock)
#   PADDOCK_EDGE_PORT         the edge's port on 127.0.0.1: environment URLs are http://{app}-{env}.localhost:PORT/
# Any other configuration can be added as environment variables (Section__Key=value).
set -euo pipefail

name=${1:?usage: start-app.sh portal|workers|edge|migrator [URLS]}
urls=${2:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/apps.sh
. "$ROOT/scripts/lib/apps.sh"

dir="${PADDOCK_PUBLISH_DIR:?PADDOCK_PUBLISH_DIR is not set}/$name"
dll=$(app_assembly "$name")
[ -f "$dir/$dll" ] || die "$dir/$dll not found: publish first (scripts/lib/apps.sh apps_publish)"

export ConnectionStrings__Paddock=${PADDOCK_APP_DB:?PADDOCK_APP_DB is not set}
case "$name" in
  migrator)
    export ConnectionStrings__PaddockOwner=${PADDOCK_OWNER_DB:?PADDOCK_OWNER_DB is not set}
    ;;
  *)
    # The owner's credentials are the migrator's only.
    unset PADDOCK_OWNER_DB
    ;;
esac
case "$name" in
  portal|workers)
    export Paddock__DataDirectory=${PADDOCK_STATE_DIR:?PADDOCK_STATE_DIR is not set}
    export Backends__docker__Kind=docker
    export Backends__docker__Endpoint=${PADDOCK_DOCKER_ENDPOINT:?PADDOCK_DOCKER_ENDPOINT is not set}
    # Portal and workers name environment URLs after the edge's port; deploys probe through it.
    export Edge__PublicUrlTemplate="http://{host}:${PADDOCK_EDGE_PORT:?PADDOCK_EDGE_PORT is not set}/"
    export Edge__Address="http://127.0.0.1:$PADDOCK_EDGE_PORT"
    ;;
esac
if [ -n "$urls" ]; then export ASPNETCORE_URLS=$urls; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The published folder is the content root: appsettings.json and wwwroot are found there.
cd "$dir"
exec dotnet "$dll"
