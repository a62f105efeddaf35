/*
 * needle — counter-based random streams (Philox4x32-10, Random123).
 *
 * A stream is named by (seed, purpose, a, b): for example (seed, ND_STREAM_STROKE,
 * zone, stroke).  Its n-th draw is a pure function of those numbers and n, never
 * of the thread or process that makes it, which is what makes every run
 * bit-identical for any number of threads or MPI ranks.
 */
#ifndef NEEDLE_RNG_H
#define NEEDLE_RNG_H

#include <stdint.h>

#include <Random123/philox.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a stream is for; keeps the streams of different model parts apart. */
enum {
    ND_STREAM_SKIN = 1,    /* a = layer, b = mode: within-zone thickness field */
    ND_STREAM_PATIENT = 2, /* a = zone: patient-level draws */
    ND_STREAM_STROKE = 3, /* a = zone, b = stroke: the hand on that stroke (jitter, speed, force) */
    ND_STREAM_PASS = 4,   /* a = zone, b = pass: where the pass's pattern of strokes starts */
    ND_STREAM_STRIKE = 5, /* a = zone, b = stroke: every needle event of that stroke */
    ND_STREAM_SITE = 6,   /* a = zone, b = site: where a 3-D sample site lies */
};

typedef struct nd_rng {
    philox4x32_key_t key;
    philox4x32_ctr_t ctr;
    philox4x32_ctr_t out;
    int avail; /* unread words left in out */
} nd_rng;

/* Start the stream (seed, purpose, a, b) at its first draw. */
static inline void nd_rng_init(nd_rng *r, uint64_t seed, uint32_t purpose, uint32_t a, uint32_t b)
{
    r->key.v[0] = (uint32_t)seed;
    r->key.v[1] = (uint32_t)(seed >> 32);
    r->ctr.v[0] = purpose;
    r->ctr.v[1] = a;
    r->ctr.v[2] = b;
    r->ctr.v[3] = 0;
    r->avail = 0;
}

static inline __attribute__((always_inline)) uint32_t nd_rng_u32(nd_rng *r)
{
    if (r->avail == 0) {
        r->out = philox4x32(r->ctr, r->key);
        r->ctr.v[3]++;
        r->avail = 4;
    }
    return r->out.v[--r->avail];
}

/* Uniform on the open interval (0, 1), 32-bit resolution. */
static inline double nd_rng_uniform(nd_rng *r)
{
    return ((double)nd_rng_u32(r) + 0.5) * (1.0 / 4294967296.0);
}

/* Standard normal quantile of p in (0, 1) (Acklam's rational approximation,
 * relative error below 1.2e-9): no transcendental call in the central 95 %. */
double nd_normal_quantile(double p);

/* Standard normal draw by inversion: one 32-bit word per draw. */
static inline double nd_rng_normal(nd_rng *r)
{
    return nd_normal_quantile(nd_rng_uniform(r));
}

/* Draws of a log-normal factor exp(sigma Z - shift) by table lookup: the
 * quantile function sampled at 4096 points and interpolated linearly, with the
 * outermost 1/4096 of each tail computed exactly.  Relative error below 1e-5;
 * ten times cheaper than exp() of a normal quantile, and just as deterministic. */
#define ND_LOGNORMAL_BITS 12
#define ND_LOGNORMAL_N    (1 << ND_LOGNORMAL_BITS)

typedef struct {
    double sigma, shift;
    float q[ND_LOGNORMAL_N + 1];
} nd_lognormal_table;

/* shift = 0 gives unit median; shift = sigma^2 / 2 gives unit mean. */
void nd_lognormal_table_init(nd_lognormal_table *t, double sigma, double shift);
float nd_lognormal_tail(const nd_lognormal_table *t, uint32_t u);

static inline float nd_rng_lognormal(nd_rng *r, const nd_lognormal_table *t)
{
    uint32_t u = nd_rng_u32(r);
    uint32_t i = u >> (32 - ND_LOGNORMAL_BITS);
    if (i == 0 || i == ND_LOGNORMAL_N - 1) return nd_lognormal_tail(t, u);
    float f = (float)(u & ((1u << (32 - ND_LOGNORMAL_BITS)) - 1)) *
              (1.0f / (float)(1u << (32 - ND_LOGNORMAL_BITS)));
    return t->q[i] + f * (t->q[i + 1] - t->q[i]);
}

#ifdef __cplusplus
}
#endif
#endif
