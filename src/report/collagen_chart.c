/* Collagen and elastin over the series; see collagen_chart.h.
 *
 * Three panels, one per protein, each on its own scale: collagen III rises
 * and falls back within weeks while collagen I builds for months, and on one
 * scale the smaller would be a flat line.  Values are the change from before
 * treatment, in percent, as a clinician reads a gain.  The time course has
 * the model's central curve only; its range is drawn where the read-outs
 * give it, at the end of follow-up. */
#include "report/collagen_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/curve_groups.h"
#include "report/draw.h"
#include "report/labels.h"

#define FIG_W   1000.0
#define PANEL_T 34.0
#define PLOT_H  210.0
#define AXIS_B  50.0
#define BOTTOM  8.0
#define DAY     86400.0
#define WEEK    (7 * DAY)
#define MONTH   (30.4375 * DAY)

enum { C_I, C_III, C_ELASTIN, C_PANELS };

static double collagen_I(const nd_timecourse_row *r)
{
    return r->collagen_I_rel;
}

static double collagen_III(const nd_timecourse_row *r)
{
    return r->collagen_III_rel;
}

static double elastin(const nd_timecourse_row *r)
{
    return r->elastin_rel;
}

static nd_interval read_out(const nd_rd_outcome *o, int panel)
{
    return panel == C_I ? o->collagen_I_rel : panel == C_III ? o->collagen_III_rel : o->elastin_rel;
}

typedef struct {
    double t1_s;                       /* 0 (the first session) .. the end of follow-up */
    double unit;                       /* weeks, or months for a long series */
    double lo[C_PANELS], hi[C_PANELS]; /* axis ranges, % change */
    nd_curve_panel panels[C_PANELS];
    int ng;
    nd_curve_group g[ND_ZONE_COUNT];
    int nlines;
    char line[2][320];
    int nkeys;
    nd_key keys[ND_ZONE_COUNT + 2];
    char key_text[ND_ZONE_COUNT][360];
    int legend_rows;
} layout;

/* The group's range at the end of follow-up over its zones (NaN when the
 * files carry none). */
static void group_range(const nd_rundata *rd, const nd_curve_group *g, int panel, double *lo,
                        double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int m = 0; m < g->n; m++) {
        nd_interval v = read_out(&rd->zones[g->k[m]].outcome, panel);
        *lo = fmin(*lo, v.lo);
        *hi = fmax(*hi, v.hi);
    }
    if (!rd->has_outcomes || !isfinite(*lo) || !isfinite(*hi)) *lo = *hi = NAN;
}

