/* Warnings and sentences from the outcome read-outs; see outcome_findings.h.
 *
 * As with the puncture findings, every sentence is built from the run's own
 * numbers and only said when they call for it: which zones hurt most, where
 * bleeding is expected and where not, how long redness lasts, what the series
 * leaves behind.  Numbers print as the outcome table prints them, so a
 * sentence can be checked against it. */
#include "report/outcome_findings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/findings_text.h"
#include "report/labels.h"

static const nd_rd_outcome *out_of(const nd_rundata *rd, int k)
{
    return &rd->zones[k].outcome;
}

/* ---- statistics of a zone, as the sentences use them ---- */

static double pain(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pain_vas.mid;
}

static double pain_lo(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pain_vas.lo;
}

static double pain_hi(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pain_vas.hi;
}

static double pain_peak(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pain_vas_peak;
}

static double numbed_m(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->anesthesia_depth_m;
}

static double reach_m(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.depth_mean_m;
}

static double bleeding(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->bleeding_points_per_cm2.mid;
}

static double bruising(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->bruising_risk.mid;
}

static double redness(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->erythema_peak;
}

static double swelling(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->edema_peak;
}

static double downtime(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->downtime_days.mid;
}

static double half_life(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->channel_half_life_h;
}

static double collagen_I(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->collagen_I_rel.mid;
}

static double pih(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pih_risk.mid;
}

static double pih_lo(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pih_risk.lo;
}

static double pih_hi(const nd_rundata *rd, int k)
{
    return out_of(rd, k)->pih_risk.hi;
}

/* ---- numbers as the outcome table prints them ---- */

static char *vas(char *buf, size_t size, double v)
{
    return nd_label_small(buf, size, v, 1);
}

static char *mm(char *buf, size_t size, double m)
{
    return nd_label_fixed(buf, size, m * 1e3, 2);
}

static char *whole(char *buf, size_t size, double v)
{
    return nd_label_small(buf, size, v, 0);
}

static char *pct(char *buf, size_t size, double fraction)
{
    return nd_label_percent(buf, size, fraction);
}

static char *risk(char *buf, size_t size, double fraction)
{
    return nd_label_risk(buf, size, fraction);
}

static char *days(char *buf, size_t size, double d)
{
    return nd_label_small(buf, size, d, 1);
}

static char *change(char *buf, size_t size, double rel)
{
    return nd_label_change(buf, size, rel);
}

/* ---- helpers ---- */

/* The range of a statistic over every treated zone (NaN ends skipped). */
static void all_range(nd_text *t, const nd_rundata *rd, nd_zone_stat stat, nd_fmt_fn f)
{
    double v[ND_ZONE_COUNT];
    int n = 0;
    for (int k = 0; k < rd->n_zones; k++)
        if (isfinite(stat(rd, k))) v[n++] = stat(rd, k);
    if (n) nd_text_range(t, f, v, n);
}

static double extreme(const nd_rundata *rd, nd_zone_stat stat, int highest)
{
    double m = highest ? -INFINITY : INFINITY;
    for (int k = 0; k < rd->n_zones; k++)
        if (isfinite(stat(rd, k))) m = highest ? fmax(m, stat(rd, k)) : fmin(m, stat(rd, k));
    return m;
}

/* The zones whose statistic prints as v does, named in a sentence. */
static void zones_at(nd_text *t, const nd_rundata *rd, nd_zone_stat stat, nd_fmt_fn f, double v)
{
    char want[32], got[32];
    int ks[ND_ZONE_COUNT], n = 0;
    f(want, sizeof want, v);
    for (int k = 0; k < rd->n_zones; k++)
        if (strcmp(f(got, sizeof got, stat(rd, k)), want) == 0) ks[n++] = k;
    nd_zone_group g[ND_ZONE_COUNT];
    nd_text_names(t, g, nd_group_zones(rd, ks, n, g));
}

