/* Drawing helpers; see draw.h. */
#include "report/draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void nd_draw_rgb(cairo_t *cr, nd_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void nd_draw_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, ND_DRAW_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double nd_draw_text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

void nd_draw_text(cairo_t *cr, double x, double y, double align, const char *s)
{
    cairo_move_to(cr, x - align * nd_draw_text_width(cr, s), y);
    cairo_show_text(cr, s);
}

void nd_draw_text_vertical(cairo_t *cr, double x, double y, const char *s)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    nd_draw_text(cr, 0, 0, 0.5, s);
    cairo_restore(cr);
}

void nd_draw_fit_text(cairo_t *cr, const char *s, double max_w, char *buf, size_t size)
{
    snprintf(buf, size, "%s", s);
    size_t n = strlen(buf);
    double w = nd_draw_text_width(cr, buf);
    while (w > max_w && n > 0) {
        n--;
        /* Step back to the start of a UTF-8 character. */
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80) n--;
        if (n + 4 > size) continue;
        memcpy(buf + n, "\xe2\x80\xa6", 4);
        w = nd_draw_text_width(cr, buf);
    }
}

double nd_draw_nice_step(double x)
{
    if (!(x > 0)) return 1;
    double p = pow(10, floor(log10(x)));
    double m = x / p;
    double s = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
    return s * p;
}

int nd_draw_step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9) d++;
    return d;
}

void nd_draw_hatch(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_save(cr);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 0.72, 0.72, 0.72);
    cairo_set_line_width(cr, 1.0);
    for (double d = -(y1 - y0); d < x1 - x0; d += 7.0) {
        cairo_move_to(cr, x0 + d, y1);
        cairo_line_to(cr, x0 + d + (y1 - y0), y0);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}
