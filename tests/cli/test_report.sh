# The practitioner's report end to end: needle simulate writes report.html,
# needle report draws it again from the run folder and refuses bad folders,
# and the page renders in headless Chromium with every figure, no console
# error, and a zone table that says what zones.csv says.
#
# Set ND_TEST_SCREENSHOT=FILE.png to keep the screenshot for a look by eye.
. "$(dirname "$0")/lib.sh"

# ---- needle report refuses what is not a run folder, and writes nothing ----
"$NEEDLE" report "$TMP/missing" >"$TMP/out" 2>"$TMP/err"; rc=$?
check "missing folder: exit code 2 (got $rc)" '[ $rc -eq 2 ]'
check "missing folder: named" 'grep -q "missing" "$TMP/err"'
check "missing folder: nothing created" '[ ! -e "$TMP/missing" ]'
mkdir "$TMP/notes" && echo keep > "$TMP/notes/notes.txt"
"$NEEDLE" report "$TMP/notes" >"$TMP/out" 2>"$TMP/err"; rc=$?
check "not a run folder: exit code 2 (got $rc)" '[ $rc -eq 2 ]'
check "not a run folder: said so" 'grep -q "not a needle run folder" "$TMP/err"'
check "not a run folder: left alone" '[ "$(ls "$TMP/notes")" = notes.txt ]'
"$NEEDLE" report >/dev/null 2>&1; check "no folder: exit code 2" '[ $? -eq 2 ]'
"$NEEDLE" help report | grep -q 'RUN_DIR' && pass || fail "help report"
"$NEEDLE" --help | grep -q 'report RUN_DIR' && pass || fail "--help lists report"

# ---- a bad scenario writes no report at all ----
"$NEEDLE" simulate "$SRC/tests/cli/bad/misspelt_key.yaml" --out "$TMP/bad" >"$TMP/out" 2>&1
check "bad scenario: exit code 2" '[ $? -eq 2 ]'
check "bad scenario: no run folder" '[ ! -e "$TMP/bad" ]'
check "bad scenario: no report.html anywhere" '[ -z "$(find "$TMP" -name "report.html*")" ]'
check "bad scenario: no Report line" '! grep -q "^Report:" "$TMP/out"'

# ---- the default run ----
RUN="$TMP/run"
"$NEEDLE" simulate --out "$RUN/" >"$TMP/stdout" 2>"$TMP/stderr" || fail "default run"
check "simulate ends with the report's path" \
    '[ "$(tail -n 1 "$TMP/stdout")" = "Report: $RUN/report.html" ]'
for f in report.html histograms.csv timecourse.csv figures/density.png figures/depth.png \
    figures/layer.png figures/coverage.png figures/depth_histograms.png figures/numbing.png \
    figures/recovery.png figures/collagen.png; do
    check "$f written" '[ -s "$RUN/$f" ]'
done
check "zones.csv carries every interval of summary.json" \
    'head -1 "$RUN/zones.csv" | grep -q "collagen_III_rel_lo,collagen_III_rel_hi,elastin_rel_lo,elastin_rel_hi,pih_risk_lo,pih_risk_hi"'
check "report.html no longer says the outcomes are not modelled" \
    '! grep -q "not model" "$RUN/report.html"'
check "zones.csv has layer boundaries and the setting" \
    'head -1 "$RUN/zones.csv" | grep -q "depth_setting_mm,sc_bottom_mm,epidermis_bottom_mm,papillary_bottom_mm,reticular_bottom_mm"'
check "histograms.csv columns carry units" \
    '[ "$(head -1 "$RUN/histograms.csv")" = "zone,depth_lo_mm,depth_hi_mm,punctures" ]'
check "report.html has no script and fetches nothing" \
    '! grep -qiE "<script|src=|href=\"https?:|url\\(https?:|@import" "$RUN/report.html"'

# Another thread count: the same files, and the same page but for its date.
"$NEEDLE" simulate --quiet --threads 1 --out "$TMP/one" || fail "run with 1 thread"
for f in histograms.csv zones.csv timecourse.csv figures/layer.png figures/coverage.png \
    figures/depth_histograms.png figures/numbing.png figures/collagen.png; do
    check "$f identical with 1 thread" 'cmp -s "$RUN/$f" "$TMP/one/$f"'
done
check "report.html identical with 1 thread, but for its date" \
    'cmp -s "$(sed "/<dt>Simulated/d" "$RUN/report.html" > "$TMP/a.html"; echo "$TMP/a.html")" \
            "$(sed "/<dt>Simulated/d" "$TMP/one/report.html" > "$TMP/b.html"; echo "$TMP/b.html")"'

