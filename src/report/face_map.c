/* Face maps: one quantity of the run over the canonical face, with zone
 * outlines, names and values, a colour bar or legend and a scale bar; see
 * face_map.h.
 *
 * The map is a front view as the practitioner sees the patient, so the
 * patient's left is on the viewer's right; the figure says so in words because
 * "cheek L" on the right-hand side is exactly what a reader double-checks. */
#include "report/face_map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/colormap.h"
#include "report/draw.h"
#include "report/figure.h"
#include "report/labels.h"

/* Narrow enough that two maps side by side on an A4 page keep their labels
 * legible; the face takes the left, the colour bar the right. */
#define FIG_W 660

/* Map box (pixels): the face is scaled to fit and centred in it. */
#define MAP_X0    24.0
#define MAP_X1    470.0
#define MAP_Y0    132.0
#define MAP_H_MAX 860.0

/* Colour bar and legend. */
#define BAR_X  500.0
#define BAR_W  26.0
#define BAR_Y0 200.0
#define BAR_Y1 560.0

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

static view make_view(const nd_face *face)
{
    double xmin, ymin, xmax, ymax;
    nd_face_bounds(face, &xmin, &ymin, &xmax, &ymax);
    view v;
    v.s = fmin((MAP_X1 - MAP_X0) / (xmax - xmin), MAP_H_MAX / (ymax - ymin));
    v.ox = (MAP_X0 + MAP_X1) / 2 - (xmin + xmax) / 2 * v.s;
    v.oy = MAP_Y0 - ymin * v.s;
    return v;
}

void nd_face_map_size(const nd_rundata *rd, int kind, int *w, int *h)
{
    (void)kind;
    double xmin, ymin, xmax, ymax;
    nd_face_bounds(rd->face, &xmin, &ymin, &xmax, &ymax);
    view v = make_view(rd->face);
    *w = FIG_W;
    *h = (int)ceil(py(&v, ymax) + 96); /* room for the side names and the scale bar */
}

/* A zone label: up to three centred lines on a pale box, legible over any
 * colour of the map and over the speckle of single cells.  The first line is
 * the zone's name in bold; grey dims the label of an untreated zone. */
