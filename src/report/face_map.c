/* Face-map figures: one field quantity over the canonical face, with zone
 * outlines and names, a colour bar and a scale bar; see report.h.
 *
 * The map is a front view as the practitioner sees the patient, so the
 * patient's left is on the viewer's right; the figure says so in words because
 * "cheek L" on the right-hand side is exactly what a reader double-checks. */
#include "needle/report.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/colormap.h"

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

#define FIG_W 900
#define FIG_H 1100

/* Map box (pixels): the face is scaled to fit and centred in it. */
#define MAP_X0 30.0
#define MAP_X1 640.0
#define MAP_Y0 130.0
#define MAP_Y1 1020.0

/* Colour bar and its legend. */
#define BAR_X  688.0
#define BAR_W  28.0
#define BAR_Y0 190.0
#define BAR_Y1 760.0

#define FONT "sans-serif"

typedef struct {
    double s;      /* pixels per metre */
    double ox, oy; /* pixel position of face point (0, 0) */
} view;

static double px(const view *v, double x_m)
{
    return v->ox + x_m * v->s;
}

static double py(const view *v, double y_m)
{
    return v->oy + y_m * v->s;
}

static void set_rgb(cairo_t *cr, nd_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Text with its reference point at (x, y) baseline; align 0 left, 0.5 centre,
 * 1 right. */
static void text(cairo_t *cr, double x, double y, double align, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - align * e.x_advance, y);
    cairo_show_text(cr, s);
}

/* A zone label: up to three centred lines on a pale box, legible over any
 * colour of the map and over the speckle of single cells.  The first line is
 * the zone's name in bold; grey dims the label of an untreated zone. */
#define BADGE_LINES 3
static void badge(cairo_t *cr, double x, double y, const char *const *lines, int n, double grey)
{
    static const double size[BADGE_LINES] = {12, 11, 11};
    double w = 0, lh[BADGE_LINES], h = 0;
    for (int k = 0; k < n; k++) {
        cairo_text_extents_t e;
        font(cr, size[k], k == 0 && grey == 0);
        cairo_text_extents(cr, lines[k], &e);
        if (e.x_advance > w) w = e.x_advance;
        lh[k] = size[k] + 2;
        h += lh[k];
    }
    const double pad = 3, r = 3;
    double x0 = x - w / 2 - pad, y0 = y - h / 2 - pad, bw = w + 2 * pad, bh = h + 2 * pad;
    cairo_save(cr);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x0 + bw - r, y0 + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x0 + bw - r, y0 + bh - r, r, 0, M_PI / 2);
    cairo_arc(cr, x0 + r, y0 + bh - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x0 + r, y0 + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, grey == 0 ? 0.82 : 0.6);
    cairo_fill(cr);
    double yy = y - h / 2;
    for (int k = 0; k < n; k++) {
        font(cr, size[k], k == 0 && grey == 0);
        yy += lh[k];
        cairo_set_source_rgb(cr, grey, grey, grey);
        text(cr, x, yy - 3, 0.5, lines[k]);
    }
    cairo_restore(cr);
}

static void polygon_path(cairo_t *cr, const view *v, const nd_face *face, int zone)
{
    const double *xs, *ys;
    int n;
    nd_face_polygon(face, zone, &xs, &ys, &n);
    if (n < 3) return;
    cairo_move_to(cr, px(v, xs[0]), py(v, ys[0]));
    for (int k = 1; k < n; k++) cairo_line_to(cr, px(v, xs[k]), py(v, ys[k]));
    cairo_close_path(cr);
}

/* Area centroid of a zone polygon (its vertex mean if degenerate). */
static void centroid(const nd_face *face, int zone, double *cx, double *cy)
{
    const double *xs, *ys;
    int n;
    nd_face_polygon(face, zone, &xs, &ys, &n);
    double a = 0, sx = 0, sy = 0, mx = 0, my = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        double c = xs[j] * ys[i] - xs[i] * ys[j];
        a += c;
        sx += (xs[j] + xs[i]) * c;
        sy += (ys[j] + ys[i]) * c;
        mx += xs[i];
        my += ys[i];
    }
    if (fabs(a) > 1e-12) {
        *cx = sx / (3 * a);
        *cy = sy / (3 * a);
    } else {
        *cx = n ? mx / n : 0;
        *cy = n ? my / n : 0;
    }
}

