# The practice commands end to end: patient add/edit/show/list, which database
# is used, bad input (exit 2, the option named, nothing written), export,
# backup read back, file permissions and the WAL journal.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
unset NEEDLE_DB
umask 022
DB="$TMP/practice.db"
have_python=0
python3 -c 'import sqlite3' 2>/dev/null && have_python=1
sql() { python3 -c 'import sys, sqlite3
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]): print("|".join("" if v is None else str(v) for v in row))
c.commit()' "$@"; }
# Everything a command could have changed, to show that a refused one changed nothing.
snapshot() { "$NEEDLE" export --db "$DB" --format json --out - | grep -v exported_at; }

# ---- help ------------------------------------------------------------------
for c in patient session export db; do
    "$NEEDLE" $c --help >"$TMP/out" 2>&1
    check "$c --help exits 0" '[ $? -eq 0 ] && grep -q "^Usage: needle $c" "$TMP/out"'
    "$NEEDLE" help $c >"$TMP/out" 2>&1
    check "help $c exits 0" '[ $? -eq 0 ] && grep -q "^Usage: needle $c" "$TMP/out"'
done
"$NEEDLE" patient frobnicate >/dev/null 2>&1
check "unknown subcommand exits 2" '[ $? -eq 2 ]'

# ---- adding patients, permissions, WAL --------------------------------------
"$NEEDLE" patient add --db "$DB" --name "Ada Lovelace" --birth-date 1980-06-15 --sex female \
    --fitzpatrick III --history isotretinoin:2024-01-10:2024-07-10:20mg \
    --history herpes:2010-05-01 >"$TMP/out" 2>"$TMP/err"
check "patient add exits 0" '[ $? -eq 0 ]'
check "patient add prints the id and pseudonym" 'grep -Eq "^Added patient 1 \(P-[0-9a-f]{8}\)\.$" "$TMP/out"'
check "patient add says nothing on stderr" '[ ! -s "$TMP/err" ]'
P1=$(sed -n 's/^Added patient 1 (\(P-[0-9a-f]*\)).*/\1/p' "$TMP/out")
check "new database is owner-only (umask 022)" '[ "$(stat -c %a "$DB")" = 600 ]'
(umask 000 && "$NEEDLE" patient add --db "$TMP/open.db" --name X --birth-date 1990-01-01 \
    --sex male --fitzpatrick 2 >/dev/null)
check "new database is owner-only (umask 000)" '[ "$(stat -c %a "$TMP/open.db")" = 600 ]'
"$NEEDLE" patient add --db "$DB" --name "Grace Hopper" --birth-date 1975-01-31 --sex female \
    --fitzpatrick 5 >/dev/null
"$NEEDLE" patient add --db "$DB" --name "ada lovelace" --birth-date 1991-03-03 --sex female \
    --fitzpatrick 2 >/dev/null
"$NEEDLE" patient add --db "$DB" --name "Alan Turing" --birth-date 1970-06-23 --sex male \
    --fitzpatrick 1 >/dev/null
if [ $have_python -eq 1 ]; then
    check "journal is WAL" '[ "$(sql "$DB" "PRAGMA journal_mode")" = wal ]'
    check "schema version recorded" '[ "$(sql "$DB" "SELECT count(*) FROM schema_migrations")" -ge 1 ]'
    # -wal and -shm exist while a connection is open: hold one open.
    python3 -c 'import sqlite3, sys, os, time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM patients").fetchall()
modes = [oct(os.stat(sys.argv[1] + s).st_mode & 0o777) for s in ("-wal", "-shm")]
print(" ".join(modes))' "$DB" >"$TMP/modes" 2>&1
    check "-wal and -shm are owner-only" '[ "$(cat "$TMP/modes")" = "0o600 0o600" ]'
else
    echo "python3 with sqlite3 missing: WAL and side-file checks skipped"
fi

# ---- which database ---------------------------------------------------------
"$NEEDLE" patient add --name "Default Place" --birth-date 1990-01-01 --sex male --fitzpatrick 2 >/dev/null
check "without --db or NEEDLE_DB: ./needle.db" '[ -f "$TMP/needle.db" ]'
NEEDLE_DB="$TMP/env.db" "$NEEDLE" patient add --name "Env Place" --birth-date 1990-01-01 \
    --sex male --fitzpatrick 2 >/dev/null
