/* Sensitivity to every assumption in data/parameters.csv: each one is run at
 * the low and high ends of its documented range, and the change in the
 * read-out it acts on is printed.  Where the mechanism says which way the
 * read-out must move, the test asserts it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "needle/data.h"
#include "needle/indication.h"
#include "needle/outcome.h"
#include "needle/scenario.h"
#include "needle/session.h"

enum { PEN, ROLLER, STAMP, ESTAMP, SERIES, STRONG, SERUM };
static const char *const SCENARIOS[] = {
    [PEN] = "device: {preset: pen_12}\n"
            "protocol: {zones: [{zone: forehead, depth_mm: 0.5}]}\n",
    [ROLLER] = "device: {preset: dermaroller_192}\n"
               "protocol: {zones: [{zone: cheek_left, passes: 4}]}\n",
    [STAMP] = "device: {preset: stamp_35}\n"
              "protocol: {zones: [{zone: chin, passes: 2}]}\n",
    [ESTAMP] = "device: {preset: estamp_35}\n"
               "protocol: {zones: [{zone: chin, depth_mm: 1.0}]}\n",
    [SERIES] = "device: {preset: pen_12}\n"
               "protocol:\n  numbing: {cream: emla, application_min: 30}\n"
               "  sessions: 3\n  zones: [{zone: cheek_left, depth_mm: 1.5}]\n",
    [STRONG] = "device: {preset: pen_36}\n"
               "protocol: {sessions: 8, interval_days: 21, follow_up_days: 30,\n"
               "  zones: [{zone: forehead, depth_mm: 2.0, passes: 4}]}\n",
    [SERUM] = "device: {preset: pen_12}\n"
              "protocol:\n  steps: [{needling: {}}, {topical: {product: hyaluronic_acid, "
              "contact_min: 20}}]\n  zones: [{zone: forehead, depth_mm: 1.0}]\n",
};

typedef enum {
    DENSITY,
    DEPTH,
    RETICULAR,
    CV,
    DURATION,
    COVERAGE,
    ANALGESIA,
    PAIN,
    BLEEDING,
    BRUISING,
    DOWNTIME,
    EDEMA,
    CHANNELS,
    COLLAGEN,
    ELASTIN,
    PIH,
    WRINKLES,
    TOPICAL,
} metric;
static const char *const METRIC_NAMES[] = {
    "punctures/cm2", "depth mean mm", "reticular fraction", "uniformity CV", "session end s",
    "coverage",      "analgesia mm",  "pain VAS",           "bleeding /cm2", "bruising risk",
    "downtime days", "edema peak",    "channel t1/2 h",     "collagen I",    "elastin",
    "PIH risk",      "wrinkle grade", "serum depth mm"};

/* The read-out of one run with one parameter overridden. */
static double run(int scenario, const char *param, double value, metric m)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "patient: {age_y: 40, sex: female, fitzpatrick: III}\n%s"
             "model_parameters: {%s: %.10g}\n",
             SCENARIOS[scenario], param, value);
    nd_scenario sc;
    nd_error e;
    if (nd_scenario_parse(yaml, strlen(yaml), "sensitivity", &sc, &e)) {
        print_error("%s = %g: %s\n", param, value, e.message);
        fail();
    }
    nd_session *s;
    assert_int_equal(nd_session_create(&sc, &s, &e), ND_OK);
    nd_run_options opts = {0, NULL, NULL, NULL, NULL};
    assert_int_equal(nd_session_run(s, &opts, &e), ND_OK);
    nd_zone_stats z;
    nd_field_zone_stats(nd_session_field(s), sc.protocol.zones[0].zone, &z);
    nd_outcome_params mid, lo, hi;
    assert_int_equal(nd_outcome_params_load(nd_session_params(s), ND_PARAM_VALUE, &mid, &e), ND_OK);
    assert_int_equal(nd_outcome_params_load(nd_session_params(s), ND_PARAM_LOW, &lo, &e), ND_OK);
    assert_int_equal(nd_outcome_params_load(nd_session_params(s), ND_PARAM_HIGH, &hi, &e), ND_OK);
    nd_outcome_input in;
    nd_outcome_input_from_field(nd_session_field(s), sc.protocol.zones[0].zone, &in);
    nd_zone_outcome o;
    assert_int_equal(nd_outcome_zone(&mid, &lo, &hi, &sc, &in, &o, &e), ND_OK);
    double v = 0;
    switch (m) {
    case DENSITY:
        v = z.punctures_per_cm2;
        break;
    case DEPTH:
        v = z.depth_mean_m * 1e3;
        break;
    case RETICULAR:
        v = z.layer_fraction[3] + z.layer_fraction[4];
        break;
    case CV:
        v = z.uniformity_cv;
        break;
    case DURATION:
        v = nd_session_end_time(s);
        break;
    case COVERAGE:
        v = z.coverage_fraction;
        break;
    case ANALGESIA:
        v = o.anesthesia_depth_m * 1e3;
        break;
    case PAIN:
        v = o.pain_vas.mid;
        break;
    case BLEEDING:
        v = o.bleeding_points_per_cm2.mid;
        break;
    case BRUISING:
        v = o.bruising_risk.mid;
        break;
    case DOWNTIME:
        v = o.downtime_days.mid;
        break;
    case EDEMA:
        v = o.edema_peak;
        break;
    case CHANNELS:
        v = o.channel_half_life_h;
        break;
    case COLLAGEN:
        v = o.collagen_I_rel.mid;
        break;
    case ELASTIN:
        v = o.elastin_rel.mid;
        break;
    case PIH:
        v = o.pih_risk.mid;
        break;
    case TOPICAL:
        v = o.topical_depth_m * 1e3;
        break;
    case WRINKLES: {
        double cap;
        nd_indication_result r;
        assert_int_equal(nd_param(nd_session_params(s), "indication_cap", &cap, &e), ND_OK);
        assert_int_equal(nd_indication_expect(&sc, 0, &mid, cap, ND_IND_WRINKLES, &r, &e), ND_OK);
        v = r.value.mid;
        break;
    }
    }
    nd_session_free(s);
    return v;
}