/* "cheek_left" -> "cheek L": short enough for the small zones; the figure
 * explains L and R once. */
static void short_label(int zone, char *buf, size_t size)
{
    const char *name = nd_zone_name(zone);
    snprintf(buf, size, "%s", name ? name : "?");
    size_t n = strlen(buf);
    if (n > 5 && strcmp(buf + n - 5, "_left") == 0)
        snprintf(buf + n - 5, size - (n - 5), " L");
    else if (n > 6 && strcmp(buf + n - 6, "_right") == 0)
        snprintf(buf + n - 6, size - (n - 6), " R");
    for (char *p = buf; *p; p++)
        if (*p == '_') *p = ' ';
}

/* 1, 2, 2.5 or 5 times a power of ten, at least x: tick steps a reader can
 * add up in their head. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double nice_step(double x)
{
    if (!(x > 0)) return 1;
    double p = pow(10, floor(log10(x)));
    double m = x / p;
    double s = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
    return s * p;
}

static int step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9) d++;
    return d;
}

/* The value a cell shows, or NAN when it has none (not punctured). */
static double cell_value(const nd_cell_stats *cs, nd_map_kind kind)
{
    if (cs->punctures == 0) return NAN;
    return kind == ND_MAP_DENSITY ? cs->punctures_per_cm2 : cs->depth_mean_m * 1e3;
}

