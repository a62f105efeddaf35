/* Redness, swelling and open channels after needling; see recovery_chart.h.
 *
 * Time counts from each zone's own needling, so zones needled minutes apart
 * line up.  Redness and swelling fade over days, the channels close within
 * hours, so the channel panel has its own, shorter axis.  Where the model
 * gives a range, it is drawn at the moment it belongs to: the downtime
 * (redness no longer visible) as a bar across the days it may take, the
 * channels' half-life as a dot where half are still open. */
#include "report/recovery_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/curve_groups.h"
#include "report/draw.h"

#define FIG_W     1000.0
#define PANEL_T   34.0
#define PLOT_H    210.0
#define AXIS_B    50.0
#define BOTTOM    8.0
#define STRIP_ROW 10.0 /* a group's downtime range, under the redness panel */
#define DAY       86400.0
#define HOUR      3600.0

static double redness(const nd_timecourse_row *r)
{
    return r->erythema_index;
}

static double swelling(const nd_timecourse_row *r)
{
    return r->edema_rel;
}

static double channels(const nd_timecourse_row *r)
{
    return r->open_channel_fraction;
}

typedef struct {
    double days_s;    /* redness and swelling: 0 .. days_s after needling */
    double hours_s;   /* channels: 0 .. hours_s */
    double swell_max; /* top of the swelling axis, % */
    nd_curve_panel panels[3];
    int ng;
    nd_curve_group g[ND_ZONE_COUNT];
    int nkeys;
    nd_key keys[ND_ZONE_COUNT + 3];
    char key_text[ND_ZONE_COUNT][360];
    int legend_rows;
} layout;

/* The largest value of a column over every zone's course. */
static double peak(const nd_rundata *rd, nd_rd_value value)
{
    double m = 0;
    for (int k = 0; k < rd->n_zones; k++)
        for (int i = 0; i < rd->n_times; i++) m = fmax(m, value(&rd->zones[k].course[i]));
    return m;
}

/* How long after needling the slowest zone takes to fade: its downtime's
 * upper end, or without read-outs, until its redness is a tenth of its peak. */
static double fade_s(const nd_rundata *rd)
{
    double t = 0;
    for (int k = 0; k < rd->n_zones; k++) {
        if (rd->has_outcomes && isfinite(rd->zones[k].outcome.downtime_days.hi)) {
            t = fmax(t, rd->zones[k].outcome.downtime_days.hi * DAY);
            continue;
        }
        double top = 0, t_k = 0, t0 = nd_rundata_needled_s(rd, k);
        const nd_timecourse_row *r = rd->zones[k].course;
        for (int i = 0; i < rd->n_times; i++) {
            /* The first session only: a later one's redness is its own. */
            if (r[i].time_s < t0 || r[i].time_s > t0 + rd->scenario.protocol.interval_s) continue;
            top = fmax(top, r[i].erythema_index);
            if (r[i].erythema_index >= 0.1 * top) t_k = r[i].time_s - t0;
        }
        t = fmax(t, t_k);
    }
    return t;
}

static double max_half_life_s(const nd_rundata *rd)
{
    double h = 0;
    for (int k = 0; k < rd->n_zones && rd->has_outcomes; k++)
        h = fmax(h, rd->zones[k].outcome.channel_half_life_h * HOUR);
    return h > 0 ? h : HOUR;
}

