/* Line charts for the time courses; see chart.h. */
#include "report/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/draw.h"
#include "report/labels.h"

double nd_chart_px(const nd_chart *c, double x)
{
    double span = c->xmax - c->xmin;
    return c->x0 + (span > 0 ? (x - c->xmin) / span : 0) * c->w;
}

double nd_chart_py(const nd_chart *c, double y)
{
    double span = c->ymax - c->ymin;
    double f = span > 0 ? (y - c->ymin) / span : 0;
    return c->y_down ? c->y0 + f * c->h : c->y0 + c->h - f * c->h;
}

void nd_tick_plain(char *buf, size_t size, double v, double step)
{
    nd_label_fixed(buf, size, v, nd_draw_step_decimals(step));
}

void nd_tick_signed(char *buf, size_t size, double v, double step)
{
    char num[32];
    nd_label_fixed(num, sizeof num, v, nd_draw_step_decimals(step));
    snprintf(buf, size, "%s%s", v > 0 && strcmp(num, "0") != 0 ? "+" : "", num);
}

void nd_tick_clock(char *buf, size_t size, double v, double step)
{
    (void)step;
    long min = lround(v * 60);
    snprintf(buf, size, "%ld:%02ld", min / 60, min % 60);
}

double nd_chart_step(double span, int n)
{
    double step = nd_draw_nice_step(span > 0 ? span / (n > 0 ? n : 1) : 1);
    /* 2.5 needs a decimal on every other tick ("+7.5"); 2 reads faster. */
    double p = pow(10, floor(log10(step)));
    return fabs(step / p - 2.5) < 1e-9 ? 2 * p : step;
}

double nd_chart_ceil(double top, double step)
{
    return step * ceil(top / step - 1e-9);
}

void nd_chart_begin(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

cairo_t *nd_chart_scratch(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(s);
    cairo_surface_destroy(s); /* the context keeps its own reference */
    nd_chart_begin(cr);
    return cr;
}

/* Ticks from the first multiple of step at or above lo. */
static double first_tick(double lo, double step)
{
    return step * ceil(lo / step - 1e-9);
}

void nd_chart_axes(cairo_t *cr, const nd_chart *c, const nd_axis *x, const nd_axis *y)
{
    char buf[32];
    nd_tick_fmt xf = x->fmt ? x->fmt : nd_tick_plain, yf = y->fmt ? y->fmt : nd_tick_plain;
    /* Grid first, faint, so the data draws over it. */
    cairo_save(cr);
    cairo_set_line_width(cr, 0.6);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    for (double v = first_tick(c->xmin, x->step); v <= c->xmax + 1e-9 * x->step; v += x->step) {
        cairo_move_to(cr, nd_chart_px(c, v), c->y0);
        cairo_line_to(cr, nd_chart_px(c, v), c->y0 + c->h);
    }
    for (double v = first_tick(c->ymin, y->step); v <= c->ymax + 1e-9 * y->step; v += y->step) {
        cairo_move_to(cr, c->x0, nd_chart_py(c, v));
        cairo_line_to(cr, c->x0 + c->w, nd_chart_py(c, v));
    }
    cairo_stroke(cr);
    cairo_restore(cr);

    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, c->x0, c->y0, c->w, c->h);
    cairo_stroke(cr);
    nd_draw_font(cr, 12, 0);
    double base = c->y0 + c->h;
    for (double v = first_tick(c->xmin, x->step); v <= c->xmax + 1e-9 * x->step; v += x->step) {
        double px = nd_chart_px(c, v);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, px, base);
        cairo_line_to(cr, px, base + 4);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        xf(buf, sizeof buf, fabs(v) < 1e-9 * x->step ? 0 : v, x->step);
        nd_draw_text(cr, px, base + 17, 0.5, buf);
    }
    for (double v = first_tick(c->ymin, y->step); v <= c->ymax + 1e-9 * y->step; v += y->step) {
        double py = nd_chart_py(c, v);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, c->x0 - 4, py);
        cairo_line_to(cr, c->x0, py);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        yf(buf, sizeof buf, fabs(v) < 1e-9 * y->step ? 0 : v, y->step);
        nd_draw_text(cr, c->x0 - 6, py + 4, 1, buf);
    }
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    if (x->label) nd_draw_text(cr, c->x0 + c->w / 2, base + 34, 0.5, x->label);
    if (y->label) nd_draw_text_vertical(cr, c->x0 - 46, c->y0 + c->h / 2, y->label);
}

