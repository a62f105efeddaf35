/* Sample sites: a 90-day series through one site in one run (stable, and
 * decaying where the kinetics say it must), the same bits for 1 and 2
 * threads, refusals, and the puncture collector.  Coarse voxels: seconds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "needle/tissue.h"

static const nd_layer_bounds cheek = {{16.8e-6f, 70e-6f, 330e-6f, 1.2e-3f}};
#define DAY 86400.0

static nd_site_spec spec(double voxel, int threads)
{
    nd_site_spec s;
    memset(&s, 0, sizeof s);
    s.bounds = cheek;
    s.x0_m = 0.01, s.y0_m = 0.02, s.width_m = 0.6e-3;
    s.voxel_m = voxel;
    s.threads = threads;
    return s;
}

/* Sessions at 0, 30 and 60 days: occluded cream for 45 min, then 3 passes
 * of a pen, 3 punctures a pass, 0.9 mm deep. */
static int series(const nd_site_spec *s, int sessions, nd_site_puncture *pu, nd_site_event *ev,
                  int *n_ev)
{
    int n = 0, m = 0;
    unsigned r = 7u;
    for (int k = 0; k < sessions; k++) {
        double t0 = k * 30 * DAY;
        ev[m++] = (nd_site_event){t0, ND_SITE_TOPICAL_ON, 1.0};
        ev[m++] = (nd_site_event){t0, ND_SITE_OCCLUSION_ON, 0};
        ev[m++] = (nd_site_event){t0 + 2700, ND_SITE_TOPICAL_OFF, 0};
        ev[m++] = (nd_site_event){t0 + 2700, ND_SITE_OCCLUSION_OFF, 0};
        for (int pass = 0; pass < 3; pass++)
            for (int q = 0; q < 3; q++) {
                r = r * 1103515245u + 12345u;
                double x = (r >> 8) / 16777216.0 * s->width_m;
                r = r * 1103515245u + 12345u;
                double y = (r >> 8) / 16777216.0 * s->width_m;
                pu[n++] = (nd_site_puncture){t0 + 2760 + 60 * pass + 0.01 * q, s->x0_m + x,
                                             s->y0_m + y, 0.9e-3, 70e-6};
            }
    }
    *n_ev = m;
    return n;
}

static int log_times(double *t, int n, double t0, double t1)
{
    for (int i = 0; i < n; i++) t[i] = t0 * pow(t1 / t0, (double)i / (n - 1));
    return n;
}

static void ninety_days_in_one_run(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_site_spec s = spec(50e-6, 1);
    nd_site_puncture pu[64];
    nd_site_event ev[16];
    int nev, npu = series(&s, 3, pu, ev, &nev);
    enum { NT = 120 };
    double times[NT];
    log_times(times, NT, 1.0, 90 * DAY);
    nd_site_sample out[NT];
    nd_tissue_stats st;
    assert_int_equal(nd_tissue_site_run(&p, &s, pu, npu, ev, nev, times, NT, out, &st, &e), ND_OK);
    printf("90 days, 3 sessions, 27 punctures: %lu steps (%lu rejected), last step %.1f days\n",
           (unsigned long)st.steps, (unsigned long)st.rejected, st.dt_last_s / DAY);
    double peak_ana = 0, peak_c1 = 1;
    for (int i = 0; i < NT; i++) {
        const nd_site_sample *o = &out[i];
        assert_true(o->time_s == times[i]);
        assert_true(isfinite(o->analgesia_depth_m) && isfinite(o->blood_m3) &&
                    isfinite(o->signal_mean) && isfinite(o->collagen1_rel));
        assert_true(o->open_fraction >= 0.0 && o->open_fraction <= 1.0 + 1e-12);
        assert_true(o->blood_m3 >= 0.0 && o->signal_mean >= -1e-9);
        assert_true(o->collagen1_rel >= 1.0 - 1e-9 && o->collagen3_rel >= 1.0 - 1e-9 &&
                    o->elastin_rel >= 1.0 - 1e-9);
        peak_ana = fmax(peak_ana, o->analgesia_depth_m);
        peak_c1 = fmax(peak_c1, o->collagen1_rel);
        if (i == 0) continue;
        /* Between one session's last puncture and the next session, open
         * channels, blood and signal only decay (first-order kinetics). */
        double t = times[i], tp = times[i - 1];
        int k = (int)floor(tp / (30 * DAY));
        double last = k * 30 * DAY + 2760 + 121;
        if (tp > last && t < (k + 1) * 30 * DAY) {
            assert_true(o->open_fraction <= out[i - 1].open_fraction);
            assert_true(o->blood_m3 <= out[i - 1].blood_m3 * (1 + 1e-12));
            assert_true(o->signal_mean <= out[i - 1].signal_mean + 1e-12);
        }
        /* A month after the last session collagen III only falls. */
        if (tp > 90 * DAY - 1 && tp >= 60 * DAY + 20 * DAY)
            assert_true(o->collagen3_rel <= out[i - 1].collagen3_rel + 1e-12);
    }
    const nd_site_sample *end = &out[NT - 1];
    printf("analgesia peak %.2f mm; at 90 days: open %.1e, blood %.2e m^3, signal %.2e, collagen I "
           "%.4f (peak %.4f), III %.4f, elastin %.4f\n",
           peak_ana * 1e3, end->open_fraction, end->blood_m3, end->signal_mean, end->collagen1_rel,
           peak_c1, end->collagen3_rel, end->elastin_rel);
    assert_true(peak_ana > 1e-3);                             /* the cream numbed */
    assert_true(end->analgesia_depth_m == 0.0);               /* and wore off */
    assert_true(end->open_fraction == 0.0);                   /* channels sealed */
    assert_true(peak_c1 > 1.05 && end->collagen1_rel > 1.05); /* collagen made, kept */
}

