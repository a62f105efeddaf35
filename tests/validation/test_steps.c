/* A session as a sequence of steps: a product's way in through the channels,
 * the same for a numbing cream and a serum, before or after the needles.
 *
 * Compared with what is published on needling before a topical product:
 * Ornelas 2016 (JAMA Dermatol; 0.2 mm roller, then LMX4 on the forearm: pain
 * lower than with a sham roller at 30 min, and at 10 min in the more
 * pain-sensitive half), the EMLA monograph's onset on barrier-damaged skin
 * (15 min against about 60 on intact skin; reliability D), and the channel
 * half-lives open (Gupta 2011: within 2 h) and occluded (Brogden group:
 * 20-26 h).  Printed model against paper. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "needle/outcome.h"
#include "needle/scenario.h"
#include "needle/session.h"

typedef struct {
    nd_zone_outcome out;
    double analgesia_m[4]; /* at the probe times after the cream went on */
    double cream_on_s;
} run_result;

static const double PROBE_MIN[4] = {2, 5, 10, 30};

/* Run a scenario (YAML body after the patient) and read zone's outcome, and
 * the depth of analgesia at the probe times after the numbing step began. */
static void run(const char *body, int zone, run_result *r)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "seed: 5\npatient: {age_y: 40, sex: female, fitzpatrick: III}\n%s",
             body);
    nd_scenario sc;
    nd_error e;
    if (nd_scenario_parse(yaml, strlen(yaml), "steps", &sc, &e)) {
        print_error("scenario: %s (%s line %d)\n", e.message, e.field, e.line);
        fail();
    }
    nd_session *s;
    assert_int_equal(nd_session_create(&sc, &s, &e), ND_OK);
    nd_run_options o = {1, NULL, NULL, NULL, NULL};
    assert_int_equal(nd_session_run(s, &o, &e), ND_OK);
    nd_outcome_params mid, lo, hi;
    assert_int_equal(nd_outcome_params_load(NULL, ND_PARAM_VALUE, &mid, &e), ND_OK);
    assert_int_equal(nd_outcome_params_load(NULL, ND_PARAM_LOW, &lo, &e), ND_OK);
    assert_int_equal(nd_outcome_params_load(NULL, ND_PARAM_HIGH, &hi, &e), ND_OK);
    nd_outcome_input in;
    nd_outcome_input_from_session(s, zone, &in);
    assert_int_equal(nd_outcome_zone(&mid, &lo, &hi, &sc, &in, &r->out, &e), ND_OK);
    const nd_timeline *tl = nd_session_timeline(s);
    r->cream_on_s = -1;
    for (int i = 0; i < tl->n_steps; i++)
        if (tl->steps[i].kind == ND_STEP_NUMBING) r->cream_on_s = tl->start_s[i];
    if (r->cream_on_s >= 0) {
        double times[4];
        for (int i = 0; i < 4; i++) times[i] = r->cream_on_s + PROBE_MIN[i] * 60;
        nd_timecourse_row rows[4];
        assert_int_equal(nd_outcome_timecourse(&mid, &sc, &in, times, 4, rows, &e), ND_OK);
        for (int i = 0; i < 4; i++) r->analgesia_m[i] = rows[i].anesthesia_depth_m;
    }
    nd_session_free(s);
}

#define ROLLER_02 "device: {preset: dermaroller_192, needle_length_mm: 0.2}\n"
#define PEN       "device: {preset: pen_12}\n"

/* Ornelas 2016: a 0.2 mm roller, then LMX4; against a sham roller (no
 * channels).  The model's LMX4 crosses intact skin after its 10 min lag, so
 * the sham has no analgesia before then; through the channels it starts at
 * once. */
