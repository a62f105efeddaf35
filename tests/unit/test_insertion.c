/* Insertion mechanics and device kinematics: the behaviours the model claims. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "needle/device.h"
#include "needle/insertion.h"
#include "needle/rng.h"

static nd_insertion_params P;

static int load(void **state)
{
    (void)state;
    nd_error e;
    return nd_insertion_params_load(NULL, &P, &e) == ND_OK ? 0 : -1;
}

static nd_device_spec stamp(int rows, int cols, double pitch, double tip)
{
    nd_device_spec d = {0};
    d.kind = ND_DEVICE_STAMP;
    d.rows = rows;
    d.cols = cols;
    d.pitch_m = pitch;
    d.needle_length_m = 1e-3;
    d.needle_diameter_m = 0.25e-3;
    d.tip_radius_m = tip;
    return d;
}

/* Fraction pierced and mean depth over n strikes. */
static void sample(const nd_strike_setup *s, int n, double *pierced, double *mean)
{
    nd_rng r;
    nd_rng_init(&r, 9, ND_STREAM_STRIKE, 0, 0);
    int k = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        float f1 = expf(s->sigma_force * (float)nd_rng_normal(&r));
        float f2 = expf(s->sigma_drag * (float)nd_rng_normal(&r));
        float d = nd_insertion_depth(s, f1, f2);
        if (d >= 0) {
            k++;
            sum += d;
        }
    }
    *pierced = (double)k / n;
    *mean = k ? sum / k : 0;
}

static void dense_arrays_need_more_force(void **state)
{
    (void)state;
    /* The same 2 N on 12 needles or on 400: each of the 400 gets too little. */
    nd_device_spec few = stamp(3, 4, 1e-3, 20e-6), many = stamp(20, 20, 0.5e-3, 20e-6);
    nd_strike_setup a, b;
    nd_insertion_setup(&P, &few, 1e-3, 0.01, 2.0 / 12, &a);
    nd_insertion_setup(&P, &many, 1e-3, 0.01, 2.0 / 400, &b);
    double pa, pb, da, db;
    sample(&a, 20000, &pa, &da);
    sample(&b, 20000, &pb, &db);
    print_message("2 N on 12 needles: %.0f %% pierce; on 400: %.0f %%\n", 100 * pa, 100 * pb);
    assert_true(pa > 0.99);
    assert_true(pb < 0.5);
}

static void sharper_tips_pierce_with_less_force(void **state)
{
    (void)state;
    nd_device_spec sharp = stamp(1, 1, 1e-3, 4e-6), blunt = stamp(1, 1, 1e-3, 40e-6);
    nd_strike_setup a, b;
    nd_insertion_setup(&P, &sharp, 1e-3, 0.01, 0.05, &a);
    nd_insertion_setup(&P, &blunt, 1e-3, 0.01, 0.05, &b);
    /* Davis 2004: insertion force linear in tip interfacial area. */
    assert_true(fabs(b.f_ins_n / a.f_ins_n - 100.0) < 1e-3 * 100);
    double pa, pb, da, db;
    sample(&a, 10000, &pa, &da);
    sample(&b, 10000, &pb, &db);
    assert_true(pa > 0.99 && pb < 0.5);
}

static void faster_entry_dimples_less(void **state)
{
    (void)state;
    nd_device_spec d = stamp(1, 1, 1e-3, 4e-6);
    double last = 0;
    const double speeds[] = {0.002, 0.008, 0.05, 0.3, 1.0};
    for (int i = 0; i < 5; i++) {
        nd_strike_setup s;
        nd_insertion_setup(&P, &d, 1e-3, speeds[i], 1.0, &s);
        double p, mean;
        sample(&s, 5000, &p, &mean);
        print_message("entry %.3f m/s: depth %.3f mm of 1 mm\n", speeds[i], mean * 1e3);
        assert_true(mean > last);
        assert_true(mean <= 1e-3);
        last = mean;
    }
    /* At the calibration speed the median drag ratio is the calibrated one. */
    nd_strike_setup s;
    nd_insertion_setup(&P, &d, 1e-3, P.drag_ref_speed_m_s, 1.0, &s);
    assert_true(fabs(s.drag_ratio - P.drag_ratio_ref) < 1e-5);
}

static void motor_needle_pierces_unless_stroke_is_tiny(void **state)
{
    (void)state;
    nd_device_spec pen = stamp(3, 4, 1e-3, 5e-6);
    pen.kind = ND_DEVICE_PEN;
    pen.frequency_hz = 110;
    pen.motor_stroke_m = 3e-3;
    nd_strike_setup s;
    nd_insertion_setup(&P, &pen, 0.25e-3, nd_motor_entry_speed(&pen, 0.25e-3), 0, &s);
    double p, mean;
    sample(&s, 5000, &p, &mean);
    assert_true(p > 0.999);
    /* A blunt tip on a 20 um setting: the skin gives way instead of tearing. */
    pen.tip_radius_m = 60e-6;
    nd_insertion_setup(&P, &pen, 20e-6, nd_motor_entry_speed(&pen, 20e-6), 0, &s);
    sample(&s, 5000, &p, &mean);
    assert_true(p < 0.01);
}

static void kinematics(void **state)
{
    (void)state;
    nd_device_spec r = {0};
    r.kind = ND_DEVICE_ROLLER;
    r.rings = 24;
    r.needles_per_ring = 8;
    r.drum_diameter_m = 0.02;
    r.drum_width_m = 0.02;
    r.needle_length_m = 0.77e-3;
    /* 192 x acos(10 / 10.77) / pi: about 23 needles share the force. */
    assert_true(fabs(nd_roller_needles_in_contact(&r) - 192 * acos(10 / 10.77) / M_PI) < 1e-9);
    assert_true(fabs(nd_roller_entry_speed(&r, 0.02) - 0.008) < 0.0005);
    nd_device_spec pen = stamp(3, 4, 1e-3, 5e-6);
    pen.frequency_hz = 100;
    pen.motor_stroke_m = 2e-3;
    /* Entry at mid-stroke is the peak speed of the sinusoid, pi f S. */
    assert_true(fabs(nd_motor_entry_speed(&pen, 1e-3) - M_PI * 100 * 2e-3) < 1e-12);
    assert_true(fabs(nd_device_swath(&pen) - 4e-3) < 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dense_arrays_need_more_force),
        cmocka_unit_test(sharper_tips_pierce_with_less_force),
        cmocka_unit_test(faster_entry_dimples_less),
        cmocka_unit_test(motor_needle_pierces_unless_stroke_is_tiny),
        cmocka_unit_test(kinematics),
    };
    return cmocka_run_group_tests(tests, load, NULL);
}