/* The agent, once below a quarter of the analgesic threshold with no cream
 * on, is dropped: the depth of analgesia stays the same to the bit (the
 * agent can no longer reach the threshold), the rest to round-off (nothing
 * else reads the agent; the kinetics are then stepped by another exact
 * formula), and the run never takes more steps.  (In a full-face run the
 * drop took a 40 um, 1 mm cheek site from about 7400 steps to 370.) */
static void dropping_the_spent_agent_changes_no_read_out(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_site_spec keep = spec(40e-6, 1), drop = keep;
    keep.agent_drop_fraction = -1.0;
    nd_site_puncture pu[64];
    nd_site_event ev[16];
    int nev, npu = series(&keep, 2, pu, ev, &nev);
    enum { NT = 80 };
    double times[NT];
    log_times(times, NT, 60.0, 60 * DAY);
    nd_site_sample a[NT], b[NT];
    nd_tissue_stats sa, sb;
    assert_int_equal(nd_tissue_site_run(&p, &keep, pu, npu, ev, nev, times, NT, a, &sa, &e), ND_OK);
    assert_int_equal(nd_tissue_site_run(&p, &drop, pu, npu, ev, nev, times, NT, b, &sb, &e), ND_OK);
    printf("60 days, 2 sessions: %lu steps keeping the spent agent, %lu dropping it\n",
           (unsigned long)sa.steps, (unsigned long)sb.steps);
    for (int i = 0; i < NT; i++) {
        assert_true(a[i].analgesia_depth_m == b[i].analgesia_depth_m);
        assert_true(a[i].open_fraction == b[i].open_fraction);
        assert_true(fabs(a[i].blood_m3 - b[i].blood_m3) <= 1e-12 * a[i].blood_m3);
        assert_true(fabs(a[i].collagen1_rel - b[i].collagen1_rel) <= 1e-12);
        assert_true(fabs(a[i].collagen3_rel - b[i].collagen3_rel) <= 1e-12);
        assert_true(fabs(a[i].elastin_rel - b[i].elastin_rel) <= 1e-12);
    }
    assert_true(a[NT / 4].analgesia_depth_m == 0.0 || a[NT / 4].time_s < 3 * 3600.0);
    assert_true(sb.steps <= sa.steps);
}

/* A serum put on after the passes goes in through their channels only: a
 * depth with punctures, none without (beyond the top voxel the read-out
 * reaches from the held surface); a serum with no molar mass is refused. */
static void a_serum_goes_in_through_the_channels(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_site_spec s = spec(40e-6, 1);
    nd_site_puncture pu[64];
    nd_site_event ev[20];
    int nev, npu = series(&s, 1, pu, ev, &nev);
    ev[nev++] = (nd_site_event){3000, ND_SITE_SERUM_ON, 1.0};
    ev[nev++] = (nd_site_event){4200, ND_SITE_SERUM_OFF, 0.0};
    double times[2] = {2990, 3600};
    nd_site_sample with[2], without[2];
    assert_int_equal(nd_tissue_site_run(&p, &s, pu, npu, ev, nev, times, 2, with, NULL, &e),
                     ND_ERR_INPUT);
    assert_string_equal(e.field, "serum_molar_mass_g_mol");
    s.serum_molar_mass_g_mol = 157.2; /* tranexamic acid */
    assert_int_equal(nd_tissue_site_run(&p, &s, pu, npu, ev, nev, times, 2, with, NULL, &e), ND_OK);
    assert_int_equal(nd_tissue_site_run(&p, &s, NULL, 0, ev, nev, times, 2, without, NULL, &e),
                     ND_OK);
    printf("serum 10 min after going on: %.2f mm after the passes, %.3f mm on intact skin\n",
           with[1].serum_depth_m * 1e3, without[1].serum_depth_m * 1e3);
    assert_true(with[0].serum_depth_m == 0.0 && without[0].serum_depth_m == 0.0);
    assert_true(with[1].serum_depth_m > 0.3e-3);
    assert_true(without[1].serum_depth_m < s.voxel_m);
}

