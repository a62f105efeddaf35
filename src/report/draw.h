/*
 * Drawing helpers shared by the report's figures (private): text, tick steps
 * and colours on a cairo context, whatever surface (PNG or SVG) it draws on.
 */
#ifndef ND_REPORT_DRAW_H
#define ND_REPORT_DRAW_H

#include <cairo.h>
#include <stddef.h>

#include "report/colormap.h"

/* The system's sans-serif face, found by fontconfig. */
#define ND_DRAW_FONT "sans-serif"

void nd_draw_rgb(cairo_t *cr, nd_rgb c);
void nd_draw_font(cairo_t *cr, double size, int bold);
/* Text with its baseline at y; align 0 left, 0.5 centred, 1 right of x. */
void nd_draw_text(cairo_t *cr, double x, double y, double align, const char *s);
/* Text rotated a quarter turn anticlockwise, centred on (x, y): a y-axis label. */
void nd_draw_text_vertical(cairo_t *cr, double x, double y, const char *s);
/* Width of s in the current font. */
double nd_draw_text_width(cairo_t *cr, const char *s);
/* s cut to max_w in the current font, ending in an ellipsis, into buf. */
void nd_draw_fit_text(cairo_t *cr, const char *s, double max_w, char *buf, size_t size);

/* 1, 2, 2.5 or 5 times a power of ten, at least x: ticks a reader can add up. */
double nd_draw_nice_step(double x);
/* Decimals needed to print multiples of step exactly. */
int nd_draw_step_decimals(double step);

/* Diagonal hatching over a rectangle (what "not treated" looks like). */
void nd_draw_hatch(cairo_t *cr, double x0, double y0, double x1, double y1);

#endif
