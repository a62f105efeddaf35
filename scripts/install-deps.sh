#!/bin/sh
# Install the Debian packages needle needs to build and test.
# As root it installs what is missing with apt-get; otherwise it prints the command to run.
# --test adds what the tests use: python3, and for the report's browser test
# chromium and poppler-utils (without them that test says so and skips, except
# under CI, so a missing browser only stops `make test` where it must not).
set -eu

PKGS="build-essential cmake pkg-config libyaml-dev libcairo2-dev libcmocka-dev librandom123-dev libsqlite3-dev nettle-dev"
OPTIONAL=""
if [ "${1:-}" = "--test" ]; then
    PKGS="$PKGS python3 sqlite3"
    OPTIONAL="chromium poppler-utils"
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $PKGS; do installed "$p" || missing="$missing $p"; done
missing_optional=""
for p in $OPTIONAL; do installed "$p" || missing_optional="$missing_optional $p"; done
[ -z "$missing$missing_optional" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "needle: installing Debian packages:$missing$missing_optional" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing $missing_optional >/dev/null
elif [ -n "$missing" ]; then
    echo "needle: missing Debian packages:$missing$missing_optional" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install$missing$missing_optional" >&2
    exit 1
else
    echo "needle: the report's browser test will be skipped; for it install:" >&2
    echo "    sudo apt-get install$missing_optional" >&2
fi
