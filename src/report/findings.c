/* Warnings and the "what this means" paragraph; see findings.h.
 *
 * Zones are named as a clinician would ("both cheeks", "left temple"), a
 * pair merged when both sides share a finding, and each named with its own
 * numbers: a warning that says where, how much and against what setting can
 * be acted on; one that says "some zones" cannot. */
#include "report/findings.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/findings_text.h"
#include "report/labels.h"
#include "report/outcome_findings.h"

/* Coverage below this leaves untreated patches a practitioner would redo. */
#define PATCHY_COVERAGE 0.9
/* Coefficient of variation of punctures per cell above which some cells get
 * twice what others do. */
#define UNEVEN_CV 0.5
/* Even a perfect hand places punctures at random at the scale of a cell, so
 * a cell gets none with probability exp(-m) and counts vary with a CV of
 * 1/sqrt(m), m being the mean per cell (Poisson).  Gaps and unevenness are the
 * stroke pattern's only when they clearly exceed that: empty cells twice as
 * common, or a CV half as large again.  Within CHANCE_NEAR of chance, the
 * spread is as even as the density allows. */
#define CHANCE_GAPS 2.0
#define CHANCE_CV   1.5
#define CHANCE_NEAR 1.2

static char *pct(char *buf, size_t size, double fraction)
{
    return nd_label_percent(buf, size, fraction);
}

static char *mm2(char *buf, size_t size, double m)
{
    return nd_label_fixed(buf, size, m * 1e3, 2);
}

static double share_fat(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.layer_fraction[ND_LAYER_FAT];
}

static double share_deep(const nd_rundata *rd, int k)
{
    const double *f = rd->zones[k].stats.layer_fraction;
    return f[ND_LAYER_RETICULAR] + f[ND_LAYER_FAT];
}

static double setting(const nd_rundata *rd, int k)
{
    return nd_rundata_plan(rd, k)->depth_m;
}

static double dermis_bottom(const nd_rundata *rd, int k)
{
    return rd->zones[k].bottom_m[ND_LAYER_RETICULAR];
}

static double papillary_bottom(const nd_rundata *rd, int k)
{
    return rd->zones[k].bottom_m[ND_LAYER_PAPILLARY];
}

static double uncovered(const nd_rundata *rd, int k)
{
    return 1 - rd->zones[k].stats.coverage_fraction;
}

static double cv(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.uniformity_cv;
}

static char *fixed2(char *buf, size_t size, double v)
{
    return nd_label_fixed(buf, size, v, 2);
}

static int motorised(const nd_rundata *rd)
{
    return nd_device_is_motorised(&rd->scenario.device);
}

static int reaches_fat(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.punctures > 0 && share_fat(rd, k) > 0;
}

static int deep_at_shallow_setting(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.punctures > 0 && setting(rd, k) <= ND_SHALLOW_SETTING_M + 1e-9 &&
           share_deep(rd, k) >= ND_PATTERN_SHARE;
}

static int no_punctures(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.punctures == 0;
}

/* Mean punctures per cell, and what random placement at that density gives. */
static double per_cell(const nd_rundata *rd, int k)
{
    const nd_zone_stats *st = &rd->zones[k].stats;
    return st->cells > 0 ? (double)st->punctures / (double)st->cells : 0;
}

static double chance_uncovered(const nd_rundata *rd, int k)
{
    return exp(-per_cell(rd, k));
}

static double chance_cv(const nd_rundata *rd, int k)
{
    double m = per_cell(rd, k);
    return m > 0 ? 1 / sqrt(m) : 0;
}

static int patchy(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.punctures > 0 &&
           rd->zones[k].stats.coverage_fraction < PATCHY_COVERAGE &&
           uncovered(rd, k) > CHANCE_GAPS * chance_uncovered(rd, k);
}

static int uneven(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.punctures > 0 && cv(rd, k) > UNEVEN_CV &&
           cv(rd, k) > CHANCE_CV * chance_cv(rd, k);
}

static int has_bounds(const nd_rundata *rd, const nd_zone_group *g)
{
    for (int i = 0; i < g->n; i++)
        if (!rd->zones[g->k[i]].has_bounds) return 0;
    return 1;
}

static const char *setting_word(const nd_rundata *rd)
{
    return motorised(rd) ? "set" : "needles";
}

