/* Numbing and pain on the day of a session; see numbing_chart.h.
 *
 * Two panels on one time axis, from the cream going on: above, the skin the
 * cream has numbed (depth downwards, as in the skin) with the depth each
 * group of zones' needles reach drawn across it, so a reader sees at once
 * whether the needling window falls where the numbed depth covers the
 * needles; below, the pain needling would cause at each moment, with the
 * model's interval at the moment the zones were needled. */
#include "report/numbing_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/curve_groups.h"
#include "report/draw.h"
#include "report/labels.h"

#define FIG_W   1000.0
#define PLOT_L  80.0 /* y ticks and the axis name */
#define PLOT_R  24.0
#define PANEL_T 34.0 /* the panel's title */
#define A_H     190.0
#define B_H     170.0
#define AXIS_B  50.0 /* x ticks and the axis name */
#define BOTTOM  8.0
/* The report's pain warning (findings.h): drawn so the chart and the warning agree. */
#define VAS_WARN 5.0

static double analgesia_mm(const nd_timecourse_row *r)
{
    return r->anesthesia_depth_m * 1e3;
}

static double pain(const nd_timecourse_row *r)
{
    return r->pain_vas;
}

typedef struct {
    double t1_s;         /* the window: 0 (the cream goes on) .. t1 */
    double cut0, cut1;   /* needling, first to last strike of the session */
    double depth_max_mm; /* of the depth axis */
    nd_curve_panel panels[2];
    int ng;
    nd_curve_group g[ND_ZONE_COUNT];
    int nlines;
    char line[2][320];
    int nkeys;
    nd_key keys[ND_ZONE_COUNT + 4];
    char key_text[ND_ZONE_COUNT][400];
    int legend_rows;
} layout;

static double depth_reached_mm(const nd_rundata *rd, int k)
{
    return rd->zones[k].stats.depth_mean_m * 1e3;
}

static void plan(const nd_rundata *rd, layout *L)
{
    memset(L, 0, sizeof *L);
    const nd_numbing *nb = &rd->scenario.protocol.numbing;
    double end = 0, start = INFINITY, deepest = 0, numbed = 0;
    for (int k = 0; k < rd->n_zones; k++) {
        const nd_zone_stats *st = &rd->zones[k].stats;
        if (st->strikes > 0) {
            end = fmax(end, st->t_end_s);
            start = fmin(start, st->t_start_s);
        }
        deepest = fmax(deepest, depth_reached_mm(rd, k));
    }
    if (!isfinite(start)) start = end;
    L->cut0 = start;
    L->cut1 = end;
    /* The needling and an hour and a half after it, on the half hour: long
     * enough to see the numbing wear off once the cream's hold ends. */
    double last = rd->n_times ? rd->zones[0].course[rd->n_times - 1].time_s : end;
    L->t1_s = fmin(1800.0 * ceil((end + 5400.0) / 1800.0), last);
    for (int k = 0; k < rd->n_zones; k++)
        for (int i = 0; i < rd->n_times && rd->zones[k].course[i].time_s <= L->t1_s; i++)
            numbed = fmax(numbed, analgesia_mm(&rd->zones[k].course[i]));
    double top = fmax(fmax(deepest, numbed) * 1.12, 0.5);
    L->depth_max_mm = nd_chart_ceil(top, nd_chart_step(top, 5));

    L->panels[0] = (nd_curve_panel){pain, 0, L->t1_s, 0, ND_CURVE_TOL_SHARE * 10};
    L->panels[1] =
        (nd_curve_panel){analgesia_mm, 0, L->t1_s, 0, ND_CURVE_TOL_SHARE * L->depth_max_mm};
    L->ng = nd_curve_groups(rd, L->panels, 2, L->g);

    char a[32];
    if (nb->cream == ND_CREAM_NONE)
        snprintf(L->line[0], sizeof L->line[0],
                 "No numbing cream.  Time from the start of the "
                 "session.");
    else
        snprintf(L->line[0], sizeof L->line[0],
                 "%s cream for %s min, %s.  Time from the cream going on.",
                 nd_label_cream(nb->cream), nd_label_fixed(a, sizeof a, nb->application_s / 60, 0),
                 nb->occluded ? "under occlusion" : "not occluded");
    L->nlines = 1;
    if (rd->scenario.protocol.sessions > 1)
        snprintf(L->line[L->nlines++], sizeof L->line[0],
                 "The first of %d sessions; each session of the series repeats it.",
                 rd->scenario.protocol.sessions);

    for (int i = 0; i < L->ng; i++) {
        nd_curve_group_key(rd, L->g, L->ng, i, L->key_text[i], sizeof L->key_text[i]);
        L->keys[L->nkeys++] = (nd_key){ND_KEY_LINE, i, {0, 0, 0}, L->key_text[i]};
    }
    if (nb->cream != ND_CREAM_NONE)
        L->keys[L->nkeys++] =
            (nd_key){ND_KEY_BAND, 0, nd_rgb_tint(nd_layer_colour(ND_LAYER_PAPILLARY), 0.55),
                     "skin numbed by the cream"};
    L->keys[L->nkeys++] = (nd_key){ND_KEY_BAND, 0, {0.86, 0.86, 0.86}, "needling"};
    L->keys[L->nkeys++] =
        (nd_key){ND_KEY_BAR, 0, {0, 0, 0}, "expected pain at needling, with its range"};
    L->keys[L->nkeys++] = (nd_key){ND_KEY_MARK, 0, {0, 0, 0}, "5/10: the report's pain warning"};
    cairo_t *cr = nd_chart_scratch();
    L->legend_rows = nd_chart_legend(cr, 0, 0, FIG_W - 2 * ND_CHART_MARGIN, L->keys, L->nkeys, 0);
    cairo_destroy(cr);
}

