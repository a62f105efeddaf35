/* Needling a patch of one zone for the planner's search.
 *
 * A candidate setting is judged on what the simulator says it does to the
 * patient's skin: the same strokes as a session (nd_protocol_strokes over the
 * whole zone: pass pattern, hand jitter, speed and force spread), the same
 * strike and insertion code (nd_stroke_run) and the patient's own layers
 * (nd_skin_bounds_at).  Only the part of each stroke that can reach a square
 * patch of the zone (data/plan_rules.csv patch_side_m, 1 cm^2) is run, so a
 * candidate costs a few thousand needle events instead of a whole zone's:
 * puncture density, depth and layers are local quantities, and a zone is
 * needled evenly by design (docs/model.md, 5).  The patch is the square that
 * lies most inside the zone's polygon (found on a raster of the zone with
 * summed-area sums), nearest the zone's centre among equals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "needle/device.h"
#include "needle/insertion.h"
#include "needle/strikes.h"
#include "planner/planner_internal.h"

#define HIST_BINS  ND_FIELD_ZONE_BINS /* 10 um bins, as the field's zone histogram */
#define HIST_BIN_M 1e-5
#define BATCH      512

typedef struct {
    int ready;
    nd_grid grid;
    int8_t *zone;
    nd_layer_bounds *bounds;
    double patch_cm2; /* in-zone area of the patch */
    double zone_cm2;  /* the whole zone's */
} window;

struct nd_patch_sim {
    nd_table *params;
    nd_face *face;
    nd_skin_model *model;
    nd_skin *skin;
    nd_insertion_params ins;
    nd_lognormal_table force_spread, drag_spread;
    double weave_wavelength_m;
    double side_m, cell_m;
    window win[ND_ZONE_COUNT];
};

void nd_patch_sim_free(nd_patch_sim *ps)
{
    if (!ps) return;
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        free(ps->win[z].zone);
        free(ps->win[z].bounds);
    }
    nd_skin_free(ps->skin);
    nd_skin_model_free(ps->model);
    nd_face_free(ps->face);
    nd_table_free(ps->params);
    free(ps);
}

nd_status nd_patch_sim_create(const nd_scenario *sc, const nd_plan_rules *rules, nd_patch_sim **out,
                              nd_error *err)
{
    *out = NULL;
    nd_patch_sim *ps = calloc(1, sizeof *ps);
    if (!ps) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    ps->side_m = rules->patch_side_m;
    ps->cell_m = rules->patch_cell_m;
    nd_status st = nd_params_load(sc->params, sc->n_params, &ps->params, err);
    if (!st) st = nd_face_create(&ps->face, err);
    if (!st) st = nd_skin_model_create(ps->params, &ps->model, err);
    if (!st) st = nd_skin_create(ps->model, &sc->patient, sc->seed, &ps->skin, err);
    if (!st) st = nd_insertion_params_load(ps->params, &ps->ins, err);
    if (!st) st = nd_param(ps->params, "weave_wavelength_m", &ps->weave_wavelength_m, err);
    if (st) {
        nd_patch_sim_free(ps);
        return st;
    }
    /* Unit-median spreads, as a session sets them up (src/sim/session.c). */
    nd_lognormal_table_init(&ps->force_spread, sqrt(log1p(ps->ins.force_cv * ps->ins.force_cv)), 0);
    nd_lognormal_table_init(&ps->drag_spread, sqrt(log1p(ps->ins.drag_cv * ps->ins.drag_cv)), 0);
    *out = ps;
    return ND_OK;
}