check "NEEDLE_DB names the database" '[ -f "$TMP/env.db" ]'
NEEDLE_DB="$TMP/env.db" "$NEEDLE" patient list --db "$DB" --names >"$TMP/out"
check "--db wins over NEEDLE_DB" 'grep -q "Grace Hopper" "$TMP/out" && ! grep -q "Env Place" "$TMP/out"'
"$NEEDLE" patient list --db "$TMP/nowhere.db" >/dev/null 2>"$TMP/err"
check "reading a missing database exits 2" '[ $? -eq 2 ] && grep -q "nowhere.db" "$TMP/err"'
check "reading a missing database creates nothing" '[ ! -e "$TMP/nowhere.db" ]'

# ---- listing, showing, names -------------------------------------------------
"$NEEDLE" patient list --db "$DB" >"$TMP/out"
check "list shows ids and pseudonyms" 'grep -q "$P1" "$TMP/out" && [ $(grep -c "P-" "$TMP/out") -eq 4 ]'
check "list hides names" '! grep -qi "lovelace\|hopper\|turing" "$TMP/out"'
"$NEEDLE" patient list --db "$DB" --names >"$TMP/out"
check "list --names shows names" 'grep -q "Ada Lovelace" "$TMP/out" && grep -q "Alan Turing" "$TMP/out"'
"$NEEDLE" patient show "grace HOPPER" --db "$DB" >"$TMP/out"
check "show by name, ignoring case" '[ $? -eq 0 ] && grep -q "^Patient 2 " "$TMP/out" && grep -q "Grace Hopper" "$TMP/out"'
"$NEEDLE" patient show "$P1" --db "$DB" >"$TMP/out"
check "show by pseudonym" 'grep -q "^Patient 1 " "$TMP/out"'
check "show lists the history" 'grep -q "isotretinoin .*since 2024-01-10 .*until 2024-07-10 .*20mg" "$TMP/out" && grep -q "herpes .*(ongoing)" "$TMP/out"'
check "show gives the skin type" 'grep -q "Fitzpatrick  III" "$TMP/out"'
"$NEEDLE" patient show 1 --db "$DB" >/dev/null
check "show by id" '[ $? -eq 0 ]'
"$NEEDLE" patient show "Ada Lovelace" --db "$DB" >"$TMP/out" 2>"$TMP/err"
check "an ambiguous name exits 2" '[ $? -eq 2 ] && [ ! -s "$TMP/out" ]'
check "an ambiguous name lists the candidates by id" 'grep -q "matches 2 patients: 1 (P-.*), 3 (P-" "$TMP/err"'
check "the candidates are not named" '! grep -qi "lovelace" "$TMP/err"'
"$NEEDLE" patient show 99 --db "$DB" >/dev/null 2>"$TMP/err"
check "an unknown id exits 2" '[ $? -eq 2 ] && grep -q "PATIENT: no patient with id 99" "$TMP/err"'
"$NEEDLE" patient show "Nobody Here" --db "$DB" >/dev/null 2>"$TMP/err"
check "an unknown name exits 2" '[ $? -eq 2 ] && grep -q "PATIENT" "$TMP/err"'

