/* The puncture field; see include/needle/field.h.
 *
 * Every sum is an integer (depths in nanometres), so adding punctures in any
 * order, or merging per-thread fields in any order, gives the same bits.
 * Repeat hits are counted at sub-cell resolution with an 8 x 8 bit mask per
 * cell: a puncture that lands on a sub-cell already hit is a repeat.  As
 * repeats = punctures - distinct sub-cells hit, the count too is order-free. */
#include "needle/field.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL_BINS  32 /* per-cell depth histogram: 0.1 mm bins */
#define CELL_BIN_M 1e-4
#define ZONE_BINS  ND_FIELD_ZONE_BINS /* per-zone depth histogram: 10 um bins */
#define ZONE_BIN_M 1e-5
#define SUB        8 /* sub-cells per cell side for repeat hits */

typedef struct {
    uint32_t count;
    uint32_t depth_max_nm;
    uint64_t depth_sum_nm;
    uint64_t mask;
    uint32_t layer[ND_LAYER_COUNT];
    uint32_t hist[CELL_BINS];
} cell_acc;

typedef struct {
    uint64_t strikes, punctures, depth_sum_nm;
    uint32_t depth_max_nm;
    uint64_t layer[ND_LAYER_COUNT];
    uint32_t hist[ZONE_BINS]; /* a bin would need 4e9 punctures to wrap */
    double t0, t1;
} zone_acc;

struct nd_field {
    nd_grid g;
    double inv_h;
    int8_t *cell_zone;
    long zone_cells[ND_ZONE_COUNT];
    cell_acc *cells;
    zone_acc zones[ND_ZONE_COUNT];
};

void nd_field_free(nd_field *f)
{
    if (!f) return;
    free(f->cell_zone);
    free(f->cells);
    free(f);
}

void nd_field_reset(nd_field *f)
{
    memset(f->cells, 0, sizeof *f->cells * (size_t)f->g.nx * (size_t)f->g.ny);
    memset(f->zones, 0, sizeof f->zones);
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        f->zones[z].t0 = INFINITY;
        f->zones[z].t1 = -INFINITY;
    }
}

nd_status nd_field_create(const nd_face *face, double cell_m, nd_field **out, nd_error *err)
{
    *out = NULL;
    if (!(cell_m >= 1e-4 && cell_m <= 1e-2))
        return nd_error_set(err, ND_ERR_INPUT, "grid cell must be 0.1..10 mm, got %g mm",
                            cell_m * 1e3);
    nd_field *f = calloc(1, sizeof *f);
    if (!f) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    double xmin, ymin, xmax, ymax;
    nd_face_bounds(face, &xmin, &ymin, &xmax, &ymax);
    /* Half a swath of margin is not needed: strikes outside every zone are
     * dropped, so the grid only has to cover the zones themselves. */
    f->g.h = cell_m;
    f->g.x0 = floor(xmin / cell_m) * cell_m;
    f->g.y0 = floor(ymin / cell_m) * cell_m;
    f->g.nx = (int)ceil((xmax - f->g.x0) / cell_m) + 1;
    f->g.ny = (int)ceil((ymax - f->g.y0) / cell_m) + 1;
    f->inv_h = 1.0 / cell_m;
    size_t n = (size_t)f->g.nx * (size_t)f->g.ny;
    f->cell_zone = malloc(n);
    f->cells = malloc(sizeof *f->cells * n);
    if (!f->cell_zone || !f->cells) {
        nd_field_free(f);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory for a %dx%d field", f->g.nx, f->g.ny);
    }
    for (int j = 0; j < f->g.ny; j++) {
        for (int i = 0; i < f->g.nx; i++) {
            int z =
                nd_face_zone_at(face, f->g.x0 + (i + 0.5) * cell_m, f->g.y0 + (j + 0.5) * cell_m);
            f->cell_zone[(size_t)j * (size_t)f->g.nx + (size_t)i] = (int8_t)z;
            if (z >= 0) f->zone_cells[z]++;
        }
    }
    nd_field_reset(f);
    *out = f;
    return ND_OK;
}

