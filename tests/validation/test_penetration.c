/* Validation: depth reached against nominal needle length or depth setting
 * (reference mechanics.md section 5).  The model explains why rollers reach a
 * fraction of their length and pens nearly all of their setting through one
 * mechanism, the speed at which the tip meets the skin.
 *
 *  - Kalluri 2011 (calibration point): 770 um DermaRoller, 152.5 +- 9.6 um.
 *    Tolerance: 2 SD.
 *  - Lam 2008: steel needles under 1 mm, pressed by hand, bury less than 50 %.
 *  - Sasaki 2019: pen channels "closely approximated" 0.5 and 1.5 mm settings.
 *    Tolerance: within 15 % of the setting.
 *  - Donnelly group (polymer array, human, hand press and hold): 0.77 of length.
 *    Printed for comparison; the model, calibrated on rat skin, is shallower
 *    for slow presses (docs/model.md, known limits). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "common.h"

static void kalluri_roller_770um(void **state)
{
    (void)state;
    nd_scenario sc;
    assert_int_equal(one_zone_scenario(&sc, "dermaroller_192", ND_ZONE_CHEEK_LEFT), 0);
    sc.device.needle_length_m = 770e-6;
    sc.device.needle_diameter_m = 140e-6; /* base width 140 um (Kalluri 2011) */
    sc.protocol.zones[0].depth_m = 770e-6;
    nd_zone_stats z;
    assert_int_equal(run_zone(&sc, 0, &z), 0);
    print_message("Kalluri 2011 roller 770 um: model %.1f um, paper 152.5 +- 9.6 um "
                  "(calibration point; tolerance 2 SD)\n",
                  z.depth_mean_m * 1e6);
    assert_true(fabs(z.depth_mean_m * 1e6 - 152.5) <= 2 * 9.6);
}

static void lam_hand_pressed_steel_buries_under_half(void **state)
{
    (void)state;
    const double lengths[] = {0.5e-3, 0.75e-3, 0.95e-3};
    for (int i = 0; i < 3; i++) {
        nd_scenario sc;
        assert_int_equal(one_zone_scenario(&sc, "stamp_35", ND_ZONE_FOREHEAD), 0);
        sc.device.needle_length_m = lengths[i];
        sc.protocol.zones[0].depth_m = lengths[i];
        nd_zone_stats z;
        assert_int_equal(run_zone(&sc, 0, &z), 0);
        double frac = z.depth_mean_m / lengths[i];
        print_message("Lam 2008 stamp %.2f mm: model buries %.0f %% of length, paper < 50 %%\n",
                      lengths[i] * 1e3, 100 * frac);
        assert_true(frac < 0.5);
        assert_true(z.punctures > 0);
    }
}

static void sasaki_pen_reaches_its_setting(void **state)
{
    (void)state;
    const double settings[] = {0.5e-3, 1.5e-3};
    for (int i = 0; i < 2; i++) {
        nd_scenario sc;
        assert_int_equal(one_zone_scenario(&sc, "pen_12", ND_ZONE_CHEEK_LEFT), 0);
        sc.protocol.zones[0].depth_m = settings[i];
        nd_zone_stats z;
        assert_int_equal(run_zone(&sc, 0, &z), 0);
        double frac = z.depth_mean_m / settings[i];
        print_message("Sasaki 2019 pen %.1f mm: model %.3f mm (%.0f %%), paper 'closely "
                      "approximated' (tolerance 15 %%)\n",
                      settings[i] * 1e3, z.depth_mean_m * 1e3, 100 * frac);
        assert_true(frac >= 0.85 && frac <= 1.0);
        assert_true(z.depth_max_m <= settings[i]);
    }
}

static void donnelly_hand_press_for_comparison(void **state)
{
    (void)state;
    nd_scenario sc;
    assert_int_equal(one_zone_scenario(&sc, "stamp_35", ND_ZONE_FOREHEAD), 0);
    sc.device.needle_length_m = 600e-6;
    sc.protocol.zones[0].depth_m = 600e-6;
    nd_zone_stats z;
    assert_int_equal(run_zone(&sc, 0, &z), 0);
    print_message("Donnelly polymer array 600 um, hand press (human, in vivo): model %.0f um "
                  "(%.0f %%), paper ~460 um (77 %%) - not matched, see docs/model.md\n",
                  z.depth_mean_m * 1e6, 100 * z.depth_mean_m / 600e-6);
    /* The mechanism still orders the devices: a faster press goes deeper. */
    sc.protocol.zones[0].press_speed_m_s *= 10;
    nd_zone_stats fast;
    assert_int_equal(run_zone(&sc, 0, &fast), 0);
    assert_true(fast.depth_mean_m > z.depth_mean_m);
}

static void same_needle_deeper_on_pen_than_roller(void **state)
{
    (void)state;
    nd_scenario roll, pen;
    assert_int_equal(one_zone_scenario(&roll, "dermaroller_192", ND_ZONE_CHEEK_LEFT), 0);
    roll.device.needle_length_m = 1.0e-3;
    roll.protocol.zones[0].depth_m = 1.0e-3;
    assert_int_equal(one_zone_scenario(&pen, "pen_12", ND_ZONE_CHEEK_LEFT), 0);
    pen.protocol.zones[0].depth_m = 1.0e-3;
    nd_zone_stats zr, zp;
    assert_int_equal(run_zone(&roll, 0, &zr), 0);
    assert_int_equal(run_zone(&pen, 0, &zp), 0);
    print_message("1.0 mm: roller %.2f mm, pen %.2f mm\n", zr.depth_mean_m * 1e3,
                  zp.depth_mean_m * 1e3);
    assert_true(zp.depth_mean_m > 3 * zr.depth_mean_m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kalluri_roller_770um),
        cmocka_unit_test(lam_hand_pressed_steel_buries_under_half),
        cmocka_unit_test(sasaki_pen_reaches_its_setting),
        cmocka_unit_test(donnelly_hand_press_for_comparison),
        cmocka_unit_test(same_needle_deeper_on_pen_than_roller),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
