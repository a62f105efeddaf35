/* Validation: puncture density and pen spacing against published figures.
 *
 *  - Fernandes (via Doddaballapur 2009, reference mechanics.md 6.1): a
 *    192-needle roller (200 um needles, 70 um diameter) rolled 15 times over an
 *    area gives about 250 punctures/cm^2.  Tolerance: +-15 %.
 *  - Pen kinematics (mechanics.md 7): successive holes of one needle are
 *    glide speed / frequency apart.  Tolerance: 2 % on the session mean. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "common.h"
#include "needle/device.h"

static void fernandes_15_rolls_give_250_per_cm2(void **state)
{
    (void)state;
    nd_scenario sc;
    assert_int_equal(one_zone_scenario(&sc, "cit_roller_192", ND_ZONE_CHEEK_LEFT), 0);
    sc.protocol.zones[0].passes = 15;
    nd_zone_stats z;
    assert_int_equal(run_zone(&sc, 0, &z), 0);
    double paper = 250;
    print_message("Fernandes roller, 15 rolls: model %.0f punctures/cm2, paper ~%.0f "
                  "(tolerance +-15 %%)\n",
                  z.punctures_per_cm2, paper);
    assert_true(fabs(z.punctures_per_cm2 / paper - 1) <= 0.15);
    /* Every puncture of a 200 um needle stays above the reticular dermis. */
    assert_true(z.layer_fraction[ND_LAYER_RETICULAR] == 0);
    /* 2.5 punctures per 1 mm cell: about 1 - exp(-2.5) = 92 % of cells hit if
     * the holes fall at random; the roller's pattern is at least that even. */
    print_message("coverage of 1 mm cells %.3f (random placement %.3f)\n", z.coverage_fraction,
                  1 - exp(-z.punctures_per_cm2 / 100));
    assert_true(z.coverage_fraction > 1 - exp(-z.punctures_per_cm2 / 100) - 0.02);
}

/* Successive holes of one needle, grouped into runs of consecutive cycles. */
typedef struct {
    double period;
    double last_x, last_y, last_t;
    double run_first, run_sum; /* spacing of the run's first pair, sum over the run */
    long run_pairs;
    double sum_runs; /* sum over runs of the run's mean spacing */
    long runs, pairs, uneven;
} spacing_acc;

static void end_run(spacing_acc *a)
{
    if (a->run_pairs) {
        a->sum_runs += a->run_sum / a->run_pairs;
        a->runs++;
    }
    a->run_pairs = 0;
    a->run_sum = 0;
}

static void spacing_sink(void *user, const nd_puncture *p, long n)
{
    spacing_acc *a = user;
    for (long k = 0; k < n; k++) {
        if (p[k].needle != 0) continue;
        double dt = p[k].t_s - a->last_t;
        if (a->last_t > 0 && dt > 0.5 * a->period && dt < 1.5 * a->period) {
            double d = hypot(p[k].x_m - a->last_x, p[k].y_m - a->last_y);
            if (a->run_pairs == 0) a->run_first = d;
            /* Within a stroke the hand speed is steady, so the spacing is too;
             * the sideways weave (slope at most 2 pi A / (0.5 wavelength) =
             * 0.2) lengthens it by at most 2 %. */
            a->uneven += fabs(d - a->run_first) > 0.03 * a->run_first;
            a->run_sum += d;
            a->run_pairs++;
            a->pairs++;
        } else {
            end_run(a); /* a cycle off the zone, or a new stroke */
        }
        a->last_x = p[k].x_m;
        a->last_y = p[k].y_m;
        a->last_t = p[k].t_s;
    }
}

/* Each stroke's speed varies around the set speed (speed_cv), so the mean
 * spacing over strokes is v / f; tolerance 3 % (about 3 standard errors). */
static void pen_spacing_is_speed_over_frequency(void **state)
{
    (void)state;
    nd_scenario sc;
    assert_int_equal(one_zone_scenario(&sc, "pen_12", ND_ZONE_FOREHEAD), 0);
    double speeds[] = {0.01, 0.05};
    for (int i = 0; i < 2; i++) {
        sc.protocol.zones[0].speed_m_s = speeds[i];
        nd_error e;
        nd_session *s;
        assert_int_equal(nd_session_create(&sc, &s, &e), ND_OK);
        spacing_acc acc = {0};
        acc.period = 1.0 / sc.device.frequency_hz;
        nd_run_options o = {1, NULL, NULL, spacing_sink, &acc};
        assert_int_equal(nd_session_run(s, &o, &e), ND_OK);
        end_run(&acc);
        double expect = speeds[i] / sc.device.frequency_hz;
        double got = acc.sum_runs / acc.runs;
        print_message("pen at %.0f mm/s, %.0f Hz: mean spacing %.4f mm over %ld strokes, "
                      "v/f = %.4f mm\n",
                      speeds[i] * 1e3, sc.device.frequency_hz, got * 1e3, acc.runs, expect * 1e3);
        assert_true(acc.runs > 20);
        assert_int_equal(acc.uneven, 0);
        assert_true(fabs(got / expect - 1) < 0.03);
        nd_session_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fernandes_15_rolls_give_250_per_cm2),
        cmocka_unit_test(pen_spacing_is_speed_over_frequency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