# needle report draws the page again from the files alone.
cp "$RUN/report.html" "$TMP/simulated.html"
rm -f "$RUN/report.html" "$RUN/figures/layer.png"
"$NEEDLE" report "$RUN" >"$TMP/stdout" 2>"$TMP/stderr"; rc=$?
check "needle report: exit code 0 (got $rc)" '[ $rc -eq 0 ]'
check "needle report prints the path" '[ "$(cat "$TMP/stdout")" = "Report: $RUN/report.html" ]'
check "needle report: report.html again" '[ -s "$RUN/report.html" ]'
check "needle report: figures again" '[ -s "$RUN/figures/layer.png" ]'
check "needle report: no temporary file left" '[ -z "$(find "$RUN" -name "*.tmp-*")" ]'

# A malformed table: refused with file and line, report.html untouched.
cp -r "$RUN" "$TMP/spoilt"
cp "$TMP/spoilt/report.html" "$TMP/before.html"
sed -i '3s/^\([a-z_]*\),/\1,oops/' "$TMP/spoilt/zones.csv"
"$NEEDLE" report "$TMP/spoilt" >"$TMP/out" 2>"$TMP/err"; rc=$?
check "malformed zones.csv: exit code 2 (got $rc)" '[ $rc -eq 2 ]'
check "malformed zones.csv: file and line named" 'grep -q "zones.csv:3:" "$TMP/err"'
check "malformed zones.csv: report.html untouched" 'cmp -s "$TMP/before.html" "$TMP/spoilt/report.html"'
check "malformed zones.csv: no temporary file" '[ -z "$(find "$TMP/spoilt" -name "*.tmp-*")" ]'

# A malformed time course: refused the same way.
rm -rf "$TMP/spoilt" && cp -r "$RUN" "$TMP/spoilt"
sed -i '5s/^\([a-z_]*\),\([0-9.]*\),\([0-9.e+-]*\),/\1,\2,\3,12,/' "$TMP/spoilt/timecourse.csv"
"$NEEDLE" report "$TMP/spoilt" >"$TMP/out" 2>"$TMP/err"; rc=$?
check "malformed timecourse.csv: exit code 2 (got $rc)" '[ $rc -eq 2 ]'
check "malformed timecourse.csv: file and line named" 'grep -q "timecourse.csv:5:" "$TMP/err"'
check "malformed timecourse.csv: report.html untouched" \
    'cmp -s "$TMP/before.html" "$TMP/spoilt/report.html"'