static double legend_top(const layout *L)
{
    return ND_CHART_HEADER_H(L->nlines) + 8;
}

static double panels_top(const layout *L)
{
    return legend_top(L) + L->legend_rows * ND_LEGEND_LINE_H + 6;
}

void nd_numbing_chart_size(const nd_rundata *rd, int arg, int *w, int *h)
{
    (void)arg;
    layout L;
    plan(rd, &L);
    *w = (int)FIG_W;
    *h = (int)(panels_top(&L) + PANEL_T + A_H + AXIS_B + PANEL_T + B_H + AXIS_B + BOTTOM);
}

/* The time axis: clock ticks every half hour (every hour on a long window). */
static nd_axis time_axis(const layout *L, const char *label)
{
    nd_axis a = {L->t1_s > 4 * 3600.0 ? 1.0 : 0.5, nd_tick_clock, label};
    return a;
}

/* Points of the k-th zone's curve, in hours; the caller frees x (y follows it). */
static int points(const nd_rundata *rd, int k, const nd_curve_panel *p, double **x, double **y)
{
    int max = rd->n_times + 2;
    *x = malloc(sizeof **x * 2 * (size_t)max);
    if (!*x) return -1;
    *y = *x + max;
    return nd_curve_points(rd, k, p, 3600.0, 1.0, *x, *y, max);
}