#define BADGE_LINES 3
static void badge(cairo_t *cr, double x, double y, const char *const *lines, int n, double grey)
{
    static const double size[BADGE_LINES] = {13, 12, 12};
    double w = 0, lh[BADGE_LINES], h = 0;
    for (int k = 0; k < n; k++) {
        nd_draw_font(cr, size[k], k == 0 && grey == 0);
        double tw = nd_draw_text_width(cr, lines[k]);
        if (tw > w) w = tw;
        lh[k] = size[k] + 2;
        h += lh[k];
    }
    const double pad = 3, r = 3;
    /* A zone at the edge of the face (a temple) keeps its label inside the
     * figure, clear of the legend. */
    x = fmax(x, 4 + w / 2 + pad);
    x = fmin(x, BAR_X - 8 - w / 2 - pad);
    double x0 = x - w / 2 - pad, y0 = y - h / 2 - pad, bw = w + 2 * pad, bh = h + 2 * pad;
    cairo_save(cr);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x0 + bw - r, y0 + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x0 + bw - r, y0 + bh - r, r, 0, M_PI / 2);
    cairo_arc(cr, x0 + r, y0 + bh - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x0 + r, y0 + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, grey == 0 ? 0.85 : 0.6);
    cairo_fill(cr);
    double yy = y - h / 2;
    for (int k = 0; k < n; k++) {
        nd_draw_font(cr, size[k], k == 0 && grey == 0);
        yy += lh[k];
        cairo_set_source_rgb(cr, grey, grey, grey);
        nd_draw_text(cr, x, yy - 3, 0.5, lines[k]);
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value a cell shows, or NAN when it has none (not punctured). */
static double cell_value(const nd_rd_cell *c, int kind)
{
    if (c->punctures == 0) return NAN;
    switch (kind) {
    case ND_MAP_DENSITY:
        return c->punctures_per_cm2;
    case ND_MAP_DEPTH:
        return c->depth_mean_m * 1e3;
    case ND_MAP_LAYER:
        return c->deepest_layer;
    default:
        return c->subcell_cover * 100;
    }
}

static const nd_rgb PALE = {0.965, 0.965, 0.965}; /* untreated zone */
static const nd_rgb NOHIT = {0.80, 0.80, 0.80};   /* treated, not punctured */

/* What a map is about: its zones, its scale and its words. */
typedef struct {
    const nd_rundata *rd;
    int kind;
    view v;
    int zone_k[ND_ZONE_COUNT]; /* treatment-order index of a zone, -1 if untreated */
    double vmax, step;         /* colour scale 0..vmax, ticks every step */
    int clipped;               /* some cells lie above vmax */
    double sub_um;             /* side of a sub-square, for the coverage map */
} map;

/* Share of a zone's surface punctured: the mean of its cells' sub-square
 * coverage (what the coverage map shows, summed over the zone). */
static double zone_cover(const nd_rundata *rd, int zone)
{
    double sum = 0;
    long n = 0;
    size_t cells = (size_t)rd->grid.nx * (size_t)rd->grid.ny;
    for (size_t k = 0; k < cells; k++) {
        if (rd->cells[k].zone != zone) continue;
        sum += rd->cells[k].subcell_cover;
        n++;
    }
    return n ? sum / (double)n : 0;
}

static int zone_deepest(const nd_zone_stats *st)
{
    int deepest = -1;
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        if (st->layer_fraction[l] > 0) deepest = l;
    return deepest;
}

/* The zone's own numbers under its name, so the figure answers "how much,
 * where" without a trip to the table.  Returns the number of lines. */
static int zone_value(const map *m, int k, char lines[2][48])
{
    const nd_rd_zone *z = &m->rd->zones[k];
    const nd_zone_stats *st = &z->stats;
    char num[32], pct[16];
    if (st->punctures == 0) {
        snprintf(lines[0], 48, "no punctures");
        return 1;
    }
    switch (m->kind) {
    case ND_MAP_DENSITY:
        snprintf(lines[0], 48, "%s /cm\xc2\xb2",
                 nd_label_fixed(num, sizeof num, st->punctures_per_cm2, 0));
        return 1;
    case ND_MAP_DEPTH: {
        snprintf(lines[0], 48, "%s mm", nd_label_fixed(num, sizeof num, st->depth_mean_m * 1e3, 2));
        /* Reached against set depth is the comparison a practitioner makes;
         * a roller or stamp has no setting beyond its needle length. */
        if (!nd_device_is_motorised(&m->rd->scenario.device)) return 1;
        snprintf(lines[1], 48, "set %s",
                 nd_label_fixed(num, sizeof num, nd_rundata_plan(m->rd, k)->depth_m * 1e3, 2));
        return 2;
    }
    case ND_MAP_LAYER: {
        int l = zone_deepest(st);
        snprintf(lines[0], 48, "%s %s%%", nd_label_layer_short(l),
                 nd_label_percent(pct, sizeof pct, st->layer_fraction[l]));
        return 1;
    }
    default:
        snprintf(lines[0], 48, "%s%%",
                 nd_label_percent(pct, sizeof pct, zone_cover(m->rd, st->zone)));
        return 1;
    }
}

/* The cells as an image, one pixel per cell: drawn as one scaled picture it
 * stays small in an SVG and shows no seams between cells. */
static cairo_surface_t *cell_image(const map *m)
{
    const nd_rundata *rd = m->rd;
    const nd_grid *g = &rd->grid;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, g->nx, g->ny);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) return img;
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    static const int nb[8][2] = {{-1, 0},  {1, 0},  {0, -1}, {0, 1},
                                 {-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
    for (int j = 0; j < g->ny; j++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)j * (size_t)stride);
        for (int i = 0; i < g->nx; i++) {
            row[i] = 0; /* transparent: the zone's background shows */
            /* A cell whose centre is outside every zone may still overlap a
             * zone's edge; it borrows a neighbour's value, or the edge would
             * show specks of "no puncture" that are not in the data. */
            const nd_rd_cell *c = nd_rundata_cell(rd, i, j);
            for (int k = 0; k < 8 && (!c || c->zone < 0); k++)
                c = nd_rundata_cell(rd, i + nb[k][0], j + nb[k][1]);
            if (!c || c->zone < 0 || m->zone_k[c->zone] < 0) continue;
            double val = cell_value(c, m->kind);
            if (isnan(val)) continue;
            nd_rgb col =
                m->kind == ND_MAP_LAYER ? nd_layer_colour((int)val) : nd_viridis(val / m->vmax);
            row[i] = 0xFF000000u | (uint32_t)lround(col.r * 255) << 16 |
                     (uint32_t)lround(col.g * 255) << 8 | (uint32_t)lround(col.b * 255);
        }
    }
    cairo_surface_mark_dirty(img);
    return img;
}