static int all_print_alike(const nd_rundata *rd, nd_zone_stat stat, nd_fmt_fn f)
{
    char a[32], b[32];
    f(a, sizeof a, extreme(rd, stat, 0));
    f(b, sizeof b, extreme(rd, stat, 1));
    return strcmp(a, b) == 0;
}

/* ---- warnings ---- */

static int painful(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.punctures > 0 && pain(rd, k) > ND_PAIN_WARN_VAS;
}

static int pih_prone(const nd_rundata *rd, int k)
{
    return rd->scenario.patient.fitzpatrick >= ND_PIH_WARN_FITZPATRICK &&
           pih(rd, k) >= ND_PIH_WARN_RISK;
}

static void warn_pain(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk)
{
    char what[96], a[32];
    snprintf(what, sizeof what, "Pain above %s/10 expected",
             nd_label_fixed(a, sizeof a, ND_PAIN_WARN_VAS, 0));
    nd_finding_lead(f, what, nk);
    int shallow_numbing = 0; /* some flagged zone is needled below the numbed skin */
    for (int i = 0; i < ng; i++) {
        nd_text t = nd_finding_item(f, &g[i]);
        nd_text_add(&t, "VAS ");
        nd_text_group_range(&t, rd, &g[i], pain, vas);
        /* The group's range, lowest to highest over its zones. */
        double lo = INFINITY, hi = -INFINITY;
        char x[32], y[32];
        for (int m = 0; m < g[i].n; m++) {
            lo = fmin(lo, pain_lo(rd, g[i].k[m]));
            hi = fmax(hi, pain_hi(rd, g[i].k[m]));
            shallow_numbing |= numbed_m(rd, g[i].k[m]) < reach_m(rd, g[i].k[m]);
        }
        nd_text_add(&t, " (range %s to %s", vas(x, sizeof x, lo), vas(y, sizeof y, hi));
        nd_text_add(&t, "; up to ");
        nd_text_group_range(&t, rd, &g[i], pain_peak, vas);
        nd_text_add(&t, " where its punctures go deepest); numbed to ");
        nd_text_group_range(&t, rd, &g[i], numbed_m, mm);
        nd_text_add(&t, " mm, the needles reach ");
        nd_text_group_range(&t, rd, &g[i], reach_m, mm);
        nd_text_add(&t, " mm");
    }
    const nd_numbing *nb = &rd->scenario.protocol.numbing;
    if (nb->cream == ND_CREAM_NONE)
        snprintf(f->note, sizeof f->note,
                 "No numbing cream was used: one applied before the session would block part of "
                 "this pain.");
    else if (shallow_numbing)
        snprintf(f->note, sizeof f->note,
                 "The cream has not reached the depth of the needles there: a longer "
                 "application%s would numb deeper.",
                 nb->cream == ND_CREAM_EMLA && !nb->occluded ? ", or occlusion," : "");
    else
        snprintf(f->note, sizeof f->note,
                 "The cream already reaches below the needles there: what remains is the share "
                 "of pain the cream does not block on the face, which a longer application would "
                 "not lower.");
}

static void warn_pih(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk)
{
    char what[160], a[32];
    snprintf(what, sizeof what,
             "Risk of post-inflammatory hyperpigmentation of %s%% or more (Fitzpatrick %s)",
             nd_label_fixed(a, sizeof a, ND_PIH_WARN_RISK * 100, 0),
             nd_label_fitzpatrick(rd->scenario.patient.fitzpatrick));
    nd_finding_lead(f, what, nk);
    for (int i = 0; i < ng; i++) {
        nd_text t = nd_finding_item(f, &g[i]);
        nd_text_group_range(&t, rd, &g[i], pih, risk);
        nd_text_add(&t, "%% over the series");
        double lo = INFINITY, hi = -INFINITY;
        for (int m = 0; m < g[i].n; m++) {
            lo = fmin(lo, pih_lo(rd, g[i].k[m]));
            hi = fmax(hi, pih_hi(rd, g[i].k[m]));
        }
        if (isfinite(lo) && isfinite(hi)) {
            char x[32], y[32];
            nd_text_add(&t, " (range %s to %s%%)", risk(x, sizeof x, lo), risk(y, sizeof y, hi));
        }
    }
    snprintf(f->note, sizeof f->note,
             "In the model the risk grows with the depth reached, the share of skin wounded and "
             "the number of sessions (docs/model.md, section 9.6).");
}

