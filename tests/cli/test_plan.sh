# needle plan: a stored plan with a readable table or JSON; bad input exits 2
# and writes nothing; contraindications and zone limits exit 3 with the reason.
. "$(dirname "$0")/lib.sh"

DB="$TMP/practice.db"
D=2026-01-10
run() { "$NEEDLE" "$@" --db "$DB" >"$TMP/out" 2>"$TMP/err"; echo $? >"$TMP/rc"; }
rc() { cat "$TMP/rc"; }
plans() { sqlite3 "$DB" 'SELECT count(*) FROM plans' 2>/dev/null || echo "?"; }

"$NEEDLE" patient add --name "Rosalind Quill" --birth-date 1979-04-02 --sex female \
    --fitzpatrick 3 --db "$DB" >/dev/null
"$NEEDLE" patient add --name "Oscar Warfarin" --birth-date 1960-09-09 --sex male \
    --fitzpatrick 5 --history anticoagulant:2024-03-01 --db "$DB" >/dev/null
"$NEEDLE" patient add --name "Kim Keloid" --birth-date 1990-01-01 --sex female \
    --fitzpatrick 2 --history keloid:2015-06-01 --db "$DB" >/dev/null

# A plan: table with every column, reasons, the stored id; never the name.
run plan 1 --indication acne_scars --max-downtime-days 2 --date $D
check "plan exits 0 (got $(rc))" '[ "$(rc)" -eq 0 ]'
check "table has a cheek row" 'grep -q "^cheek_left" "$TMP/out"'
check "table heads its columns" 'grep -q "depth.*passes.*pain.*bleed.*downtime.*collagen" "$TMP/out"'
check "numbing is shown" 'grep -q "numbing: lmx4" "$TMP/out"'
check "reasons are given" 'grep -q "deepest setting" "$TMP/out"'
check "the stored id is printed" 'grep -q "^Stored plan id: 1$" "$TMP/out"'
check "the name is not printed" '! grep -q "Rosalind" "$TMP/out" "$TMP/err"'
check "no downtime over the limit" '! awk "\$1 ~ /_|forehead|glabella|nose|chin/ && \$9+0 > 2.0" "$TMP/out" | grep -q .'

# JSON, zones chosen, and the limits bind: a tighter downtime is shallower.
run plan "rosalind quill" --indication wrinkles --zones cheeks,nose --json --date $D
check "plan by name exits 0" '[ "$(rc)" -eq 0 ]'
check "json parses" 'python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$TMP/out"'
check "json has three zones" '[ "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))[\"zones\"]))" "$TMP/out")" = 3 ]'
free=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["zones"][0]["depth_mm"])' "$TMP/out")
run plan 1 --indication wrinkles --zones cheeks,nose --json --max-downtime-days 1 --date $D
tight=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["zones"][0]["depth_mm"])' "$TMP/out")
check "max downtime 1 d is shallower ($tight < $free)" 'python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$tight" "$free"'
before=$(plans)
check "three plans stored ($before)" '[ "$before" = 3 ]'

# Bad input: exit 2, a clear message, nothing written.
for args in "99 --indication wrinkles" "Nobody --indication wrinkles" \
    "1 --indication freckles" "1 --indication wrinkles --zones cheeks,ears" \
    "1 --indication wrinkles --max-downtime-days -1" "1 --indication wrinkles --max-pain -2" \
    "1 --indication wrinkles --max-pain 11" "1 --indication wrinkles --acknowledge sunburn" \
    "1 --indication wrinkles --device laser_9000" "1 --indication wrinkles --date 2026-13-01" \
    "1" "--indication wrinkles"; do
    run plan $args
    check "plan $args: exit 2 (got $(rc))" '[ "$(rc)" -eq 2 ]'
    check "plan $args: says why" 'grep -q "error\|needle plan:" "$TMP/err"'
    check "plan $args: nothing on stdout" '[ ! -s "$TMP/out" ]'
done
check "no plan written by bad input" '[ "$(plans)" = "$before" ]'

# Absolute contraindication: exit 3 with the reason and its source.
run plan 3 --indication acne_scars --date $D
check "keloid: exit 3 (got $(rc))" '[ "$(rc)" -eq 3 ]'
check "keloid: names it" 'grep -q "keloid" "$TMP/err"'
check "keloid: absolute" 'grep -q "absolute" "$TMP/err"'
check "keloid: source" 'grep -q "Source: Alam 2014" "$TMP/err"'
run plan 3 --indication acne_scars --date $D --acknowledge keloid
check "keloid: no acknowledgement lifts it" '[ "$(rc)" -eq 3 ]'

# Relative: refused naming the code until acknowledged, then stored with it.
run plan 2 --indication wrinkles --zones cheeks --date $D
check "anticoagulant: exit 3 (got $(rc))" '[ "$(rc)" -eq 3 ]'
check "anticoagulant: names the code" 'grep -q "acknowledge anticoagulant" "$TMP/err"'
check "no plan written by refusals" '[ "$(plans)" = "$before" ]'
run plan 2 --indication wrinkles --zones cheeks --date $D --acknowledge anticoagulant --json
check "acknowledged: exit 0 (got $(rc))" '[ "$(rc)" -eq 0 ]'
check "acknowledged: kept in the plan" 'grep -q "\"acknowledged\": \[\"anticoagulant\"\]" "$TMP/out"'
check "Fitzpatrick V: PIH warning" 'grep -q "hyperpigmentation" "$TMP/out"'
check "acknowledged: stored in the database" \
    '[ "$(sqlite3 "$DB" "SELECT count(*) FROM plans" 2>/dev/null)" = $((before + 1)) ]'

# A depth beyond the zone's limit is refused, not clamped.
run plan 1 --indication wrinkles --zones periorbital --depth periorbital=0.8 --date $D
check "depth over limit: exit 3 (got $(rc))" '[ "$(rc)" -eq 3 ]'
check "depth over limit: names zone, depth and limit" \
    'grep -q "periorbital_left: depth 0.80 mm is over the zone.s limit of 0.50 mm" "$TMP/err"'

# Limits no setting keeps: refused with the zone and the limit.
run plan 1 --indication wrinkles --zones nose --max-downtime-days 0.01 --date $D
check "impossible limits: exit 3 (got $(rc))" '[ "$(rc)" -eq 3 ]'
check "impossible limits: says which" 'grep -q "nose.*downtime" "$TMP/err"'

"$NEEDLE" help plan >"$TMP/out" 2>&1
check "help plan" 'grep -q "acknowledge CODE" "$TMP/out"'
finish
