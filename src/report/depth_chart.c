/* Depth histograms per zone over the zone's layers; see depth_chart.h.
 *
 * Every panel shares one depth axis, so zones compare at a glance; each has
 * its own height scale, because a pen's depths crowd into a few bins and a
 * shared scale would flatten the zones with a wider spread. */
#include "report/depth_chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/colormap.h"
#include "report/draw.h"
#include "report/labels.h"

#define FIG_W        1000
#define MARGIN       20.0
#define TOP          164.0 /* title, subtitle and legend */
#define COLS         3
#define PANEL_H      200.0
#define PLOT_L       56.0 /* room for the y ticks and label */
#define PLOT_R       14.0
#define PLOT_T       30.0 /* the zone's name */
#define PLOT_H       118.0
#define BOTTOM       16.0
#define DISPLAY_BINS 90 /* about this many bars across the depth axis */

/* Band colours: the layer's colour mostly white, so the bars stay the data. */
#define BAND_TINT 0.62

static int rows(const nd_rundata *rd)
{
    return rd->n_zones > 0 ? (rd->n_zones + COLS - 1) / COLS : 1;
}

void nd_depth_chart_size(const nd_rundata *rd, int arg, int *w, int *h)
{
    (void)arg;
    *w = FIG_W;
    *h = (int)(TOP + rows(rd) * PANEL_H + BOTTOM);
}

/* The shared depth axis: 0 .. xmax mm with ticks every step, and the bar width. */
typedef struct {
    double xmax_m, step_m, bar_m;
    int bar_bins; /* histogram bins per bar */
} axis;

static axis make_axis(const nd_rundata *rd)
{
    double top = 0, bin_m = 1e-5;
    for (int k = 0; k < rd->n_zones; k++) {
        const nd_rd_zone *z = &rd->zones[k];
        if (z->stats.punctures) top = fmax(top, z->stats.depth_max_m);
        top = fmax(top, nd_rundata_plan(rd, k)->depth_m);
        if (z->bin_m > 0) bin_m = z->bin_m;
    }
    axis a;
    double limit = ND_FIELD_ZONE_BINS * bin_m;
    top = fmin(fmax(top * 1.1, 0.1e-3), limit);
    a.step_m = nd_draw_nice_step(top / 5);
    a.xmax_m = fmin(a.step_m * ceil(top / a.step_m - 1e-9), limit);
    /* Bars of a round width, a whole number of histogram bins. */
    a.bar_bins = (int)ceil(nd_draw_nice_step(a.xmax_m / DISPLAY_BINS) / bin_m - 1e-9);
    if (a.bar_bins < 1) a.bar_bins = 1;
    a.bar_m = a.bar_bins * bin_m;
    return a;
}

typedef struct {
    double x0, y0, w, h; /* plot area, pixels */
} panel;

static double xpix(const panel *p, const axis *a, double depth_m)
{
    return p->x0 + p->w * depth_m / a->xmax_m;
}

static void draw_bands(cairo_t *cr, const panel *p, const axis *a, const nd_rd_zone *z)
{
    double top_m = 0;
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        double bottom_m = l < ND_RD_BOUNDS ? z->bottom_m[l] : a->xmax_m;
        double x0 = xpix(p, a, fmin(top_m, a->xmax_m)), x1 = xpix(p, a, fmin(bottom_m, a->xmax_m));
        if (x1 > x0) {
            nd_draw_rgb(cr, nd_rgb_tint(nd_layer_colour(l), BAND_TINT));
            cairo_rectangle(cr, x0, p->y0, x1 - x0, p->h);
            cairo_fill(cr);
        }
        top_m = bottom_m;
    }
    /* Boundaries as thin lines: a band a pixel wide (the stratum corneum)
     * still shows where it ends. */
    cairo_set_line_width(cr, 0.8);
    for (int b = 0; b < ND_RD_BOUNDS; b++) {
        if (z->bottom_m[b] >= a->xmax_m) break;
        double x = xpix(p, a, z->bottom_m[b]);
        nd_draw_rgb(cr, nd_layer_colour(b + 1));
        cairo_move_to(cr, x, p->y0);
        cairo_line_to(cr, x, p->y0 + p->h);
        cairo_stroke(cr);
    }
}