static void warn_fat(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk)
{
    nd_finding_lead(f, "Subcutaneous fat reached", nk);
    for (int i = 0; i < ng; i++) {
        nd_text t = nd_finding_item(f, &g[i]);
        nd_text_group_range(&t, rd, &g[i], share_fat, pct);
        nd_text_add(&t, "%% of punctures (%s ", setting_word(rd));
        nd_text_group_range(&t, rd, &g[i], setting, mm2);
        nd_text_add(&t, " mm");
        if (has_bounds(rd, &g[i])) {
            nd_text_add(&t, "; the dermis ends at ");
            nd_text_group_range(&t, rd, &g[i], dermis_bottom, mm2);
            nd_text_add(&t, " mm");
        }
        nd_text_add(&t, ")");
    }
    snprintf(f->note, sizeof f->note, "The %s is deeper than this patient's dermis there.",
             motorised(rd) ? "setting" : "needle");
}

static void warn_shallow(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng,
                         int nk)
{
    char what[160], mm[32];
    snprintf(what, sizeof what, "Reticular dermis reached at a shallow %s (%s mm or less)",
             motorised(rd) ? "setting" : "needle length",
             nd_label_fixed(mm, sizeof mm, ND_SHALLOW_SETTING_M * 1e3, 1));
    nd_finding_lead(f, what, nk);
    for (int i = 0; i < ng; i++) {
        nd_text t = nd_finding_item(f, &g[i]);
        nd_text_group_range(&t, rd, &g[i], share_deep, pct);
        nd_text_add(&t, "%% of punctures (%s ", setting_word(rd));
        nd_text_group_range(&t, rd, &g[i], setting, mm2);
        nd_text_add(&t, " mm");
        if (has_bounds(rd, &g[i])) {
            nd_text_add(&t, "; the papillary dermis ends at ");
            nd_text_group_range(&t, rd, &g[i], papillary_bottom, mm2);
            nd_text_add(&t, " mm");
        }
        nd_text_add(&t, ")");
    }
    snprintf(f->note, sizeof f->note,
             "Settings this shallow are usually chosen to stay above the reticular dermis; this "
             "patient's papillary dermis is thinner than that.");
}

static void warn_none(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk)
{
    nd_text t = {f->text, sizeof f->text, 0};
    f->text[0] = '\0';
    nd_text_add(&t, "No punctures in ");
    nd_text_names(&t, g, ng);
    nd_text_add(&t, ": the needles never pierced the skin there, so %s untreated.",
                nk == 1 ? "this zone is" : "these zones are");
    (void)rd;
}

static void warn_patchy(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk)
{
    nd_finding_lead(f, "Patchy coverage", nk);
    for (int i = 0; i < ng; i++) {
        nd_text t = nd_finding_item(f, &g[i]);
        nd_text_group_range(&t, rd, &g[i], uncovered, pct);
        nd_text_add(&t, "%% of %g mm cells without a puncture (random placement at this density: ",
                    rd->grid.h * 1e3);
        nd_text_group_range(&t, rd, &g[i], chance_uncovered, pct);
        nd_text_add(&t, "%%)");
    }
    snprintf(f->note, sizeof f->note,
             "The strokes leave gaps: more overlap between strokes, or passes in more "
             "directions, would close them.");
}

static void warn_uneven(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk)
{
    char cv_max[32];
    nd_finding_lead(f, "Uneven density", nk);
    for (int i = 0; i < ng; i++) {
        nd_text t = nd_finding_item(f, &g[i]);
        nd_text_add(&t, "punctures per %g mm cell vary with a coefficient of variation of ",
                    rd->grid.h * 1e3);
        nd_text_group_range(&t, rd, &g[i], cv, fixed2);
        nd_text_add(&t, " (random placement at this density: ");
        nd_text_group_range(&t, rd, &g[i], chance_cv, fixed2);
        nd_text_add(&t, ")");
    }
    snprintf(f->note, sizeof f->note,
             "Above %s some cells get twice the punctures of others: strokes overlap in places "
             "and leave gaps in others.",
             nd_label_fixed(cv_max, sizeof cv_max, UNEVEN_CV, 1));
}

int nd_findings_warnings(const nd_rundata *rd, nd_finding *out, int max)
{
    static const nd_zone_check checks[] = {{reaches_fat, warn_fat},
                                           {deep_at_shallow_setting, warn_shallow},
                                           {no_punctures, warn_none},
                                           {patchy, warn_patchy},
                                           {uneven, warn_uneven}};
    int n = nd_run_zone_checks(rd, checks, (int)(sizeof checks / sizeof checks[0]), out, max);
    return n + nd_outcome_warnings(rd, out + n, max - n);
}