# ---- bad input writes nothing --------------------------------------------------
before=$(snapshot)
tomorrow=$(date -d tomorrow +%F)
bad() { # NAME OPTION ARGS...: exit 2, the option named, no change
    name=$1 opt=$2
    shift 2
    "$NEEDLE" "$@" --db "$DB" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    check "$name: exit 2 (got $rc)" '[ $rc -eq 2 ]'
    check "$name: message names $opt" 'grep -q "^needle: error: .*$opt" "$TMP/err"'
    check "$name: nothing on stdout" '[ ! -s "$TMP/out" ]'
    check "$name: nothing written" '[ "$(snapshot)" = "$before" ]'
}
ADD="patient add --name Bad --birth-date 1980-01-01 --sex female"
bad "Fitzpatrick 7" --fitzpatrick $ADD --fitzpatrick 7
bad "Fitzpatrick VII" --fitzpatrick $ADD --fitzpatrick VII
bad "malformed birth date" --birth-date patient add --name Bad --birth-date 1980-02-30 --sex female --fitzpatrick 2
bad "birth date in the future" --birth-date patient add --name Bad --birth-date "$tomorrow" --sex female --fitzpatrick 2
bad "unknown sex" --sex patient add --name Bad --birth-date 1980-01-01 --sex other --fitzpatrick 2
bad "missing --sex" --sex patient add --name Bad --birth-date 1980-01-01 --fitzpatrick 2
bad "unknown history kind" "--history: unknown history kind 'isotretinion'" $ADD --fitzpatrick 2 --history isotretinion:2020-01-01
bad "history date malformed" --history $ADD --fitzpatrick 2 --history peel:2020-13-01
bad "history until before since" "history item 1 until" $ADD --fitzpatrick 2 --history peel:2020-03-01:2020-02-01
bad "history in the future" "history item 1 since" $ADD --fitzpatrick 2 --history peel:"$tomorrow"
bad "edit unknown patient" PATIENT patient edit 42 --fitzpatrick 3
bad "edit ambiguous patient" PATIENT patient edit "ada lovelace" --fitzpatrick 3
bad "edit Fitzpatrick 0" --fitzpatrick patient edit 2 --fitzpatrick 0
bad "end a kind with nothing ongoing" --end-history patient edit 2 --end-history keloid:2020-01-01
bad "end before it began" "history item 1 until" patient edit 1 --end-history herpes:2009-01-01
bad "remove what is not there" --remove-history patient edit 1 --remove-history peel:2020-01-01
"$NEEDLE" patient edit 1 --db "$DB" >/dev/null 2>&1
check "edit with nothing to change exits 2" '[ $? -eq 2 ]'
"$NEEDLE" patient add --db "$TMP/never.db" --name Bad --birth-date 1980-01-01 --sex female --fitzpatrick 9 2>/dev/null
check "refused first patient leaves no database" '[ ! -e "$TMP/never.db" ]'

# ---- editing -------------------------------------------------------------------
"$NEEDLE" patient edit 1 --db "$DB" --end-history herpes:2020-01-01 --add-history peel:2023-03-03::light \
    --fitzpatrick 4 >"$TMP/out"
check "edit exits 0" '[ $? -eq 0 ] && grep -q "^Updated patient 1" "$TMP/out"'
"$NEEDLE" patient show 1 --db "$DB" >"$TMP/out"
check "edit ended the ongoing item" 'grep -q "herpes .*until 2020-01-01" "$TMP/out"'
check "edit added an item with a note" 'grep -q "peel .*since 2023-03-03 .*(ongoing) .*light" "$TMP/out"'
check "edit kept the rest" 'grep -q "isotretinoin" "$TMP/out" && grep -q "Ada Lovelace" "$TMP/out" && grep -q "Fitzpatrick  IV" "$TMP/out"'
"$NEEDLE" patient edit 1 --db "$DB" --remove-history peel:2023-03-03 >/dev/null
"$NEEDLE" patient show 1 --db "$DB" >"$TMP/out"
check "remove-history removed the item" '! grep -q "peel" "$TMP/out"'
"$NEEDLE" patient show 1 --db "$DB" | grep -q "$P1"
check "the pseudonym survives edits" '[ $? -eq 0 ]'