void nd_chart_title(cairo_t *cr, const nd_chart *c, const char *title)
{
    char fit[256];
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_font(cr, 14, 1);
    nd_draw_fit_text(cr, title, c->w + 40, fit, sizeof fit);
    nd_draw_text(cr, c->x0 - 40, c->y0 - 10, 0, fit);
}

/* Okabe & Ito (2008): blue, orange, bluish green, vermillion, reddish purple,
 * sky blue, black.  Their yellow is left out: a thin yellow line on white
 * paper all but disappears. */
nd_rgb nd_chart_colour(int i)
{
    static const nd_rgb okabe_ito[7] = {
        {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0}, {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0},
        {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0},
        {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0}, {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0},
        {0x00 / 255.0, 0x00 / 255.0, 0x00 / 255.0},
    };
    return okabe_ito[((i % 7) + 7) % 7];
}

void nd_chart_set_style(cairo_t *cr, int i, double width)
{
    static const double dash[] = {7, 4};
    nd_draw_rgb(cr, nd_chart_colour(i));
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cr, dash, (i / 7) % 2 ? 2 : 0, 0);
}

void nd_chart_line(cairo_t *cr, const nd_chart *c, const double *x, const double *y, int n)
{
    cairo_save(cr);
    cairo_rectangle(cr, c->x0, c->y0, c->w, c->h);
    cairo_clip(cr);
    int started = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            started = 0;
            continue;
        }
        double px = nd_chart_px(c, x[i]), py = nd_chart_py(c, y[i]);
        if (started)
            cairo_line_to(cr, px, py);
        else
            cairo_move_to(cr, px, py);
        started = 1;
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void nd_chart_xband(cairo_t *cr, const nd_chart *c, double a, double b, nd_rgb fill)
{
    double x0 = fmax(nd_chart_px(c, a), c->x0), x1 = fmin(nd_chart_px(c, b), c->x0 + c->w);
    if (x1 <= x0) return;
    nd_draw_rgb(cr, fill);
    cairo_rectangle(cr, x0, c->y0, x1 - x0, c->h);
    cairo_fill(cr);
}

