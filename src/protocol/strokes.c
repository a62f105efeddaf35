/* Strokes over each zone; see include/needle/protocol.h. */
#include "needle/protocol.h"

#include <math.h>
#include <stdlib.h>

#include "needle/data.h"
#include "needle/device.h"
#include "needle/rng.h"

typedef struct {
    double reposition_s, speed_cv, force_cv;
} hand_params;

double nd_protocol_stamp_step(const nd_device_spec *dev, const nd_zone_plan *zp)
{
    return nd_device_footprint(dev) * (1.0 - zp->overlap);
}

/* Interval [lo, hi] along u where the line {c n + s u} crosses the polygon. */
static int line_span(const double *xs, const double *ys, int nv, double ux, double uy, double c,
                     double *lo, double *hi)
{
    double nx = -uy, ny = ux;
    int found = 0;
    for (int i = 0, j = nv - 1; i < nv; j = i++) {
        double ci = xs[i] * nx + ys[i] * ny, cj = xs[j] * nx + ys[j] * ny;
        if ((ci > c) == (cj > c)) continue;
        double t = (c - ci) / (cj - ci);
        double si = xs[i] * ux + ys[i] * uy, sj = xs[j] * ux + ys[j] * uy;
        double s = si + t * (sj - si);
        if (!found || s < *lo) *lo = s;
        if (!found || s > *hi) *hi = s;
        found = 1;
    }
    return found;
}

static void direction_vector(nd_direction d, double *ux, double *uy)
{
    const double h = sqrt(0.5);
    switch (d) { /* y grows downwards on the face map */
    case ND_DIR_HORIZONTAL:
        *ux = 1, *uy = 0;
        break;
    case ND_DIR_VERTICAL:
        *ux = 0, *uy = 1;
        break;
    case ND_DIR_DIAGONAL:
        *ux = h, *uy = -h;
        break;
    default:
        *ux = h, *uy = h;
        break;
    }
}

static double stroke_duration(const nd_device_spec *dev, const nd_zone_plan *zp, double length,
                              double speed)
{
    if (zp->motion == ND_MOTION_GLIDE) return length / speed;
    double spots = floor(length / nd_protocol_stamp_step(dev, zp)) + 1;
    if (dev->kind == ND_DEVICE_STAMP) return spots / zp->stamp_rate_hz;
    return spots * zp->dwell_s;
}

typedef struct {
    nd_stroke *v;
    long n, cap;
} stroke_vec;

static int push(stroke_vec *sv, const nd_stroke *s)
{
    if (sv->n == sv->cap) {
        long cap = sv->cap ? 2 * sv->cap : 256;
        nd_stroke *nv = realloc(sv->v, sizeof *nv * (size_t)cap);
        if (!nv) return -1;
        sv->v = nv;
        sv->cap = cap;
    }
    sv->v[sv->n++] = *s;
    return 0;
}

static double lognormal(nd_rng *r, double cv)
{
    double s = sqrt(log1p(cv * cv));
    return exp(s * nd_rng_normal(r) - 0.5 * s * s);
}