static nd_status draw_cells(cairo_t *cr, const map *m, nd_error *err)
{
    const nd_grid *g = &m->rd->grid;
    cairo_surface_t *img = cell_image(m);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return nd_error_set(err, ND_ERR_NOMEM, "face map: cannot create a %dx%d image", g->nx,
                            g->ny);
    }
    /* Clipped to the zones so the square grid does not stick out of the
     * outlines; sharp cells, as each is one measurement. */
    cairo_save(cr);
    for (int z = 0; z < ND_ZONE_COUNT; z++) polygon_path(cr, &m->v, m->rd->face, z);
    cairo_clip(cr);
    cairo_translate(cr, px(&m->v, g->x0), py(&m->v, g->y0));
    cairo_scale(cr, g->h * m->v.s, g->h * m->v.s);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return ND_OK;
}

static nd_status draw_map(cairo_t *cr, const map *m, nd_error *err)
{
    const nd_face *face = m->rd->face;
    const view *v = &m->v;

    /* Zone backgrounds: what a cell shows when nothing reached it. */
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        int treated = m->zone_k[z] >= 0;
        cairo_save(cr);
        polygon_path(cr, v, face, z);
        cairo_clip_preserve(cr);
        nd_draw_rgb(cr, treated ? NOHIT : PALE);
        cairo_fill(cr);
        if (!treated) nd_draw_hatch(cr, MAP_X0, MAP_Y0, MAP_X1, MAP_Y0 + MAP_H_MAX);
        cairo_restore(cr);
    }
    nd_status s = draw_cells(cr, m, err);
    if (s != ND_OK) return s;

    /* Outlines: untreated first, so treated edges they share stay dark. */
    for (int pass = 0; pass < 2; pass++) {
        for (int z = 0; z < ND_ZONE_COUNT; z++) {
            int treated = m->zone_k[z] >= 0;
            if (treated != pass) continue;
            polygon_path(cr, v, face, z);
            if (treated) {
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
        nd_label_zone_short(z, label, sizeof label);
        if (m->zone_k[z] < 0) {
            badge(cr, px(v, cx), py(v, cy), lines, 1, 0.4);
            continue;
        }
        int n = zone_value(m, m->zone_k[z], value);
        badge(cr, px(v, cx), py(v, cy), lines, 1 + n, 0.0);
    }
    return ND_OK;
}

/* A swatch with one or two lines of text beside it; returns the next y. */
static double swatch(cairo_t *cr, double y, nd_rgb fill, int hatched, const char *line1,
                     const char *line2)
{
    cairo_save(cr);
    cairo_rectangle(cr, BAR_X, y, BAR_W, 18);
    cairo_clip_preserve(cr);
    nd_draw_rgb(cr, fill);
    cairo_fill(cr);
    if (hatched) nd_draw_hatch(cr, BAR_X, y, BAR_X + BAR_W, y + 18);
    cairo_restore(cr);
    cairo_rectangle(cr, BAR_X, y, BAR_W, 18);
    cairo_set_line_width(cr, 1.0);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_stroke(cr);
    nd_draw_font(cr, 13, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_text(cr, BAR_X + BAR_W + 8, y + 13, 0, line1);
    if (line2) nd_draw_text(cr, BAR_X + BAR_W + 8, y + 28, 0, line2);
    return y + (line2 ? 46 : 32);
}

static void legend_heading(cairo_t *cr, const char *line1, const char *line2)
{
    nd_draw_font(cr, 14, 1);
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_text(cr, BAR_X, BAR_Y0 - 46, 0, line1);
    nd_draw_font(cr, 13, 0);
    nd_draw_text(cr, BAR_X, BAR_Y0 - 28, 0, line2);
}

static void draw_colour_bar(cairo_t *cr, const map *m)
{
    char units[64];
    switch (m->kind) {
    case ND_MAP_DENSITY:
        legend_heading(cr, "Punctures", "per cm\xc2\xb2");
        break;
    case ND_MAP_DEPTH:
        legend_heading(cr, "Mean depth", "mm below surface");
        break;
    default:
        snprintf(units, sizeof units, "%% of %.0f \xc2\xb5m squares", m->sub_um);
        legend_heading(cr, "Surface punctured", units);
        break;
    }

    /* High values at the top, as on any chart axis.  A gradient through the
     * map's anchors is the map exactly (it interpolates linearly between
     * them) and stays one element in an SVG. */
    cairo_pattern_t *grad = cairo_pattern_create_linear(0, BAR_Y1, 0, BAR_Y0);
    for (int k = 0; k < ND_VIRIDIS_ANCHORS; k++) {
        double t = (double)k / (ND_VIRIDIS_ANCHORS - 1);
        nd_rgb c = nd_viridis(t);
        cairo_pattern_add_color_stop_rgb(grad, t, c.r, c.g, c.b);
    }
    cairo_rectangle(cr, BAR_X, BAR_Y0, BAR_W, BAR_Y1 - BAR_Y0);
    cairo_set_source(cr, grad);
    cairo_fill(cr);
    cairo_pattern_destroy(grad);
    cairo_set_line_width(cr, 1.0);
    if (m->clipped) { /* the top colour also stands for everything above it */
        cairo_move_to(cr, BAR_X, BAR_Y0);
        cairo_line_to(cr, BAR_X + BAR_W / 2, BAR_Y0 - 16);
        cairo_line_to(cr, BAR_X + BAR_W, BAR_Y0);
        cairo_close_path(cr);
        nd_draw_rgb(cr, nd_viridis(1));
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_stroke(cr);
    }
    cairo_rectangle(cr, BAR_X, BAR_Y0, BAR_W, BAR_Y1 - BAR_Y0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_stroke(cr);

    int dec = nd_draw_step_decimals(m->step);
    int nticks = (int)lround(m->vmax / m->step);
    nd_draw_font(cr, 13, 0);
    for (int k = 0; k <= nticks; k++) {
        double val = k * m->step;
        double y = BAR_Y1 - (BAR_Y1 - BAR_Y0) * val / m->vmax;
        cairo_move_to(cr, BAR_X + BAR_W, y);
        cairo_line_to(cr, BAR_X + BAR_W + 6, y);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_stroke(cr);
        char buf[40], num[32];
        snprintf(buf, sizeof buf, "%s%s", m->clipped && k == nticks ? "\xe2\x89\xa5 " : "",
                 nd_label_fixed(num, sizeof num, val, dec));
        cairo_set_source_rgb(cr, 0, 0, 0);
        nd_draw_text(cr, BAR_X + BAR_W + 10, y + 4.5, 0, buf);
    }

    double y = BAR_Y1 + 40;
    y = swatch(cr, y, NOHIT, 0, "treated,", "no puncture");
    y = swatch(cr, y, PALE, 1, "not treated", NULL);
    if (m->kind == ND_MAP_DEPTH && nd_device_is_motorised(&m->rd->scenario.device)) {
        nd_draw_font(cr, 12, 0);
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        nd_draw_text(cr, BAR_X, y + 10, 0, "set: the device's");
        nd_draw_text(cr, BAR_X, y + 25, 0, "depth setting, mm");
    }
}

/* Categories instead of a scale: one swatch per layer, surface first. */
static void draw_layer_legend(cairo_t *cr, const map *m)
{
    (void)m;
    legend_heading(cr, "Deepest layer", "reached in the cell");
    static const char *const two_lines[ND_LAYER_COUNT][2] = {{"stratum", "corneum"},
                                                             {"viable", "epidermis"},
                                                             {"papillary", "dermis"},
                                                             {"reticular", "dermis"},
                                                             {"subcutaneous", "fat"}};
    double y = BAR_Y0;
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        y = swatch(cr, y, nd_layer_colour(l), 0, two_lines[l][0], two_lines[l][1]);
    y += 20;
    y = swatch(cr, y, NOHIT, 0, "treated,", "no puncture");
    swatch(cr, y, PALE, 1, "not treated", NULL);
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
    nd_draw_font(cr, 13, 0);
    nd_draw_text(cr, x0 + w / 2, y + 17, 0.5, buf);
}

/* Scale from zero: a map whose lowest colour meant "0.9 mm" would make small
 * differences look like large ones.  The top is the 99th percentile of the
 * cells, not the maximum: a few cells where strokes crossed would otherwise
 * squeeze the whole face into the bottom of the scale.  Cells above it take
 * the top colour and the bar says so. */
static nd_status colour_scale(map *m, nd_error *err)
{
    const nd_rundata *rd = m->rd;
    size_t ncells = (size_t)rd->grid.nx * (size_t)rd->grid.ny, nval = 0;
    double *vals = malloc(sizeof *vals * (ncells ? ncells : 1));
    if (!vals) return nd_error_set(err, ND_ERR_NOMEM, "face map: out of memory");
    for (size_t k = 0; k < ncells; k++) {
        const nd_rd_cell *c = &rd->cells[k];
        if (c->zone < 0 || m->zone_k[c->zone] < 0) continue;
        double val = cell_value(c, m->kind);
        if (!isnan(val)) vals[nval++] = val;
    }
    double top = 0, vmax_data = 0;
    if (nval > 0) {
        qsort(vals, nval, sizeof *vals, cmp_double);
        top = vals[(size_t)floor(0.99 * (double)(nval - 1))];
        vmax_data = vals[nval - 1];
    }
    free(vals);
    m->step = nd_draw_nice_step(top > 0 ? top / 5 : 0.2);
    m->vmax = m->step * ceil(top / m->step - 1e-9);
    if (m->vmax < m->step) m->vmax = m->step * 5;
    if (m->kind == ND_MAP_COVERAGE && m->vmax > 100) m->vmax = 100;
    m->clipped = vmax_data > m->vmax;
    return ND_OK;
}

static void header(cairo_t *cr, const map *m)
{
    const nd_rundata *rd = m->rd;
    const nd_scenario *sc = &rd->scenario;
    static const char *const titles[] = {"Puncture density", "Mean depth reached",
                                         "Deepest layer reached", "Surface coverage"};
    uint64_t punctures = 0;
    double area_cm2 = 0, depth_sum_mm = 0;
    for (int k = 0; k < rd->n_zones; k++) {
        const nd_zone_stats *st = &rd->zones[k].stats;
        punctures += st->punctures;
        area_cm2 += st->area_cm2;
        depth_sum_mm += st->depth_mean_m * 1e3 * (double)st->punctures;
    }
    const char *dev =
        sc->device.preset[0] ? sc->device.preset : nd_device_kind_name(sc->device.kind);
    char lines[2][320], a[32], b[32], c[32], fit[320];
    double cell_mm = rd->grid.h * 1e3;
    lines[1][0] = '\0';
    switch (m->kind) {
    case ND_MAP_DENSITY:
        snprintf(lines[0], sizeof lines[0],
                 "%s \xc2\xb7 %llu punctures over %s cm\xc2\xb2 treated (%s per cm\xc2\xb2)",
                 dev ? dev : "?", (unsigned long long)punctures,
                 nd_label_fixed(a, sizeof a, area_cm2, 1),
                 nd_label_fixed(b, sizeof b, area_cm2 > 0 ? (double)punctures / area_cm2 : 0, 0));
        snprintf(lines[1], sizeof lines[1], "Colour: punctures per cm\xc2\xb2 in each %g mm cell",
                 cell_mm);
        break;
    case ND_MAP_DEPTH:
        snprintf(lines[0], sizeof lines[0], "%s \xc2\xb7 mean %s mm over all punctures",
                 dev ? dev : "?",
                 nd_label_fixed(a, sizeof a, punctures ? depth_sum_mm / (double)punctures : 0, 2));
        snprintf(lines[1], sizeof lines[1],
                 "Colour: mean depth from the skin surface in each %g mm cell", cell_mm);
        break;
    case ND_MAP_LAYER:
        snprintf(lines[0], sizeof lines[0],
                 "Colour: the deepest layer any puncture in the %g mm cell ended in", cell_mm);
        snprintf(lines[1], sizeof lines[1],
                 "Label: the zone's deepest layer, and the share of its punctures that ended "
                 "there");
        break;
    default:
        snprintf(lines[0], sizeof lines[0],
                 "Colour: share of each %g mm cell's 64 squares of %s \xc2\xb5m with a puncture",
                 cell_mm, nd_label_fixed(c, sizeof c, m->sub_um, 0));
        snprintf(lines[1], sizeof lines[1], "Label: the same over the whole zone");
        break;
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    nd_draw_font(cr, 24, 1);
    nd_draw_text(cr, MAP_X0, 40, 0, titles[m->kind]);
    nd_draw_font(cr, 14, 0);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    nd_draw_fit_text(cr, sc->name, FIG_W - 2 * MAP_X0, fit, sizeof fit);
    nd_draw_text(cr, MAP_X0, 66, 0, fit);
    for (int k = 0; k < 2; k++) {
        nd_draw_fit_text(cr, lines[k], FIG_W - 2 * MAP_X0, fit, sizeof fit);
        nd_draw_text(cr, MAP_X0, 86 + 20 * k, 0, fit);
    }
}

nd_status nd_face_map_draw(cairo_t *cr, const nd_rundata *rd, int kind, nd_error *err)
{
    if (kind < ND_MAP_DENSITY || kind > ND_MAP_COVERAGE)
        return nd_error_set(err, ND_ERR_INTERNAL, "face map: unknown map kind %d", kind);
    map m;
    memset(&m, 0, sizeof m);
    m.rd = rd;
    m.kind = kind;
    m.v = make_view(rd->face);
    m.sub_um = rd->grid.h * 1e6 / 8;
    for (int z = 0; z < ND_ZONE_COUNT; z++) m.zone_k[z] = -1;
    for (int k = 0; k < rd->n_zones; k++) {
        int z = rd->zones[k].stats.zone;
        if (z >= 0 && z < ND_ZONE_COUNT && m.zone_k[z] < 0) m.zone_k[z] = k;
    }
    if (kind != ND_MAP_LAYER) {
        nd_status s = colour_scale(&m, err);
        if (s != ND_OK) return s;
    }

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    header(cr, &m);
    nd_status s = draw_map(cr, &m, err);
    if (s != ND_OK) return s;

    /* Sides named in words under the face. */
    double xmin, ymin, xmax, ymax;
    nd_face_bounds(rd->face, &xmin, &ymin, &xmax, &ymax);
    double ybot = py(&m.v, ymax) + 28;
    nd_draw_font(cr, 13, 0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    nd_draw_text(cr, px(&m.v, xmin), ybot, 0, "\xe2\x86\x90 patient's right (R)");
    nd_draw_text(cr, px(&m.v, xmax), ybot, 1, "patient's left (L) \xe2\x86\x92");
    draw_scale_bar(cr, &m.v, ybot + 40);
    if (kind == ND_MAP_LAYER)
        draw_layer_legend(cr, &m);
    else
        draw_colour_bar(cr, &m);
    return ND_OK;
}

nd_status nd_figure_face_map(const nd_run_view *run, nd_map_kind kind, const char *png_path,
                             nd_error *err)
{
    if (!run || !run->scenario || !run->face || !run->field || !png_path)
        return nd_error_set(err, ND_ERR_INTERNAL, "face map: missing run data");
    static const char *const names[] = {"density", "depth", "layer", "coverage"};
    if (kind < ND_MAP_DENSITY || kind > ND_MAP_COVERAGE)
        return nd_error_set(err, ND_ERR_INTERNAL, "face map: unknown map kind %d", (int)kind);
    nd_rundata *rd;
    nd_status s = nd_rundata_from_view(run, &rd, err);
    if (s != ND_OK) return s;
    s = nd_figure_png(nd_figure_named(names[kind]), rd, png_path, 0, err);
    nd_rundata_free(rd);
    return s;
}