/* Place the patch of a zone and sample the patient's skin on it. */
static nd_status place_window(nd_patch_sim *ps, int zone, nd_error *err)
{
    window *w = &ps->win[zone];
    if (w->ready) return ND_OK;
    const double *xs, *ys;
    int nv;
    nd_face_polygon(ps->face, zone, &xs, &ys, &nv);
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY, cx = 0, cy = 0;
    for (int i = 0; i < nv; i++) {
        x0 = fmin(x0, xs[i]), x1 = fmax(x1, xs[i]);
        y0 = fmin(y0, ys[i]), y1 = fmax(y1, ys[i]);
        cx += xs[i] / nv, cy += ys[i] / nv;
    }
    const double h = ps->cell_m;
    const int m = (int)lround(ps->side_m / h);
    const int nx = (int)ceil((x1 - x0) / h) + 1, ny = (int)ceil((y1 - y0) / h) + 1;
    /* Summed-area table of the zone's raster: S[j][i] = cells inside below (i, j). */
    long *S = calloc((size_t)(nx + 1) * (size_t)(ny + 1), sizeof *S);
    if (!S) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
#define AT(i, j) S[(size_t)(j) * (size_t)(nx + 1) + (size_t)(i)]
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int in = nd_face_zone_at(ps->face, x0 + (i + 0.5) * h, y0 + (j + 0.5) * h) == zone;
            AT(i + 1, j + 1) = in + AT(i, j + 1) + AT(i + 1, j) - AT(i, j);
        }
    long best = -1;
    double best_d = INFINITY;
    int bi = 0, bj = 0;
    for (int j = 0; j + m <= ny || (j == 0 && ny < m); j++)
        for (int i = 0; i + m <= nx || (i == 0 && nx < m); i++) {
            int i1 = i + m < nx ? i + m : nx, j1 = j + m < ny ? j + m : ny;
            long c = AT(i1, j1) - AT(i, j1) - AT(i1, j) + AT(i, j);
            double dx = x0 + (i + 0.5 * m) * h - cx, dy = y0 + (j + 0.5 * m) * h - cy;
            double d = dx * dx + dy * dy;
            if (c > best || (c == best && d < best_d)) best = c, best_d = d, bi = i, bj = j;
        }
#undef AT
    free(S);
    w->grid = (nd_grid){m, m, x0 + bi * h, y0 + bj * h, h};
    w->zone = malloc((size_t)m * (size_t)m);
    w->bounds = calloc((size_t)m * (size_t)m, sizeof *w->bounds);
    if (!w->zone || !w->bounds) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    long inside = 0;
    for (int j = 0; j < m; j++)
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)j * (size_t)m + (size_t)i;
            double x = w->grid.x0 + (i + 0.5) * h, y = w->grid.y0 + (j + 0.5) * h;
            int in = nd_face_zone_at(ps->face, x, y) == zone;
            w->zone[k] = (int8_t)(in ? zone : -1);
            if (in) {
                nd_skin_bounds_at(ps->skin, zone, x, y, &w->bounds[k]);
                inside++;
            }
        }
    if (inside == 0)
        return nd_error_set(err, ND_ERR_INTERNAL, "zone %s has no cell to needle",
                            nd_zone_name(zone));
    w->patch_cm2 = (double)inside * h * h * 1e4;
    w->zone_cm2 = nd_face_zone_area(ps->face, zone) * 1e4;
    w->ready = 1;
    return ND_OK;
}

/* What the patch's punctures add up to, as the field counts them, and the
 * length of dermis each channel crosses (below the epidermis, above the fat):
 * the tissue a channel wounds where collagen is made. */
typedef struct {
    const window *w;
    double dermal_sum_m;
    uint64_t punctures, depth_sum_nm;
    uint64_t layer[ND_LAYER_COUNT];
    uint32_t max_nm;
    uint32_t hist[HIST_BINS];
} tally;

static void sink(void *user, const nd_puncture *p, long n)
{
    tally *t = user;
    for (long k = 0; k < n; k++) {
        if (p[k].layer < 0) continue;
        uint32_t d = (uint32_t)(p[k].depth_m * 1e9f + 0.5f);
        t->punctures++;
        t->depth_sum_nm += d;
        if (d > t->max_nm) t->max_nm = d;
        t->layer[p[k].layer]++;
        uint32_t b = d / (uint32_t)(HIST_BIN_M * 1e9);
        t->hist[b < HIST_BINS ? b : HIST_BINS - 1]++;
        const nd_grid *g = &t->w->grid;
        int i = (int)((p[k].x_m - g->x0) / g->h), j = (int)((p[k].y_m - g->y0) / g->h);
        if (i < 0 || j < 0 || i >= g->nx || j >= g->ny) continue;
        const nd_layer_bounds *lb = &t->w->bounds[(size_t)j * (size_t)g->nx + (size_t)i];
        double top = lb->bottom_m[ND_LAYER_EPIDERMIS], bottom = lb->bottom_m[ND_LAYER_RETICULAR];
        double depth = p[k].depth_m < bottom ? p[k].depth_m : bottom;
        if (depth > top) t->dermal_sum_m += depth - top;
    }
}

/* The 95th percentile, interpolated in its bin as nd_field does. */
static double p95(const tally *t)
{
    double target = 0.95 * (double)t->punctures, acc = 0;
    double q = HIST_BINS * HIST_BIN_M;
    for (int b = 0; b < HIST_BINS; b++) {
        double c = t->hist[b];
        if (c > 0 && acc + c >= target) {
            q = (b + (target - acc) / c) * HIST_BIN_M;
            break;
        }
        acc += c;
    }
    double max = t->max_nm * 1e-9;
    return q < max ? q : max;
}