/* The strokes of one zone in one needling step, appended to sv from *clock on. */
static int plan_zone(const nd_scenario *sc, const nd_face *face, const hand_params *hp,
                     double swath, int plan, const nd_zone_plan *zp, int step, long *index,
                     int pass_base, double *clock, stroke_vec *sv)
{
    const nd_device_spec *dev = &sc->device;
    const double *xs, *ys;
    int nv;
    nd_face_polygon(face, zp->zone, &xs, &ys, &nv);
    const double spacing = swath * (1.0 - zp->overlap);
    for (int k = 0; k < zp->passes; k++) {
        const int pass = pass_base + k;
        double ux, uy;
        direction_vector(zp->directions[pass % zp->n_directions], &ux, &uy);
        const double nx = -uy, ny = ux;
        double cmin = INFINITY, cmax = -INFINITY;
        for (int i = 0; i < nv; i++) {
            double c = xs[i] * nx + ys[i] * ny;
            cmin = fmin(cmin, c);
            cmax = fmax(cmax, c);
        }
        nd_rng pr;
        nd_rng_init(&pr, sc->seed, ND_STREAM_PASS, (uint32_t)zp->zone, (uint32_t)pass);
        double c = cmin - 0.5 * swath + spacing * nd_rng_uniform(&pr);
        for (int line = 0; c <= cmax + 0.5 * swath; line++, c += spacing) {
            nd_rng r;
            nd_rng_init(&r, sc->seed, ND_STREAM_STROKE, (uint32_t)zp->zone, (uint32_t)*index);
            /* The hand sets off beside the planned line (half the jitter
             * variance; the other half is the weave along the stroke, see
             * strikes.c); the span covers the swath's edges as well as its centre. */
            double cc = c + sc->protocol.jitter_m * M_SQRT1_2 * nd_rng_normal(&r);
            double lo = INFINITY, hi = -INFINITY, a = 0, b = 0;
            for (int e = -1; e <= 1; e++) {
                if (line_span(xs, ys, nv, ux, uy, cc + 0.5 * e * swath, &a, &b)) {
                    lo = fmin(lo, a);
                    hi = fmax(hi, b);
                }
            }
            if (!(hi > lo)) continue;
            /* Run a little past the edges so the border gets the same dose. */
            double margin = 0.5 * (dev->kind == ND_DEVICE_ROLLER ? 0 : nd_device_footprint(dev));
            lo -= margin;
            hi += margin;
            nd_stroke s = {0};
            s.zone = zp->zone;
            s.plan = plan;
            s.step = step;
            s.pass = pass;
            s.index = (*index)++;
            int forward = line % 2 == 0; /* back and forth, as a hand works */
            double s0 = forward ? lo : hi;
            s.ux = forward ? ux : -ux;
            s.uy = forward ? uy : -uy;
            s.x0 = cc * nx + s0 * ux;
            s.y0 = cc * ny + s0 * uy;
            s.length_m = hi - lo;
            s.speed_m_s = zp->speed_m_s * lognormal(&r, hp->speed_cv);
            s.force_n = zp->force_n * lognormal(&r, hp->force_cv);
            s.depth_m = zp->depth_m;
            s.t_start_s = *clock;
            s.duration_s = stroke_duration(dev, zp, s.length_m, s.speed_m_s);
            *clock += s.duration_s + hp->reposition_s;
            if (push(sv, &s)) return -1;
        }
    }
    return 0;
}

nd_status nd_protocol_strokes(const nd_scenario *sc, const nd_face *face, const nd_table *params,
                              nd_stroke **strokes, long *n, nd_timeline *tl, nd_error *err)
{
    *strokes = NULL;
    *n = 0;
    hand_params hp;
    nd_status st = nd_param(params, "reposition_s", &hp.reposition_s, err);
    if (!st) st = nd_param(params, "speed_cv", &hp.speed_cv, err);
    if (!st) st = nd_param(params, "hand_force_cv", &hp.force_cv, err);
    if (st) return st;

    const nd_device_spec *dev = &sc->device;
    const double swath = nd_device_swath(dev);
    stroke_vec sv = {0};
    nd_timeline local;
    if (!tl) tl = &local;
    tl->n_steps = nd_protocol_steps(&sc->protocol, tl->steps);
    /* Stroke and pass numbers run on through a zone's needling steps, so each
     * stroke keeps a random stream of its own. */
    long index[ND_ZONE_COUNT] = {0};
    int pass_base[ND_ZONE_COUNT] = {0};
    double clock = 0;
    tl->needling_end_s = 0;
    for (int si = 0; si < tl->n_steps; si++) {
        const nd_step *step = &tl->steps[si];
        tl->start_s[si] = clock;
        if (step->kind != ND_STEP_NEEDLING) {
            /* A dressing stays on while the session goes on; every other step
             * takes its time. */
            if (step->kind != ND_STEP_OCCLUSION) clock += step->duration_s;
            tl->end_s[si] = step->kind == ND_STEP_OCCLUSION ? clock + step->duration_s : clock;
            continue;
        }
        for (int p = 0; p < sc->protocol.n_zones; p++) {
            nd_zone_plan zp = sc->protocol.zones[p];
            if (step->zone_mask && !(step->zone_mask & (1u << zp.zone))) continue;
            if (step->depth_m > 0) zp.depth_m = step->depth_m;
            if (step->passes > 0) zp.passes = step->passes;
            if (plan_zone(sc, face, &hp, swath, p, &zp, si, &index[zp.zone], pass_base[zp.zone],
                          &clock, &sv)) {
                free(sv.v);
                return nd_error_set(err, ND_ERR_NOMEM, "out of memory planning strokes");
            }
            pass_base[zp.zone] += zp.passes;
        }
        tl->end_s[si] = clock;
        tl->needling_end_s = clock;
    }
    *strokes = sv.v;
    *n = sv.n;
    return ND_OK;
}
