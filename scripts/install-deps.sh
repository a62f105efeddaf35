#!/bin/sh
# Install the Debian packages needle needs to build and test.
# As root it installs what is missing with apt-get; otherwise it prints the command to run.
set -eu

PKGS="build-essential cmake pkg-config libyaml-dev libcairo2-dev libcmocka-dev librandom123-dev"
[ "${1:-}" = "--test" ] && PKGS="$PKGS python3"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "needle: installing Debian packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "needle: missing Debian packages:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install$missing" >&2
    exit 1
fi
