/* The outcome table: what each zone's needling is expected to do, at the
 * session, over the days after and at the end of follow-up; see
 * html_report.h.
 *
 * Each number sits in an element with data-col (its zones.csv column) and,
 * where the page shows it in percent, data-as ("percent": the fraction times
 * 100; "change": the relative amount as a change from 1, in percent), so a
 * test can hold every cell to the file.  A range sits on its own line under
 * its value, smaller, so the columns stay narrow enough for A4.  Numbers are
 * rounded to what a practitioner acts on but never to a value they are not
 * ("<0.1", never "0.0", for a risk that is there).  Cells that carry a
 * warning are shaded and bold, as in the zone table. */
#include "report/html_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/findings.h"
#include "report/html_escape.h"
#include "report/labels.h"

typedef enum { AS_VALUE, AS_PERCENT, AS_CHANGE } shown_as;

static const char *as_attr(shown_as as)
{
    return as == AS_PERCENT ? " data-as=\"percent\"" : as == AS_CHANGE ? " data-as=\"change\"" : "";
}

/* A number in the page's words for it. */
typedef char *(*fmt)(char *buf, size_t size, double v);

static char *fixed2(char *buf, size_t size, double v)
{
    return nd_label_fixed(buf, size, v, 2);
}

static char *one(char *buf, size_t size, double v)
{
    return nd_label_small(buf, size, v, 1);
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

static char *change(char *buf, size_t size, double rel)
{
    return nd_label_change(buf, size, rel);
}

static void span(FILE *out, const char *col, shown_as as, fmt f, double v)
{
    char buf[48];
    fprintf(out, "<span data-col=\"%s\"%s>", col, as_attr(as));
    nd_html_escape(out, f(buf, sizeof buf, v));
    fputs("</span>", out);
}

/* A value with its range under it; the range is left out where the files do
 * not carry it (a folder from before they did). */
static void cell(FILE *out, const char *col, shown_as as, fmt f, nd_interval v, int ranged,
                 const char *cls)
{
    char lo[64], hi[64], a[48], b[48];
    fprintf(out, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    span(out, col, as, f, v.mid);
    /* A range that prints as one number ("0-0" for a bruise nobody risks)
     * says nothing the value does not. */
    if (ranged && isfinite(v.lo) && isfinite(v.hi) &&
        strcmp(f(a, sizeof a, v.lo), f(b, sizeof b, v.hi)) != 0) {
        snprintf(lo, sizeof lo, "%s_lo", col);
        snprintf(hi, sizeof hi, "%s_hi", col);
        fputs("<span class=\"sub\">", out);
        span(out, lo, as, f, v.lo);
        /* "to" between signed changes: "+16 to +30" reads; "+16–+30" does not. */
        fputs(as == AS_CHANGE ? " to " : "\xe2\x80\x93", out);
        span(out, hi, as, f, v.hi);
        fputs("</span>", out);
    }
    fputs("</td>", out);
}

static void single(FILE *out, const char *col, shown_as as, fmt f, double v, const char *cls)
{
    nd_interval i = {NAN, v, NAN};
    cell(out, col, as, f, i, 0, cls);
}

/* The serum's column, when the session put one on. */
static const char *serum(const nd_rundata *rd)
{
    const nd_protocol *pr = &rd->scenario.protocol;
    for (int i = 0; i < pr->n_steps && i < ND_MAX_STEPS; i++)
        if (pr->steps[i].kind == ND_STEP_TOPICAL) return pr->steps[i].product;
    return NULL;
}

static void header(const nd_rundata *rd, FILE *out)
{
    const char *product = serum(rd);
    fputs("<thead><tr><th rowspan=\"2\" scope=\"col\" class=\"text\">Zone</th>"
          "<th rowspan=\"2\" scope=\"col\">Numbed to<br><span class=\"unit\">mm</span></th>"
          "<th colspan=\"2\" scope=\"colgroup\">Pain<br><span class=\"unit\">VAS 0\xe2\x80\x93"
          "10</span></th>"
          "<th rowspan=\"2\" scope=\"col\">Bleeding<br><span class=\"unit\">points per "
          "cm\xc2\xb2</span></th>"
          "<th rowspan=\"2\" scope=\"col\">Bruise<br><span class=\"unit\">% risk</span></th>"
          "<th colspan=\"2\" scope=\"colgroup\">Peak<br><span class=\"unit\">%</span></th>"
          "<th rowspan=\"2\" scope=\"col\">Visibly red<br><span class=\"unit\">days</span></th>"
          "<th rowspan=\"2\" scope=\"col\">Channels<br><span class=\"unit\">half-life, "
          "h</span></th>"
          "<th colspan=\"3\" scope=\"colgroup\">End of follow-up<br><span class=\"unit\">% change "
          "from before</span></th>"
          "<th rowspan=\"2\" scope=\"col\">PIH<br><span class=\"unit\">% risk, series</span></th>",
          out);
    if (product) {
        fputs("<th rowspan=\"2\" scope=\"col\">", out);
        nd_html_escape(out, product);
        fputs("<br><span class=\"unit\">reached, mm</span></th>", out);
    }
    fputs("</tr>\n<tr><th scope=\"col\">expected</th><th scope=\"col\">peak</th>"
          "<th scope=\"col\">redness</th><th scope=\"col\">swelling</th>"
          "<th scope=\"col\">coll. I</th><th scope=\"col\">coll. III</th>"
          "<th scope=\"col\">elastin</th></tr></thead>\n",
          out);
}

static void row(const nd_rundata *rd, int k, FILE *out)
{
    const nd_rd_zone *z = &rd->zones[k];
    const nd_rd_outcome *o = &z->outcome;
    char name[64];
    nd_label_zone(z->stats.zone, name, sizeof name);
    if (name[0] >= 'a' && name[0] <= 'z') name[0] = (char)(name[0] - 'a' + 'A');
    fprintf(out, "<tr data-zone=\"%s\"><th scope=\"row\">", nd_zone_name(z->stats.zone));
    nd_html_escape(out, name);
    fputs("</th>", out);
    /* The same tests as the warnings. */
    int pain_warn = o->pain_vas.mid > ND_PAIN_WARN_VAS;
    int pih_warn = rd->scenario.patient.fitzpatrick >= ND_PIH_WARN_FITZPATRICK &&
                   o->pih_risk.mid >= ND_PIH_WARN_RISK;
    nd_interval numbed = {NAN, o->anesthesia_depth_m * 1e3, NAN};
    cell(out, "anesthesia_depth_mm", AS_VALUE, fixed2, numbed, 0, NULL);
    cell(out, "pain_vas", AS_VALUE, one, o->pain_vas, 1, pain_warn ? "caution" : NULL);
    single(out, "pain_vas_peak", AS_VALUE, one, o->pain_vas_peak, NULL);
    cell(out, "bleeding_points_per_cm2", AS_VALUE, whole, o->bleeding_points_per_cm2, 1, NULL);
    cell(out, "bruising_risk", AS_PERCENT, risk, o->bruising_risk, 1, NULL);
    single(out, "erythema_peak", AS_PERCENT, pct, o->erythema_peak, NULL);
    single(out, "edema_peak", AS_PERCENT, pct, o->edema_peak, NULL);
    cell(out, "downtime_days", AS_VALUE, one, o->downtime_days, 1, NULL);
    single(out, "channel_half_life_h", AS_VALUE, one, o->channel_half_life_h, NULL);
    cell(out, "collagen_I_rel", AS_CHANGE, change, o->collagen_I_rel, 1, NULL);
    cell(out, "collagen_III_rel", AS_CHANGE, change, o->collagen_III_rel, 1, NULL);
    cell(out, "elastin_rel", AS_CHANGE, change, o->elastin_rel, 1, NULL);
    cell(out, "pih_risk", AS_PERCENT, risk, o->pih_risk, 1, pih_warn ? "caution" : NULL);
    if (serum(rd)) {
        nd_interval reached = {NAN, o->topical_depth_m * 1e3, NAN};
        cell(out, "topical_depth_mm", AS_VALUE, fixed2, reached, 0, NULL);
    }
    fputs("</tr>\n", out);
}

void nd_html_outcome_table(const nd_rundata *rd, FILE *out)
{
    fputs("<div class=\"table-wrap\"><table class=\"zones outcomes\">\n", out);
    header(rd, out);
    fputs("<tbody>\n", out);
    for (int k = 0; k < rd->n_zones; k++) row(rd, k, out);
    fputs("</tbody></table></div>\n", out);
}