/* The layer where the largest share of a zone's punctures ended. */
static int modal_layer(const nd_zone_stats *st)
{
    int best = 0;
    for (int l = 1; l < ND_LAYER_COUNT; l++)
        if (st->layer_fraction[l] > st->layer_fraction[best]) best = l;
    return best;
}

static double modal_share(const nd_rundata *rd, int k)
{
    const nd_zone_stats *st = &rd->zones[k].stats;
    return st->layer_fraction[modal_layer(st)];
}

/* One sentence for the zones whose punctures mostly end in layer. */
static void layer_sentence(const nd_rundata *rd, nd_text *t, int layer)
{
    int ks[ND_ZONE_COUNT], nk = 0;
    for (int k = 0; k < rd->n_zones; k++)
        if (rd->zones[k].stats.punctures > 0 && modal_layer(&rd->zones[k].stats) == layer)
            ks[nk++] = k;
    if (nk == 0) return;
    nd_zone_group g[ND_ZONE_COUNT];
    int ng = nd_group_zones(rd, ks, nk, g);
    double lo = 1;
    for (int i = 0; i < nk; i++) lo = fmin(lo, modal_share(rd, ks[i]));
    double v[ND_ZONE_COUNT];
    for (int i = 0; i < nk; i++) v[i] = modal_share(rd, ks[i]);

    nd_text_add(t, "%sIn ", t->len ? " " : "");
    nd_text_names(t, g, ng);
    /* "Most" only when it is more than half; a plurality is "the largest share". */
    nd_text_add(t, ", %s (", lo > 0.5 ? "most punctures" : "the largest share of punctures");
    nd_text_range(t, pct, v, nk);
    nd_text_add(t, "%%) ");
    switch (layer) {
    case ND_LAYER_SC:
    case ND_LAYER_EPIDERMIS:
        nd_text_add(t,
                    "stay in the %s, above the dermis and its blood vessels: little or no bleeding "
                    "is expected there.",
                    nd_label_layer(layer));
        break;
    case ND_LAYER_PAPILLARY:
        nd_text_add(t, "stop in the papillary dermis, which carries the capillary loops: pinpoint "
                       "bleeding is expected.");
        break;
    case ND_LAYER_RETICULAR:
        nd_text_add(t,
                    "pass through the papillary dermis into the reticular dermis; they cross the "
                    "capillary loops on the way, so pinpoint bleeding is expected there too.");
        break;
    default:
        nd_text_add(t,
                    "go through the whole dermis into subcutaneous fat; bleeding is expected, and "
                    "the depth is beyond what the treatment aims at.");
        break;
    }
}

static double reach_ratio(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.depth_mean_m / setting(rd, k);
}

static char *ratio_pct(char *buf, size_t size, double r)
{
    return nd_label_fixed(buf, size, r * 100, 0);
}

static void depth_sentence(const nd_rundata *rd, nd_text *t)
{
    double v[ND_ZONE_COUNT];
    int n = 0, low = -1;
    for (int k = 0; k < rd->n_zones; k++) {
        if (rd->zones[k].stats.punctures == 0 || setting(rd, k) <= 0) continue;
        v[n++] = reach_ratio(rd, k);
        if (low < 0 || reach_ratio(rd, k) < reach_ratio(rd, low)) low = k;
    }
    if (n == 0) return;
    char name[64], a[32], b[32];
    nd_label_zone(rd->zones[low].stats.zone, name, sizeof name);
    nd_text_add(t, "%sOn average the needles reached ", t->len ? " " : "");
    nd_text_range(t, ratio_pct, v, n);
    nd_text_add(t, "%% of the %s", motorised(rd) ? "depth setting" : "needle length");
    if (n > 1)
        nd_text_add(t, " (least in the %s: %s mm of %s mm)", name,
                    mm2(a, sizeof a, rd->zones[low].stats.depth_mean_m),
                    mm2(b, sizeof b, setting(rd, low)));
    nd_text_add(
        t,
        ": the skin is pressed down ahead of the needle, so the depth below the undisturbed "
        "surface falls short of the %s.",
        motorised(rd) ? "setting" : "needle length");
}

