# shellcheck shell=bash
# Paddock's processes as a deployment runs them: from published output (`dotnet publish`), which holds the
# portal's wwwroot with its framework and MudBlazor scripts and stylesheets. A plain build output does not:
# outside Development the portal would serve those files empty.
# Used by run.sh and test.sh; scripts/start-app.sh starts one process (for run.sh and the browser tests).
# Requires common.sh to be sourced first.

PADDOCK_APPS=(portal workers edge migrator)

# app_project NAME: the project file of portal, workers, edge or migrator (relative to the repository root).
app_project() {
  case "$1" in
    portal) echo src/Portal/Paddock.Portal.csproj ;;
    workers) echo src/Workers/Paddock.Workers.csproj ;;
    edge) echo src/Edge/Paddock.Edge.csproj ;;
    migrator) echo migrations/Paddock.Migrations.csproj ;;
    *) die "unknown Paddock app: $1" ;;
  esac
}

# app_assembly NAME: the app's assembly file name (Paddock.Portal.dll, ...).
app_assembly() {
  printf '%s.dll\n' "$(basename "$(app_project "$1")" .csproj)"
}

# apps_publish ROOT OUT LOG [NAME...]: publishes the named apps (default: all four) into OUT/NAME, appending
# to LOG. From the Release build that `dotnet build Platform.sln -c Release` made (no second compile), unless
# APPS_PUBLISH_BUILD=1 (then each app is built as it is published).
apps_publish() {
  local root=$1 out=$2 logfile=$3 name
  shift 3
  local names=("$@") build=(--no-build --no-restore)
  [ "${#names[@]}" -gt 0 ] || names=("${PADDOCK_APPS[@]}")
  [ "${APPS_PUBLISH_BUILD:-0}" != 1 ] || build=()
  for name in "${names[@]}"; do
    if ! dotnet publish "$root/$(app_project "$name")" -c Release "${build[@]}" -nologo -v q \
      -p:UseAppHost=false -o "$out/$name" >>"$logfile" 2>&1; then
      grep -E ': error ' "$logfile" | sort -u | head -n 20 >&2 || tail -n 20 "$logfile" >&2
      warn "publishing $name failed (log: $logfile)"
      return 1
    fi
  done
}