static void test_roller_before_lmx4(void **state)
{
    (void)state;
    run_result mn, sham;
    run(ROLLER_02 "protocol:\n  steps:\n    - needling: {}\n"
                  "    - numbing: {cream: lmx4, application_min: 30}\n"
                  "  zones: [{zone: cheek_left, passes: 4}]\n",
        ND_ZONE_CHEEK_LEFT, &mn);
    run(ROLLER_02 "protocol:\n  steps:\n    - numbing: {cream: lmx4, application_min: 30}\n"
                  "    - needling: {}\n"
                  "  zones: [{zone: cheek_left, passes: 4}]\n",
        ND_ZONE_CHEEK_LEFT, &sham);
    printf("Ornelas 2016, 0.2 mm roller x4 then LMX4 (depth of analgesia, mm):\n");
    printf("  min    roller   sham\n");
    for (int i = 0; i < 4; i++)
        printf("  %4.0f   %6.2f   %6.2f\n", PROBE_MIN[i], mn.analgesia_m[i] * 1e3,
               sham.analgesia_m[i] * 1e3);
    printf("  paper: less pain with the roller at 30 min (and at 10 min in the more\n"
           "  pain-sensitive); the model numbs from the first minutes, faster than seen\n");
    /* Before the lag the intact skin has nothing; the channels have let it in. */
    assert_true(sham.analgesia_m[2] < 0.05e-3);
    assert_true(mn.analgesia_m[2] > 0.5e-3);
    /* At 30 min the pretreated skin is numbed deeper than the sham. */
    assert_true(mn.analgesia_m[3] > sham.analgesia_m[3]);
}

/* The monograph's onset on barrier-damaged skin: EMLA at 15 min numbs about
 * as intact skin does at 60 min.  A 1 mm pen pass opens the barrier. */
static void test_emla_after_pen(void **state)
{
    (void)state;
    run_result before, intact;
    run(PEN "protocol:\n  steps:\n    - needling: {}\n"
            "    - numbing: {cream: emla, application_min: 60, occluded: true}\n"
            "  zones: [{zone: cheek_left, depth_mm: 1.0}]\n",
        ND_ZONE_CHEEK_LEFT, &before);
    run(PEN
        "protocol:\n  steps:\n    - numbing: {cream: emla, application_min: 60, occluded: true}\n"
        "    - needling: {}\n"
        "  zones: [{zone: cheek_left, depth_mm: 1.0}]\n",
        ND_ZONE_CHEEK_LEFT, &intact);
    /* The depth at 15 min after the pen, from the time course at 10 and 30 min. */
    double d15 = before.analgesia_m[2] + (before.analgesia_m[3] - before.analgesia_m[2]) * 0.25;
    printf("EMLA after a 1.0 mm pen pass: %.2f mm at 15 min; intact skin: %.2f mm at 30 min,\n"
           "  %.2f mm when needled at 60 min.  Monograph: onset 15 min on barrier-damaged skin\n"
           "  against about 60 min on intact skin\n",
           d15 * 1e3, intact.analgesia_m[3] * 1e3, intact.out.anesthesia_depth_m * 1e3);
    /* At 15 min the opened skin is numbed at least as deep as the needles went. */
    assert_true(d15 >= 1.0e-3);
    assert_true(intact.analgesia_m[2] < 0.05e-3);
}

/* A serum that cannot cross intact skin gets in only through the channels,
 * less the longer it waits, and a dressing after needling keeps them open. */