static void plan(const nd_rundata *rd, layout *L)
{
    memset(L, 0, sizeof *L);
    /* A quarter more than the slowest fade, on a whole number of days (of
     * 6 hours under two days), never past the next session. */
    double fade = fmax(fade_s(rd) * 1.25, 12 * HOUR);
    double unit = fade <= 2 * DAY ? 6 * HOUR : DAY;
    L->days_s = fmin(unit * ceil(fade / unit - 1e-9), 28 * DAY);
    if (rd->scenario.protocol.sessions > 1)
        L->days_s = fmin(L->days_s, rd->scenario.protocol.interval_s);
    /* Five half-lives: 97 % closed. */
    double ch = fmax(5 * max_half_life_s(rd), 2 * HOUR);
    L->hours_s = HOUR * ceil(ch / HOUR - 1e-9);
    double sw = fmax(peak(rd, swelling) * 100 * 1.08, 1);
    L->swell_max = nd_chart_ceil(sw, nd_chart_step(sw, 5));

    L->panels[0] = (nd_curve_panel){redness, 0, L->days_s, 1, ND_CURVE_TOL_SHARE};
    L->panels[1] =
        (nd_curve_panel){swelling, 0, L->days_s, 1, ND_CURVE_TOL_SHARE * L->swell_max / 100};
    L->panels[2] = (nd_curve_panel){channels, 0, L->hours_s, 1, ND_CURVE_TOL_SHARE};
    L->ng = nd_curve_groups(rd, L->panels, 3, L->g);
    for (int i = 0; i < L->ng; i++) {
        nd_curve_group_key(rd, L->g, L->ng, i, L->key_text[i], sizeof L->key_text[i]);
        L->keys[L->nkeys++] = (nd_key){ND_KEY_LINE, i, {0, 0, 0}, L->key_text[i]};
    }
    if (rd->has_outcomes) {
        L->keys[L->nkeys++] = (nd_key){
            ND_KEY_BAR, 0, {0, 0, 0}, "redness no longer visible (its range under the axis)"};
        L->keys[L->nkeys++] = (nd_key){ND_KEY_MARK, 0, {0, 0, 0}, "half the channels closed"};
    }
    cairo_t *cr = nd_chart_scratch();
    L->legend_rows = nd_chart_legend(cr, 0, 0, FIG_W - 2 * ND_CHART_MARGIN, L->keys, L->nkeys, 0);
    cairo_destroy(cr);
}

static double panels_top(const layout *L)
{
    return ND_CHART_HEADER_H(1) + 8 + L->legend_rows * ND_LEGEND_LINE_H + 6 + PANEL_T;
}

void nd_recovery_chart_size(const nd_rundata *rd, int arg, int *w, int *h)
{
    (void)arg;
    layout L;
    plan(rd, &L);
    *w = (int)FIG_W;
    *h = (int)(panels_top(&L) + PLOT_H + AXIS_B + (rd->has_outcomes ? STRIP_ROW * L.ng : 0) +
               BOTTOM);
}

/* Time in hours under two days, in days beyond. */
static double time_unit(double span_s)
{
    return span_s <= 2 * DAY ? HOUR : DAY;
}

static nd_status curves(cairo_t *cr, const nd_rundata *rd, const layout *L, const nd_chart *c,
                        const nd_curve_panel *p, double scale, nd_error *err)
{
    int max = rd->n_times + 2;
    double *x = malloc(sizeof *x * 2 * (size_t)max);
    if (!x) return nd_error_set(err, ND_ERR_NOMEM, "figure recovery: out of memory");
    double *y = x + max, unit = time_unit(p->t1_s);
    for (int i = 0; i < L->ng; i++) {
        int n = nd_curve_points(rd, L->g[i].k[0], p, unit, scale, x, y, max);
        nd_chart_set_style(cr, i, 2.4);
        nd_chart_line(cr, c, x, y, n);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    free(x);
    return ND_OK;
}

/* Ticks on the clock's divisions under two days (1, 2, 3, 6, 12 hours), on
 * whole days beyond. */
static nd_axis x_axis(double span_s)
{
    double unit = time_unit(span_s);
    nd_axis a = {nd_chart_step(span_s / unit, 5), NULL,
                 unit == HOUR ? "hours since needling" : "days since needling"};
    if (unit == HOUR) {
        static const double hours[] = {0.25, 0.5, 1, 2, 3, 6, 12, 24};
        size_t i = 0;
        while (i + 1 < sizeof hours / sizeof hours[0] && hours[i] < span_s / HOUR / 6) i++;
        a.step = hours[i];
    }
    if (unit == DAY && a.step < 1) a.step = 1;
    return a;
}

/* Each group's downtime: a dot on its curve at the day its redness is no
 * longer visible, and under the axis a row per group with the range of days
 * the model allows.  On the curves the ranges of groups that fade at much the
 * same time would lie on one another; in rows of their own each stays
 * readable. */
static void downtime_marks(cairo_t *cr, const nd_rundata *rd, const layout *L, const nd_chart *c)
{
    double unit = time_unit(L->days_s);
    nd_chart strip = *c;
    strip.y0 = c->y0 + c->h + AXIS_B;
    strip.h = STRIP_ROW * L->ng;
    strip.ymin = 0;
    strip.ymax = L->ng;
    strip.y_down = 1;
    nd_draw_font(cr, 11, 0);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    nd_draw_text(cr, c->x0 - 6, strip.y0 + fmin(strip.h, 2 * STRIP_ROW) / 2 + 4, 1, "range");
    for (int i = 0; i < L->ng; i++) {
        const nd_curve_group *g = &L->g[i];
        const nd_rd_outcome *o = &rd->zones[g->k[0]].outcome;
        if (!(o->downtime_days.mid > 0)) continue;
        double lo = INFINITY, hi = -INFINITY;
        for (int m = 0; m < g->n; m++) {
            lo = fmin(lo, rd->zones[g->k[m]].outcome.downtime_days.lo);
            hi = fmax(hi, rd->zones[g->k[m]].outcome.downtime_days.hi);
        }
        double t = o->downtime_days.mid * DAY;
        nd_chart_set_style(cr, i, 1.6);
        nd_chart_vbar(cr, c, t / unit, NAN, nd_curve_at(rd, g->k[0], &L->panels[0], t) * 100, NAN);
        nd_chart_hbar(cr, &strip, i + 0.5, lo * DAY / unit, t / unit, hi * DAY / unit);
    }
    cairo_set_dash(cr, NULL, 0, 0);
}

static void half_life_marks(cairo_t *cr, const nd_rundata *rd, const layout *L, const nd_chart *c)
{
    static const double dots[] = {2, 3};
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 1.3);
    cairo_set_dash(cr, dots, 2, 0);
    cairo_move_to(cr, c->x0, nd_chart_py(c, 50));
    cairo_line_to(cr, c->x0 + c->w, nd_chart_py(c, 50));
    cairo_stroke(cr);
    cairo_restore(cr);
    for (int i = 0; i < L->ng; i++) {
        double h = rd->zones[L->g[i].k[0]].outcome.channel_half_life_h;
        nd_chart_set_style(cr, i, 1.6);
        nd_chart_vbar(cr, c, h, NAN, 50, NAN);
    }
}

