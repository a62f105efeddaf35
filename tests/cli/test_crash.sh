# Writers killed with SIGKILL mid-way, and writers at once: afterwards the
# file passes its integrity check and holds exactly the records whose
# commands succeeded, plus at most those of killed commands that had already
# committed when the signal came; nothing else, and nothing twice.
. "$(dirname "$0")/lib.sh"

DB="$TMP/crash.db"
"$NEEDLE" db init --db "$DB" >/dev/null || { fail "db init"; finish; exit 1; }
today=$(date +%F)
have_python=0
python3 -c 'import sqlite3' 2>/dev/null && have_python=1

# writer TAG FUNC: run FUNC 1, FUNC 2, ... until $TMP/stop appears, logging
# "N EXIT_CODE" for each in $TMP/TAG.log and the running command's pid in
# $TMP/TAG.pid.  FUNC execs needle, so that the pid is needle's own.
writer() {
    tag=$1
    i=0
    while [ ! -e "$TMP/stop" ]; do
        i=$((i + 1))
        $2 $i >/dev/null 2>>"$TMP/$tag.err" &
        echo $! >"$TMP/$tag.pid"
        wait $!
        echo "$i $?" >>"$TMP/$tag.log"
    done
}

# kill_now TAG: SIGKILL the command the writer is running.
kill_now() {
    pid=$(cat "$TMP/$1.pid" 2>/dev/null)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
}

# verify TAG KEYS_FILE: compare the log with the keys found in the database.
verify() {
    tag=$1
    keys=$2
    ok=0 killed=0 other=0 extra=0 missing=0 stray=0
    while read -r i rc; do
        n=$(grep -cx "$i" "$keys")
        case $rc in
        0) ok=$((ok + 1)); [ "$n" -eq 1 ] || missing=$((missing + 1)) ;;
        137) killed=$((killed + 1)); [ "$n" -le 1 ] || extra=$((extra + 1)) ;;
        *) other=$((other + 1)); [ "$n" -eq 0 ] || extra=$((extra + 1)) ;;
        esac
    done <"$TMP/$tag.log"
    while read -r k; do grep -q "^$k " "$TMP/$tag.log" || stray=$((stray + 1)); done <"$keys"
    echo "$tag: $ok completed, $killed killed, $(wc -l <"$keys") in the database"
    check "$tag: some commands completed" '[ $ok -ge 5 ]'
    check "$tag: every completed command's record is there, once" '[ $missing -eq 0 ]'
    check "$tag: no record twice, none from a failed command" '[ $extra -eq 0 ]'
    check "$tag: no record from nowhere" '[ $stray -eq 0 ]'
    check "$tag: no failure but the kills ($other; $(head -c 300 "$TMP/$tag.err"))" '[ $other -eq 0 ]'
    check "$tag: at most the killed ones beyond the completed" '[ $(wc -l <"$keys") -le $((ok + killed)) ] && [ $(wc -l <"$keys") -ge $ok ]'
}

# Names "TAG N" of the patients in the database, as N.
patient_keys() {
    "$NEEDLE" export --db "$DB" --table patients --out - | cut -d, -f3 | sed -n "s/^$1 //p" | sort -n
}

integrity() {
    "$NEEDLE" db check --db "$DB" >/dev/null 2>"$TMP/check.err"
    check "$1: integrity check ok ($(cat "$TMP/check.err"))" '[ $? -eq 0 ]'
    if [ $have_python -eq 1 ]; then
        r=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$DB")
        check "$1: PRAGMA integrity_check is ok" '[ "$r" = ok ]'
    fi
}

# ---- patients added while the writer is killed again and again ---------------
rm -f "$TMP/stop"
add_patient() { exec "$NEEDLE" patient add --db "$DB" --name "$TAG $1" --birth-date 1980-01-01 \
    --sex female --fitzpatrick 3; }
TAG=crash writer crash add_patient 2>/dev/null &
loop=$!
for k in 1 2 3 4 5 6 7 8 9 10; do
    sleep 0.2
    kill_now crash
done
touch "$TMP/stop"
wait $loop
integrity "after kills"
patient_keys crash >"$TMP/crash.keys"
verify crash "$TMP/crash.keys"
check "crash: the kills landed" '[ $(grep -c " 137$" "$TMP/crash.log") -ge 1 ]'

# ---- sessions recorded while the writer is killed ---------------------------------
if [ $have_python -eq 1 ]; then
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("""INSERT INTO plans (patient_id, created_date, indication, device_kind,
    needle_length_mm, needle_diameter_mm, tip_radius_um, rings, needles_per_ring,
    drum_diameter_mm, drum_width_mm, rows, cols, pitch_mm, frequency_hz, motor_stroke_mm,
    numbing_cream, numbing_application_min, numbing_occluded, sessions, interval_days)
    VALUES (1, "2024-01-01", "wrinkles", "pen", 2.5, 0.25, 5, 0, 0, 0, 0, 3, 4, 0.6, 120, 2.5,
    "none", 0, 0, 1000000, 1)""")
c.execute("""INSERT INTO plan_zones (plan_id, position, zone, depth_mm, depth_limit_mm, passes)
    VALUES (1, 0, "forehead", 0.5, 0.75, 4), (1, 1, "chin", 1.0, 1.0, 4)""")
c.commit()' "$DB"
    rm -f "$TMP/stop"
    record() { exec "$NEEDLE" session record 1 --db "$DB" --date "$today" --number "$1" \
        --zone forehead:depth_mm=0.5,passes=4,pain=2 --zone chin:depth_mm=1.2,passes=4; }
    writer session record 2>/dev/null &
    loop=$!
    for k in 1 2 3 4 5 6 7 8 9 10; do
        sleep 0.2
        kill_now session
    done
    touch "$TMP/stop"
    wait $loop
    integrity "after killed sessions"
    "$NEEDLE" export --db "$DB" --table sessions --out - | sed 1d | cut -d, -f6 | sort -n >"$TMP/session.keys"
    verify session "$TMP/session.keys"
    zones=$("$NEEDLE" export --db "$DB" --table session_zones --out - | sed 1d | wc -l)
    check "every stored session has both its zones" '[ "$zones" -eq $((2 * $(wc -l <"$TMP/session.keys"))) ]'
else
    echo "python3 with sqlite3 missing: the session loop is skipped"
fi

# ---- two writers at once ------------------------------------------------------------
rm -f "$TMP/stop"
TAG=one writer one add_patient &
a=$!
TAG=two writer two add_patient &
b=$!
sleep 2
touch "$TMP/stop"
wait $a
wait $b
integrity "after two writers"
for w in one two; do
    patient_keys $w >"$TMP/$w.keys"
    verify $w "$TMP/$w.keys"
    check "$w: every command succeeded" '! grep -qv " 0$" "$TMP/$w.log"'
done
"$NEEDLE" export --db "$DB" --table patients --out - | sed 1d | cut -d, -f2 | sort | uniq -d >"$TMP/dup"
check "pseudonyms stay unique under concurrent writers" '[ ! -s "$TMP/dup" ]'
finish
