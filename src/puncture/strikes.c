/* Strikes of one stroke; see include/needle/strikes.h.
 *
 * Four kinematics share one event path:
 *  - roller: needle j of ring r touches down each time the drum's rotation
 *    brings it to the bottom, every pi D of travel;
 *  - manual stamp: the whole array presses once per placement;
 *  - estamp or pen in stamp motion: the array fires f x dwell times per placement;
 *  - estamp or pen gliding: the array fires every 1/f s while moving at v, so a
 *    needle's successive holes are v / f apart.
 * A gliding hand also weaves: the stroke drifts sideways as a sine of the
 * distance travelled, with an amplitude that gives it half the jitter variance
 * and a wavelength drawn per stroke. */
#include "needle/strikes.h"

#include <math.h>

#include "needle/device.h"
#include "needle/rng.h"

#define MAX_NEEDLES 1600 /* 40 x 40, the largest array a scenario may describe */

typedef struct {
    const nd_strike_context *ctx;
    const nd_strike_setup *setup;
    nd_rng *rng;
    int zone;
    double inv_h;
    double weave_amp, weave_k, weave_phase; /* lateral drift: amp sin(k d + phase) */
    int needles;                            /* array devices: offsets of each needle on the face, */
    double dx[MAX_NEEDLES], dy[MAX_NEEDLES]; /* rotated to this stroke's direction */
    nd_puncture *buf;
    long cap, n, events;
    nd_puncture_sink sink;
    void *user;
} event_path;

static inline void flush(event_path *ep)
{
    if (ep->n) ep->sink(ep->user, ep->buf, ep->n);
    ep->n = 0;
}

static inline void event(event_path *ep, double x, double y, double t, int needle)
{
    const nd_skin_grid *sg = ep->ctx->skin;
    double u = (x - sg->grid.x0) * ep->inv_h, v = (y - sg->grid.y0) * ep->inv_h;
    if (u < 0 || v < 0 || u >= sg->grid.nx || v >= sg->grid.ny) return;
    size_t cell = (size_t)(int)v * (size_t)sg->grid.nx + (size_t)(int)u;
    if (sg->cell_zone[cell] != ep->zone) return;
    float f1 = nd_rng_lognormal(ep->rng, ep->ctx->force_spread);
    float f2 = nd_rng_lognormal(ep->rng, ep->ctx->drag_spread);
    float d = nd_insertion_depth(ep->setup, f1, f2);
    nd_puncture *p = &ep->buf[ep->n++];
    p->t_s = t;
    p->x_m = (float)x;
    p->y_m = (float)y;
    p->zone = (int16_t)ep->zone;
    p->needle = (int8_t)(needle < 127 ? needle : 127);
    if (d < 0) {
        p->depth_m = 0;
        p->layer = -1;
    } else {
        p->depth_m = d;
        p->layer = (int8_t)nd_layer_at(&sg->cell_bounds[cell], d);
    }
    ep->events++;
    if (ep->n == ep->cap) flush(ep);
}

static inline double weave(const event_path *ep, double d)
{
    return ep->weave_amp * sin(ep->weave_k * d + ep->weave_phase);
}

static void roll(event_path *ep, const nd_device_spec *dev, const nd_stroke *s)
{
    const double C = M_PI * dev->drum_diameter_m, W = dev->drum_width_m;
    const double nx = -s->uy, ny = s->ux;
    const double theta0 = nd_rng_uniform(ep->rng); /* drum angle at the start, in turns */
    const double golden = 0.6180339887498949;
    for (int r = 0; r < dev->rings; r++) {
        double a = (r + 0.5) * W / dev->rings - 0.5 * W;
        /* Rings are staggered round the drum so that no two touch down at once. */
        double stagger = fmod(r * golden, 1.0) / dev->needles_per_ring;
        for (int j = 0; j < dev->needles_per_ring; j++) {
            double turn = (double)j / dev->needles_per_ring + stagger - theta0;
            turn -= floor(turn);
            for (double d = turn * C; d <= s->length_m; d += C) {
                double side = a + weave(ep, d);
                event(ep, s->x0 + d * s->ux + side * nx, s->y0 + d * s->uy + side * ny,
                      s->t_start_s + d / s->speed_m_s, r);
            }
        }
    }
}

static void place_needles(event_path *ep, const nd_device_spec *dev, const nd_stroke *s)
{
    const double nx = -s->uy, ny = s->ux;
    ep->needles = dev->rows * dev->cols;
    for (int i = 0; i < ep->needles; i++) {
        double du, dv;
        nd_device_needle_offset(dev, i, &du, &dv);
        ep->dx[i] = du * s->ux + dv * nx;
        ep->dy[i] = du * s->uy + dv * ny;
    }
}