/* Share of the zone's punctures per bar; returns the largest. */
static double bar_shares(const nd_rd_zone *z, const axis *a, double *share, int nbars)
{
    double peak = 0, n = (double)z->stats.punctures;
    for (int k = 0; k < nbars; k++) {
        uint64_t c = 0;
        for (int b = k * a->bar_bins; b < (k + 1) * a->bar_bins && b < ND_FIELD_ZONE_BINS; b++)
            c += z->hist[b];
        share[k] = n > 0 ? 100.0 * (double)c / n : 0;
        if (share[k] > peak) peak = share[k];
    }
    return peak;
}

static void draw_axes(cairo_t *cr, const panel *p, const axis *a, double ytop, double ystep,
                      int left_col, int bottom_row)
{
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, p->x0, p->y0);
    cairo_line_to(cr, p->x0, p->y0 + p->h);
    cairo_line_to(cr, p->x0 + p->w, p->y0 + p->h);
    cairo_stroke(cr);
    char buf[32];
    nd_draw_font(cr, 12, 0);
    int xdec = nd_draw_step_decimals(a->step_m * 1e3);
    for (int k = 0; k * a->step_m <= a->xmax_m * (1 + 1e-9); k++) {
        double x = xpix(p, a, k * a->step_m);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, x, p->y0 + p->h);
        cairo_line_to(cr, x, p->y0 + p->h + 4);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        nd_draw_text(cr, x, p->y0 + p->h + 17, 0.5,
                     nd_label_fixed(buf, sizeof buf, k * a->step_m * 1e3, xdec));
    }
    int ydec = nd_draw_step_decimals(ystep);
    for (int k = 0; k * ystep <= ytop * (1 + 1e-9); k++) {
        double y = p->y0 + p->h - p->h * k * ystep / ytop;
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, p->x0 - 4, y);
        cairo_line_to(cr, p->x0, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        nd_draw_text(cr, p->x0 - 6, y + 4, 1, nd_label_fixed(buf, sizeof buf, k * ystep, ydec));
    }
    /* Axis names on the outer panels only, as in any grid of small charts;
     * the units are in them. */
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    if (bottom_row)
        nd_draw_text(cr, p->x0 + p->w / 2, p->y0 + p->h + 33, 0.5, "depth reached (mm)");
    if (left_col) nd_draw_text_vertical(cr, p->x0 - 40, p->y0 + p->h / 2, "% of punctures");
}

static void draw_panel(cairo_t *cr, const nd_rundata *rd, int k, const axis *a, const panel *p,
                       int left_col, int bottom_row)
{
    const nd_rd_zone *z = &rd->zones[k];
    const nd_zone_plan *plan = nd_rundata_plan(rd, k);
    char name[64], buf[96], num[32];
    nd_label_zone(z->stats.zone, name, sizeof name);
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_font(cr, 14, 1);
    nd_draw_text(cr, p->x0, p->y0 - 10, 0, name);
    nd_draw_font(cr, 12, 0);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    snprintf(buf, sizeof buf, "n = %llu", (unsigned long long)z->stats.punctures);
    nd_draw_text(cr, p->x0 + p->w, p->y0 - 10, 1, buf);

    if (z->has_bounds) draw_bands(cr, p, a, z);

    double share[ND_FIELD_ZONE_BINS];
    int nbars = (int)ceil(a->xmax_m / a->bar_m - 1e-9);
    if (nbars > ND_FIELD_ZONE_BINS) nbars = ND_FIELD_ZONE_BINS;
    double peak = bar_shares(z, a, share, nbars);
    double ystep = nd_draw_nice_step(peak > 0 ? peak / 2 : 5);
    double ytop = ystep * fmax(1, ceil(peak / ystep - 1e-9));
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    for (int b = 0; b < nbars; b++) {
        if (share[b] <= 0) continue;
        double x0 = xpix(p, a, b * a->bar_m), x1 = xpix(p, a, (b + 1) * a->bar_m);
        double hgt = fmax(p->h * share[b] / ytop, 1.0); /* a single puncture still shows */
        cairo_rectangle(cr, x0, p->y0 + p->h - hgt, fmax(x1 - x0 - 0.3, 0.8), hgt);
    }
    cairo_fill(cr);

    if (plan->depth_m > 0 && plan->depth_m <= a->xmax_m) {
        double x = xpix(p, a, plan->depth_m);
        double dash[] = {5, 3};
        cairo_save(cr);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, 1.4);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, x, p->y0);
        cairo_line_to(cr, x, p->y0 + p->h);
        cairo_stroke(cr);
        cairo_restore(cr);
        nd_draw_font(cr, 11, 0);
        snprintf(buf, sizeof buf, "%s %s",
                 nd_device_is_motorised(&rd->scenario.device) ? "set" : "needle",
                 nd_label_fixed(num, sizeof num, plan->depth_m * 1e3, 2));
        /* Beside the line, on whichever side has room. */
        double tw = nd_draw_text_width(cr, buf);
        int right = x + 4 + tw < p->x0 + p->w;
        nd_draw_text(cr, right ? x + 4 : x - 4, p->y0 + 11, right ? 0 : 1, buf);
    }
    if (z->stats.punctures == 0) {
        nd_draw_font(cr, 13, 0);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        nd_draw_text(cr, p->x0 + p->w / 2, p->y0 + p->h / 2, 0.5, "no punctures");
    }
    draw_axes(cr, p, a, ytop, ystep, left_col, bottom_row);
}