static void plan(const nd_rundata *rd, layout *L)
{
    memset(L, 0, sizeof *L);
    const nd_protocol *pr = &rd->scenario.protocol;
    L->t1_s = rd->n_times ? rd->zones[0].course[rd->n_times - 1].time_s : DAY;
    L->unit = L->t1_s <= 26 * WEEK ? WEEK : MONTH;
    static const nd_rd_value value[C_PANELS] = {collagen_I, collagen_III, elastin};
    for (int p = 0; p < C_PANELS; p++) {
        double lo = 0, hi = 0;
        for (int k = 0; k < rd->n_zones; k++) {
            for (int i = 0; i < rd->n_times; i++) {
                double v = (value[p](&rd->zones[k].course[i]) - 1) * 100;
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
            nd_interval end = read_out(&rd->zones[k].outcome, p);
            if (rd->has_outcomes && isfinite(end.hi)) hi = fmax(hi, (end.hi - 1) * 100);
            if (rd->has_outcomes && isfinite(end.lo)) lo = fmin(lo, (end.lo - 1) * 100);
        }
        hi = fmax(hi * 1.08, 1);
        double step = nd_chart_step(hi - lo, 5);
        L->hi[p] = nd_chart_ceil(hi, step);
        L->lo[p] = lo < 0 ? -nd_chart_ceil(-lo, step) : 0;
        L->panels[p] = (nd_curve_panel){value[p], 0, L->t1_s, 0,
                                        ND_CURVE_TOL_SHARE * (L->hi[p] - L->lo[p]) / 100};
    }
    L->ng = nd_curve_groups(rd, L->panels, C_PANELS, L->g);

    char a[32], b[32];
    if (pr->sessions > 1)
        snprintf(L->line[0], sizeof L->line[0],
                 "%d sessions %s days apart, followed for %s days after the last.", pr->sessions,
                 nd_label_fixed(a, sizeof a, pr->interval_s / DAY, 0),
                 nd_label_fixed(b, sizeof b, pr->follow_up_s / DAY, 0));
    else
        snprintf(L->line[0], sizeof L->line[0], "One session, followed for %s days.",
                 nd_label_fixed(a, sizeof a, pr->follow_up_s / DAY, 0));
    snprintf(L->line[1], sizeof L->line[1],
             "Change from before treatment.  The bar at the end: the range the model gives "
             "for the gain of each protein.");
    L->nlines = rd->has_outcomes ? 2 : 1;
    for (int i = 0; i < L->ng; i++) {
        nd_curve_group_key(rd, L->g, L->ng, i, L->key_text[i], sizeof L->key_text[i]);
        L->keys[L->nkeys++] = (nd_key){ND_KEY_LINE, i, {0, 0, 0}, L->key_text[i]};
    }
    L->keys[L->nkeys++] = (nd_key){ND_KEY_EVENT, 0, {0, 0, 0}, "a session"};
    if (rd->has_outcomes)
        L->keys[L->nkeys++] =
            (nd_key){ND_KEY_BAR, 0, {0, 0, 0}, "at the end of follow-up, with its range"};
    cairo_t *cr = nd_chart_scratch();
    L->legend_rows = nd_chart_legend(cr, 0, 0, FIG_W - 2 * ND_CHART_MARGIN, L->keys, L->nkeys, 0);
    cairo_destroy(cr);
}

static double panels_top(const layout *L)
{
    return ND_CHART_HEADER_H(L->nlines) + 8 + L->legend_rows * ND_LEGEND_LINE_H + 6 + PANEL_T;
}

void nd_collagen_chart_size(const nd_rundata *rd, int arg, int *w, int *h)
{
    (void)arg;
    layout L;
    plan(rd, &L);
    *w = (int)FIG_W;
    *h = (int)(panels_top(&L) + PLOT_H + AXIS_B + BOTTOM);
}

static nd_status panel(cairo_t *cr, const nd_rundata *rd, const layout *L, int p, const nd_chart *c,
                       nd_error *err)
{
    static const char *const titles[C_PANELS] = {"Collagen I", "Collagen III", "Elastin"};
    nd_chart_title(cr, c, titles[p]);
    nd_axis xa = {nd_chart_step(L->t1_s / L->unit, 5), NULL,
                  L->unit == WEEK ? "weeks since the first session"
                                  : "months since the first session"};
    nd_axis ya = {nd_chart_step(L->hi[p] - L->lo[p], 5), nd_tick_signed, "change from before (%)"};
    nd_chart_axes(cr, c, &xa, &ya);
    /* Baseline: what the skin had before treatment. */
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, c->x0, nd_chart_py(c, 0));
    cairo_line_to(cr, c->x0 + c->w, nd_chart_py(c, 0));
    cairo_stroke(cr);
    const nd_protocol *pr = &rd->scenario.protocol;
    double first = rd->n_zones ? nd_rundata_needled_s(rd, 0) : 0;
    for (int k = 0; k < pr->sessions; k++)
        nd_chart_event(cr, c, (first + k * pr->interval_s) / L->unit);

    int max = rd->n_times + 2;
    double *x = malloc(sizeof *x * 2 * (size_t)max);
    if (!x) return nd_error_set(err, ND_ERR_NOMEM, "figure collagen: out of memory");
    double *y = x + max;
    for (int i = 0; i < L->ng; i++) {
        int n = nd_curve_points(rd, L->g[i].k[0], &L->panels[p], L->unit, 100, x, y, max);
        for (int j = 0; j < n; j++) y[j] -= 100; /* relative to 1 -> change in % */
        nd_chart_set_style(cr, i, 2.4);
        nd_chart_line(cr, c, x, y, n);
    }
    free(x);
    cairo_set_dash(cr, NULL, 0, 0);
    /* The end-of-follow-up ranges, one per group, side by side leftwards
     * from the end so that none hides another. */
    for (int i = 0; i < L->ng && rd->has_outcomes; i++) {
        double lo, hi;
        group_range(rd, &L->g[i], p, &lo, &hi);
        double mid = (read_out(&rd->zones[L->g[i].k[0]].outcome, p).mid - 1) * 100;
        double px = c->x0 + c->w - 6 - 9.0 * (L->ng - 1 - i);
        double x_at = c->xmin + (px - c->x0) / c->w * (c->xmax - c->xmin);
        nd_chart_set_style(cr, i, 1.6);
        nd_chart_vbar(cr, c, x_at, (lo - 1) * 100, mid, (hi - 1) * 100);
    }
    return ND_OK;
}

nd_status nd_collagen_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err)
{
    (void)arg;
    nd_chart_begin(cr);
    layout L;
    plan(rd, &L);
    const char *lines[2] = {L.line[0], L.line[1]};
    nd_chart_header(cr, FIG_W, "Collagen and elastin over the series", rd->scenario.name, lines,
                    L.nlines);
    nd_chart_legend(cr, ND_CHART_MARGIN, ND_CHART_HEADER_H(L.nlines) + 8 + 14,
                    FIG_W - 2 * ND_CHART_MARGIN, L.keys, L.nkeys, 1);
    for (int p = 0; p < C_PANELS; p++) {
        nd_chart c;
        nd_chart_row(FIG_W, p, C_PANELS, panels_top(&L), PLOT_H, &c);
        c.xmin = 0;
        c.xmax = L.t1_s / L.unit;
        c.ymin = L.lo[p];
        c.ymax = L.hi[p];
        c.y_down = 0;
        nd_status s = panel(cr, rd, &L, p, &c, err);
        if (s != ND_OK) return s;
    }
    return ND_OK;
}