static void test_serum_and_occlusion(void **state)
{
    (void)state;
    run_result none, right_after, later, dressed;
    run(PEN "protocol:\n  steps:\n    - topical: {product: hyaluronic_acid, contact_min: 20}\n"
            "    - needling: {}\n"
            "  zones: [{zone: forehead, depth_mm: 0.5}]\n",
        ND_ZONE_FOREHEAD, &none);
    run(PEN "protocol:\n  steps:\n    - needling: {}\n"
            "    - topical: {product: hyaluronic_acid, contact_min: 20}\n"
            "  zones: [{zone: forehead, depth_mm: 0.5}]\n",
        ND_ZONE_FOREHEAD, &right_after);
    run(PEN "protocol:\n  steps:\n    - needling: {}\n    - wait_min: 180\n"
            "    - topical: {product: hyaluronic_acid, contact_min: 20}\n"
            "  zones: [{zone: forehead, depth_mm: 0.5}]\n",
        ND_ZONE_FOREHEAD, &later);
    run(PEN "protocol:\n  steps:\n    - needling: {}\n    - occlusion_h: 72\n"
            "  zones: [{zone: forehead, depth_mm: 0.5}]\n",
        ND_ZONE_FOREHEAD, &dressed);
    printf("Hyaluronic acid serum, 20 min on the forehead (depth reached, mm):\n"
           "  before needling %.2f, right after %.2f, 3 h after %.2f\n",
           none.out.topical_depth_m * 1e3, right_after.out.topical_depth_m * 1e3,
           later.out.topical_depth_m * 1e3);
    printf("Channel half-life after a 0.5 mm pen: open %.2f h (Gupta 2011: closed within 2 h),\n"
           "  under a dressing %.1f h (Brogden group: 20-26 h)\n",
           right_after.out.channel_half_life_h, dressed.out.channel_half_life_h);
    assert_true(none.out.topical_depth_m == 0.0);
    assert_true(right_after.out.topical_depth_m > 0.2e-3);
    assert_true(later.out.topical_depth_m < right_after.out.topical_depth_m);
    assert_true(right_after.out.channel_half_life_h < 2.0);
    assert_true(dressed.out.channel_half_life_h > 20.0 && dressed.out.channel_half_life_h < 26.0);
}

/* Pain stroke by stroke: the same pen pass hurts more before the cream than
 * after it, and a quick shallow pass first adds strokes with no numbing. */
static void test_pain_follows_the_cream(void **state)
{
    (void)state;
    run_result first, after, prepass;
    run(PEN "protocol:\n  steps:\n    - needling: {}\n"
            "    - numbing: {cream: lmx4, application_min: 30}\n"
            "  zones: [{zone: cheek_left, depth_mm: 1.5}]\n",
        ND_ZONE_CHEEK_LEFT, &first);
    run(PEN "protocol:\n  steps:\n    - numbing: {cream: lmx4, application_min: 30}\n"
            "    - needling: {}\n"
            "  zones: [{zone: cheek_left, depth_mm: 1.5}]\n",
        ND_ZONE_CHEEK_LEFT, &after);
    run(PEN "protocol:\n  steps:\n    - needling: {depth_mm: 0.25, passes: 1}\n"
            "    - numbing: {cream: lmx4, application_min: 30}\n    - needling: {}\n"
            "  zones: [{zone: cheek_left, depth_mm: 1.5}]\n",
        ND_ZONE_CHEEK_LEFT, &prepass);
    printf("Pen 1.5 mm on the cheek, VAS: before the cream %.2f (peak %.2f), after it %.2f\n"
           "  (peak %.2f); with a 0.25 mm pass before the cream %.2f (peak %.2f)\n",
           first.out.pain_vas.mid, first.out.pain_vas_peak, after.out.pain_vas.mid,
           after.out.pain_vas_peak, prepass.out.pain_vas.mid, prepass.out.pain_vas_peak);
    assert_true(first.out.pain_vas.mid > 2 * after.out.pain_vas.mid);
    assert_true(first.out.anesthesia_depth_m == 0.0);
    /* The shallow pass hurts little: its peak is the deep pass's, and the
     * mean over strokes sits between a shallow unnumbed and the numbed deep pass. */
    assert_true(fabs(prepass.out.pain_vas_peak - after.out.pain_vas_peak) < 0.05);
    assert_true(prepass.out.pain_vas.lo <= prepass.out.pain_vas.mid &&
                prepass.out.pain_vas.mid <= prepass.out.pain_vas.hi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roller_before_lmx4),
        cmocka_unit_test(test_emla_after_pen),
        cmocka_unit_test(test_serum_and_occlusion),
        cmocka_unit_test(test_pain_follows_the_cream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