/* What each assumption acts on and which way a larger value must move it
 * (+1, -1, or 0 where the mechanism fixes no direction). */
static const struct {
    const char *param;
    int scenario;
    metric m;
    int sign;
} CASES[] = {
    {"age_ref_y", PEN, RETICULAR, -1}, /* a later reference age: this patient's skin is thicker */
    {"thickness_length_m", PEN, RETICULAR, 0},
    {"thickness_modes", PEN, RETICULAR, 0},
    {"puncture_stress_pa", STAMP, DENSITY, 0},
    {"insertion_rate_floor", STAMP, DENSITY, 0},
    {"insertion_force_cv", STAMP, DENSITY, 0},
    {"skin_poisson", PEN, DENSITY, 0},
    {"hand_force_cv", ROLLER, DEPTH, 0},
    {"speed_cv", ROLLER, DEPTH, 0},
    {"jitter_m", PEN, CV, 0},
    {"weave_wavelength_m", PEN, CV, 0},
    {"overlap", ROLLER, DENSITY, +1}, /* strokes closer together */
    {"reposition_s", PEN, DURATION, +1},
    {"roller_speed_m_s", ROLLER, DEPTH, +1}, /* faster entry, less dimpling */
    {"roller_force_n", ROLLER, DEPTH, 0},
    {"stamp_force_n", STAMP, DEPTH, 0},
    {"stamp_press_speed_m_s", STAMP, DEPTH, +1},
    {"stamp_rate_hz", STAMP, DURATION, -1},
    {"glide_speed_m_s", PEN, DENSITY, -1}, /* fewer cycles per mm */
    {"dwell_s", ESTAMP, DENSITY, +1},      /* more cycles per spot */
    {"motor_stroke_m", PEN, DEPTH, +1},    /* faster entry at the same setting */
    {"follow_up_s", SERIES, COLLAGEN, -1}, /* remodelling has longer to undo the gain */
    {"lmx4_lag_s", SERIES, ANALGESIA, 0},  /* the series uses EMLA: no effect expected */
    {"blt_rate_m_sqrt_s", SERIES, ANALGESIA, 0},
    {"blt_lag_s", SERIES, ANALGESIA, 0},
    {"unoccluded_factor", SERIES, ANALGESIA, +1}, /* open EMLA penetrates faster */
    {"analgesia_fade_s", SERIES, PAIN, 0},
    {"bleed_probability", SERIES, BLEEDING, +1},
    {"bruise_per_deep_puncture", SERIES, BRUISING, +1},
    {"erythema_half_dose_mm_cm2", SERIES, DOWNTIME, -1}, /* the same dose reddens less */
    {"erythema_visible", SERIES, DOWNTIME, -1},
    {"edema_gain", SERIES, EDEMA, +1},
    {"channel_ref_depth_m", SERIES, CHANNELS, -1}, /* deeper reference: shorter at this depth */
    {"collagen_capacity", SERIES, COLLAGEN, +1},
    {"elastin_gain", SERIES, ELASTIN, +1},
    {"elastin_tau_s", SERIES, ELASTIN, +1},
    {"wound_radius_m", ROLLER, COLLAGEN, +1}, /* sparse punctures: more of the zone stimulated */
    {"pih_type_factor_light", SERIES, PIH, +1},
    {"pih_type_factor_vi", SERIES, PIH, 0},
    {"indication_cap", STRONG, WRINKLES, -1},
    {"channel_fill", SERUM, TOPICAL, +1}, /* the serum starts deeper in the channels */
    /* a stronger series is credited more (grades < 0) */ /* the patient is type III */
};

static void every_assumption_has_a_measured_effect(void **state)
{
    (void)state;
    nd_table *t;
    nd_error e;
    assert_int_equal(nd_table_load("parameters.csv", &t, &e), ND_OK);
    int cname = nd_table_column(t, "name"), cbasis = nd_table_column(t, "basis");
    print_message("%-24s %-20s %12s %12s %8s\n", "assumption (low..high)", "read-out", "at low",
                  "at high", "change");
    for (size_t r = 0; r < nd_table_rows(t); r++) {
        if (strcmp(nd_table_cell(t, r, cbasis), "assumption")) continue;
        const char *name = nd_table_cell(t, r, cname);
        size_t c = 0;
        while (c < sizeof CASES / sizeof CASES[0] && strcmp(CASES[c].param, name)) c++;
        /* Every assumption must be covered here. */
        if (c == sizeof CASES / sizeof CASES[0]) {
            print_error("assumption %s has no sensitivity case\n", name);
            fail();
        }
        double lo, hi;
        assert_int_equal(nd_table_number(t, r, "low", &lo, &e), ND_OK);
        assert_int_equal(nd_table_number(t, r, "high", &hi, &e), ND_OK);
        double a = run(CASES[c].scenario, name, lo, CASES[c].m);
        double b = run(CASES[c].scenario, name, hi, CASES[c].m);
        double change = a != 0 ? (b - a) / fabs(a) : b - a;
        print_message("%-24s %-20s %12.4g %12.4g %+7.1f%%\n", name, METRIC_NAMES[CASES[c].m], a, b,
                      100 * change);
        if (CASES[c].sign > 0) assert_true(b > a);
        if (CASES[c].sign < 0) assert_true(b < a);
    }
    nd_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_assumption_has_a_measured_effect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
