# End to end: needle simulate on the default scenario and every example.
. "$(dirname "$0")/lib.sh"

"$NEEDLE" --version | grep -q '^needle [0-9]' && pass || fail "--version"
"$NEEDLE" --help | grep -q 'simulate' && pass || fail "--help"
"$NEEDLE" help simulate | grep -q 'raw-punctures' && pass || fail "help simulate"
"$NEEDLE" presets | grep -q 'dermaroller_192' && pass || fail "presets"
"$NEEDLE" bogus >/dev/null 2>&1; check "unknown command exits 2" '[ $? -eq 2 ]'
"$NEEDLE" simulate --threads 0 >/dev/null 2>&1; check "--threads 0 exits 2" '[ $? -eq 2 ]'
"$NEEDLE" simulate --seed -3 >/dev/null 2>&1; check "negative seed exits 2" '[ $? -eq 2 ]'
"$NEEDLE" simulate "$TMP/nope.yaml" >"$TMP/err" 2>&1; rc=$?
check "missing scenario exits 2" '[ $rc -eq 2 ]'
check "missing scenario is named" 'grep -q "nope.yaml" "$TMP/err"'

# The default run, with 1 and 2 threads: byte-identical outputs.
# (same --out for both: summary.json echoes the output folder)
"$NEEDLE" simulate --quiet --threads 1 --raw-punctures --out "$TMP/run" || fail "default run (1 thread)"
mv "$TMP/run" "$TMP/t1"
"$NEEDLE" simulate --quiet --threads 2 --raw-punctures --out "$TMP/run" || fail "default run (2 threads)"
mv "$TMP/run" "$TMP/t2"
for f in summary.json zones.csv field.csv punctures.csv figures/density.png figures/depth.png; do
    check "$f written" '[ -s "$TMP/t1/$f" ]'
    check "$f identical with 1 and 2 threads" 'cmp -s "$TMP/t1/$f" "$TMP/t2/$f"'
done
check "PNG signature" 'head -c 8 "$TMP/t1/figures/density.png" | od -An -c | grep -q "P   N   G"'
check "no temporary folder left" '[ -z "$(ls "$TMP" | grep tmp)" ]'
check "zones.csv has a row per default zone" '[ $(wc -l < "$TMP/t1/zones.csv") -eq 15 ]'
check "zones.csv columns carry units" 'head -1 "$TMP/t1/zones.csv" | grep -q "punctures_per_cm2,depth_mean_mm,depth_p95_mm"'
if command -v python3 >/dev/null; then
    python3 - "$TMP/t1/summary.json" <<'PY' && pass || fail "summary.json content"
import json, sys
s = json.load(open(sys.argv[1]))
z = s["zones"]
assert len(z) == 14, len(z)
for name, v in z.items():
    for k in ("punctures_per_cm2", "depth_mean_mm", "depth_p95_mm", "layer_fraction",
              "coverage_fraction", "uniformity_cv"):
        assert k in v, (name, k)
    assert abs(sum(v["layer_fraction"].values()) - 1) < 1e-6, name
    assert v["depth_p95_mm"] >= v["depth_mean_mm"] > 0, name
assert s["scenario"]["device"]["kind"] == "pen"
assert s["scenario"]["patient"]["age_y"] == 40
# The periorbital setting (0.25 mm) stays shallower than the cheeks (1.25 mm).
assert z["periorbital_left"]["depth_mean_mm"] < z["cheek_left"]["depth_mean_mm"]
PY
fi

# A different seed changes the result; the same seed does not.
"$NEEDLE" simulate --quiet --seed 7 --out "$TMP/s7" || fail "seed 7 run"
check "another seed gives other numbers" '! cmp -s "$TMP/t1/field.csv" "$TMP/s7/field.csv"'

# Re-running into an earlier run folder replaces it; a folder that is not a run is refused.
"$NEEDLE" simulate --quiet --out "$TMP/t1" || fail "rerun into a run folder"
mkdir -p "$TMP/mine" && echo keep > "$TMP/mine/notes.txt"
"$NEEDLE" simulate --quiet --out "$TMP/mine" >/dev/null 2>&1; rc=$?
check "refuses to overwrite a folder that is not a run" '[ $rc -ne 0 ] && [ "$(cat "$TMP/mine/notes.txt")" = keep ]'

# The scenario shown in README.md is valid as printed.
awk '/^```yaml$/ { on = 1; next } /^```$/ && on { exit } on' "$SRC/README.md" > "$TMP/readme.yaml"
"$NEEDLE" check "$TMP/readme.yaml" >/dev/null || fail "README scenario"

# Every example is valid and runs.
for ex in "$SRC"/examples/*.yaml; do
    "$NEEDLE" check "$ex" >/dev/null || fail "check $ex"
    "$NEEDLE" simulate "$ex" --quiet --out "$TMP/ex" || fail "simulate $ex"
    check "$(basename "$ex") wrote summary.json" '[ -s "$TMP/ex/summary.json" ]'
done
finish