static void same_bits_for_one_and_two_threads(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_site_sample out[2][12];
    nd_tissue_stats st[2];
    for (int th = 1; th <= 2; th++) {
        nd_site_spec s = spec(40e-6, th);
        nd_site_puncture pu[16];
        nd_site_event ev[8];
        int nev, npu = series(&s, 1, pu, ev, &nev);
        double times[12];
        log_times(times, 12, 10.0, 2 * DAY);
        assert_int_equal(
            nd_tissue_site_run(&p, &s, pu, npu, ev, nev, times, 12, out[th - 1], &st[th - 1], &e),
            ND_OK);
    }
    assert_memory_equal(out[0], out[1], sizeof out[0]);
    assert_true(st[0].steps == st[1].steps);
    printf("1 and 2 threads: identical samples after %lu steps\n", (unsigned long)st[0].steps);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_site_spec s = spec(50e-6, 1);
    nd_site_sample out[2];
    double times[2] = {10, 5}; /* not ascending */
    assert_int_equal(nd_tissue_site_run(&p, &s, NULL, 0, NULL, 0, times, 2, out, NULL, &e),
                     ND_ERR_INPUT);
    times[1] = 20;
    nd_site_puncture off = {1, 0.0, 0.0, 0.5e-3, 70e-6}; /* outside the window */
    assert_int_equal(nd_tissue_site_run(&p, &s, &off, 1, NULL, 0, times, 2, out, NULL, &e),
                     ND_ERR_INPUT);
    nd_site_event bad = {1, ND_SITE_EVENT_KINDS, 0};
    assert_int_equal(nd_tissue_site_run(&p, &s, NULL, 0, &bad, 1, times, 2, out, NULL, &e),
                     ND_ERR_INPUT);
    s.width_m = 0;
    assert_int_equal(nd_tissue_site_run(&p, &s, NULL, 0, NULL, 0, times, 2, out, NULL, &e),
                     ND_ERR_INPUT);
    /* Nothing happens: nothing changes. */
    s = spec(50e-6, 1);
    assert_int_equal(nd_tissue_site_run(&p, &s, NULL, 0, NULL, 0, times, 2, out, NULL, &e), ND_OK);
    assert_true(out[1].analgesia_depth_m == 0.0 && out[1].collagen1_rel == 1.0 &&
                out[1].blood_m3 == 0.0);
}

static void collector_keeps_what_falls_in_each_window(void **state)
{
    (void)state;
    nd_site_window w[2] = {{3, 0.010, 0.020, 1e-3, 70e-6}, {-1, 0.0105, 0.0205, 1e-3, 50e-6}};
    nd_site_collector *c;
    nd_error e;
    assert_int_equal(nd_site_collector_create(w, 2, 3, &c, &e), ND_OK);
    nd_puncture p[6];
    memset(p, 0, sizeof p);
    /* in both, in the second only (zone 4), in neither, not pierced, and two
     * more in both (the first window's cap is 3) */
    float xs[6] = {0.0106f, 0.0108f, 0.0300f, 0.0106f, 0.0107f, 0.01065f};
    for (int i = 0; i < 6; i++) {
        p[i].t_s = i;
        p[i].x_m = xs[i], p[i].y_m = 0.0206f;
        p[i].depth_m = i == 3 ? 0.0f : 0.8e-3f;
        p[i].layer = i == 3 ? -1 : ND_LAYER_RETICULAR;
        p[i].zone = i == 1 ? 4 : 3;
    }
    nd_site_collector_set_offset(c, 30 * DAY);
    nd_site_collect(c, p, 6);
    long n, dropped;
    const nd_site_puncture *a = nd_site_collector_punctures(c, 0, &n, &dropped);
    assert_int_equal(n, 3);
    assert_int_equal(dropped, 0);
    assert_true(a[0].t_s == 30 * DAY && a[0].diameter_m == 70e-6 && a[0].x_m == (double)xs[0]);
    a = nd_site_collector_punctures(c, 1, &n, &dropped);
    assert_int_equal(n, 3); /* 0, 1, 4: cap 3 */
    assert_int_equal(dropped, 1);
    assert_true(a[1].x_m == (double)xs[1] && a[1].diameter_m == 50e-6);
    assert_null(nd_site_collector_punctures(c, 2, &n, NULL));
    assert_int_equal(n, 0);
    nd_site_collector_free(c);
    assert_int_equal(nd_site_collector_create(w, 0, 3, &c, &e), ND_ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ninety_days_in_one_run),
        cmocka_unit_test(dropping_the_spent_agent_changes_no_read_out),
        cmocka_unit_test(a_serum_goes_in_through_the_channels),
        cmocka_unit_test(same_bits_for_one_and_two_threads),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(collector_keeps_what_falls_in_each_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