static void read_out(const tally *t, const window *w, int zone, nd_outcome_input *in)
{
    memset(in, 0, sizeof *in);
    in->zone = zone;
    in->area_cm2 = w->zone_cm2;
    in->punctures_per_cm2 = (double)t->punctures / w->patch_cm2;
    if (t->punctures) {
        double n = (double)t->punctures;
        in->depth_mean_m = (double)t->depth_sum_nm * 1e-9 / n;
        in->depth_p95_m = p95(t);
        for (int l = 0; l < ND_LAYER_COUNT; l++) in->layer_fraction[l] = (double)t->layer[l] / n;
    }
}

/* Cut a stroke down to the stretch that can put a needle in the patch; 0 when
 * none of it can. */
static int clip(const nd_stroke *s, const nd_device_spec *dev, double jitter, const nd_grid *g,
                nd_stroke *out)
{
    const double nx = -s->uy, ny = s->ux;
    /* Needles sit up to half a swath to either side of the centre line and
     * half a footprint along it; the hand wanders a few jitters off it. */
    const double wander = 4.0 * jitter;
    const double across = 0.5 * nd_device_swath(dev) + wander;
    const double along =
        (dev->kind == ND_DEVICE_ROLLER ? 0.0 : 0.5 * nd_device_footprint(dev)) + wander;
    double qmin = INFINITY, qmax = -INFINITY, amin = INFINITY, amax = -INFINITY;
    for (int c = 0; c < 4; c++) {
        double x = g->x0 + (c & 1 ? g->nx * g->h : 0), y = g->y0 + (c & 2 ? g->ny * g->h : 0);
        double dx = x - s->x0, dy = y - s->y0;
        double q = dx * nx + dy * ny, a = dx * s->ux + dy * s->uy;
        qmin = fmin(qmin, q), qmax = fmax(qmax, q);
        amin = fmin(amin, a), amax = fmax(amax, a);
    }
    if (qmin > across || qmax < -across) return 0;
    double lo = fmax(0.0, amin - along), hi = fmin(s->length_m, amax + along);
    if (!(hi > lo)) return 0;
    *out = *s;
    out->x0 = s->x0 + lo * s->ux;
    out->y0 = s->y0 + lo * s->uy;
    out->length_m = hi - lo;
    double share = s->length_m > 0 ? 1.0 / s->length_m : 0.0;
    out->t_start_s = s->t_start_s + s->duration_s * lo * share;
    out->duration_s = s->duration_s * (hi - lo) * share;
    return 1;
}

nd_status nd_patch_run(nd_patch_sim *ps, const nd_scenario *sc, const int *marks, int n_marks,
                       nd_outcome_input *in, double *dermal_m, nd_error *err)
{
    const int zone = sc->protocol.zones[0].zone;
    nd_status st = place_window(ps, zone, err);
    if (st) return st;
    const window *w = &ps->win[zone];
    nd_stroke *strokes = NULL;
    long n = 0;
    if ((st = nd_protocol_strokes(sc, ps->face, ps->params, &strokes, &n, NULL, err))) return st;
    tally *t = calloc(1, sizeof *t);
    nd_puncture *buf = malloc(sizeof *buf * BATCH);
    if (!t || !buf) {
        free(t);
        free(buf);
        free(strokes);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    t->w = w;
    const nd_skin_grid skin = {w->grid, w->zone, w->bounds};
    const nd_strike_context ctx = {
        sc, &ps->ins, &skin, &ps->force_spread, &ps->drag_spread, ps->weave_wavelength_m};
    long k = 0;
    for (int m = 0; m < n_marks; m++) {
        double zone_end = n > 0 ? strokes[0].t_start_s : 0;
        for (; k < n && strokes[k].pass < marks[m]; k++) {
            const nd_stroke *s = &strokes[k];
            zone_end = s->t_start_s + s->duration_s;
            nd_stroke part;
            if (clip(s, &sc->device, sc->protocol.jitter_m, &w->grid, &part))
                nd_stroke_run(&ctx, &part, buf, BATCH, sink, t);
        }
        if (k > 0) zone_end = strokes[k - 1].t_start_s + strokes[k - 1].duration_s;
        read_out(t, w, zone, &in[m]);
        if (dermal_m) dermal_m[m] = t->punctures ? t->dermal_sum_m / (double)t->punctures : 0.0;
        in[m].t_start_s = n > 0 ? strokes[0].t_start_s : 0;
        in[m].t_end_s = zone_end;
    }
    free(t);
    free(buf);
    free(strokes);
    return ND_OK;
}