static void fire_array(event_path *ep, double cx, double cy, double t)
{
    for (int i = 0; i < ep->needles; i++) event(ep, cx + ep->dx[i], cy + ep->dy[i], t, i);
}

static void stamp(event_path *ep, const nd_scenario *sc, const nd_stroke *s)
{
    const nd_device_spec *dev = &sc->device;
    const nd_zone_plan *zp = &sc->protocol.zones[s->plan];
    const double step = nd_protocol_stamp_step(dev, zp), jitter = sc->protocol.jitter_m;
    const int manual = dev->kind == ND_DEVICE_STAMP;
    const long cycles = manual ? 1 : lround(fmax(1.0, dev->frequency_hz * zp->dwell_s));
    const double per_spot = manual ? 1.0 / zp->stamp_rate_hz : zp->dwell_s;
    long k = 0;
    for (double d = 0; d <= s->length_m; d += step, k++) {
        /* Each placement lands off its mark by the hand's jitter. */
        double cx = s->x0 + d * s->ux + jitter * nd_rng_normal(ep->rng);
        double cy = s->y0 + d * s->uy + jitter * nd_rng_normal(ep->rng);
        for (long c = 0; c < cycles; c++)
            fire_array(ep, cx, cy, s->t_start_s + k * per_spot + c / fmax(1.0, dev->frequency_hz));
    }
}

static void glide(event_path *ep, const nd_device_spec *dev, const nd_stroke *s)
{
    const double dt = 1.0 / dev->frequency_hz;
    const long cycles = (long)floor(s->duration_s * dev->frequency_hz);
    const double phase = nd_rng_uniform(ep->rng) * dt; /* where in its cycle the motor starts */
    for (long c = 0; c <= cycles; c++) {
        double t = phase + c * dt;
        if (t > s->duration_s) break;
        double d = t * s->speed_m_s, side = weave(ep, d);
        fire_array(ep, s->x0 + d * s->ux - side * s->uy, s->y0 + d * s->uy + side * s->ux,
                   s->t_start_s + t);
    }
}

long nd_stroke_run(const nd_strike_context *ctx, const nd_stroke *s, nd_puncture *buf, long cap,
                   nd_puncture_sink sink, void *user)
{
    const nd_scenario *sc = ctx->scenario;
    const nd_device_spec *dev = &sc->device;
    const nd_zone_plan *zp = &sc->protocol.zones[s->plan];

    double tip_speed, force = 0, nominal = s->depth_m;
    switch (dev->kind) {
    case ND_DEVICE_ROLLER:
        tip_speed = nd_roller_entry_speed(dev, s->speed_m_s);
        force = s->force_n / nd_roller_needles_in_contact(dev);
        nominal = dev->needle_length_m;
        break;
    case ND_DEVICE_STAMP:
        tip_speed = zp->press_speed_m_s;
        force = s->force_n / nd_device_needles(dev);
        nominal = dev->needle_length_m;
        break;
    default:
        tip_speed = nd_motor_entry_speed(dev, s->depth_m);
        break;
    }
    nd_strike_setup setup;
    nd_insertion_setup(ctx->insertion, dev, nominal, tip_speed, force, &setup);

    nd_rng rng;
    nd_rng_init(&rng, sc->seed, ND_STREAM_STRIKE, (uint32_t)s->zone, (uint32_t)s->index);
    event_path ep;
    ep.ctx = ctx;
    ep.setup = &setup;
    ep.rng = &rng;
    ep.zone = s->zone;
    ep.inv_h = 1.0 / ctx->skin->grid.h;
    ep.buf = buf;
    ep.cap = cap;
    ep.n = ep.events = 0;
    ep.sink = sink;
    ep.user = user;
    /* A sine of amplitude A has variance A^2 / 2: A = jitter gives the weave
     * half of the jitter variance. */
    double wavelength = ctx->weave_wavelength_m * (0.5 + nd_rng_uniform(&rng));
    ep.weave_amp = sc->protocol.jitter_m;
    ep.weave_k = 2.0 * M_PI / wavelength;
    ep.weave_phase = 2.0 * M_PI * nd_rng_uniform(&rng);
    if (dev->kind == ND_DEVICE_ROLLER) {
        roll(&ep, dev, s);
    } else {
        place_needles(&ep, dev, s);
        if (zp->motion == ND_MOTION_STAMP)
            stamp(&ep, sc, s);
        else
            glide(&ep, dev, s);
    }
    flush(&ep);
    return ep.events;
}