static void hatch(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.72, 0.72, 0.72);
    cairo_set_line_width(cr, 1.0);
    for (double d = -(y1 - y0); d < x1 - x0; d += 7.0) {
        cairo_move_to(cr, x0 + d, y1);
        cairo_line_to(cr, x0 + d + (y1 - y0), y0);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

static const nd_rgb PALE = {0.965, 0.965, 0.965}; /* untreated zone */
static const nd_rgb NOHIT = {0.80, 0.80, 0.80};   /* treated, not punctured */

/* The zone's own numbers under its name, so the figure answers "how much,
 * where" without a trip to zones.csv.  Returns the number of lines written. */
static int zone_value(const nd_run_view *run, nd_map_kind kind, int zone, const nd_zone_stats *st,
                      char lines[2][48])
{
    int n = 1;
    if (st->punctures == 0) {
        snprintf(lines[0], 48, "no punctures");
    } else if (kind == ND_MAP_DENSITY) {
        snprintf(lines[0], 48, "%.0f /cm\xc2\xb2", st->punctures_per_cm2);
    } else {
        snprintf(lines[0], 48, "%.2f mm", st->depth_mean_m * 1e3);
        const nd_protocol *pr = &run->scenario->protocol;
        double set_mm = 0;
        for (int k = 0; k < pr->n_zones && k < ND_ZONE_COUNT; k++)
            if (pr->zones[k].zone == zone) set_mm = pr->zones[k].depth_m * 1e3;
        /* Reached against set depth is the comparison a practitioner makes;
         * a roller or stamp has no setting beyond its needle length. */
        if (nd_device_is_motorised(&run->scenario->device) && set_mm > 0) {
            snprintf(lines[1], 48, "set %.2f", set_mm);
            n = 2;
        }
    }
    for (int k = 0; k < n; k++) /* keep '.' whatever the host's locale */
        for (char *p = lines[k]; *p; p++)
            if (*p == ',') *p = '.';
    return n;
}

static void draw_map(cairo_t *cr, const view *v, const nd_run_view *run, nd_map_kind kind,
                     const int *treated, const nd_zone_stats *stats, double vmax)
{
    const nd_face *face = run->face;

    /* Zone backgrounds: what a cell shows when nothing reached it. */
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        cairo_save(cr);
        polygon_path(cr, v, face, z);
        cairo_clip_preserve(cr);
        set_rgb(cr, treated[z] ? NOHIT : PALE);
        cairo_fill(cr);
        if (!treated[z]) hatch(cr, MAP_X0, MAP_Y0, MAP_X1, MAP_Y1);
        cairo_restore(cr);
    }

    /* Cells, clipped to the zones so the square grid does not stick out of
     * the outlines; no antialiasing between cells, or seams show as lines. */
    cairo_save(cr);
    for (int z = 0; z < ND_ZONE_COUNT; z++) polygon_path(cr, v, face, z);
    cairo_clip(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    const nd_grid *g = nd_field_grid(run->field);
    static const int nb[8][2] = {{-1, 0},  {1, 0},  {0, -1}, {0, 1},
                                 {-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
    for (int j = 0; j < g->ny; j++) {
        for (int i = 0; i < g->nx; i++) {
            /* A cell whose centre is outside every zone may still overlap a
             * zone's edge; it borrows a neighbour's value, or the edge would
             * show specks of "no puncture" that are not in the data. */
            int ci = i, cj = j;
            for (int k = 0; k < 8 && nd_field_cell_zone(run->field, ci, cj) < 0; k++) {
                ci = i + nb[k][0];
                cj = j + nb[k][1];
            }
            if (nd_field_cell_zone(run->field, ci, cj) < 0) continue;
            nd_cell_stats cs;
            nd_field_cell_stats(run->field, ci, cj, &cs);
            double val = cell_value(&cs, kind);
            if (isnan(val)) continue;
            set_rgb(cr, nd_viridis(val / vmax));
            double x0 = px(v, g->x0 + i * g->h), y0 = py(v, g->y0 + j * g->h);
            double x1 = px(v, g->x0 + (i + 1) * g->h), y1 = py(v, g->y0 + (j + 1) * g->h);
            cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);

    /* Outlines: untreated first, so treated edges they share stay dark. */
    for (int pass = 0; pass < 2; pass++) {
        for (int z = 0; z < ND_ZONE_COUNT; z++) {
            if (treated[z] != pass) continue;
            polygon_path(cr, v, face, z);
            if (treated[z]) {
                cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
                cairo_set_line_width(cr, 1.4);
            } else {
                cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
                cairo_set_line_width(cr, 1.0);
            }
            cairo_stroke(cr);
        }
    }

    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        double cx, cy;
        char label[48], value[2][48];
        const char *lines[BADGE_LINES] = {label, value[0], value[1]};
        centroid(face, z, &cx, &cy);
        short_label(z, label, sizeof label);
        if (!treated[z]) {
            badge(cr, px(v, cx), py(v, cy), lines, 1, 0.4);
            continue;
        }
        int n = zone_value(run, kind, z, &stats[z], value);
        badge(cr, px(v, cx), py(v, cy), lines, 1 + n, 0.0);
    }
}

static void draw_colour_bar(cairo_t *cr, nd_map_kind kind, double vmax, double step, int clipped,
                            int set_note)
{
    font(cr, 14, 1);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, BAR_X, BAR_Y0 - 46, 0, kind == ND_MAP_DENSITY ? "Punctures" : "Mean depth");
    font(cr, 13, 0);
    text(cr, BAR_X, BAR_Y0 - 28, 0, kind == ND_MAP_DENSITY ? "per cm\xc2\xb2" : "mm below surface");

    /* High values at the top, as on any chart axis. */
    const int steps = 256;
    double h = (BAR_Y1 - BAR_Y0) / steps;
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (int k = 0; k < steps; k++) {
        set_rgb(cr, nd_viridis((k + 0.5) / steps));
        cairo_rectangle(cr, BAR_X, BAR_Y1 - (k + 1) * h, BAR_W, h + 0.5);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    cairo_set_line_width(cr, 1.0);
    if (clipped) { /* the top colour also stands for everything above it */
        cairo_move_to(cr, BAR_X, BAR_Y0);
        cairo_line_to(cr, BAR_X + BAR_W / 2, BAR_Y0 - 16);
        cairo_line_to(cr, BAR_X + BAR_W, BAR_Y0);
        cairo_close_path(cr);
        set_rgb(cr, nd_viridis(1));
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_stroke(cr);
    }
    cairo_rectangle(cr, BAR_X, BAR_Y0, BAR_W, BAR_Y1 - BAR_Y0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_stroke(cr);

    int dec = step_decimals(step);
    int nticks = (int)lround(vmax / step);
    font(cr, 13, 0);
    for (int k = 0; k <= nticks; k++) {
        double val = k * step;
        double y = BAR_Y1 - (BAR_Y1 - BAR_Y0) * val / vmax;
        cairo_move_to(cr, BAR_X + BAR_W, y);
        cairo_line_to(cr, BAR_X + BAR_W + 6, y);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_stroke(cr);
        char buf[32];
        snprintf(buf, sizeof buf, "%s%.*f", clipped && k == nticks ? "\xe2\x89\xa5 " : "", dec,
                 val);
        for (char *p = buf; *p; p++) /* a host's locale must not turn 0.5 into 0,5 */
            if (*p == ',') *p = '.';
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, BAR_X + BAR_W + 10, y + 4.5, 0, buf);
    }

    /* What the non-colour fills mean. */
    double y = BAR_Y1 + 50;
    font(cr, 13, 0);
    cairo_rectangle(cr, BAR_X, y, BAR_W, 18);
    set_rgb(cr, NOHIT);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_stroke(cr);
    text(cr, BAR_X + BAR_W + 10, y + 10, 0, "treated,");
    text(cr, BAR_X + BAR_W + 10, y + 25, 0, "no puncture");

    y += 50;
    cairo_save(cr);
    cairo_rectangle(cr, BAR_X, y, BAR_W, 18);
    cairo_clip_preserve(cr);
    set_rgb(cr, PALE);
    cairo_fill(cr);
    hatch(cr, BAR_X, y, BAR_X + BAR_W, y + 18);
    cairo_restore(cr);
    cairo_rectangle(cr, BAR_X, y, BAR_W, 18);
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, BAR_X + BAR_W + 10, y + 10, 0, "not treated");

    if (set_note) {
        font(cr, 12, 0);
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        text(cr, BAR_X, y + 60, 0, "set: the device's");
        text(cr, BAR_X, y + 75, 0, "depth setting, mm");
    }
}

static void draw_scale_bar(cairo_t *cr, const view *v, double y)
{
    double len_m = 0.05;
    double w = len_m * v->s;
    if (w > (MAP_X1 - MAP_X0) / 3) {
        len_m = 0.02;
        w = len_m * v->s;
    }
    double x0 = MAP_X0 + 10;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 2.0);
    cairo_move_to(cr, x0, y - 5);
    cairo_line_to(cr, x0, y);
    cairo_line_to(cr, x0 + w, y);
    cairo_line_to(cr, x0 + w, y - 5);
    cairo_stroke(cr);
    char buf[32];
    snprintf(buf, sizeof buf, "%.0f mm", len_m * 1e3);
    font(cr, 13, 0);
    text(cr, x0 + w / 2, y + 17, 0.5, buf);
}

/* Cut s to fit max_w pixels in the current font, ending it with an ellipsis. */
static void fit_text(cairo_t *cr, const char *s, double max_w, char *buf, size_t size)
{
    snprintf(buf, size, "%s", s);
    cairo_text_extents_t e;
    cairo_text_extents(cr, buf, &e);
    size_t n = strlen(buf);
    while (e.x_advance > max_w && n > 0) {
        n--;
        /* Step back to the start of a UTF-8 character. */
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80) n--;
        if (n + 4 > size) continue;
        memcpy(buf + n, "\xe2\x80\xa6", 4);
        cairo_text_extents(cr, buf, &e);
    }
}