static void dot(cairo_t *cr, double px, double py)
{
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_arc(cr, px, py, 3.6, 0, 2 * M_PI);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* The bar in the current colour, solid, with end caps. */
static void bar(cairo_t *cr, double ax, double ay, double bx, double by, int vertical)
{
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, 1.6);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, bx, by);
    double cap = 4;
    if (vertical) {
        cairo_move_to(cr, ax - cap, ay);
        cairo_line_to(cr, ax + cap, ay);
        cairo_move_to(cr, bx - cap, by);
        cairo_line_to(cr, bx + cap, by);
    } else {
        cairo_move_to(cr, ax, ay - cap);
        cairo_line_to(cr, ax, ay + cap);
        cairo_move_to(cr, bx, by - cap);
        cairo_line_to(cr, bx, by + cap);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void nd_chart_vbar(cairo_t *cr, const nd_chart *c, double x, double lo, double y, double hi)
{
    double px = nd_chart_px(c, x);
    if (isfinite(lo) && isfinite(hi)) bar(cr, px, nd_chart_py(c, lo), px, nd_chart_py(c, hi), 1);
    if (isfinite(y)) dot(cr, px, nd_chart_py(c, y));
}

void nd_chart_hbar(cairo_t *cr, const nd_chart *c, double y, double lo, double x, double hi)
{
    double py = nd_chart_py(c, y);
    if (isfinite(lo) && isfinite(hi)) bar(cr, nd_chart_px(c, lo), py, nd_chart_px(c, hi), py, 0);
    if (isfinite(x)) dot(cr, nd_chart_px(c, x), py);
}

void nd_chart_event(cairo_t *cr, const nd_chart *c, double x)
{
    if (x < c->xmin || x > c->xmax) return;
    double px = nd_chart_px(c, x), py = c->y0 + c->h;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_move_to(cr, px, py - 9);
    cairo_line_to(cr, px - 5, py);
    cairo_line_to(cr, px + 5, py);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_restore(cr);
}

#define SWATCH 26.0

/* One key's swatch with its left edge at x and the text's baseline at y. */
static void swatch(cairo_t *cr, const nd_key *k, double x, double y)
{
    double mid = y - 4.5;
    cairo_save(cr);
    switch (k->kind) {
    case ND_KEY_LINE:
        nd_chart_set_style(cr, k->style, 2.4);
        cairo_move_to(cr, x, mid);
        cairo_line_to(cr, x + SWATCH, mid);
        cairo_stroke(cr);
        break;
    case ND_KEY_BAND:
        nd_draw_rgb(cr, k->fill);
        cairo_rectangle(cr, x, y - 12, SWATCH, 15);
        cairo_fill(cr);
        break;
    case ND_KEY_BAR:
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        bar(cr, x + 3, mid, x + SWATCH - 3, mid, 0);
        dot(cr, x + SWATCH / 2, mid);
        break;
    case ND_KEY_MARK: {
        static const double dots[] = {2, 3};
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        cairo_set_line_width(cr, 1.3);
        cairo_set_dash(cr, dots, 2, 0);
        cairo_move_to(cr, x, mid);
        cairo_line_to(cr, x + SWATCH, mid);
        cairo_stroke(cr);
        break;
    }
    case ND_KEY_EVENT:
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        cairo_move_to(cr, x + SWATCH / 2, y - 11);
        cairo_line_to(cr, x + SWATCH / 2 - 5, y + 1);
        cairo_line_to(cr, x + SWATCH / 2 + 5, y + 1);
        cairo_close_path(cr);
        cairo_fill(cr);
        break;
    }
    cairo_restore(cr);
}

int nd_chart_legend(cairo_t *cr, double x, double y, double width, const nd_key *keys, int n,
                    int draw)
{
    nd_draw_font(cr, 13, 0);
    int rows = 0;
    char fit[512];
    for (int i = 0; i < n; i++) {
        if (keys[i].kind != ND_KEY_LINE) continue;
        if (draw) {
            double ty = y + rows * ND_LEGEND_LINE_H;
            swatch(cr, &keys[i], x, ty);
            cairo_set_source_rgb(cr, 0, 0, 0);
            nd_draw_fit_text(cr, keys[i].text, width - SWATCH - 8, fit, sizeof fit);
            nd_draw_text(cr, x + SWATCH + 8, ty, 0, fit);
        }
        rows++;
    }
    double cx = x;
    int open = 0; /* a row of the other keys has begun */
    for (int i = 0; i < n; i++) {
        if (keys[i].kind == ND_KEY_LINE) continue;
        double w = SWATCH + 8 + nd_draw_text_width(cr, keys[i].text);
        if (open && cx + w > x + width) {
            cx = x;
            open = 0;
        }
        if (!open) rows++;
        open = 1;
        if (draw) {
            double ty = y + (rows - 1) * ND_LEGEND_LINE_H;
            swatch(cr, &keys[i], cx, ty);
            cairo_set_source_rgb(cr, 0, 0, 0);
            nd_draw_text(cr, cx + SWATCH + 8, ty, 0, keys[i].text);
        }
        cx += w + 22;
    }
    return rows;
}

double nd_chart_header(cairo_t *cr, double width, const char *title, const char *name,
                       const char *const *lines, int n)
{
    char fit[512];
    double w = width - 2 * ND_CHART_MARGIN;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_font(cr, 24, 1);
    nd_draw_text(cr, ND_CHART_MARGIN, 40, 0, title);
    nd_draw_font(cr, 14, 0);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    nd_draw_fit_text(cr, name, w, fit, sizeof fit);
    nd_draw_text(cr, ND_CHART_MARGIN, 66, 0, fit);
    for (int i = 0; i < n; i++) {
        nd_draw_fit_text(cr, lines[i], w, fit, sizeof fit);
        nd_draw_text(cr, ND_CHART_MARGIN, 88 + 20.0 * i, 0, fit);
    }
    return ND_CHART_HEADER_H(n);
}

void nd_chart_row(double width, int i, int n, double top, double h, nd_chart *c)
{
    double pw = (width - 2 * ND_CHART_MARGIN) / n;
    c->x0 = ND_CHART_MARGIN + i * pw + ND_CHART_PLOT_L;
    c->w = pw - ND_CHART_PLOT_L - 16;
    c->y0 = top;
    c->h = h;
}
