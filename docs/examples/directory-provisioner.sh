#!/bin/sh
# An example external provisioner (docs/external-provisioners.md): a resource is a directory named after its uid
# under the class's "root" value. Plain sh and sed so that it runs anywhere; a real provisioner would read the
# request with a JSON parser (jq, python3) rather than sed.
set -eu

request=$(cat)
# field NAME: the string value of "NAME" in the request (uids and the root are plain strings without quotes).
field() { printf '%s' "$request" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

root=$(field root)
uid=$(field uid)
if [ -z "$root" ] || [ -z "$uid" ]; then
  echo '{"error":"the class needs a \"root\" value"}'
  exit 0
fi
dir="$root/$uid"

case "$1" in
  provision)
    mkdir -p "$dir"
    printf '{"values":{"path":"%s"},"secrets":{},"state":"v1"}\n' "$dir"
    ;;
  observe)
    if [ -d "$dir" ]; then
      echo '{"present":true}'
    else
      printf '{"present":false,"reason":"%s does not exist"}\n' "$dir"
    fi
    ;;
  deprovision)
    rm -rf "$dir"
    echo '{}'
    ;;
  *)
    echo "unknown operation: $1" >&2
    exit 2
    ;;
esac