nd_status nd_field_create_like(const nd_field *proto, nd_field **out, nd_error *err)
{
    *out = NULL;
    nd_field *f = calloc(1, sizeof *f);
    size_t n = (size_t)proto->g.nx * (size_t)proto->g.ny;
    if (f) {
        *f = *proto;
        f->cell_zone = malloc(n);
        f->cells = malloc(sizeof *f->cells * n);
    }
    if (!f || !f->cell_zone || !f->cells) {
        if (f) {
            free(f->cell_zone);
            free(f->cells);
            free(f);
        }
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    memcpy(f->cell_zone, proto->cell_zone, n);
    nd_field_reset(f);
    *out = f;
    return ND_OK;
}

const nd_grid *nd_field_grid(const nd_field *f)
{
    return &f->g;
}

int nd_field_cell_zone(const nd_field *f, int i, int j)
{
    if (i < 0 || j < 0 || i >= f->g.nx || j >= f->g.ny) return -1;
    return f->cell_zone[(size_t)j * (size_t)f->g.nx + (size_t)i];
}

void nd_field_note_time(nd_field *f, int zone, double t0, double t1)
{
    zone_acc *z = &f->zones[zone];
    if (t0 < z->t0) z->t0 = t0;
    if (t1 > z->t1) z->t1 = t1;
}

void nd_field_add(nd_field *f, const nd_puncture *p, long n)
{
    const double x0 = f->g.x0, y0 = f->g.y0, inv_h = f->inv_h;
    const int nx = f->g.nx, ny = f->g.ny;
    for (long k = 0; k < n; k++) {
        const nd_puncture *q = &p[k];
        if (q->zone < 0 || q->zone >= ND_ZONE_COUNT) continue;
        zone_acc *z = &f->zones[q->zone];
        z->strikes++;
        if (q->layer < 0) continue;
        double u = (q->x_m - x0) * inv_h, v = (q->y_m - y0) * inv_h;
        int i = (int)u, j = (int)v;
        uint32_t d = (uint32_t)(q->depth_m * 1e9f + 0.5f);
        z->punctures++;
        z->depth_sum_nm += d;
        if (d > z->depth_max_nm) z->depth_max_nm = d;
        z->layer[q->layer]++;
        uint32_t zb = d / (uint32_t)(ZONE_BIN_M * 1e9);
        z->hist[zb < ZONE_BINS ? zb : ZONE_BINS - 1]++;
        if (u < 0 || v < 0 || i >= nx || j >= ny) continue;
        cell_acc *c = &f->cells[(size_t)j * (size_t)nx + (size_t)i];
        c->count++;
        c->depth_sum_nm += d;
        if (d > c->depth_max_nm) c->depth_max_nm = d;
        c->layer[q->layer]++;
        uint32_t cb = d / (uint32_t)(CELL_BIN_M * 1e9);
        c->hist[cb < CELL_BINS ? cb : CELL_BINS - 1]++;
        int si = (int)((u - i) * SUB), sj = (int)((v - j) * SUB);
        c->mask |= 1ull << (sj * SUB + si);
    }
}

nd_status nd_field_merge(nd_field *f, const nd_field *o, nd_error *err)
{
    if (f->g.nx != o->g.nx || f->g.ny != o->g.ny || f->g.h != o->g.h)
        return nd_error_set(err, ND_ERR_INTERNAL, "merging fields of different grids");
    size_t n = (size_t)f->g.nx * (size_t)f->g.ny;
    for (size_t k = 0; k < n; k++) {
        cell_acc *a = &f->cells[k];
        const cell_acc *b = &o->cells[k];
        if (!b->count) continue;
        a->count += b->count;
        a->depth_sum_nm += b->depth_sum_nm;
        if (b->depth_max_nm > a->depth_max_nm) a->depth_max_nm = b->depth_max_nm;
        a->mask |= b->mask;
        for (int l = 0; l < ND_LAYER_COUNT; l++) a->layer[l] += b->layer[l];
        for (int h = 0; h < CELL_BINS; h++) a->hist[h] += b->hist[h];
    }
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        zone_acc *a = &f->zones[z];
        const zone_acc *b = &o->zones[z];
        a->strikes += b->strikes;
        a->punctures += b->punctures;
        a->depth_sum_nm += b->depth_sum_nm;
        if (b->depth_max_nm > a->depth_max_nm) a->depth_max_nm = b->depth_max_nm;
        for (int l = 0; l < ND_LAYER_COUNT; l++) a->layer[l] += b->layer[l];
        for (int h = 0; h < ZONE_BINS; h++) a->hist[h] += b->hist[h];
        if (b->t0 < a->t0) a->t0 = b->t0;
        if (b->t1 > a->t1) a->t1 = b->t1;
    }
    return ND_OK;
}

/* The q-quantile of a histogram with bins of width w, interpolated linearly
 * inside the bin that holds it. */