static nd_status numbed_panel(cairo_t *cr, const nd_rundata *rd, const layout *L, const nd_chart *c,
                              nd_error *err)
{
    nd_chart_title(cr, c, "Depth numbed by the cream, and the depth the needles reach");
    nd_chart_xband(cr, c, L->cut0 / 3600, L->cut1 / 3600, (nd_rgb){0.86, 0.86, 0.86});
    double *x, *y;
    int n = rd->n_zones ? points(rd, L->g[0].k[0], &L->panels[1], &x, &y) : 0;
    if (n < 0) return nd_error_set(err, ND_ERR_NOMEM, "figure numbing: out of memory");
    if (n > 0) {
        /* The numbed skin: from the surface down to the front of the anaesthetic. */
        cairo_save(cr);
        cairo_rectangle(cr, c->x0, c->y0, c->w, c->h);
        cairo_clip(cr);
        cairo_move_to(cr, nd_chart_px(c, x[0]), nd_chart_py(c, 0));
        for (int i = 0; i < n; i++) cairo_line_to(cr, nd_chart_px(c, x[i]), nd_chart_py(c, y[i]));
        cairo_line_to(cr, nd_chart_px(c, x[n - 1]), nd_chart_py(c, 0));
        cairo_close_path(cr);
        nd_draw_rgb(cr, nd_rgb_tint(nd_layer_colour(ND_LAYER_PAPILLARY), 0.55));
        cairo_fill(cr);
        cairo_restore(cr);
        nd_draw_rgb(cr, nd_layer_colour(ND_LAYER_RETICULAR));
        cairo_set_line_width(cr, 1.4);
        nd_chart_line(cr, c, x, y, n);
        free(x);
    }
    nd_axis xa = time_axis(L, NULL);
    nd_axis ya = {nd_chart_step(L->depth_max_mm, 5), NULL, "depth below the surface (mm)"};
    nd_chart_axes(cr, c, &xa, &ya);
    /* Each group's depth across the panel, labelled at the right where the
     * labels do not collide. */
    double last_py = -1e9;
    nd_draw_font(cr, 12, 1);
    for (int i = 0; i < L->ng; i++) {
        double d = depth_reached_mm(rd, L->g[i].k[0]);
        double py = nd_chart_py(c, d);
        nd_chart_set_style(cr, i, 2.2);
        cairo_move_to(cr, c->x0, py);
        cairo_line_to(cr, c->x0 + c->w, py);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (py - last_py >= 13) {
            char buf[32], num[32];
            snprintf(buf, sizeof buf, "%s mm", nd_label_fixed(num, sizeof num, d, 2));
            cairo_set_source_rgb(cr, 1, 1, 1);
            double tw = nd_draw_text_width(cr, buf);
            cairo_rectangle(cr, c->x0 + c->w - tw - 8, py - 13, tw + 6, 12);
            cairo_fill(cr);
            nd_draw_rgb(cr, nd_chart_colour(i));
            nd_draw_text(cr, c->x0 + c->w - 5, py - 3, 1, buf);
            last_py = py;
        }
    }
    nd_draw_font(cr, 12, 0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    /* Under the band's middle, kept inside the plot when the band is at its edge. */
    double half = nd_draw_text_width(cr, "needling") / 2 + 3;
    double tx = nd_chart_px(c, (L->cut0 + L->cut1) / 2 / 3600);
    tx = fmin(fmax(tx, c->x0 + half), c->x0 + c->w - half);
    nd_draw_text(cr, tx, c->y0 + c->h - 6, 0.5, "needling");
    if (rd->scenario.protocol.numbing.cream == ND_CREAM_NONE)
        nd_draw_text(cr, c->x0 + c->w / 2, c->y0 + c->h / 2, 0.5, "no numbing cream");
    return ND_OK;
}

/* Each group's pain at the moment its zones were needled, with the model's
 * range: bars pushed apart where the zones were needled within minutes of
 * each other, so that none hides another. */
static void pain_bars(cairo_t *cr, const nd_rundata *rd, const layout *L, const nd_chart *c)
{
    double px[ND_ZONE_COUNT];
    int order[ND_ZONE_COUNT];
    for (int i = 0; i < L->ng; i++) {
        double t = 0;
        for (int m = 0; m < L->g[i].n; m++) t += nd_rundata_needled_s(rd, L->g[i].k[m]);
        px[i] = nd_chart_px(c, t / L->g[i].n / 3600);
        order[i] = i;
    }
    for (int i = 1; i < L->ng; i++)
        for (int j = i; j > 0 && px[order[j - 1]] > px[order[j]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    const double gap = 10;
    for (int i = 1; i < L->ng; i++) px[order[i]] = fmax(px[order[i]], px[order[i - 1]] + gap);
    for (int i = 0; i < L->ng; i++) {
        const nd_curve_group *g = &L->g[i];
        double lo = INFINITY, hi = -INFINITY;
        for (int m = 0; m < g->n; m++) {
            lo = fmin(lo, rd->zones[g->k[m]].outcome.pain_vas.lo);
            hi = fmax(hi, rd->zones[g->k[m]].outcome.pain_vas.hi);
        }
        nd_chart_set_style(cr, i, 1.6);
        double x = (px[i] - c->x0) / c->w * (c->xmax - c->xmin) + c->xmin;
        nd_chart_vbar(cr, c, x, lo, rd->zones[g->k[0]].outcome.pain_vas.mid, hi);
    }
}

static nd_status pain_panel(cairo_t *cr, const nd_rundata *rd, const layout *L, const nd_chart *c,
                            nd_error *err)
{
    nd_chart_title(cr, c, "Pain the needling would cause at each moment");
    nd_chart_xband(cr, c, L->cut0 / 3600, L->cut1 / 3600, (nd_rgb){0.86, 0.86, 0.86});
    nd_axis xa = time_axis(L, rd->scenario.protocol.numbing.cream == ND_CREAM_NONE
                                  ? "time since the start of the session (h:min)"
                                  : "time since the numbing cream went on (h:min)");
    nd_axis ya = {2, NULL,
                  "pain (VAS, 0\xe2\x80\x93"
                  "10)"};
    nd_chart_axes(cr, c, &xa, &ya);
    static const double dots[] = {2, 3};
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 1.3);
    cairo_set_dash(cr, dots, 2, 0);
    cairo_move_to(cr, c->x0, nd_chart_py(c, VAS_WARN));
    cairo_line_to(cr, c->x0 + c->w, nd_chart_py(c, VAS_WARN));
    cairo_stroke(cr);
    cairo_restore(cr);
    for (int i = 0; i < L->ng; i++) {
        double *x, *y;
        int n = points(rd, L->g[i].k[0], &L->panels[0], &x, &y);
        if (n < 0) return nd_error_set(err, ND_ERR_NOMEM, "figure numbing: out of memory");
        nd_chart_set_style(cr, i, 2.4);
        nd_chart_line(cr, c, x, y, n);
        free(x);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    if (rd->has_outcomes) pain_bars(cr, rd, L, c);
    return ND_OK;
}

nd_status nd_numbing_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err)
{
    (void)arg;
    nd_chart_begin(cr);
    layout L;
    plan(rd, &L);
    const char *lines[2] = {L.line[0], L.line[1]};
    nd_chart_header(cr, FIG_W, "Numbing and pain on the day of the session", rd->scenario.name,
                    lines, L.nlines);
    nd_chart_legend(cr, ND_CHART_MARGIN, legend_top(&L) + 14, FIG_W - 2 * ND_CHART_MARGIN, L.keys,
                    L.nkeys, 1);
    double top = panels_top(&L) + PANEL_T;
    double x0 = ND_CHART_MARGIN + PLOT_L, w = FIG_W - ND_CHART_MARGIN - PLOT_R - x0;
    nd_chart a = {x0, top, w, A_H, 0, L.t1_s / 3600, 0, L.depth_max_mm, 1};
    nd_status s = numbed_panel(cr, rd, &L, &a, err);
    if (s != ND_OK) return s;
    nd_chart b = {x0, top + A_H + AXIS_B + PANEL_T, w, B_H, 0, L.t1_s / 3600, 0, 10, 0};
    return pain_panel(cr, rd, &L, &b, err);
}