typedef struct {
    FILE *f;
    int err; /* errno of the first failed write */
} png_sink;

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
    png_sink *sink = closure;
    errno = 0;
    if (fwrite(data, 1, len, sink->f) == len) return CAIRO_STATUS_SUCCESS;
    if (!sink->err) sink->err = errno ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
}

/* Through our own stream rather than cairo_surface_write_to_png, so that a
 * failing fclose (a full disk often shows only there) is caught, and the
 * reason reported. */
static nd_status write_png(cairo_surface_t *surf, const char *path, nd_error *err)
{
    char ebuf[128];
    png_sink sink = {fopen(path, "wb"), 0};
    if (!sink.f)
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot create: %s",
                           errstr(errno, ebuf, sizeof ebuf));
    cairo_status_t cst = cairo_surface_write_to_png_stream(surf, png_write, &sink);
    int e = sink.err;
    if (!e && ferror(sink.f)) e = EIO;
    errno = 0;
    if (fclose(sink.f) != 0 && !e) e = errno ? errno : EIO;
    if (!e && cst == CAIRO_STATUS_WRITE_ERROR) e = EIO;
    if (e)
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write the figure: %s",
                           errstr(e, ebuf, sizeof ebuf));
    if (cst != CAIRO_STATUS_SUCCESS)
        return nd_error_at(err, ND_ERR_INTERNAL, path, 0, 0, NULL, "cannot encode the figure: %s",
                           cairo_status_to_string(cst));
    return ND_OK;
}