static void legend(cairo_t *cr, double y)
{
    double x = MARGIN;
    nd_draw_font(cr, 13, 0);
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        nd_draw_rgb(cr, nd_rgb_tint(nd_layer_colour(l), BAND_TINT));
        cairo_rectangle(cr, x, y - 11, 22, 14);
        cairo_fill_preserve(cr);
        nd_draw_rgb(cr, nd_layer_colour(l));
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        nd_draw_text(cr, x + 28, y, 0, nd_label_layer(l));
        x += 28 + nd_draw_text_width(cr, nd_label_layer(l)) + 18;
    }
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cairo_rectangle(cr, x, y - 11, 8, 14);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_text(cr, x + 14, y, 0, "punctures");
    x += 14 + nd_draw_text_width(cr, "punctures") + 18;
    double dash[] = {5, 3};
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.4);
    cairo_move_to(cr, x + 4, y - 12);
    cairo_line_to(cr, x + 4, y + 4);
    cairo_stroke(cr);
    cairo_restore(cr);
    nd_draw_text(cr, x + 12, y, 0, "setting");
}

nd_status nd_depth_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err)
{
    (void)arg;
    (void)err;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    axis a = make_axis(rd);
    int motorised = nd_device_is_motorised(&rd->scenario.device);
    char buf[320], fit[320], num[32];

    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_font(cr, 24, 1);
    nd_draw_text(cr, MARGIN, 40, 0, "Depth reached, zone by zone");
    nd_draw_font(cr, 14, 0);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    nd_draw_fit_text(cr, rd->scenario.name, FIG_W - 2 * MARGIN, fit, sizeof fit);
    nd_draw_text(cr, MARGIN, 66, 0, fit);
    snprintf(buf, sizeof buf,
             "Bars: share of the zone's punctures per %s \xc2\xb5m of depth.  Dashed line: %s.",
             nd_label_fixed(num, sizeof num, a.bar_m * 1e6, 0),
             motorised ? "the depth setting" : "the needle length");
    nd_draw_fit_text(cr, buf, FIG_W - 2 * MARGIN, fit, sizeof fit);
    nd_draw_text(cr, MARGIN, 88, 0, fit);
    nd_draw_fit_text(cr,
                     "Shading: the zone's mean skin layers for this patient, from the surface "
                     "(left) down.",
                     FIG_W - 2 * MARGIN, fit, sizeof fit);
    nd_draw_text(cr, MARGIN, 108, 0, fit);
    legend(cr, 138);

    double pw = (FIG_W - 2 * MARGIN) / COLS;
    int nrows = rows(rd);
    for (int k = 0; k < rd->n_zones; k++) {
        int r = k / COLS, c = k % COLS;
        panel p = {MARGIN + c * pw + PLOT_L, TOP + r * PANEL_H + PLOT_T, pw - PLOT_L - PLOT_R,
                   PLOT_H};
        /* The last row may be short: a panel with none below it takes the x label. */
        int bottom_row = r == nrows - 1 || k + COLS >= rd->n_zones;
        draw_panel(cr, rd, k, &a, &p, c == 0, bottom_row);
    }
    if (rd->n_zones == 0) {
        nd_draw_font(cr, 14, 0);
        nd_draw_text(cr, MARGIN, TOP + 40, 0, "No zone was treated.");
    }
    return ND_OK;
}