# A folder from before the outcome models: the page without them, and says so.
OLD="$TMP/old"
rm -rf "$OLD" && cp -r "$RUN" "$OLD" && rm -f "$OLD/timecourse.csv" "$OLD"/figures/*.png
cut -d, -f1-23 "$RUN/zones.csv" >"$OLD/zones.csv"
# The last object of summary.json: drop it, and the comma before it.
sed -i '/^  "indications": {/,$d' "$OLD/summary.json"
sed -i '$ s/^  },$/  }\n}/' "$OLD/summary.json"
"$NEEDLE" report "$OLD" >"$TMP/out" 2>"$TMP/err"; rc=$?
check "older run folder: exit code 0 (got $rc; $(head -c 300 "$TMP/err"))" '[ $rc -eq 0 ]'
check "older run folder: the page says the outcomes are missing" \
    'grep -q "no outcome read-outs" "$OLD/report.html"'
check "older run folder: no outcome table or time-course figure" \
    '! grep -qE "class=\"zones outcomes|id=\"fig-(numbing|recovery|collagen)" "$OLD/report.html"'
check "older run folder: the puncture figures drawn" '[ -s "$OLD/figures/depth_histograms.png" ]'
check "older run folder: no time-course PNG" '[ ! -e "$OLD/figures/numbing.png" ]'

# ---- the page in a browser ----
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
    if [ -n "${CI:-}" ]; then
        fail "chromium is not installed, and under CI the browser checks must run"
    else
        echo "SKIP: browser checks: chromium is not installed (scripts/install-deps.sh --test" \
            "installs it as root)"
    fi
    finish
    exit $?
fi
if ! command -v python3 >/dev/null; then
    fail "python3 is needed to read the page back"
    finish
    exit $?
fi

# Each run gets a new empty profile; nothing may reach the network.
browser() {
    profile=$(mktemp -d "$TMP/profile.XXXXXX")
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
}

URL="file://$RUN/report.html"
browser --enable-logging=stderr --v=0 --hide-scrollbars --window-size=1200,3000 \
    --screenshot="$TMP/shot.png" "$URL" >"$TMP/browser.out" 2>"$TMP/browser.log"
check "screenshot taken" '[ -s "$TMP/shot.png" ]'
check "screenshot is a PNG" 'head -c 8 "$TMP/shot.png" | od -An -c | grep -q "P   N   G"'
# A blank page compresses to a few kB; the report's figures do not.
check "screenshot is not blank" '[ $(wc -c < "$TMP/shot.png") -gt 100000 ]'
if grep -E "CONSOLE|Uncaught|Not allowed to load|Failed to load" "$TMP/browser.log" >"$TMP/console"; then
    fail "console messages: $(head -5 "$TMP/console")"
else
    pass
fi
[ -n "${ND_TEST_SCREENSHOT:-}" ] && cp "$TMP/shot.png" "$ND_TEST_SCREENSHOT"

# The laid-out page, read back: a copy with a script that records each
# figure's drawn size, so the page itself needs none.
sed 's|</body>|<script>for (const f of document.querySelectorAll("figure")) { const s = f.querySelector("svg"); const r = s ? s.getBoundingClientRect() : {width: 0, height: 0}; f.setAttribute("data-w", Math.round(r.width)); f.setAttribute("data-h", Math.round(r.height)); }</script></body>|' \
    "$RUN/report.html" >"$RUN/check.html"
browser --window-size=1200,3000 --dump-dom "file://$RUN/check.html" >"$TMP/dom.html" 2>/dev/null
rm -f "$RUN/check.html"
browser --window-size=1200,3000 --dump-dom "file://$TMP/simulated.html" >"$TMP/dom-sim.html" 2>/dev/null
python3 - "$TMP/dom.html" "$RUN" "$TMP/dom-sim.html" <<'PY' && pass || fail "page content (above)"
import csv, json, os, re, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    """Figures, links, the rows of each table (zones, outcomes, indications)
    with their data-col numbers, and the text of the warnings and of "what
    this means"."""
    def __init__(self):
        super().__init__()
        self.figures, self.links, self.rows, self.text = {}, [], [], {}
        self.fig = self.table = self.row = self.cap = self.section = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.fig = a.get("id")
            self.figures[self.fig] = {"w": int(a.get("data-w", 0)), "h": int(a.get("data-h", 0)),
                                      "svg": False, "viewBox": None}
        elif tag == "svg" and self.fig:
            self.figures[self.fig]["svg"] = True
            self.figures[self.fig]["viewBox"] = a.get("viewbox")
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "table":
            self.table = (a.get("class") or "").split()[-1]
        elif tag == "tr" and ("data-zone" in a or "data-ind" in a):
            self.row = {"table": self.table, "key": a.get("data-zone") or a.get("data-ind"),
                        "cells": {}, "text": ""}
        elif tag in ("td", "span") and self.row is not None and "data-col" in a:
            self.cap = [tag, a["data-col"], a.get("data-as"), ""]
        elif tag == "section" and a.get("id") in ("warnings", "meaning"):
            self.section = a["id"]; self.text[self.section] = ""
    def handle_endtag(self, tag):
        if tag == "figure": self.fig = None
        elif self.cap and tag == self.cap[0]:
            self.row["cells"][self.cap[1]] = (self.cap[3].strip(), self.cap[2]); self.cap = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row); self.row = None
        elif tag == "section":
            if self.section: self.text[self.section] = " ".join(self.text[self.section].split())
            self.section = None
    def handle_data(self, data):
        if self.cap: self.cap[3] += data
        if self.row is not None: self.row["text"] += data
        if self.section: self.text[self.section] += data
    def table_rows(self, name):
        return [r for r in self.rows if r["table"] == name]

def read(path):
    p = Page(); p.feed(open(path, encoding="utf-8").read()); return p

def shown_matches(shown, v, as_, col):
    """Whether a number as the page shows it is the file's value v."""
    x = float(v)
    if as_ == "percent" or (as_ is None and (col.startswith("layer_") or col == "coverage_fraction")):
        x *= 100
    elif as_ == "change":
        x = (x - 1) * 100
    s = shown.replace("\u2212", "-")
    if s.startswith("+"): s = s[1:]
    neg = s.startswith("-") and s[1:2] == "<"
    if neg: s = s[1:]
    if s.startswith("<"):  # above zero, too small to print at that precision
        bound = float(s[1:])
        return 0 < abs(x) < bound / 2 + 1e-4 * bound and (x < 0) == neg
    if s == ">99": return 99.5 - 1e-4 <= x <= 100
    if not re.fullmatch(r"-?\d+(\.\d+)?", s): return False
    dec = len(s.split(".")[1]) if "." in s else 0
    return abs(float(s) - x) <= 0.5 * 10 ** -dec + 1e-6 * abs(x)

page, run, simulated = sys.argv[1], sys.argv[2], sys.argv[3]
p = read(page)
errors = []
for name in ("density", "depth", "layer", "coverage", "depth_histograms", "numbing", "recovery",
             "collagen"):
    f = p.figures.get("fig-" + name)
    if not f or not f["svg"]:
        errors.append("figure %s missing" % name); continue
    if f["w"] < 100 or f["h"] < 100:
        errors.append("figure %s drawn %dx%d" % (name, f["w"], f["h"]))
    vb = [float(x) for x in (f["viewBox"] or "0 0 0 0").split()]
    if vb[2] <= 0 or vb[3] <= 0: errors.append("figure %s viewBox %s" % (name, f["viewBox"]))
    if "figures/%s.png" % name not in p.links: errors.append("no PNG link for %s" % name)
for href in p.links:
    if not os.path.isfile(os.path.join(run, href)): errors.append("broken link " + href)

# Both zone tables say what zones.csv says, number by number.
rows = list(csv.DictReader(open(os.path.join(run, "zones.csv"))))
for table, least in (("zones", 10), ("outcomes", 25)):
    got_rows = p.table_rows(table)
    if [r["zone"] for r in rows] != [r["key"] for r in got_rows]:
        errors.append("%s table zones %s != zones.csv %s"
                      % (table, [r["key"] for r in got_rows], [r["zone"] for r in rows]))
    for want, got in zip(rows, got_rows):
        if len(got["cells"]) < least:
            errors.append("%s table, %s: %d numbers" % (table, got["key"], len(got["cells"])))
        for col, (shown, as_) in got["cells"].items():
            where = "%s %s: page %r, zones.csv %r" % (got["key"], col, shown, want.get(col))
            if col not in want: errors.append("no column " + where); continue
            if want[col] == "":
                if shown != "\u2014": errors.append(where)
            elif not shown_matches(shown, want[col], as_, col):
                errors.append(where)

# The indications say what summary.json says, and a "none" has no number.
summary = json.load(open(os.path.join(run, "summary.json")))
inds = {k: v for k, v in summary.get("indications", {}).items() if isinstance(v, dict)}
got = {r["key"]: r for r in p.table_rows("indications")}
if sorted(got) != sorted(inds): errors.append("indications %s != %s" % (sorted(got), sorted(inds)))
for name, want in inds.items():
    r = got.get(name)
    if not r: continue
    if want["evidence"] == "none" or want["expected"] is None:
        if r["cells"]: errors.append("indication %s: a number where the evidence has none" % name)
        if "no number" not in r["text"]: errors.append("indication %s: no 'no number'" % name)
        continue
    for col in ("expected", "expected_lo", "expected_hi"):
        shown, as_ = r["cells"].get(col, ("", None))
        if not shown_matches(shown, want[col], as_, col):
            errors.append("indication %s %s: page %r, summary.json %r" % (name, col, shown, want[col]))
zone = summary.get("indications", {}).get("zone", "")
if zone.replace("_", " ") not in open(page, encoding="utf-8").read():
    errors.append("the page does not name the indications' zone %s" % zone)

# The page `needle simulate` wrote says the same as the one drawn from the files.
s = read(simulated)
for table in ("zones", "outcomes", "indications"):
    if [(r["key"], r["cells"]) for r in s.table_rows(table)] != \
       [(r["key"], r["cells"]) for r in p.table_rows(table)]:
        errors.append("the %s table differs between needle simulate and needle report" % table)
for section in ("warnings", "meaning"):
    if s.text.get(section) != p.text.get(section):
        errors.append("%s differs between needle simulate and needle report" % section)
for e in errors: print("page:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

# Printed to A4: a handful of pages, not one per figure, not everything on one.
browser --no-pdf-header-footer --print-to-pdf="$TMP/report.pdf" "$URL" >/dev/null 2>&1
check "printed to PDF" 'head -c 5 "$TMP/report.pdf" | grep -q "%PDF-"'
if command -v pdfinfo >/dev/null; then
    pages=$(pdfinfo "$TMP/report.pdf" | sed -n 's/^Pages: *//p')
    check "PDF has 4 to 9 A4 pages (got $pages)" '[ "$pages" -ge 4 ] && [ "$pages" -le 9 ]'
    check "PDF pages are A4" 'pdfinfo "$TMP/report.pdf" | grep -q "(A4)"'
fi
finish
