/* The planner's search: the plan it returns is the best feasible candidate
 * by an exhaustive check of every candidate it weighed; its patch simulation
 * agrees with a whole-zone session; other devices are searched on their own
 * settings; a full-face plan is timed. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "needle/data.h"
#include "needle/outcome.h"
#include "needle/planner.h"
#include "needle/session.h"

#define PLAN_DATE "2026-01-10"

static void patient(nd_patient_record *p, int fitzpatrick)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "Search Test");
    snprintf(p->birth_date, sizeof p->birth_date, "1976-03-15");
    p->sex = ND_SEX_MALE;
    p->fitzpatrick = fitzpatrick;
}

static double rule(const char *name)
{
    nd_table *t = NULL;
    nd_error e;
    double v = NAN;
    assert_int_equal(nd_table_load("plan_rules.csv", &t, &e), ND_OK);
    assert_int_equal(nd_param(t, name, &v, &e), ND_OK);
    nd_table_free(t);
    return v;
}

static int numbing_index(const nd_numbing *n)
{
    nd_numbing opts[16];
    nd_error e;
    int k = nd_plan_numbing_options(opts, 16, &e);
    assert_true(k > 1);
    assert_int_equal(opts[0].cream, ND_CREAM_NONE);
    for (int i = 0; i < k; i++)
        if (opts[i].cream == n->cream && opts[i].application_s == n->application_s) return i;
    fail_msg("the plan's numbing is not one of the options");
    return -1;
}

/* The choice, worked out here from the rule as docs/planner.md states it:
 * among feasible candidates with the plan's numbing, the most collagen_mm;
 * within the tie tolerance of it, the least downtime, then pain, passes,
 * depth. */
static const nd_plan_candidate *exhaustive(const nd_plan_candidate *c, int n, int o, double tie)
{
    double best = -INFINITY;
    for (int i = 0; i < n; i++)
        if (c[i].feasible && c[i].numbing == o) best = fmax(best, c[i].collagen_mm);
    const nd_plan_candidate *pick = NULL;
    for (int i = 0; i < n; i++) {
        const nd_plan_candidate *k = &c[i];
        if (!k->feasible || k->numbing != o || k->collagen_mm < best - tie * fabs(best)) continue;
        if (!pick) {
            pick = k;
            continue;
        }
        double key_k[4] = {k->downtime_days, k->pain_vas, k->passes, k->depth_m};
        double key_p[4] = {pick->downtime_days, pick->pain_vas, pick->passes, pick->depth_m};
        for (int j = 0; j < 4; j++) {
            if (key_k[j] == key_p[j]) continue;
            if (key_k[j] < key_p[j]) pick = k;
            break;
        }
    }
    return pick;
}

static void chosen_plan_is_the_best_feasible_candidate(void **state)
{
    (void)state;
    const double tie = rule("collagen_tie_fraction");
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request r;
    nd_plan_request_init(&r, &p, ND_IND_ACNE_SCARS);
    snprintf(r.date, sizeof r.date, PLAN_DATE);
    r.n_zones = 4;
    r.zones[0] = ND_ZONE_CHEEK_LEFT;
    r.zones[1] = ND_ZONE_CHIN;
    r.zones[2] = ND_ZONE_NOSE;
    r.zones[3] = ND_ZONE_FOREHEAD;
    r.max_downtime_days = 1.5;
    r.max_pain_vas = 3.0;
    nd_plan plan;
    nd_error e;
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
    int o = numbing_index(&plan.numbing);
    int bound = 0;
    for (int i = 0; i < plan.n_zones; i++) {
        const nd_plan_zone *z = &plan.zones[i];
        nd_plan_candidate *c;
        int n;
        assert_int_equal(nd_plan_candidates(&r, z->zone, &c, &n, &e), ND_OK);
        assert_true(n > 0);
        int infeasible = 0;
        for (int k = 0; k < n; k++) {
            /* Every candidate lies inside the zone's limit... */
            assert_true(c[k].depth_m <= z->depth_limit_m + 1e-12);
            /* ...and is feasible exactly when it keeps the patient's limits
             * (acne scars tolerate any pinpoint bleeding). */
            int keeps =
                c[k].pain_vas <= r.max_pain_vas && c[k].downtime_days <= r.max_downtime_days;
            assert_int_equal(c[k].feasible, keeps);
            infeasible += !keeps;
        }
        bound += infeasible > 0;
        const nd_plan_candidate *best = exhaustive(c, n, o, tie);
        assert_non_null(best);
        print_message("%-12s plan %.2f mm x%d, exhaustive %.2f mm x%d (%d candidates)\n",
                      nd_zone_name(z->zone), z->depth_m * 1e3, z->passes, best->depth_m * 1e3,
                      best->passes, n);
        assert_float_equal(z->depth_m, best->depth_m, 1e-12);
        assert_int_equal(z->passes, best->passes);
        assert_true(z->pain_vas <= r.max_pain_vas);
        assert_true(z->downtime_days <= r.max_downtime_days);
        /* No feasible candidate with this numbing wounds more dermis by more
         * than the tie tolerance. */
        for (int k = 0; k < n; k++)
            if (c[k].feasible && c[k].numbing == o)
                assert_true(c[k].collagen_mm <= best->collagen_mm * (1 + tie) + 1e-12);
        free(c);
    }
    assert_true(bound > 0); /* the limits bind somewhere */
}

