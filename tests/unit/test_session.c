/* Sessions: reproducibility across threads and seeds, strike kinematics. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "needle/device.h"
#include "needle/scenario.h"
#include "needle/session.h"
#include "needle/strikes.h"

/* Every statistic of every zone and every cell, as bytes. */
static void fingerprint(const nd_session *s, unsigned char **out, size_t *len)
{
    const nd_field *f = nd_session_field(s);
    const nd_grid *g = nd_field_grid(f);
    size_t n =
        ND_ZONE_COUNT * sizeof(nd_zone_stats) + (size_t)g->nx * g->ny * sizeof(nd_cell_stats);
    unsigned char *b = calloc(1, n), *p = b;
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        nd_zone_stats zs;
        nd_field_zone_stats(f, z, &zs);
        memcpy(p, &zs, sizeof zs);
        p += sizeof zs;
    }
    for (int j = 0; j < g->ny; j++)
        for (int i = 0; i < g->nx; i++) {
            nd_cell_stats cs;
            nd_field_cell_stats(f, i, j, &cs);
            memcpy(p, &cs, sizeof cs);
            p += sizeof cs;
        }
    *out = b;
    *len = n;
}

static void run(const nd_scenario *sc, int threads, unsigned char **fp, size_t *len)
{
    nd_error e;
    nd_session *s;
    assert_int_equal(nd_session_create(sc, &s, &e), ND_OK);
    nd_run_options o = {threads, NULL, NULL, NULL, NULL};
    assert_int_equal(nd_session_run(s, &o, &e), ND_OK);
    assert_true(nd_session_events(s) > 0);
    fingerprint(s, fp, len);
    nd_session_free(s);
}

static void same_seed_same_bits_for_any_thread_count(void **state)
{
    (void)state;
    nd_scenario sc;
    nd_error e;
    assert_int_equal(nd_scenario_default(&sc, &e), ND_OK);
    unsigned char *a, *b, *c;
    size_t la, lb, lc;
    run(&sc, 1, &a, &la);
    run(&sc, 2, &b, &lb);
    run(&sc, 3, &c, &lc);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_memory_equal(a, c, la);
    sc.seed += 1;
    unsigned char *d;
    size_t ld;
    run(&sc, 2, &d, &ld);
    assert_true(memcmp(a, d, la) != 0);
    free(a);
    free(b);
    free(c);
    free(d);
}

typedef struct {
    nd_puncture p[100000];
    long n;
} collect;

static void collect_sink(void *user, const nd_puncture *p, long n)
{
    collect *c = user;
    for (long k = 0; k < n && c->n < 100000; k++) c->p[c->n++] = p[k];
}

static int by_line_then_time(const void *a, const void *b)
{
    const nd_puncture *p = a, *q = b;
    if (p->y_m != q->y_m) return p->y_m < q->y_m ? -1 : 1;
    return (p->t_s > q->t_s) - (p->t_s < q->t_s);
}

/* The needles of one ring meet the skin in turn as the drum rolls: along a
 * stroke, ring 0's holes are pi D / needles_per_ring apart (or a whole
 * multiple of it where a hole would fall off the zone). */
static void roller_ring_holes_follow_the_drum(void **state)
{
    (void)state;
    nd_scenario sc;
    nd_error e;
    assert_int_equal(nd_scenario_default(&sc, &e), ND_OK);
    assert_int_equal(nd_device_preset("dermaroller_192", &sc.device, &e), ND_OK);
    nd_zone_plan *z = &sc.protocol.zones[0]; /* the forehead */
    z->depth_m = sc.device.needle_length_m;
    z->force_n = 10;
    z->motion = ND_MOTION_GLIDE;
    z->passes = 1;
    z->n_directions = 1;
    z->directions[0] = ND_DIR_HORIZONTAL;
    sc.protocol.n_zones = 1;
    sc.protocol.jitter_m = 0; /* a steady hand: each stroke is a straight line */
    nd_session *s;
    assert_int_equal(nd_session_create(&sc, &s, &e), ND_OK);
    collect *c = calloc(1, sizeof *c);
    nd_run_options o = {1, NULL, NULL, collect_sink, c};
    assert_int_equal(nd_session_run(s, &o, &e), ND_OK);
    long n = 0;
    for (long k = 0; k < c->n; k++)
        if (c->p[k].needle == 0) c->p[n++] = c->p[k];
    qsort(c->p, (size_t)n, sizeof c->p[0], by_line_then_time);
    const double step = M_PI * sc.device.drum_diameter_m / sc.device.needles_per_ring;
    long pairs = 0, adjacent = 0;
    for (long k = 1; k < n; k++) {
        const nd_puncture *p = &c->p[k - 1], *q = &c->p[k];
        if (p->y_m != q->y_m) continue; /* another stroke */
        double m = fabs(q->x_m - p->x_m) / step;
        assert_true(m > 0.5 && fabs(m - round(m)) < 1e-3);
        adjacent += lround(m) == 1;
        pairs++;
    }
    print_message("%ld ring-0 hole pairs, %ld one needle apart\n", pairs, adjacent);
    assert_true(pairs > 10 && adjacent > 0.9 * pairs);
    free(c);
    nd_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bits_for_any_thread_count),
        cmocka_unit_test(roller_ring_holes_follow_the_drum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