# ---- sessions against a stored plan ----------------------------------------------
if [ $have_python -eq 1 ]; then
    # Until the planner's command writes plans, one goes in through SQL.
    sql "$DB" "INSERT INTO plans (patient_id, created_date, indication, device_kind, device_preset,
        needle_length_mm, needle_diameter_mm, tip_radius_um, rings, needles_per_ring,
        drum_diameter_mm, drum_width_mm, rows, cols, pitch_mm, frequency_hz, motor_stroke_mm,
        numbing_cream, numbing_application_min, numbing_occluded, sessions, interval_days)
        VALUES (2, '2024-09-01', 'wrinkles', 'pen', 'test_pen', 2.5, 0.25, 5, 0, 0, 0, 0, 3, 4,
        0.6, 120, 2.5, 'emla', 45, 0, 3, 28)" >/dev/null
    sql "$DB" "INSERT INTO plan_zones (plan_id, position, zone, depth_mm, depth_limit_mm, passes,
        predicted_pain_vas, predicted_bleeding_points_per_cm2, predicted_erythema_peak_fraction)
        VALUES (1, 0, 'forehead', 0.5, 0.75, 4, 2.1, 120, 0.41),
               (1, 1, 'cheek_left', 1.5, 1.5, 6, 3.4, 800, 0.62),
               (1, 2, 'cheek_right', 1.5, 1.5, 6, 3.4, 800, 0.62)" >/dev/null
    "$NEEDLE" session record 1 --db "$DB" --date 2024-10-01 --number 1 \
        --zone forehead:depth_mm=0.5,passes=4,pain=2,redness=mild,bleeding=none \
        --zone cheeks:depth_mm=1.8,passes=6,pain=4.5,redness=moderate,bleeding=pinpoint \
        --complications "small bruise, left cheek" >"$TMP/out" 2>"$TMP/err"
    check "session record exits 0" '[ $? -eq 0 ] && grep -q "^Recorded session 1: plan 1, number 1, 2024-10-01, 3 zones" "$TMP/out"'
    check "a depth over the limit warns" 'grep -q "warning: cheek_left: depth 1.80 mm was beyond the plan.s limit of 1.50 mm" "$TMP/err"'
    check "and is flagged in the record" '[ "$(sql "$DB" "SELECT group_concat(depth_exceeded) FROM session_zones ORDER BY position")" = "0,1,1" ]'
    before=$(snapshot)
    bad "session in the future" --date session record 1 --date "$tomorrow" --number 2 --zone forehead:depth_mm=0.5,passes=4
    bad "session malformed date" --date session record 1 --date 2024-1-5 --number 2 --zone forehead:depth_mm=0.5,passes=4
    bad "session number recorded" --number session record 1 --date 2024-10-29 --number 1 --zone forehead:depth_mm=0.5,passes=4
    bad "session number beyond the series" --number session record 1 --date 2024-10-29 --number 4 --zone forehead:depth_mm=0.5,passes=4
    bad "zone not in the plan" "--zone nose" session record 1 --date 2024-10-29 --number 2 --zone nose:depth_mm=0.5,passes=4
    bad "unknown plan" PLAN_ID session record 7 --date 2024-10-29 --number 2 --zone forehead:depth_mm=0.5,passes=4
    bad "pain 11" "--zone forehead pain" session record 1 --date 2024-10-29 --number 2 --zone forehead:depth_mm=0.5,passes=4,pain=11
    bad "redness unknown" "--zone forehead redness" session record 1 --date 2024-10-29 --number 2 --zone forehead:depth_mm=0.5,passes=4,redness=scarlet
    bad "no passes" "--zone forehead" session record 1 --date 2024-10-29 --number 2 --zone forehead:depth_mm=0.5
    bad "unknown zone key" "--zone forehead" session record 1 --date 2024-10-29 --number 2 --zone forehead:depht_mm=0.5,passes=4
    "$NEEDLE" session record 1 --db "$DB" --date 2024-10-29 --number 2 \
        --zone forehead:depth_mm=0.5,passes=4,bleeding=12 >/dev/null 2>"$TMP/err"
    check "second session, no warning" '[ $? -eq 0 ] && [ ! -s "$TMP/err" ]'
    "$NEEDLE" session list "grace hopper" --db "$DB" >"$TMP/out"
    check "session list exits 0" '[ $? -eq 0 ] && grep -q "^Patient 2 (P-[0-9a-f]*): 2 sessions recorded" "$TMP/out"'
    check "session list sets prediction beside observation" 'grep -Eq "^  forehead +0.50 +0.50 +0.75 +4 +4 +2.1 +2.0 +0.41 +mild +120 +none" "$TMP/out"'
    check "session list shows the flag" '[ $(grep -c "DEPTH OVER LIMIT" "$TMP/out") -eq 2 ]'
    check "session list shows complications" 'grep -q "complications: small bruise, left cheek" "$TMP/out"'
    check "session list does not name the patient" '! grep -qi "hopper" "$TMP/out"'
    "$NEEDLE" export --db "$DB" --table session_zones --out - >"$TMP/out"
    check "export carries the flag" '[ $(grep -c ",1,4.5,2,pinpoint," "$TMP/out") -eq 2 ]'
fi