/* The patch a candidate is judged on needles like the whole zone does. */
static void patch_agrees_with_a_whole_zone_session(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request r;
    nd_plan_request_init(&r, &p, ND_IND_WRINKLES);
    snprintf(r.date, sizeof r.date, PLAN_DATE);
    r.depth_m[ND_ZONE_CHEEK_LEFT] = 1.0e-3;
    nd_plan_candidate *c;
    int n;
    nd_error e;
    assert_int_equal(nd_plan_candidates(&r, ND_ZONE_CHEEK_LEFT, &c, &n, &e), ND_OK);
    for (int passes = 1; passes <= 2; passes++) {
        const nd_plan_candidate *k = NULL;
        for (int i = 0; i < n; i++)
            if (c[i].passes == passes && c[i].numbing == 0) k = &c[i];
        assert_non_null(k);
        /* The same patient, device, seed and zone plan as a scenario. */
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "seed: 1\n"
                 "patient: {age_y: %.6f, sex: male, fitzpatrick: III}\n"
                 "device: {preset: pen_12}\n"
                 "protocol: {sessions: 4, interval_days: 30, follow_up_days: 90,\n"
                 "  zones: [{zone: cheek_left, depth_mm: 1.0, passes: %d,\n"
                 "           directions: [horizontal, vertical]}]}\n",
                 nd_patient_age_y(&p, PLAN_DATE), passes);
        nd_scenario sc;
        assert_int_equal(nd_scenario_parse(yaml, strlen(yaml), "test", &sc, &e), ND_OK);
        nd_session *s;
        assert_int_equal(nd_session_create(&sc, &s, &e), ND_OK);
        nd_run_options opt = {1, NULL, NULL, NULL, NULL};
        assert_int_equal(nd_session_run(s, &opt, &e), ND_OK);
        nd_zone_stats zs;
        nd_field_zone_stats(nd_session_field(s), ND_ZONE_CHEEK_LEFT, &zs);
        print_message("%d pass: patch %.0f/cm2 at %.3f mm, zone %.0f/cm2 at %.3f mm\n", passes,
                      k->punctures_per_cm2, k->depth_mean_m * 1e3, zs.punctures_per_cm2,
                      zs.depth_mean_m * 1e3);
        /* Density within 15 % (the zone's edges and a 1 cm2 sample), depth
         * within 5 % (the patch's skin is the zone's, sampled in one place). */
        assert_true(fabs(k->punctures_per_cm2 / zs.punctures_per_cm2 - 1) < 0.15);
        assert_true(fabs(k->depth_mean_m / zs.depth_mean_m - 1) < 0.05);
        nd_session_free(s);
    }
    free(c);
}

static void a_roller_is_searched_on_needle_lengths(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 2);
    nd_plan_request r;
    nd_plan_request_init(&r, &p, ND_IND_ACNE_SCARS);
    snprintf(r.date, sizeof r.date, PLAN_DATE);
    snprintf(r.device, sizeof r.device, "dermaroller_192");
    r.n_zones = 2;
    r.zones[0] = ND_ZONE_CHEEK_RIGHT;
    r.zones[1] = ND_ZONE_FOREHEAD;
    nd_plan plan;
    nd_error e;
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
    assert_int_equal(plan.device.kind, ND_DEVICE_ROLLER);
    static const double lengths[] = {0.2, 0.25, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0};
    for (int i = 0; i < plan.n_zones; i++) {
        int listed = 0;
        for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++)
            listed |= fabs(plan.zones[i].depth_m * 1e3 - lengths[k]) < 1e-9;
        assert_true(listed);
        assert_true(plan.zones[i].depth_m <= plan.zones[i].depth_limit_m + 1e-12);
        assert_true(plan.zones[i].passes >= 2);
        print_message("roller %s: %.2f mm x%d: %s\n", nd_zone_name(plan.zones[i].zone),
                      plan.zones[i].depth_m * 1e3, plan.zones[i].passes, plan.zones[i].reason);
    }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void full_face_plan_is_timed(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request r;
    nd_plan_request_init(&r, &p, ND_IND_WRINKLES);
    snprintf(r.date, sizeof r.date, PLAN_DATE);
    nd_plan plan;
    nd_error e;
    double t0 = now_s();
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
    double dt = now_s() - t0;
    print_message("full-face plan: %.3f s (the target is under 1 s in a release build; "
                  "bench/bench_plan.c measures it)\n",
                  dt);
    assert_int_equal(plan.n_zones, ND_ZONE_COUNT - 1);
    /* Generous: sanitizer builds run several times slower. */
    assert_true(dt < 20.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chosen_plan_is_the_best_feasible_candidate),
        cmocka_unit_test(patch_agrees_with_a_whole_zone_session),
        cmocka_unit_test(a_roller_is_searched_on_needle_lengths),
        cmocka_unit_test(full_face_plan_is_timed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