/* The range of a statistic over the punctured zones. */
static void punctured_range(nd_text *t, const nd_rundata *rd, nd_zone_stat stat, nd_fmt_fn f)
{
    double v[ND_ZONE_COUNT];
    int n = 0;
    for (int k = 0; k < rd->n_zones; k++)
        if (rd->zones[k].stats.punctures > 0) v[n++] = stat(rd, k);
    if (n) nd_text_range(t, f, v, n);
}

static char *fixed1(char *buf, size_t size, double v)
{
    return nd_label_fixed(buf, size, v, 1);
}

/* Density, and how evenly it spread against what chance allows. */
static void density_sentence(const nd_rundata *rd, nd_text *t)
{
    int lo = -1, hi = -1, n = 0, gaps_as_chance = 1, cv_as_chance = 1;
    double most_uncovered = 0;
    for (int k = 0; k < rd->n_zones; k++) {
        const nd_zone_stats *st = &rd->zones[k].stats;
        if (st->punctures == 0) continue;
        n++;
        if (lo < 0 || st->punctures_per_cm2 < rd->zones[lo].stats.punctures_per_cm2) lo = k;
        if (hi < 0 || st->punctures_per_cm2 > rd->zones[hi].stats.punctures_per_cm2) hi = k;
        most_uncovered = fmax(most_uncovered, uncovered(rd, k));
        gaps_as_chance &= uncovered(rd, k) <= CHANCE_NEAR * chance_uncovered(rd, k) + 0.005;
        cv_as_chance &= cv(rd, k) <= CHANCE_NEAR * chance_cv(rd, k);
    }
    if (n == 0) return;
    char a[32], b[32], na[64], nb[64];
    double cell_mm = rd->grid.h * 1e3;
    nd_label_zone(rd->zones[lo].stats.zone, na, sizeof na);
    nd_label_zone(rd->zones[hi].stats.zone, nb, sizeof nb);
    if (lo == hi)
        nd_text_add(t, "%sDensity was %s punctures per cm\xc2\xb2", t->len ? " " : "",
                    nd_label_fixed(a, sizeof a, rd->zones[lo].stats.punctures_per_cm2, 0));
    else
        nd_text_add(t, "%sDensity ranged from %s punctures per cm\xc2\xb2 (%s) to %s (%s)",
                    t->len ? " " : "",
                    nd_label_fixed(a, sizeof a, rd->zones[lo].stats.punctures_per_cm2, 0), na,
                    nd_label_fixed(b, sizeof b, rd->zones[hi].stats.punctures_per_cm2, 0), nb);
    nd_text_add(t, ", that is ");
    punctured_range(t, rd, per_cell, fixed1);
    nd_text_add(t, " per %g mm cell.", cell_mm);

    if (most_uncovered < 0.005) {
        nd_text_add(t, " Every zone had more than 99%% of its cells punctured.");
    } else {
        nd_text_add(t, " ");
        punctured_range(t, rd, uncovered, pct);
        nd_text_add(
            t, "%% of cells got no puncture, %s random placement at this density would leave (",
            gaps_as_chance ? "about what" : "more than");
        punctured_range(t, rd, chance_uncovered, pct);
        nd_text_add(t, "%%).");
    }
    nd_text_add(t, " The count per cell varies with a coefficient of variation of ");
    punctured_range(t, rd, cv, fixed2);
    nd_text_add(t, ", %s random placement gives (", cv_as_chance ? "about what" : "more than");
    punctured_range(t, rd, chance_cv, fixed2);
    nd_text_add(t, ")%s",
                cv_as_chance ? ": the punctures are spread as evenly as their number allows."
                             : ": the strokes overlap in places and leave gaps in others.");
}

int nd_findings_meaning(const nd_rundata *rd, nd_finding *out, int max)
{
    int n = 0;
    if (n < max) {
        nd_text t = {out[n].text, sizeof out[n].text, 0};
        out[n].text[0] = '\0';
        for (int l = 0; l < ND_LAYER_COUNT; l++) layer_sentence(rd, &t, l);
        if (t.len) n++;
    }
    if (n < max) {
        nd_text t = {out[n].text, sizeof out[n].text, 0};
        out[n].text[0] = '\0';
        depth_sentence(rd, &t);
        density_sentence(rd, &t);
        if (t.len) n++;
    }
    return n + nd_outcome_meaning(rd, out + n, max - n);
}