# ---- export ----------------------------------------------------------------------
"$NEEDLE" export --db "$DB" >"$TMP/out"
check "export writes a folder" '[ $? -eq 0 ] && [ -f needle-export/patients.csv ] && [ -f needle-export/session_zones.csv ]'
check "export files are owner-only" '[ "$(stat -c %a needle-export/patients.csv)" = 600 ]'
check "export leaves no temporary files" '! ls needle-export | grep -q tmp'
check "plain export has names" 'grep -q "Ada Lovelace,1980-06-15" needle-export/patients.csv'
"$NEEDLE" export --db "$DB" --pseudonymise --out pseudo >/dev/null
"$NEEDLE" export --db "$DB" --pseudonymise --out pseudo2 >/dev/null
check "pseudonymised export has no names" '! grep -rqi "lovelace\|hopper\|turing" pseudo'
check "pseudonymised export keeps the birth year only" '! grep -rq "1980-06-15" pseudo && grep -q "^$P1,1980,female,4$" pseudo/patients.csv'
check "pseudonyms are stable across exports" 'diff -r pseudo pseudo2 >/dev/null'
"$NEEDLE" export --db "$DB" --format json --pseudonymise --out all.json >/dev/null
check "JSON export" '[ -f all.json ] && grep -q "\"pseudonymised\": true" all.json && ! grep -qi lovelace all.json'
if [ $have_python -eq 1 ]; then
    check "JSON export parses" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d[\"patients\"]) == 4" all.json'
fi
"$NEEDLE" export --db "$DB" --table patients --out - >"$TMP/out"
check "one table to stdout" '[ $(wc -l <"$TMP/out") -eq 5 ] && head -1 "$TMP/out" | grep -q "^patient_id,pseudonym,name"'
"$NEEDLE" export --db "$DB" --table secrets >/dev/null 2>"$TMP/err"
check "unknown table exits 2" '[ $? -eq 2 ] && grep -q -- "--table" "$TMP/err"'
"$NEEDLE" export --db "$DB" --format xml >/dev/null 2>"$TMP/err"
check "unknown format exits 2" '[ $? -eq 2 ] && grep -q -- "--format" "$TMP/err"'

# ---- backup and the database itself --------------------------------------------------
"$NEEDLE" db backup "$TMP/backup.db" --db "$DB" >"$TMP/out"
check "backup exits 0" '[ $? -eq 0 ] && [ -f "$TMP/backup.db" ]'
check "backup is owner-only" '[ "$(stat -c %a "$TMP/backup.db")" = 600 ]'
"$NEEDLE" patient list --db "$TMP/backup.db" --names >"$TMP/out"
check "backup reads back" 'grep -q "Grace Hopper" "$TMP/out" && [ $(grep -c "P-" "$TMP/out") -eq 4 ]'
"$NEEDLE" db check --db "$TMP/backup.db" >/dev/null
check "backup passes the check" '[ $? -eq 0 ]'
"$NEEDLE" db backup "$TMP/backup.db" --db "$DB" >/dev/null 2>"$TMP/err"
check "backup never overwrites" '[ $? -eq 2 ] && grep -q "already exists" "$TMP/err"'
"$NEEDLE" db check --db "$DB" >"$TMP/out"
check "db check ok" '[ $? -eq 0 ] && grep -q ": ok$" "$TMP/out"'
"$NEEDLE" db info --db "$DB" >"$TMP/out"
check "db info counts patients" 'grep -q "^patients  *4$" "$TMP/out"'
"$NEEDLE" db init --db "$TMP/init.db" >/dev/null
check "db init creates an owner-only file" '[ "$(stat -c %a "$TMP/init.db")" = 600 ]'
echo "not a database, only text that is long enough to be looked at by sqlite" >"$TMP/text.db"
"$NEEDLE" patient list --db "$TMP/text.db" >/dev/null 2>"$TMP/err"
check "a file that is not a database exits 2" '[ $? -eq 2 ] && grep -q "text.db" "$TMP/err"'
if [ $have_python -eq 1 ]; then
    cp "$TMP/init.db" "$TMP/newer.db"
    sql "$TMP/newer.db" "PRAGMA user_version = 99" >/dev/null
    "$NEEDLE" patient list --db "$TMP/newer.db" >/dev/null 2>"$TMP/err"
    check "a newer database is refused" '[ $? -eq 2 ] && grep -q "newer than this needle" "$TMP/err"'
fi
finish