int nd_outcome_warnings(const nd_rundata *rd, nd_finding *out, int max)
{
    static const nd_zone_check checks[] = {{painful, warn_pain}, {pih_prone, warn_pih}};
    if (!rd->has_outcomes) return 0;
    return nd_run_zone_checks(rd, checks, (int)(sizeof checks / sizeof checks[0]), out, max);
}

/* ---- what this means ---- */

static void numbing_sentence(const nd_rundata *rd, nd_text *t)
{
    const nd_numbing *nb = &rd->scenario.protocol.numbing;
    char a[32], b[32];
    if (nb->cream == ND_CREAM_NONE) {
        nd_text_add(t, "No numbing cream was used.");
        return;
    }
    nd_text_add(t, "With %s cream for %s min, %s, the skin is numb to ", nd_label_cream(nb->cream),
                nd_label_fixed(a, sizeof a, nb->application_s / 60, 0),
                nb->occluded ? "under occlusion" : "not occluded");
    all_range(t, rd, numbed_m, mm);
    nd_text_add(t, " mm while the zones are needled");
    int ks[ND_ZONE_COUNT], n = 0;
    for (int k = 0; k < rd->n_zones; k++)
        if (rd->zones[k].stats.punctures > 0 && reach_m(rd, k) > numbed_m(rd, k)) ks[n++] = k;
    if (n == 0) {
        nd_text_add(t, ", deeper than the needles reach in every zone (at most %s mm).",
                    mm(b, sizeof b, extreme(rd, reach_m, 1)));
        return;
    }
    nd_zone_group g[ND_ZONE_COUNT];
    int ng = nd_group_zones(rd, ks, n, g);
    nd_text_add(t, "; the needles reach below it in ");
    nd_text_names(t, g, ng);
    nd_text_add(t, " (");
    double v[ND_ZONE_COUNT];
    for (int i = 0; i < n; i++) v[i] = reach_m(rd, ks[i]);
    nd_text_range(t, mm, v, n);
    nd_text_add(t, " mm), where it blocks only part of the pain.");
}

static void pain_sentence(const nd_rundata *rd, nd_text *t)
{
    char a[32], b[32], c[32], d[32];
    nd_text_add(t, " The needling is expected to hurt ");
    all_range(t, rd, pain, vas);
    nd_text_add(t, " out of 10 (VAS)");
    if (all_print_alike(rd, pain, vas) && rd->n_zones > 1) {
        nd_text_add(t, " in every zone.");
        return;
    }
    /* The zone that hurts most, with its range and its deepest punctures. */
    int top = 0;
    for (int k = 1; k < rd->n_zones; k++)
        if (pain(rd, k) > pain(rd, top)) top = k;
    nd_text_add(t, ", most in ");
    zones_at(t, rd, pain, vas, pain(rd, top));
    nd_text_add(t, " (%s; range %s to %s, and up to %s where the punctures go deepest).",
                vas(a, sizeof a, pain(rd, top)), vas(b, sizeof b, pain_lo(rd, top)),
                vas(c, sizeof c, pain_hi(rd, top)), vas(d, sizeof d, pain_peak(rd, top)));
}

static int bleeds(const nd_rundata *rd, int k)
{
    return bleeding(rd, k) >= 0.5; /* prints as 1 per cm^2 or more */
}

static int bruises(const nd_rundata *rd, int k)
{
    return bruising(rd, k) >= ND_BRUISE_MENTION;
}

