#!/usr/bin/env bash
# Builds MediaWiki's image from Debian's own packages, with no registry: debootstrap a minimal Debian 12 (bookworm)
# with mediawiki (1.39), php-pgsql and php-cli, trim it, and `podman import` it as localhost/paddock-mediawiki:1.39.
#
# The container's entrypoint (/usr/local/bin/paddock-mediawiki) runs MediaWiki's own installer
# (maintenance/install.php) against the database named by MW_DB_HOST, MW_DB_PORT, MW_DB_NAME, MW_DB_USER and
# MW_DB_PASSWORD when LocalSettings.php is missing (first start; a later container finds the wiki's tables and only
# writes its LocalSettings.php again), with MW_SITE_NAME, MW_ADMIN_USER and MEDIAWIKI_ADMIN_PASSWORD, then serves
# the wiki with PHP's built-in server on $PORT (default 80). The catalog's `mediawiki` entry passes all of these.
#
# Debian's root file system is built once and kept as a tarball (PADDOCK_MEDIAWIKI_CACHE, default .paddock/images);
# later runs add the entrypoint (scripts/mediawiki/paddock-mediawiki) to a copy and import that. Where it is imported:
#   --engine-dir DIR  into a private engine of scripts/lib/engine.sh (run.sh's is .paddock/engine)
#   DOCKER_HOST=unix:///…/podman.sock  into that Podman service (podman --remote)
#   otherwise         into the local podman's default storage
# Usage: scripts/build-mediawiki-image.sh [--engine-dir DIR] [--rebuild]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/engine.sh
. "$ROOT/scripts/lib/engine.sh"

IMAGE=localhost/paddock-mediawiki:1.39
MIRROR=${PADDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${PADDOCK_MEDIAWIKI_CACHE:-$ROOT/.paddock/images}
TARBALL="$CACHE/paddock-mediawiki-1.39.tar"   # Debian with mediawiki, without the entrypoint
ENGINE_DIR_ARG="" REBUILD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --engine-dir) ENGINE_DIR_ARG=$2; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    *) die "unknown argument $1 (usage: $0 [--engine-dir DIR] [--rebuild])" ;;
  esac
done

build_rootfs() {
  need_root_or_sudo
  apt_install debootstrap
  local tree
  tree=$(mktemp -d /tmp/paddock-mediawiki.XXXXXX)
  # shellcheck disable=SC2064  # expand now: the tree's path
  trap "$SUDO rm -rf '$tree'" EXIT
  log "debootstrap bookworm with mediawiki, php-pgsql, php-cli ($MIRROR; a few minutes)"
  $SUDO debootstrap --variant=minbase --include=mediawiki,php-pgsql,php-cli bookworm "$tree" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  log "trimming (apt caches and lists, documentation, man pages, locales)"
  $SUDO rm -rf "$tree"/var/cache/apt/* "$tree"/var/lib/apt/lists/* "$tree"/usr/share/doc/* "$tree"/usr/share/man/* \
    "$tree"/usr/share/info/* "$tree"/var/log/*.log "$tree"/var/cache/debconf/*-old
  find "$tree/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'en*' -exec $SUDO rm -rf {} + 2>/dev/null || true
  $SUDO tar -C "$tree" -cf "$TARBALL.partial" .
  mv "$TARBALL.partial" "$TARBALL"
  $SUDO rm -rf "$tree"
  trap - EXIT
  info "root file system: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
}

mkdir -p "$CACHE"
if [ "$REBUILD" -eq 1 ] || [ ! -s "$TARBALL" ]; then
  build_rootfs
else
  info "using the root file system built before: $TARBALL (--rebuild to build it again)"
fi

# The entrypoint goes in at import time, so changing it needs no new debootstrap.
image_tar=$(mktemp "$CACHE/import.XXXXXX.tar")
trap 'rm -f "$image_tar"' EXIT
cp "$TARBALL" "$image_tar"
tar --delete -f "$image_tar" ./usr/local/bin/paddock-mediawiki 2>/dev/null || true   # one of an older build; Podman refuses duplicates
entry=$(mktemp -d)
install -D -m 0755 "$ROOT/scripts/mediawiki/paddock-mediawiki" "$entry/usr/local/bin/paddock-mediawiki"
tar -C "$entry" --owner=0 --group=0 -rf "$image_tar" ./usr/local/bin/paddock-mediawiki
rm -rf "$entry"
import=(import --change 'ENTRYPOINT ["/usr/local/bin/paddock-mediawiki"]' --change 'ENV PORT=80' --change 'EXPOSE 80' "$image_tar" "$IMAGE")
if [ -n "$ENGINE_DIR_ARG" ]; then
  ENGINE_DIR=$ENGINE_DIR_ARG
  mkdir -p "$ENGINE_DIR"/{storage,run,tmp,networks}
  [ -f "$ENGINE_DIR/containers.conf" ] || _engine_write_conf
  engine_podman "${import[@]}" >/dev/null
elif [ -n "${DOCKER_HOST:-}" ]; then
  podman --remote --url "$DOCKER_HOST" "${import[@]}" >/dev/null
else
  podman "${import[@]}" >/dev/null
fi
log "imported $IMAGE"
