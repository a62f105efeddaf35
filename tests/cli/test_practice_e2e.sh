# The practice end to end: add a patient, plan a series, record three
# sessions, list them beside the plan, export (pseudonymised), back up, and
# read everything back from the backup.
. "$(dirname "$0")/lib.sh"

DB="$TMP/practice.db"
N() { "$NEEDLE" "$@" --db "$DB"; }

N patient add --name "Edith Endtoend" --birth-date 1975-05-17 --sex female --fitzpatrick 2 \
    >"$TMP/add" 2>&1
check "patient added" 'grep -q "Added patient 1" "$TMP/add"'

N plan 1 --indication wrinkles --zones cheeks,forehead --max-downtime-days 2 \
    --date 2026-01-05 >"$TMP/plan" 2>&1
check "plan stored" 'grep -q "^Stored plan id: 1$" "$TMP/plan"'
check "plan has three zones" '[ "$(grep -cE "^(cheek_left|cheek_right|forehead) " "$TMP/plan")" -eq 3 ]'
depth=$(awk '$1 == "cheek_left" { print $2 }' "$TMP/plan")
check "cheek depth read from the plan ($depth)" '[ -n "$depth" ]'

i=0
for d in 2026-01-05 2026-02-04 2026-03-06; do
    i=$((i + 1))
    N session record 1 --date $d --number $i \
        --zone "cheeks:depth_mm=$depth,passes=1,pain=$((i + 1)),redness=mild,bleeding=pinpoint" \
        --zone "forehead:depth_mm=0.3,passes=1,pain=1,redness=none" \
        --notes "session $i" >"$TMP/rec$i" 2>&1
    check "session $i recorded (exit 0)" '[ $? -eq 0 ]'
done
N session list 1 >"$TMP/list" 2>&1
check "three sessions listed" 'grep -q "3 sessions" "$TMP/list"'
check "predicted beside observed" 'grep -q "pred  seen" "$TMP/list"'
check "the list never names the patient" '! grep -q "Edith" "$TMP/list"'

N export --format json --out "$TMP/all.json" >/dev/null 2>&1
check "export holds three sessions" \
    'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(len(d[\"sessions\"]) != 3)" "$TMP/all.json"'
N export --format csv --out "$TMP/pseudo" --pseudonymise >/dev/null 2>&1
check "pseudonymised export has no name" '! grep -rq "Edith" "$TMP/pseudo"'
check "pseudonymised export has the sessions" '[ "$(($(wc -l <"$TMP/pseudo/sessions.csv") - 1))" -eq 3 ]'

N db backup "$TMP/backup.db" >/dev/null 2>&1
check "backup written owner-only" '[ "$(stat -c %a "$TMP/backup.db")" = 600 ]'
"$NEEDLE" db check --db "$TMP/backup.db" >/dev/null 2>&1
check "backup passes its checks" '[ $? -eq 0 ]'
"$NEEDLE" session list 1 --db "$TMP/backup.db" >"$TMP/list2" 2>&1
check "backup lists the same sessions" 'cmp -s "$TMP/list" "$TMP/list2"'
"$NEEDLE" patient show 1 --db "$TMP/backup.db" >"$TMP/show" 2>&1
check "backup holds the patient" 'grep -q "Edith Endtoend" "$TMP/show"'

finish
