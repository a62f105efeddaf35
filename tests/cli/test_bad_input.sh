# Bad scenarios: exit code 2, a message naming file:line and the field, and no run folder.
. "$(dirname "$0")/lib.sh"

BAD="$SRC/tests/cli/bad"
while read -r file line field; do
    case "$file" in ''|'#'*) continue ;; esac
    out="$TMP/run-$file"
    "$NEEDLE" simulate "$BAD/$file" --out "$out" >"$TMP/stdout" 2>"$TMP/stderr"
    rc=$?
    check "$file: exit code 2 (got $rc)" '[ $rc -eq 2 ]'
    check "$file: message names $file:$line" 'grep -q "$file:$line:" "$TMP/stderr"'
    check "$file: message names field $field" 'grep -qF -- "$field" "$TMP/stderr"'
    check "$file: no run folder" '[ ! -e "$out" ] && [ -z "$(ls "$TMP" | grep "run-$file.tmp")" ]'
    check "$file: nothing on stdout" '[ ! -s "$TMP/stdout" ]'
    "$NEEDLE" check "$BAD/$file" >/dev/null 2>&1
    check "$file: check exits 2" '[ $? -eq 2 ]'
done < "$BAD/EXPECT"
check "every bad file is listed in EXPECT" '[ $(ls "$BAD"/*.yaml | wc -l) -eq $(grep -c "\.yaml" "$BAD/EXPECT") ]'
finish