nd_status nd_figure_face_map(const nd_run_view *run, nd_map_kind kind, const char *png_path,
                             nd_error *err)
{
    if (!run || !run->scenario || !run->face || !run->field || !png_path)
        return nd_error_set(err, ND_ERR_INTERNAL, "face map: missing run data");
    if (kind != ND_MAP_DENSITY && kind != ND_MAP_DEPTH)
        return nd_error_set(err, ND_ERR_INTERNAL, "face map: unknown map kind %d", (int)kind);
    const nd_scenario *sc = run->scenario;

    int treated[ND_ZONE_COUNT] = {0};
    nd_zone_stats stats[ND_ZONE_COUNT];
    memset(stats, 0, sizeof stats);
    uint64_t punctures = 0;
    double area_cm2 = 0, depth_sum_mm = 0;
    for (int k = 0; k < sc->protocol.n_zones && k < ND_ZONE_COUNT; k++) {
        int z = sc->protocol.zones[k].zone;
        if (z < 0 || z >= ND_ZONE_COUNT || treated[z]) continue;
        treated[z] = 1;
        nd_zone_stats *st = &stats[z];
        nd_field_zone_stats(run->field, z, st);
        punctures += st->punctures;
        area_cm2 += st->area_cm2;
        depth_sum_mm += st->depth_mean_m * 1e3 * (double)st->punctures;
    }

    /* Scale from zero: a map whose lowest colour meant "0.9 mm" would make
     * small differences look like large ones.  The top is the 99th percentile
     * of the cells, not the maximum: a few cells where strokes crossed would
     * otherwise squeeze the whole face into the bottom of the scale.  Cells
     * above it take the top colour and the bar says so. */
    const nd_grid *g = nd_field_grid(run->field);
    size_t ncells = (size_t)g->nx * (size_t)g->ny, nval = 0;
    double *vals = malloc(sizeof *vals * (ncells ? ncells : 1));
    if (!vals) return nd_error_set(err, ND_ERR_NOMEM, "face map: out of memory");
    for (int j = 0; j < g->ny; j++) {
        for (int i = 0; i < g->nx; i++) {
            if (nd_field_cell_zone(run->field, i, j) < 0) continue;
            nd_cell_stats cs;
            nd_field_cell_stats(run->field, i, j, &cs);
            double val = cell_value(&cs, kind);
            if (!isnan(val)) vals[nval++] = val;
        }
    }
    double top = 0, vmax_data = 0;
    if (nval > 0) {
        qsort(vals, nval, sizeof *vals, cmp_double);
        top = vals[(size_t)floor(0.99 * (double)(nval - 1))];
        vmax_data = vals[nval - 1];
    }
    free(vals);
    double step = nice_step(top > 0 ? top / 5 : 0.2);
    double vmax = step * ceil(top / step - 1e-9);
    if (vmax < step) vmax = step * 5;
    int clipped = vmax_data > vmax;

    double xmin, ymin, xmax, ymax;
    nd_face_bounds(run->face, &xmin, &ymin, &xmax, &ymax);
    view v;
    v.s = fmin((MAP_X1 - MAP_X0) / (xmax - xmin), (MAP_Y1 - MAP_Y0 - 40) / (ymax - ymin));
    v.ox = (MAP_X0 + MAP_X1) / 2 - (xmin + xmax) / 2 * v.s;
    v.oy = MAP_Y0 - ymin * v.s;

    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, FIG_W, FIG_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return nd_error_set(err, ND_ERR_NOMEM, "face map: cannot create a %dx%d image", FIG_W,
                            FIG_H);
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    char buf[256], line[256];
    cairo_set_source_rgb(cr, 0, 0, 0);
    font(cr, 26, 1);
    text(cr, MAP_X0, 46, 0, kind == ND_MAP_DENSITY ? "Puncture density" : "Mean depth reached");
    font(cr, 14, 0);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    fit_text(cr, sc->name, FIG_W - 2 * MAP_X0, line, sizeof line);
    text(cr, MAP_X0, 74, 0, line);
    const char *dev =
        sc->device.preset[0] ? sc->device.preset : nd_device_kind_name(sc->device.kind);
    if (kind == ND_MAP_DENSITY)
        snprintf(buf, sizeof buf,
                 "%s \xc2\xb7 %llu punctures over %.1f cm\xc2\xb2 treated (%.0f per cm\xc2\xb2) "
                 "\xc2\xb7 %g mm cells",
                 dev ? dev : "?", (unsigned long long)punctures, area_cm2,
                 area_cm2 > 0 ? (double)punctures / area_cm2 : 0.0, sc->output.grid_m * 1e3);
    else
        snprintf(buf, sizeof buf,
                 "%s \xc2\xb7 mean %.2f mm over all punctures \xc2\xb7 %g mm cells "
                 "\xc2\xb7 depth from the skin surface",
                 dev ? dev : "?", punctures ? depth_sum_mm / (double)punctures : 0.0,
                 sc->output.grid_m * 1e3);
    for (char *p = buf; *p; p++) /* keep '.' whatever the host's locale */
        if (*p == ',' && p[1] >= '0' && p[1] <= '9') *p = '.';
    fit_text(cr, buf, FIG_W - 2 * MAP_X0, line, sizeof line);
    text(cr, MAP_X0, 96, 0, line);

    draw_map(cr, &v, run, kind, treated, stats, vmax);

    /* Sides named in words under the face. */
    double ybot = py(&v, ymax) + 28;
    font(cr, 13, 0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    text(cr, px(&v, xmin), ybot, 0, "\xe2\x86\x90 patient's right (R)");
    text(cr, px(&v, xmax), ybot, 1, "patient's left (L) \xe2\x86\x92");
    draw_scale_bar(cr, &v, ybot + 40);
    draw_colour_bar(cr, kind, vmax, step, clipped,
                    kind == ND_MAP_DEPTH && nd_device_is_motorised(&sc->device));

    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    nd_status st = ND_OK;
    if (cst != CAIRO_STATUS_SUCCESS)
        st = nd_error_set(err, ND_ERR_INTERNAL, "face map: drawing failed: %s",
                          cairo_status_to_string(cst));
    else
        st = write_png(surf, png_path, err);
    cairo_surface_destroy(surf);
    return st;
}
