/* The practitioner's report page; see html_report.h.
 *
 * The page is a list of sections written in turn.  The outcome sections
 * (the outcome table, the time courses, the indications) show what the run
 * data has of the outcome read-outs; a run folder from before the outcome
 * models has none, and the page says so in one line rather than show numbers
 * nobody computed. */
#include "report/html_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/figure.h"
#include "report/findings.h"
#include "report/html_escape.h"
#include "report/labels.h"

typedef nd_status (*section_fn)(const nd_rundata *rd, FILE *out, nd_error *err);

/* "40", or "40.5" for a fractional age. */
static char *years(char *buf, size_t size, double age)
{
    return nd_label_fixed(buf, size, age, fabs(age - round(age)) < 1e-9 ? 0 : 1);
}

static void duration(FILE *out, double s)
{
    long t = lround(s);
    if (t >= 3600)
        fprintf(out, "%ld h %ld min", t / 3600, t % 3600 / 60);
    else if (t >= 60)
        fprintf(out, "%ld min %ld s", t / 60, t % 60);
    else
        fprintf(out, "%ld s", t);
}

static void device(const nd_device_spec *d, FILE *out)
{
    char a[32], b[32], c[32];
    if (d->preset[0]) {
        nd_html_escape(out, d->preset);
        fputs(": ", out);
    }
    fprintf(out, "%s, %d needles ", nd_device_kind_name(d->kind), nd_device_needles(d));
    if (d->kind == ND_DEVICE_ROLLER)
        fprintf(out, "(%d rings \xc3\x97 %d on a %s mm drum)", d->rings, d->needles_per_ring,
                nd_label_fixed(a, sizeof a, d->drum_diameter_m * 1e3, 0));
    else
        fprintf(out, "(%d \xc3\x97 %d at %s mm)", d->rows, d->cols,
                nd_label_fixed(a, sizeof a, d->pitch_m * 1e3, 1));
    fprintf(out, ", %s mm \xc3\x97 %s mm needles, tip radius %s \xc2\xb5m",
            nd_label_fixed(b, sizeof b, d->needle_length_m * 1e3, 2),
            nd_label_fixed(c, sizeof c, d->needle_diameter_m * 1e3, 2),
            nd_label_fixed(a, sizeof a, d->tip_radius_m * 1e6, 0));
    if (nd_device_is_motorised(d))
        fprintf(out, ", %s Hz", nd_label_fixed(a, sizeof a, d->frequency_hz, 0));
}

/* "needling 0.25 mm x1 → numbing → needling → hyaluronic_acid serum 20 min → dressing 12 h" */
static void steps(const nd_protocol *pr, FILE *out)
{
    char a[32];
    for (int i = 0; i < pr->n_steps && i < ND_MAX_STEPS; i++) {
        const nd_step *s = &pr->steps[i];
        if (i) fputs(" \xe2\x86\x92 ", out);
        switch (s->kind) {
        case ND_STEP_NUMBING:
            fputs("numbing", out);
            break;
        case ND_STEP_NEEDLING:
            fputs("needling", out);
            if (s->depth_m > 0)
                fprintf(out, " %s mm", nd_label_fixed(a, sizeof a, s->depth_m * 1e3, 2));
            if (s->passes > 0) fprintf(out, " \xc3\x97%d", s->passes);
            break;
        case ND_STEP_TOPICAL:
            nd_html_escape(out, s->product);
            fprintf(out, " for %s min%s", nd_label_fixed(a, sizeof a, s->duration_s / 60, 0),
                    s->occluded ? " under occlusion" : "");
            break;
        case ND_STEP_WAIT:
            fprintf(out, "wait %s min", nd_label_fixed(a, sizeof a, s->duration_s / 60, 0));
            break;
        default:
            fprintf(out, "dressing %s h", nd_label_fixed(a, sizeof a, s->duration_s / 3600, 0));
            break;
        }
    }
}