static double hist_quantile(const uint32_t *hist, int nbins, uint64_t total, double q, double w)
{
    double target = q * (double)total, acc = 0;
    for (int b = 0; b < nbins; b++) {
        double c = hist[b];
        if (c > 0 && acc + c >= target) return (b + (target - acc) / c) * w;
        acc += c;
    }
    return nbins * w;
}

void nd_field_zone_stats(const nd_field *f, int zone, nd_zone_stats *out)
{
    memset(out, 0, sizeof *out);
    out->zone = zone;
    if (zone < 0 || zone >= ND_ZONE_COUNT) return;
    const zone_acc *z = &f->zones[zone];
    double cell_cm2 = f->g.h * f->g.h * 1e4;
    out->cells = f->zone_cells[zone];
    out->area_cm2 = (double)out->cells * cell_cm2;
    out->strikes = z->strikes;
    out->punctures = z->punctures;
    out->t_start_s = isfinite(z->t0) ? z->t0 : 0;
    out->t_end_s = isfinite(z->t1) ? z->t1 : 0;
    if (out->area_cm2 > 0) out->punctures_per_cm2 = (double)z->punctures / out->area_cm2;
    if (z->punctures) {
        double n = (double)z->punctures;
        out->depth_mean_m = (double)z->depth_sum_nm * 1e-9 / n;
        out->depth_max_m = z->depth_max_nm * 1e-9;
        double result = hist_quantile(z->hist, ZONE_BINS, z->punctures, 0.95, ZONE_BIN_M);
        /* The top bin also holds everything deeper; never report past the maximum. */
        out->depth_p95_m = result < out->depth_max_m ? result : out->depth_max_m;
        for (int l = 0; l < ND_LAYER_COUNT; l++) out->layer_fraction[l] = (double)z->layer[l] / n;
    }
    /* Cell statistics over the zone's own cells. */
    long hit = 0;
    double sum = 0, sum2 = 0;
    uint64_t repeats = 0, cell_punct = 0;
    size_t n = (size_t)f->g.nx * (size_t)f->g.ny;
    for (size_t k = 0; k < n; k++) {
        if (f->cell_zone[k] != zone) continue;
        const cell_acc *c = &f->cells[k];
        hit += c->count > 0;
        sum += c->count;
        sum2 += (double)c->count * c->count;
        cell_punct += c->count;
        repeats += c->count - (uint32_t)__builtin_popcountll(c->mask);
    }
    if (out->cells) {
        out->coverage_fraction = (double)hit / (double)out->cells;
        double mean = sum / (double)out->cells;
        double var = sum2 / (double)out->cells - mean * mean;
        out->uniformity_cv = mean > 0 ? sqrt(var > 0 ? var : 0) / mean : 0;
    }
    if (cell_punct) out->repeat_fraction = (double)repeats / (double)cell_punct;
}

int nd_field_zone_histogram(const nd_field *f, int zone, uint64_t counts[ND_FIELD_ZONE_BINS],
                            double *bin_m)
{
    *bin_m = ZONE_BIN_M;
    for (int b = 0; b < ZONE_BINS; b++)
        counts[b] = zone >= 0 && zone < ND_ZONE_COUNT ? f->zones[zone].hist[b] : 0;
    return ZONE_BINS;
}

void nd_field_cell_stats(const nd_field *f, int i, int j, nd_cell_stats *out)
{
    memset(out, 0, sizeof *out);
    out->zone = nd_field_cell_zone(f, i, j);
    if (i < 0 || j < 0 || i >= f->g.nx || j >= f->g.ny) return;
    const cell_acc *c = &f->cells[(size_t)j * (size_t)f->g.nx + (size_t)i];
    out->punctures = c->count;
    out->punctures_per_cm2 = c->count / (f->g.h * f->g.h * 1e4);
    if (!c->count) return;
    double n = c->count;
    out->depth_mean_m = (double)c->depth_sum_nm * 1e-9 / n;
    out->depth_max_m = c->depth_max_nm * 1e-9;
    double result = hist_quantile(c->hist, CELL_BINS, c->count, 0.95, CELL_BIN_M);
    out->depth_p95_m = result < out->depth_max_m ? result : out->depth_max_m;
    for (int l = 0; l < ND_LAYER_COUNT; l++) out->layer_fraction[l] = c->layer[l] / n;
    out->repeat_hits = c->count - (uint32_t)__builtin_popcountll(c->mask);
}
