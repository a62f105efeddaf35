# Shared helpers for the CLI tests: sh tests/cli/test_X.sh NEEDLE SOURCE_DIR
NEEDLE=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
PASSES=0
pass() { PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
check() { if eval "$2"; then pass; else fail "$1"; fi; }
finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