static nd_status masthead(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    const nd_scenario *sc = &rd->scenario;
    char a[32], b[32];
    fputs("<header>\n<p class=\"kicker\">needle \xc2\xb7 skin-needling simulation report</p>\n<h1>",
          out);
    nd_html_escape(out, sc->name);
    fputs("</h1>\n<dl class=\"facts\">\n", out);

    const char *fitz = nd_label_fitzpatrick(sc->patient.fitzpatrick);
    fprintf(out, "<dt>Patient</dt><dd>%s years, %s, Fitzpatrick %s</dd>\n",
            years(a, sizeof a, sc->patient.age_y),
            sc->patient.sex == ND_SEX_MALE ? "male" : "female", fitz ? fitz : "?");
    fputs("<dt>Device</dt><dd>", out);
    device(&sc->device, out);
    fputs("</dd>\n<dt>Settings</dt><dd>", out);
    nd_html_settings_summary(rd, out);
    fputs("</dd>\n", out);
    const nd_numbing *nb = &sc->protocol.numbing;
    fputs("<dt>Numbing</dt><dd>", out);
    if (nb->cream == ND_CREAM_NONE)
        fputs("none", out);
    else
        fprintf(out, "%s cream for %s min, %s", nd_label_cream(nb->cream),
                nd_label_fixed(a, sizeof a, nb->application_s / 60, 0),
                nb->occluded ? "under occlusion" : "not occluded");
    fputs("</dd>\n", out);
    if (sc->protocol.n_steps > 0) {
        fputs("<dt>Steps</dt><dd>", out);
        steps(&sc->protocol, out);
        fputs("</dd>\n", out);
    }
    /* The series: what the collagen, the PIH risk and the indications are after. */
    const nd_protocol *pr = &sc->protocol;
    fputs("<dt>Series</dt><dd>", out);
    if (pr->sessions > 1)
        fprintf(out, "%d sessions %s days apart, followed for %s days after the last", pr->sessions,
                nd_label_fixed(a, sizeof a, pr->interval_s / 86400, 0),
                nd_label_fixed(b, sizeof b, pr->follow_up_s / 86400, 0));
    else
        fprintf(out, "1 session, followed for %s days",
                nd_label_fixed(a, sizeof a, pr->follow_up_s / 86400, 0));
    fputs("</dd>\n", out);

    uint64_t punctures = 0;
    double area = 0, t0 = 0, t1 = 0;
    int any = 0;
    for (int k = 0; k < rd->n_zones; k++) {
        const nd_zone_stats *st = &rd->zones[k].stats;
        punctures += st->punctures;
        area += st->area_cm2;
        if (st->strikes == 0) continue;
        if (!any || st->t_start_s < t0) t0 = st->t_start_s;
        if (!any || st->t_end_s > t1) t1 = st->t_end_s;
        any = 1;
    }
    fprintf(out, "<dt>Treated</dt><dd>%d zone%s, %s cm\xc2\xb2; %llu punctures (%s per cm\xc2\xb2)",
            rd->n_zones, rd->n_zones == 1 ? "" : "s", nd_label_fixed(a, sizeof a, area, 0),
            (unsigned long long)punctures,
            nd_label_fixed(b, sizeof b, area > 0 ? (double)punctures / area : 0, 0));
    if (any) {
        fputs(" in ", out);
        duration(out, t1 - t0);
        fputs(" of needling", out);
    }
    fputs("</dd>\n<dt>Simulated</dt><dd>", out);
    nd_html_escape(out, rd->date);
    fprintf(out, " \xc2\xb7 seed %llu \xc2\xb7 needle ", (unsigned long long)sc->seed);
    nd_html_escape(out, rd->version);
    fprintf(out, " \xc2\xb7 %g mm grid</dd>\n</dl>\n</header>\n", rd->grid.h * 1e3);
    return ND_OK;
}

