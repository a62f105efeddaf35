# needle simulate --tissue-sites: the 3-D solver at sample sites of each zone,
# fed with the run's own punctures, beside the lumped time courses.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/s.yaml" <<'YAML'
seed: 9
patient: {age_y: 40, sex: female, fitzpatrick: III}
device: {preset: pen_12}
protocol:
  numbing: {cream: emla, application_min: 45, occluded: true}
  follow_up_days: 7
  zones: [{zone: cheek_left, depth_mm: 1.0}, {zone: forehead, depth_mm: 0.5}]
output: {tissue_voxel_um: 40, tissue_width_mm: 1} # coarser than the default: seconds
YAML
"$NEEDLE" simulate "$TMP/s.yaml" --out "$TMP/a" --quiet --tissue-sites 1 --threads 1
check "run with sites exits 0" '[ $? -eq 0 ]'
check "tissue.csv written" '[ -s "$TMP/a/tissue.csv" ]'
check "tissue.csv has units in its header" \
    'head -1 "$TMP/a/tissue.csv" | grep -q "time_h,anesthesia_depth_mm,open_channel_fraction"'
check "a site per zone" '[ "$(cut -d, -f1,2 "$TMP/a/tissue.csv" | sort -u | grep -c ",0$")" -eq 2 ]'
check "each site saw punctures" \
    '! awk -F, "NR > 1 && \$6 + 0 == 0" "$TMP/a/tissue.csv" | grep -q .'
# The same sample times as the lumped time course.
awk -F, 'NR > 1 && $1 == "forehead" { print $7 }' "$TMP/a/tissue.csv" >"$TMP/t1"
awk -F, 'NR > 1 && $1 == "forehead" { print $2 }' "$TMP/a/timecourse.csv" >"$TMP/t2"
check "same times as timecourse.csv" 'cmp -s "$TMP/t1" "$TMP/t2"'
# Open channels: the site and the lumped model close them alike (within 0.05
# of the share, the site's punctures being a sample of the zone's).
awk -F, 'NR > 1 && $1 == "cheek_left" { print $9 }' "$TMP/a/tissue.csv" >"$TMP/o1"
awk -F, 'NR > 1 && $1 == "cheek_left" { print $7 }' "$TMP/a/timecourse.csv" >"$TMP/o2"
worst=$(paste -d, "$TMP/o1" "$TMP/o2" |
        awk -F, '{ d = $1 - $2; if (d < 0) d = -d; if (d > w) w = d } END { print w + 0 }')
echo "open channel share, site vs lumped: largest difference $worst"
check "open channels agree ($worst)" 'awk "BEGIN { exit !($worst <= 0.05) }"'
# Bit-identical for any number of threads.
"$NEEDLE" simulate "$TMP/s.yaml" --out "$TMP/b" --quiet --tissue-sites 1 --threads 2
check "tissue.csv identical for 1 and 2 threads" 'cmp -s "$TMP/a/tissue.csv" "$TMP/b/tissue.csv"'
"$NEEDLE" simulate "$TMP/s.yaml" --out "$TMP/c" --quiet --tissue-sites 9 2>"$TMP/err"
check "too many sites refused with exit 2" '[ $? -eq 2 ] && grep -q "tissue-sites" "$TMP/err"'
check "and nothing written" '[ ! -e "$TMP/c" ]'

# A serum after the pass: the site follows it in through the channels, from
# the same moment as the lumped time course (after it comes off the two part:
# the lumped front fades on the numbing's time scale, the site's serum is
# cleared by blood flow and is held by the volume's floor).
cat >"$TMP/serum.yaml" <<'YAML'
seed: 9
patient: {age_y: 40, sex: female, fitzpatrick: III}
device: {preset: pen_12}
protocol:
  steps:
    - needling: {}
    - topical: {product: tranexamic_acid, contact_min: 20}
  follow_up_days: 2
  zones: [{zone: forehead, depth_mm: 0.5}]
output: {tissue_voxel_um: 40, tissue_width_mm: 1}
YAML
"$NEEDLE" simulate "$TMP/serum.yaml" --out "$TMP/d" --quiet --tissue-sites 1
check "run with a serum exits 0" '[ $? -eq 0 ]'
check "tissue.csv has the serum's depth" 'head -1 "$TMP/d/tissue.csv" | grep -q ",topical_depth_mm$"'
paste -d, "$TMP/d/tissue.csv" "$TMP/d/timecourse.csv" | awk -F, 'NR > 1 { print $15, $NF }' >"$TMP/sd"
check "the site's serum goes in when the lumped one does" \
    '[ -s "$TMP/sd" ] && awk "{ if ((\$1 > 0) != (\$2 > 0)) bad = 1; if (\$2 > 0) exit } END { exit bad }" "$TMP/sd"'
check "and it got in" 'awk "\$1 > 0.1 { found = 1 } END { exit !found }" "$TMP/sd"'

finish