nd_status nd_recovery_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err)
{
    (void)arg;
    nd_chart_begin(cr);
    layout L;
    plan(rd, &L);
    const char *line = rd->scenario.protocol.sessions > 1
                           ? "After the first session; each session of the series repeats it.  "
                             "Time from each zone's own needling."
                           : "Time from each zone's own needling.";
    nd_chart_header(cr, FIG_W, "Redness, swelling and open channels after needling",
                    rd->scenario.name, &line, 1);
    nd_chart_legend(cr, ND_CHART_MARGIN, ND_CHART_HEADER_H(1) + 8 + 14, FIG_W - 2 * ND_CHART_MARGIN,
                    L.keys, L.nkeys, 1);
    double top = panels_top(&L);
    nd_chart c[3];
    for (int i = 0; i < 3; i++) nd_chart_row(FIG_W, i, 3, top, PLOT_H, &c[i]);
    double unit = time_unit(L.days_s);
    c[0].xmin = c[1].xmin = c[2].xmin = 0;
    c[0].xmax = c[1].xmax = L.days_s / unit;
    c[2].xmax = L.hours_s / HOUR;
    c[0].ymin = c[1].ymin = c[2].ymin = 0;
    c[0].ymax = c[2].ymax = 100;
    c[1].ymax = L.swell_max;
    c[0].y_down = c[1].y_down = c[2].y_down = 0;

    static const char *const titles[3] = {"Redness", "Swelling", "Channels still open"};
    static const char *const ylabels[3] = {"% of maximal redness", "swelling (%)",
                                           "% of channels open"};
    nd_axis ya[3] = {{20, NULL, ylabels[0]},
                     {nd_chart_step(L.swell_max, 5), NULL, ylabels[1]},
                     {20, NULL, ylabels[2]}};
    for (int i = 0; i < 3; i++) {
        nd_axis xa = x_axis(i < 2 ? L.days_s : L.hours_s);
        nd_chart_title(cr, &c[i], titles[i]);
        nd_chart_axes(cr, &c[i], &xa, &ya[i]);
        nd_status s = curves(cr, rd, &L, &c[i], &L.panels[i], 100, err);
        if (s != ND_OK) return s;
    }
    if (rd->has_outcomes) {
        downtime_marks(cr, rd, &L, &c[0]);
        half_life_marks(cr, rd, &L, &c[2]);
    }
    return ND_OK;
}
