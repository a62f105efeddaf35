/*
 * Line charts for the report's time courses (private): a plot area with its
 * scales, axes with units, series styles that stay apart in print and for
 * colour-blind readers, error bars, bands and a legend.
 */
#ifndef ND_REPORT_CHART_H
#define ND_REPORT_CHART_H

#include <cairo.h>
#include <stddef.h>

#include "report/colormap.h"

/* A plot area (pixels) and the data range it shows. */
typedef struct {
    double x0, y0, w, h;
    double xmin, xmax, ymin, ymax;
    int y_down; /* y grows downwards: depth below the skin surface */
} nd_chart;

double nd_chart_px(const nd_chart *c, double x);
double nd_chart_py(const nd_chart *c, double y);

/* The text of a tick at v, on an axis with ticks every step. */
typedef void (*nd_tick_fmt)(char *buf, size_t size, double v, double step);
/* As many decimals as the step needs. */
void nd_tick_plain(char *buf, size_t size, double v, double step);
/* "+10", "0", "-5": a change from baseline. */
void nd_tick_signed(char *buf, size_t size, double v, double step);
/* "1:30": hours and minutes, for v in hours. */
void nd_tick_clock(char *buf, size_t size, double v, double step);

typedef struct {
    double step;       /* tick spacing, in data units */
    nd_tick_fmt fmt;   /* NULL: nd_tick_plain */
    const char *label; /* the axis's name, with its unit */
} nd_axis;

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about n ticks over span,
 * and the axis end at or above top it lands on. */
double nd_chart_step(double span, int n);
double nd_chart_ceil(double top, double step);

/* Light grid, frame, ticks, tick labels and axis names. */
void nd_chart_axes(cairo_t *cr, const nd_chart *c, const nd_axis *x, const nd_axis *y);
/* A panel's title, above its plot area. */
void nd_chart_title(cairo_t *cr, const nd_chart *c, const char *title);

/* Series i's colour (Okabe-Ito without its yellow, which fades on white
 * paper) and, from the eighth on, a dash that tells it from the first seven. */
#define ND_CHART_STYLES 14
nd_rgb nd_chart_colour(int i);
void nd_chart_set_style(cairo_t *cr, int i, double width);

/* The polyline through (x[i], y[i]), clipped to the plot area. */
void nd_chart_line(cairo_t *cr, const nd_chart *c, const double *x, const double *y, int n);
/* Shade x from a to b over the plot's height. */
void nd_chart_xband(cairo_t *cr, const nd_chart *c, double a, double b, nd_rgb fill);
/* A dot at (x, y) with a bar from lo to hi: vertical (an interval of the
 * value) or horizontal (an interval of the time). */
void nd_chart_vbar(cairo_t *cr, const nd_chart *c, double x, double lo, double y, double hi);
void nd_chart_hbar(cairo_t *cr, const nd_chart *c, double y, double lo, double x, double hi);

/* Legend keys. */
typedef enum {
    ND_KEY_LINE,  /* a series: style */
    ND_KEY_BAND,  /* a shaded area: fill */
    ND_KEY_BAR,   /* an interval with its centre */
    ND_KEY_MARK,  /* a dotted reference line */
    ND_KEY_EVENT, /* a triangle on the time axis */
} nd_key_kind;

typedef struct {
    nd_key_kind kind;
    int style;
    nd_rgb fill;
    const char *text;
} nd_key;

#define ND_LEGEND_LINE_H 21.0
/* Keys from (x, y), the baseline of the first row: the series (ND_KEY_LINE)
 * one to a row, as their labels name zones, then the others side by side, a
 * new row when width runs out.  Returns the rows used; draw 0 only counts
 * them (for a figure's size). */
int nd_chart_legend(cairo_t *cr, double x, double y, double width, const nd_key *keys, int n,
                    int draw);

/* Text metrics that do not depend on the surface: a PNG and an SVG of the
 * same figure then wrap their legends alike.  Call first on every context. */
void nd_chart_begin(cairo_t *cr);
/* A context to measure text on before there is a surface to draw on (for a
 * figure's size); free it with cairo_destroy. */
cairo_t *nd_chart_scratch(void);

/* A figure's background, title, the scenario's name and n lines of
 * explanation, across width from the left margin; returns the y where what
 * follows may start (ND_CHART_HEADER_H(n)). */
#define ND_CHART_MARGIN      20.0
#define ND_CHART_HEADER_H(n) (100.0 + 20.0 * (n))
double nd_chart_header(cairo_t *cr, double width, const char *title, const char *name,
                       const char *const *lines, int n);

/* The i-th of n panels side by side across a figure width wide, its plot
 * area top .. top + h, with room at its left for the y axis. */
#define ND_CHART_PLOT_L 70.0
void nd_chart_row(double width, int i, int n, double top, double h, nd_chart *c);

/* A small triangle under the time axis at x: a session. */
void nd_chart_event(cairo_t *cr, const nd_chart *c, double x);

#endif