static nd_status warnings(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    nd_finding found[ND_FINDINGS_MAX];
    int n = nd_findings_warnings(rd, found, ND_FINDINGS_MAX);
    fputs("<section id=\"warnings\" class=\"warnings\">\n<h2>Warnings</h2>\n", out);
    if (n == 0) {
        char a[32], b[32];
        fputs("<p class=\"none\">None: no zone reached subcutaneous fat, or the reticular "
              "dermis at a shallow setting; every zone was punctured; ",
              out);
        if (rd->has_outcomes) {
            fprintf(out, "no zone is expected to hurt above %s/10; ",
                    nd_label_fixed(a, sizeof a, ND_PAIN_WARN_VAS, 0));
            if (rd->scenario.patient.fitzpatrick >= ND_PIH_WARN_FITZPATRICK)
                fprintf(out, "no zone has a risk of hyperpigmentation of %s%% or more; ",
                        nd_label_fixed(b, sizeof b, ND_PIH_WARN_RISK * 100, 0));
        }
        fputs("and gaps and unevenness are no more than random placement gives at this "
              "density.</p>\n",
              out);
    } else {
        fputs("<ul>\n", out);
        for (int k = 0; k < n; k++) {
            fputs("<li><strong>Warning:</strong> ", out);
            nd_html_escape(out, found[k].text);
            if (found[k].n_items > 0) {
                fputs("\n<ul>\n", out);
                for (int i = 0; i < found[k].n_items; i++) {
                    fputs("<li>", out);
                    nd_html_escape(out, found[k].items[i]);
                    fputs("</li>\n", out);
                }
                fputs("</ul>\n", out);
            }
            if (found[k].note[0]) {
                fputs("<span class=\"then\">", out);
                nd_html_escape(out, found[k].note);
                fputs("</span>", out);
            }
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    fputs("</section>\n", out);
    return ND_OK;
}

static nd_status meaning(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    nd_finding found[ND_FINDINGS_MAX];
    int n = nd_findings_meaning(rd, found, ND_FINDINGS_MAX);
    fputs("<section id=\"meaning\">\n<h2>What this means</h2>\n", out);
    for (int k = 0; k < n; k++) {
        fputs("<p>", out);
        nd_html_escape(out, found[k].text);
        fputs("</p>\n", out);
    }
    if (n == 0) fputs("<p>No zone was punctured, so there is nothing to interpret.</p>\n", out);
    fputs("<p class=\"note\">These are the predictions of a model for an average skin of this "
          "age, sex and site, not measurements of this patient.</p>\n</section>\n",
          out);
    return ND_OK;
}

static nd_status zones(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    fputs("<section id=\"zones\">\n<h2>Zone by zone</h2>\n", out);
    nd_html_zone_table(rd, out);
    fprintf(out,
            "<p class=\"note\">Depth is measured from the skin surface; p95: 95%% of punctures "
            "ended shallower.  Layer reached: where each puncture ended (SC: stratum corneum).  "
            "Cells punctured: %g mm cells with at least one puncture.  Uniformity: coefficient "
            "of variation of punctures per cell; lower is more even.  Shaded: a warning above.  "
            "The same numbers, unrounded, are in <code>zones.csv</code>.</p>\n</section>\n",
            rd->grid.h * 1e3);
    return ND_OK;
}

nd_status nd_html_figure(const nd_rundata *rd, FILE *out, const char *name, const char *caption,
                         nd_error *err)
{
    const nd_figure *fig = nd_figure_named(name);
    if (!fig) return nd_error_set(err, ND_ERR_INTERNAL, "report: no figure '%s'", name);
    fprintf(out, "<figure id=\"fig-%s\">\n", name);
    nd_status s = nd_figure_svg(fig, rd, out, err);
    if (s != ND_OK) return s;
    fputs("\n<figcaption>", out);
    nd_html_escape(out, caption);
    fprintf(out, " <a class=\"no-print\" href=\"figures/%s.png\">PNG</a></figcaption>\n</figure>\n",
            name);
    return ND_OK;
}

static nd_status maps(const nd_rundata *rd, FILE *out, nd_error *err)
{
    char caption[4][320];
    snprintf(caption[0], sizeof caption[0],
             "Punctures per cm\xc2\xb2 in each %g mm cell; the label under each zone's name is "
             "the zone's mean.",
             rd->grid.h * 1e3);
    snprintf(caption[1], sizeof caption[1],
             "Mean depth reached below the skin surface in each cell%s.",
             nd_device_is_motorised(&rd->scenario.device)
                 ? "; each zone's label gives its mean and its depth setting"
                 : "; each zone's label gives its mean");
    snprintf(caption[2], sizeof caption[2],
             "The deepest layer any puncture in the cell ended in; the label gives the zone's "
             "deepest layer and the share of its punctures that ended there.");
    snprintf(caption[3], sizeof caption[3],
             "How evenly punctures spread at a finer scale than the cells: the share of each "
             "cell's 64 squares (%g \xc2\xb5m a side) holding at least one puncture.  Higher "
             "means fewer punctures landed on the same spot.",
             rd->grid.h * 1e6 / 8);
    static const char *const names[4] = {"density", "depth", "layer", "coverage"};
    fputs("<section id=\"maps\">\n<h2>Face maps</h2>\n<p class=\"note\">Front view: the "
          "patient's left is on the right.  Hatched zones were not treated.</p>\n"
          "<div class=\"maps\">\n",
          out);
    for (int k = 0; k < 4; k++) {
        nd_status s = nd_html_figure(rd, out, names[k], caption[k], err);
        if (s != ND_OK) return s;
    }
    fputs("</div>\n</section>\n", out);
    return ND_OK;
}

static nd_status depth(const nd_rundata *rd, FILE *out, nd_error *err)
{
    fputs("<section id=\"depth\">\n<h2>Depth against the skin layers</h2>\n", out);
    nd_status s =
        nd_html_figure(rd, out, "depth_histograms",
                       "Where the punctures of each zone ended, against that zone's mean "
                       "layer boundaries for this patient.  The layers vary within a zone, so "
                       "a puncture near a boundary may end on either side of it.",
                       err);
    fputs("</section>\n", out);
    return s;
}

static nd_status about(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    fputs("<footer id=\"about\">\n<p><strong>About this report.</strong> needle simulates every "
          "needle strike: whether it pierced, how deep it reached and which layer it ended in, "
          "from published skin-layer thicknesses for the patient's age, sex and facial site and "
          "from models of needle insertion; what the skin then does (numbing, pain, bleeding, "
          "redness, swelling, collagen) from lumped per-zone models calibrated on clinical "
          "series (sources and limits: <code>docs/model.md</code>; how this page is worked "
          "out: <code>docs/report.md</code>).</p>\n"
          "<p>Data beside this page: <code>summary.json</code>, <code>zones.csv</code>, "
          "<code>field.csv</code>, <code>histograms.csv</code>",
          out);
    fputs(rd->has_timecourse ? ", <code>timecourse.csv</code>" : "", out);
    fputs(" and <code>figures/</code>.  <code>needle report</code> on this folder draws the "
          "page again from them.</p>\n</footer>\n",
          out);
    return ND_OK;
}

/* The run data has no outcome read-outs at all (a folder from before them). */
static int no_outcomes(const nd_rundata *rd)
{
    return !rd->has_outcomes && !rd->has_timecourse && !rd->has_indications;
}

/* One line for a part of the page the run folder has no data for. */
static void missing(FILE *out, const char *what)
{
    fputs("<p class=\"missing\">", out);
    nd_html_escape(out, what);
    fputs("</p>\n", out);
}

static nd_status outcomes(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    fputs("<section id=\"outcomes\">\n<h2>What to expect, zone by zone</h2>\n", out);
    if (no_outcomes(rd)) {
        missing(out, "This run's files have no outcome read-outs (numbing, pain, bleeding, "
                     "redness, collagen, indications): a run folder made before needle modelled "
                     "them has none.  Simulate the scenario again to see them.");
    } else if (!rd->has_outcomes) {
        missing(out, "zones.csv has no outcome columns, so the outcome table is left out.");
    } else {
        nd_html_outcome_table(rd, out);
        fputs(
            "<p class=\"note\">Numbed to: how deep the cream has numbed the skin when the zone "
            "is needled.  Pain: expected at the zone's mean depth reached; peak: at its "
            "deepest punctures (95th percentile) at the least numbed moment.  Bleeding: "
            "pinpoint bleeding points.  Bruise: the chance of a visible bruise in the zone, "
            "per session.  Peak redness, as a share of the most needling can cause, and "
            "swelling.  Visibly red: days until the redness fades below visible.  Channels: hours "
            "until half the channels have closed.  End of follow-up: change from before "
            "treatment of collagen (coll.) I and III and elastin at the end of the series and "
            "its follow-up.  PIH: risk of post-inflammatory hyperpigmentation over the series.  "
            "Small print under a value: the range the model gives when its least certain "
            "parameter for that read-out takes its plausible extremes.  Shaded: a warning "
            "above.  The same numbers, unrounded, are in <code>zones.csv</code>.</p>\n",
            out);
    }
    fputs("</section>\n", out);
    return ND_OK;
}

static nd_status courses(const nd_rundata *rd, FILE *out, nd_error *err)
{
    if (no_outcomes(rd)) return ND_OK; /* said once, above */
    fputs("<section id=\"courses\">\n<h2>Over time</h2>\n", out);
    if (!rd->has_timecourse) {
        missing(out, "timecourse.csv is not in the run folder, so the time courses are left "
                     "out.");
        fputs("</section>\n", out);
        return ND_OK;
    }
    fputs("<p class=\"note\">Zones whose curves coincide share one line; the legend names "
          "them with the mean depth their needles reach.</p>\n",
          out);
    nd_status s = nd_html_figure(
        rd, out, "numbing",
        "Above: the skin the cream has numbed (shaded), from the moment it went on, and the mean "
        "depth the needles reach in each group of zones; a line below the shading means "
        "numbed needling.  Below: the pain needling would cause at each moment; the bars give "
        "each group's expected pain when its zones were needled, with the range the model "
        "gives for the pain without numbing and the cream's effect on the face taken to their "
        "ends.",
        err);
    if (s == ND_OK)
        s = nd_html_figure(
            rd, out, "recovery",
            "Redness (as a share of the most a needling can cause), swelling (the model's "
            "fractional swelling, which follows the redness) and the share of channels still "
            "open, from each zone's own needling.  Dots: when the redness is no longer visible, "
            "with its range under the axis, and when half the channels have closed.",
            err);
    if (s == ND_OK)
        s = nd_html_figure(rd, out, "collagen",
                           "Collagen I, collagen III and elastin as the change from before "
                           "treatment, from the first session (triangles: sessions) to the end "
                           "of follow-up.  The curves are the model's central estimate; the bars "
                           "at the end give the range of each protein's gain.  Collagen III "
                           "comes first and matures into collagen I over weeks.",
                           err);
    fputs("</section>\n", out);
    return s;
}

static nd_status indications(const nd_rundata *rd, FILE *out, nd_error *err)
{
    (void)err;
    if (no_outcomes(rd)) return ND_OK;
    fputs("<section id=\"indications\">\n<h2>What the series may do, by indication</h2>\n", out);
    if (!rd->has_indications) {
        missing(out, "summary.json has no indications, so they are left out.");
    } else if (rd->n_indications == 0) {
        missing(out, "No indication was worked out for this run: they are worked out on the "
                     "largest treated zone of the face, and the neck does not count.");
    } else {
        char zone[64];
        nd_label_zone(rd->indication_zone, zone, sizeof zone);
        fputs("<p>Worked out on the ", out);
        nd_html_escape(out, zone);
        fputs(": each clinical series' result, scaled by the collagen I this protocol lays "
              "down there against what the series' own protocol lays down on the same zone and "
              "patient, and capped for a protocol stronger than the series' "
              "(<code>docs/model.md</code>, section 9.7).  Each is on its series' own scale: for "
              "grades and MASI a negative change is an improvement.</p>\n",
              out);
        nd_html_indication_table(rd, out);
        fputs("<p class=\"note\">Evidence: <strong>good</strong>, a clinical series of "
              "needling with numbers on this scale; <strong>thin</strong>, one small series, or "
              "one where needling was combined with something else; <strong>none</strong>, no "
              "study of plain needling with numbers, so no number is given.  The range spans "
              "the series' own uncertainty, scaled alike.</p>\n",
              out);
    }
    fputs("</section>\n", out);
    return ND_OK;
}

static const section_fn SECTIONS[] = {masthead, warnings, meaning, zones,       outcomes,
                                      maps,     depth,    courses, indications, about};

nd_status nd_write_report_html(const nd_rundata *rd, FILE *out, nd_error *err)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"needle ",
          out);
    nd_html_escape(out, rd->version);
    fputs("\">\n<title>", out);
    nd_html_escape(out, rd->scenario.name);
    fputs(" \xe2\x80\x94 needle report</title>\n<style>\n", out);
    fputs(nd_html_style(), out);
    fputs("</style>\n</head>\n<body>\n<main>\n", out);
    for (size_t k = 0; k < sizeof SECTIONS / sizeof SECTIONS[0]; k++) {
        nd_status s = SECTIONS[k](rd, out, err);
        if (s != ND_OK) return s;
    }
    fputs("</main>\n</body>\n</html>\n", out);
    if (ferror(out)) return nd_error_set(err, ND_ERR_IO, "report.html: write failed");
    return ND_OK;
}