static void bleeding_sentence(const nd_rundata *rd, nd_text *t)
{
    int ks[ND_ZONE_COUNT], n = nd_select_zones(rd, bleeds, ks);
    nd_zone_group g[ND_ZONE_COUNT];
    if (n == 0) {
        nd_text_add(t, "No pinpoint bleeding is expected: the punctures stay above the capillary "
                       "loops.");
        return;
    }
    double v[ND_ZONE_COUNT], lo[ND_ZONE_COUNT], hi[ND_ZONE_COUNT];
    int nr = 0;
    for (int i = 0; i < n; i++) {
        v[i] = bleeding(rd, ks[i]);
        const nd_interval *b = &out_of(rd, ks[i])->bleeding_points_per_cm2;
        if (isfinite(b->lo) && isfinite(b->hi)) {
            lo[nr] = b->lo;
            hi[nr++] = b->hi;
        }
    }
    nd_text_add(t, "About ");
    nd_text_range(t, whole, v, n);
    nd_text_add(t, " pinpoint bleeding points per cm\xc2\xb2 are expected ");
    if (n == rd->n_zones) {
        nd_text_add(t, "in every zone");
    } else {
        nd_text_add(t, "in ");
        nd_text_names(t, g, nd_group_zones(rd, ks, n, g));
    }
    if (nr == n) {
        char a[32], b[32];
        double l = lo[0], h = hi[0];
        for (int i = 1; i < nr; i++) {
            l = fmin(l, lo[i]);
            h = fmax(h, hi[i]);
        }
        nd_text_add(t, " (the model's range %s to %s)", whole(a, sizeof a, l),
                    whole(b, sizeof b, h));
    }
    if (n < rd->n_zones) {
        int none[ND_ZONE_COUNT], nn = 0;
        for (int k = 0; k < rd->n_zones; k++)
            if (!bleeds(rd, k)) none[nn++] = k;
        nd_text_add(t, "; none in ");
        nd_text_names(t, g, nd_group_zones(rd, none, nn, g));
        nd_text_add(t, ", where the punctures stay above the capillary loops");
    }
    nd_text_add(t, ".");
    n = nd_select_zones(rd, bruises, ks);
    if (n == 0) return;
    int ng = nd_group_zones(rd, ks, n, g);
    nd_text_add(t, " A visible bruise is possible where punctures reach the fat: ");
    for (int i = 0; i < ng; i++) {
        nd_text_add(t, "%s%s%s ",
                    i == 0        ? ""
                    : i == ng - 1 ? " and "
                                  : ", ",
                    g[i].n == 1 ? "the " : "", g[i].name);
        nd_text_group_range(t, rd, &g[i], bruising, risk);
        nd_text_add(t, "%%");
    }
    nd_text_add(t, " per session.");
}

static void redness_sentence(const nd_rundata *rd, nd_text *t)
{
    char a[32], b[32];
    nd_text_add(t, " Redness peaks at ");
    all_range(t, rd, redness, pct);
    double lo = extreme(rd, downtime, 0), hi = extreme(rd, downtime, 1);
    if (!(hi > 0)) {
        nd_text_add(t, "%% of its maximum and stays below what is visible.");
    } else if (all_print_alike(rd, downtime, days)) {
        nd_text_add(t, "%% of its maximum and stays visible for about %s days",
                    days(a, sizeof a, hi));
    } else {
        nd_text_add(t, "%% of its maximum and stays visible for about %s days (",
                    days(a, sizeof a, lo));
        zones_at(t, rd, downtime, days, lo);
        nd_text_add(t, ") to %s days (", days(b, sizeof b, hi));
        zones_at(t, rd, downtime, days, hi);
        nd_text_add(t, ")");
    }
    if (hi > 0) {
        double slow = -INFINITY;
        for (int k = 0; k < rd->n_zones; k++)
            if (isfinite(out_of(rd, k)->downtime_days.hi))
                slow = fmax(slow, out_of(rd, k)->downtime_days.hi);
        if (isfinite(slow) && strcmp(days(a, sizeof a, slow), days(b, sizeof b, hi)) != 0)
            nd_text_add(t, ", %s days at the slow end of the model's range", a);
        nd_text_add(t, ".");
    }
    nd_text_add(t, " Swelling peaks at ");
    all_range(t, rd, swelling, pct);
    nd_text_add(t, "%%. Half the channels are closed ");
    all_range(t, rd, half_life, days);
    nd_text_add(t, " h after needling.");
}

static void collagen_sentence(const nd_rundata *rd, nd_text *t)
{
    const nd_protocol *pr = &rd->scenario.protocol;
    const nd_rd_outcome *o = out_of(rd, 0);
    char a[32], b[32], c[32];
    if (pr->sessions > 1)
        nd_text_add(t, "After %d sessions %s days apart and %s days of follow-up", pr->sessions,
                    nd_label_fixed(a, sizeof a, pr->interval_s / 86400, 0),
                    nd_label_fixed(b, sizeof b, pr->follow_up_s / 86400, 0));
    else
        nd_text_add(t, "After one session and %s days of follow-up",
                    nd_label_fixed(a, sizeof a, pr->follow_up_s / 86400, 0));
    nd_text_add(t, ", collagen I is expected to have changed by ");
    if (all_print_alike(rd, collagen_I, change)) {
        nd_text_add(t, "%s%% from before treatment", change(a, sizeof a, o->collagen_I_rel.mid));
        if (isfinite(o->collagen_I_rel.lo) && isfinite(o->collagen_I_rel.hi))
            nd_text_add(t, " (%s to %s%%)", change(b, sizeof b, o->collagen_I_rel.lo),
                        change(c, sizeof c, o->collagen_I_rel.hi));
        nd_text_add(t, "%s", rd->n_zones > 1 ? " in every zone" : "");
    } else {
        double lo = extreme(rd, collagen_I, 0), hi = extreme(rd, collagen_I, 1);
        nd_text_add(t, "%s%% (", change(a, sizeof a, lo));
        zones_at(t, rd, collagen_I, change, lo);
        nd_text_add(t, ") to %s%% (", change(b, sizeof b, hi));
        zones_at(t, rd, collagen_I, change, hi);
        nd_text_add(t, ") from before treatment");
    }
    /* Collagen III and elastin of the zone with the most collagen I: the
     * others follow it. */
    int top = 0;
    for (int k = 1; k < rd->n_zones; k++)
        if (collagen_I(rd, k) > collagen_I(rd, top)) top = k;
    nd_text_add(t, "; collagen III by %s%% and elastin by %s%%%s.",
                change(a, sizeof a, out_of(rd, top)->collagen_III_rel.mid),
                change(b, sizeof b, out_of(rd, top)->elastin_rel.mid),
                all_print_alike(rd, collagen_I, change) ? "" : " where collagen I gains most");
    const char *fitz = nd_label_fitzpatrick(rd->scenario.patient.fitzpatrick);
    nd_text_add(t, " The risk of post-inflammatory hyperpigmentation over the series is ");
    all_range(t, rd, pih, risk);
    nd_text_add(t, "%% for Fitzpatrick %s skin", fitz ? fitz : "?");
    double slow = extreme(rd, pih_hi, 1);
    if (isfinite(slow))
        nd_text_add(t, " (up to %s%% at the model's high end)", risk(a, sizeof a, slow));
    nd_text_add(t, ".");
}

int nd_outcome_meaning(const nd_rundata *rd, nd_finding *out, int max)
{
    if (!rd->has_outcomes || rd->n_zones == 0) return 0;
    void (*const para[3][2])(const nd_rundata *, nd_text *) = {
        {numbing_sentence, pain_sentence},
        {bleeding_sentence, redness_sentence},
        {collagen_sentence, NULL},
    };
    int n = 0;
    for (int p = 0; p < 3 && n < max; p++) {
        nd_text t = {out[n].text, sizeof out[n].text, 0};
        memset(&out[n], 0, sizeof out[n]);
        for (int s = 0; s < 2; s++)
            if (para[p][s]) para[p][s](rd, &t);
        if (t.len) n++;
    }
    return n;
}
