/* The planner: contraindications (every absolute and relative one, inside and
 * outside its window), zone depth limits (every zone, and Fitzpatrick IV-VI),
 * refusals instead of clamping, and limits that bind and change the plan. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "needle/planner.h"

#define PLAN_DATE "2026-01-10"

static void patient(nd_patient_record *p, int fitzpatrick)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "Test Patient");
    snprintf(p->birth_date, sizeof p->birth_date, "1980-05-01");
    p->sex = ND_SEX_FEMALE;
    p->fitzpatrick = fitzpatrick;
}

static void add_item(nd_patient_record *p, nd_history_kind kind, const char *since,
                     const char *until)
{
    nd_history_item *h = &p->history[p->n_history++];
    memset(h, 0, sizeof *h);
    h->kind = kind;
    snprintf(h->since, sizeof h->since, "%s", since);
    snprintf(h->until, sizeof h->until, "%s", until);
}

/* A quick request: one small zone, the fixed plan date. */
static void request(nd_plan_request *r, const nd_patient_record *p, int indication, int zone)
{
    nd_plan_request_init(r, p, indication);
    snprintf(r->date, sizeof r->date, PLAN_DATE);
    r->n_zones = 1;
    r->zones[0] = zone;
}

static void acknowledge(nd_plan_request *r, const char *code)
{
    snprintf(r->acknowledged[r->n_acknowledged++], ND_CODE_MAX, "%s", code);
}

/* ---- Contraindications ---------------------------------------------------- */

typedef enum { FINE, ABSOLUTE, RELATIVE } expect;

/* One history item, dated against PLAN_DATE, and what the plan must do.
 * The windows are written out here from the reference (biology.md 6.4), not
 * read from the table, so the test checks the table. */
typedef struct {
    nd_history_kind kind;
    const char *since, *until;
    expect want;
    const char *why;
} ci_case;

static const ci_case CASES[] = {
    /* isotretinoin: absolute while taking and 6 months after (label), relative to 12 (Alam). */
    {ND_HX_ISOTRETINOIN, "2025-06-01", "", ABSOLUTE, "taking it"},
    {ND_HX_ISOTRETINOIN, "2025-01-01", "2025-09-01", ABSOLUTE, "131 days after"},
    {ND_HX_ISOTRETINOIN, "2024-10-01", "2025-07-11", ABSOLUTE, "183 days after"},
    {ND_HX_ISOTRETINOIN, "2024-10-01", "2025-07-10", RELATIVE, "184 days after"},
    {ND_HX_ISOTRETINOIN, "2024-06-01", "2025-03-01", RELATIVE, "315 days after"},
    {ND_HX_ISOTRETINOIN, "2024-06-01", "2025-01-10", RELATIVE, "365 days after"},
    {ND_HX_ISOTRETINOIN, "2024-06-01", "2025-01-09", FINE, "366 days after"},
    /* anticoagulant: relative while taking. */
    {ND_HX_ANTICOAGULANT, "2025-01-01", "", RELATIVE, "taking it"},
    {ND_HX_ANTICOAGULANT, "2025-01-01", "2025-12-01", FINE, "stopped"},
    /* lifelong: absolute, unless dated after the plan. */
    {ND_HX_BLEEDING_DISORDER, "1990-01-01", "", ABSOLUTE, "lifelong"},
    {ND_HX_BLEEDING_DISORDER, "2026-02-01", "", FINE, "diagnosed after the plan's date"},
    {ND_HX_KELOID, "2010-01-01", "2011-01-01", ABSOLUTE, "a history of keloid"},
    {ND_HX_KELOID, "2026-02-01", "", FINE, "after the plan's date"},
    /* active infections and skin disease: absolute while active. */
    {ND_HX_INFECTION, "2026-01-05", "", ABSOLUTE, "active"},
    {ND_HX_INFECTION, "2025-10-01", "2025-10-20", FINE, "healed"},
    {ND_HX_HERPES, "2026-01-08", "", ABSOLUTE, "a cold sore now"},
    {ND_HX_HERPES, "2020-03-01", "2020-03-10", RELATIVE, "a history of it"},
    {ND_HX_HERPES, "2026-02-01", "2026-02-10", FINE, "after the plan's date"},
    {ND_HX_ACTIVE_ACNE, "2025-12-01", "", ABSOLUTE, "active"},
    {ND_HX_ACTIVE_ACNE, "2025-01-01", "2025-06-01", FINE, "settled"},
    {ND_HX_ECZEMA, "2025-12-01", "", ABSOLUTE, "active"},
    {ND_HX_ECZEMA, "2025-01-01", "2025-06-01", FINE, "settled"},
    {ND_HX_PSORIASIS, "2025-12-01", "", ABSOLUTE, "active"},
    {ND_HX_PSORIASIS, "2025-01-01", "2025-06-01", FINE, "settled"},
    {ND_HX_ROSACEA, "2024-01-01", "", RELATIVE, "active"},
    {ND_HX_ROSACEA, "2024-01-01", "2025-06-01", FINE, "settled"},
    {ND_HX_PREGNANCY, "2025-09-01", "", ABSOLUTE, "pregnant"},
    {ND_HX_PREGNANCY, "2024-01-01", "2024-09-01", FINE, "after"},
    {ND_HX_BREASTFEEDING, "2025-09-01", "", RELATIVE, "breastfeeding"},
    {ND_HX_BREASTFEEDING, "2024-01-01", "2024-09-01", FINE, "weaned"},
    /* radiotherapy: absolute during and 3 months after, relative later. */
    {ND_HX_RADIOTHERAPY, "2025-12-01", "", ABSOLUTE, "during"},
    {ND_HX_RADIOTHERAPY, "2025-09-01", "2025-11-01", ABSOLUTE, "70 days after"},
    {ND_HX_RADIOTHERAPY, "2025-03-01", "2025-06-01", RELATIVE, "223 days after"},
    {ND_HX_RADIOTHERAPY, "2026-02-01", "", FINE, "after the plan's date"},
    {ND_HX_IMMUNOSUPPRESSION, "2025-01-01", "", ABSOLUTE, "ongoing"},
    {ND_HX_IMMUNOSUPPRESSION, "2024-01-01", "2024-06-01", FINE, "stopped"},
    /* allergies: relative, lifelong. */
    {ND_HX_METAL_ALLERGY, "2000-01-01", "", RELATIVE, "lifelong"},
    {ND_HX_METAL_ALLERGY, "2026-02-01", "", FINE, "after the plan's date"},
    {ND_HX_ANESTHETIC_ALLERGY, "2000-01-01", "", RELATIVE, "lifelong"},
    {ND_HX_ANESTHETIC_ALLERGY, "2026-02-01", "", FINE, "after the plan's date"},
    /* one-off treatments, counted from the day they were given. */
    {ND_HX_FILLER, "2025-10-01", "", RELATIVE, "101 days before"},
    {ND_HX_FILLER, "2025-05-01", "", FINE, "254 days before"},
    {ND_HX_PEEL, "2025-12-20", "2025-12-20", RELATIVE, "21 days before"},
    {ND_HX_PEEL, "2025-11-01", "2025-11-01", FINE, "70 days before"},
    {ND_HX_LASER, "2025-10-01", "", RELATIVE, "101 days before"},
    {ND_HX_LASER, "2025-05-01", "", FINE, "254 days before"},
};
#define N_CASES (sizeof CASES / sizeof CASES[0])

static void every_contraindication_inside_and_outside_its_window(void **state)
{
    (void)state;
    int covered[ND_HX_COUNT][3] = {{0}};
    for (size_t i = 0; i < N_CASES; i++) {
        const ci_case *c = &CASES[i];
        const char *code = nd_history_name(c->kind);
        nd_patient_record p;
        patient(&p, 3);
        add_item(&p, c->kind, c->since, c->until);
        nd_plan_request r;
        request(&r, &p, ND_IND_WRINKLES, ND_ZONE_CHEEK_LEFT);
        nd_plan plan;
        nd_error e;
        nd_error_clear(&e);
        nd_status st = nd_plan_make(&r, &plan, &e);
        print_message("%s, %s: %s\n", code, c->why, st ? e.message : "planned");
        covered[c->kind][c->want] = 1;
        switch (c->want) {
        case FINE:
            assert_int_equal(st, ND_OK);
            assert_int_equal(plan.n_acknowledged, 0);
            break;
        case ABSOLUTE:
            assert_int_equal(st, ND_ERR_SAFETY);
            assert_non_null(strstr(e.message, code));
            assert_non_null(strstr(e.message, "absolute"));
            assert_non_null(strstr(e.message, "Source:"));
            /* No acknowledgement lifts an absolute contraindication. */
            acknowledge(&r, code);
            assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_SAFETY);
            break;
        case RELATIVE:
            assert_int_equal(st, ND_ERR_SAFETY);
            assert_non_null(strstr(e.message, code));
            assert_non_null(strstr(e.message, "acknowledge"));
            assert_string_equal(e.field, code);
            acknowledge(&r, code);
            assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
            assert_int_equal(plan.n_acknowledged, 1);
            assert_string_equal(plan.acknowledged[0], code);
            assert_non_null(strstr(plan.warnings[0], code));
            break;
        }
    }
    /* Every kind is tried both inside and outside a window. */
    for (int k = 0; k < ND_HX_COUNT; k++) {
        assert_true(covered[k][FINE]);
        assert_true(covered[k][ABSOLUTE] || covered[k][RELATIVE]);
    }
}

static void screening_lists_absolute_first_with_sources(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    add_item(&p, ND_HX_ROSACEA, "2024-01-01", "");
    add_item(&p, ND_HX_KELOID, "2010-01-01", "");
    nd_contraindication cis[ND_MAX_CONTRAINDICATIONS];
    int n = 0;
    nd_error e;
    assert_int_equal(nd_plan_screen(&p, PLAN_DATE, cis, &n, &e), ND_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cis[0].cls, ND_CI_ABSOLUTE);
    assert_string_equal(cis[0].code, "keloid");
    assert_non_null(strstr(cis[0].source, "Alam 2014"));
    assert_int_equal(cis[1].cls, ND_CI_RELATIVE);
    assert_true(cis[1].depth_factor < 1.0);
    assert_true(strlen(cis[1].effect) > 0);
}

/* A relative contraindication makes the plan more careful, as its row says. */
static void acknowledged_relative_plans_conservatively(void **state)
{
    (void)state;
    nd_patient_record plain, coag;
    patient(&plain, 3);
    patient(&coag, 3);
    add_item(&coag, ND_HX_ANTICOAGULANT, "2025-01-01", "");
    nd_plan_request a, b;
    request(&a, &plain, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    request(&b, &coag, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    acknowledge(&b, "anticoagulant");
    nd_plan pa, pb;
    nd_error e;
    assert_int_equal(nd_plan_make(&a, &pa, &e), ND_OK);
    assert_int_equal(nd_plan_make(&b, &pb, &e), ND_OK);
    assert_true(pb.zones[0].depth_limit_m <= 0.5 * pa.zones[0].depth_limit_m + 1e-12);
    assert_true(pb.zones[0].depth_m < pa.zones[0].depth_m);
    assert_true(pb.zones[0].passes <= 2);
    assert_true(pb.zones[0].bleeding_points_per_cm2 <= pa.zones[0].bleeding_points_per_cm2 + 1e-9 ||
                pb.zones[0].downtime_days < pa.zones[0].downtime_days);

    /* Retinoid 6-12 months ago: a longer interval too. */
    nd_patient_record iso;
    patient(&iso, 3);
    add_item(&iso, ND_HX_ISOTRETINOIN, "2024-06-01", "2025-03-01");
    nd_plan_request c;
    request(&c, &iso, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    acknowledge(&c, "isotretinoin");
    nd_plan pc;
    assert_int_equal(nd_plan_make(&c, &pc, &e), ND_OK);
    assert_true(pc.interval_s > pa.interval_s * 1.4);

    /* Allergy to the cream: no cream at all. */
    nd_patient_record al;
    patient(&al, 3);
    add_item(&al, ND_HX_ANESTHETIC_ALLERGY, "2000-01-01", "");
    nd_plan_request d;
    request(&d, &al, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    acknowledge(&d, "anesthetic_allergy");
    nd_plan pd;
    assert_int_equal(nd_plan_make(&d, &pd, &e), ND_OK);
    assert_int_equal(pd.numbing.cream, ND_CREAM_NONE);
    assert_int_not_equal(pa.numbing.cream, ND_CREAM_NONE);
}

static void acknowledging_what_does_not_apply_changes_nothing(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request a, b;
    request(&a, &p, ND_IND_WRINKLES, ND_ZONE_NOSE);
    request(&b, &p, ND_IND_WRINKLES, ND_ZONE_NOSE);
    acknowledge(&b, "rosacea");
    nd_plan pa, pb;
    nd_error e;
    assert_int_equal(nd_plan_make(&a, &pa, &e), ND_OK);
    assert_int_equal(nd_plan_make(&b, &pb, &e), ND_OK);
    assert_int_equal(pb.n_acknowledged, 0);
    assert_true(pa.zones[0].depth_m == pb.zones[0].depth_m);
    assert_non_null(strstr(pb.warnings[0], "does not apply"));
    /* An unknown code is bad input. */
    acknowledge(&b, "sunburn");
    assert_int_equal(nd_plan_make(&b, &pb, &e), ND_ERR_INPUT);
}

/* ---- Zone limits ---------------------------------------------------------- */

typedef struct {
    int zone;
    double any_mm, scars_mm;
} limit_case;

/* The Dr. Pen depth guide's thick-skin bounds (biology.md 6.1), and the
 * documented carry-overs for zones it has no row for. */
static const limit_case LIMITS[] = {
    {ND_ZONE_FOREHEAD, 0.75, 0.75},
    {ND_ZONE_GLABELLA, 1.0, 1.0},
    {ND_ZONE_TEMPLE_LEFT, 0.75, 0.75},
    {ND_ZONE_TEMPLE_RIGHT, 0.75, 0.75},
    {ND_ZONE_PERIORBITAL_LEFT, 0.5, 0.5},
    {ND_ZONE_PERIORBITAL_RIGHT, 0.5, 0.5},
    {ND_ZONE_NOSE, 0.5, 0.5},
    {ND_ZONE_CHEEK_LEFT, 1.5, 2.0},
    {ND_ZONE_CHEEK_RIGHT, 1.5, 2.0},
    {ND_ZONE_UPPER_LIP, 0.75, 0.75},
    {ND_ZONE_CHIN, 1.5, 2.0},
    {ND_ZONE_JAWLINE_LEFT, 1.5, 2.0},
    {ND_ZONE_JAWLINE_RIGHT, 1.5, 2.0},
    {ND_ZONE_NECK, 0.75, 0.75},
};

static void every_zone_has_its_limit_and_refuses_beyond_it(void **state)
{
    (void)state;
    assert_int_equal(sizeof LIMITS / sizeof LIMITS[0], ND_ZONE_COUNT);
    for (int i = 0; i < ND_ZONE_COUNT; i++) {
        const limit_case *c = &LIMITS[i];
        const char *name = nd_zone_name(c->zone);
        struct {
            int indication;
            double mm;
        } by[2] = {{ND_IND_WRINKLES, c->any_mm}, {ND_IND_ACNE_SCARS, c->scars_mm}};
        for (int k = 0; k < 2; k++) {
            double limit;
            nd_error e;
            assert_int_equal(nd_plan_zone_limit(c->zone, by[k].indication, 3, &limit, NULL, 0, &e),
                             ND_OK);
            assert_float_equal(limit * 1e3, by[k].mm, 1e-9);
            assert_int_equal(nd_plan_check_zone(c->zone, by[k].indication, 3, limit, &e), ND_OK);
            assert_int_equal(nd_plan_check_zone(c->zone, by[k].indication, 3, limit + 0.01e-3, &e),
                             ND_ERR_SAFETY);
            /* The message names the zone, the depth and the limit. */
            char depth[32], lim[32];
            snprintf(depth, sizeof depth, "%.2f mm", (limit + 0.01e-3) * 1e3);
            snprintf(lim, sizeof lim, "%.2f mm", limit * 1e3);
            assert_non_null(strstr(e.message, name));
            assert_non_null(strstr(e.message, depth));
            assert_non_null(strstr(e.message, lim));
        }
    }
}

static void dark_skin_lowers_every_limit(void **state)
{
    (void)state;
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        double l3, l4, l5, l6;
        nd_error e;
        char basis[ND_REASON_MAX];
        assert_int_equal(nd_plan_zone_limit(z, ND_IND_WRINKLES, 3, &l3, NULL, 0, &e), ND_OK);
        assert_int_equal(nd_plan_zone_limit(z, ND_IND_WRINKLES, 4, &l4, basis, sizeof basis, &e),
                         ND_OK);
        assert_int_equal(nd_plan_zone_limit(z, ND_IND_WRINKLES, 5, &l5, NULL, 0, &e), ND_OK);
        assert_int_equal(nd_plan_zone_limit(z, ND_IND_WRINKLES, 6, &l6, NULL, 0, &e), ND_OK);
        assert_float_equal(l4, 0.75 * l3, 1e-12);
        assert_float_equal(l5, 0.75 * l3, 1e-12);
        assert_float_equal(l6, 0.5 * l3, 1e-12);
        assert_non_null(strstr(basis, "Fitzpatrick IV"));
        /* Within the type III limit, beyond the type IV one: refused. */
        assert_int_equal(nd_plan_check_zone(z, ND_IND_WRINKLES, 3, l3, &e), ND_OK);
        assert_int_equal(nd_plan_check_zone(z, ND_IND_WRINKLES, 4, l3, &e), ND_ERR_SAFETY);
        assert_non_null(strstr(e.message, "Fitzpatrick IV"));
    }
}

static void check_zone_rejects_nonsense(void **state)
{
    (void)state;
    nd_error e;
    assert_int_equal(nd_plan_check_zone(ND_ZONE_COUNT, ND_IND_WRINKLES, 3, 0.5e-3, &e),
                     ND_ERR_INPUT);
    assert_int_equal(nd_plan_check_zone(ND_ZONE_NOSE, 99, 3, 0.5e-3, &e), ND_ERR_INPUT);
    assert_int_equal(nd_plan_check_zone(ND_ZONE_NOSE, ND_IND_WRINKLES, 7, 0.5e-3, &e),
                     ND_ERR_INPUT);
    assert_int_equal(nd_plan_check_zone(ND_ZONE_NOSE, ND_IND_WRINKLES, 3, 0, &e), ND_ERR_INPUT);
}

/* The full face, every zone inside its limit; dark skin gets the warning. */
static void plans_never_exceed_limits_and_warn_dark_skin(void **state)
{
    (void)state;
    for (int fitz = 3; fitz <= 6; fitz += 3) {
        nd_patient_record p;
        patient(&p, fitz);
        nd_plan_request r;
        nd_plan_request_init(&r, &p, ND_IND_ACNE_SCARS);
        snprintf(r.date, sizeof r.date, PLAN_DATE);
        nd_plan plan;
        nd_error e;
        assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
        assert_int_equal(plan.n_zones, ND_ZONE_COUNT - 1);
        int warned = 0;
        for (int i = 0; i < plan.n_warnings; i++) warned |= strstr(plan.warnings[i], "PIH") != NULL;
        assert_int_equal(warned, fitz >= 4);
        for (int i = 0; i < plan.n_zones; i++) {
            const nd_plan_zone *z = &plan.zones[i];
            double limit;
            assert_int_equal(
                nd_plan_zone_limit(z->zone, ND_IND_ACNE_SCARS, fitz, &limit, NULL, 0, &e), ND_OK);
            assert_true(z->depth_m <= z->depth_limit_m + 1e-12);
            assert_true(z->depth_limit_m <= limit + 1e-12);
            assert_int_equal(nd_plan_check_zone(z->zone, ND_IND_ACNE_SCARS, fitz, z->depth_m, &e),
                             ND_OK);
            assert_true(strlen(z->reason) > 20);
            assert_true(z->collagen_I_rel > 1.0);
        }
    }
}

static void a_depth_the_user_fixes_is_checked_not_clamped(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request r;
    request(&r, &p, ND_IND_WRINKLES, ND_ZONE_PERIORBITAL_LEFT);
    nd_plan plan;
    nd_error e;
    r.depth_m[ND_ZONE_PERIORBITAL_LEFT] = 0.6e-3; /* limit 0.5 mm */
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_SAFETY);
    assert_non_null(strstr(e.message, "periorbital_left"));
    assert_non_null(strstr(e.message, "0.60 mm"));
    assert_non_null(strstr(e.message, "0.50 mm"));
    r.depth_m[ND_ZONE_PERIORBITAL_LEFT] = 0.35e-3;
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
    assert_float_equal(plan.zones[0].depth_m, 0.35e-3, 1e-12);
}

/* ---- Limits that bind ------------------------------------------------------- */

static void downtime_limit_makes_it_shallower(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request free_r, tight;
    request(&free_r, &p, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    request(&tight, &p, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    tight.max_downtime_days = 1.0;
    nd_plan a, b;
    nd_error e;
    assert_int_equal(nd_plan_make(&free_r, &a, &e), ND_OK);
    assert_int_equal(nd_plan_make(&tight, &b, &e), ND_OK);
    print_message("no limit: %.2f mm, %.2f d; 1 day: %.2f mm, %.2f d\n", a.zones[0].depth_m * 1e3,
                  a.zones[0].downtime_days, b.zones[0].depth_m * 1e3, b.zones[0].downtime_days);
    assert_true(a.zones[0].downtime_days > 1.0);
    assert_true(b.zones[0].downtime_days <= 1.0);
    assert_true(b.zones[0].depth_m < a.zones[0].depth_m);
    assert_non_null(strstr(b.zones[0].reason, "downtime"));
    assert_true(b.max_downtime_days == 1.0);
}

static void pain_limit_makes_it_shallower_or_numbs_more(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request free_r, tight;
    request(&free_r, &p, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    request(&tight, &p, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    tight.max_pain_vas = 1.5;
    nd_plan a, b;
    nd_error e;
    assert_int_equal(nd_plan_make(&free_r, &a, &e), ND_OK);
    assert_int_equal(nd_plan_make(&tight, &b, &e), ND_OK);
    assert_true(a.zones[0].pain_vas > 1.5);
    assert_true(b.zones[0].pain_vas <= 1.5);
    assert_true(b.zones[0].depth_m < a.zones[0].depth_m ||
                b.numbing.application_s > a.numbing.application_s);
    /* Without a cream (allergy) the same limit leaves it shallower still. */
    nd_patient_record al = p;
    add_item(&al, ND_HX_ANESTHETIC_ALLERGY, "2000-01-01", "");
    nd_plan_request c;
    request(&c, &al, ND_IND_ACNE_SCARS, ND_ZONE_CHIN);
    c.max_pain_vas = 1.5;
    acknowledge(&c, "anesthetic_allergy");
    nd_plan pc;
    assert_int_equal(nd_plan_make(&c, &pc, &e), ND_OK);
    assert_int_equal(pc.numbing.cream, ND_CREAM_NONE);
    assert_true(pc.zones[0].pain_vas <= 1.5);
    assert_true(pc.zones[0].depth_m < b.zones[0].depth_m);
}

static void limits_no_setting_keeps_are_refused(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request r;
    request(&r, &p, ND_IND_WRINKLES, ND_ZONE_CHEEK_LEFT);
    r.max_downtime_days = 0.01;
    nd_plan plan;
    nd_error e;
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_SAFETY);
    assert_non_null(strstr(e.message, "cheek_left"));
    assert_non_null(strstr(e.message, "downtime"));
}

static void bad_requests_are_input_errors(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    nd_plan_request r;
    nd_plan plan;
    nd_error e;
    request(&r, &p, 42, ND_ZONE_NOSE);
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_INPUT);
    request(&r, &p, ND_IND_WRINKLES, ND_ZONE_NOSE);
    r.zones[0] = ND_ZONE_COUNT;
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_INPUT);
    request(&r, &p, ND_IND_WRINKLES, ND_ZONE_NOSE);
    snprintf(r.device, sizeof r.device, "no_such_pen");
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_INPUT);
    request(&r, &p, ND_IND_WRINKLES, ND_ZONE_NOSE);
    snprintf(r.date, sizeof r.date, "2026-02-30");
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_INPUT);
    request(&r, &p, ND_IND_WRINKLES, ND_ZONE_NOSE);
    r.max_pain_vas = 11;
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_INPUT);
    nd_patient_record bad = p;
    bad.fitzpatrick = 0;
    request(&r, &bad, ND_IND_WRINKLES, ND_ZONE_NOSE);
    assert_int_equal(nd_plan_make(&r, &plan, &e), ND_ERR_INPUT);
}

static void same_request_same_plan(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 4);
    nd_plan_request r;
    nd_plan_request_init(&r, &p, ND_IND_WRINKLES);
    snprintf(r.date, sizeof r.date, PLAN_DATE);
    r.max_downtime_days = 1.5;
    nd_plan *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    nd_error e;
    assert_int_equal(nd_plan_make(&r, a, &e), ND_OK);
    assert_int_equal(nd_plan_make(&r, b, &e), ND_OK);
    assert_memory_equal(a->zones, b->zones, sizeof a->zones);
    assert_memory_equal(&a->numbing, &b->numbing, sizeof a->numbing);
    free(a);
    free(b);
}

static void series_follows_the_indication(void **state)
{
    (void)state;
    nd_patient_record p;
    patient(&p, 3);
    struct {
        int indication, sessions, interval_days;
    } want[] = {{ND_IND_ACNE_SCARS, 4, 30},    {ND_IND_WRINKLES, 4, 30},
                {ND_IND_STRETCH_MARKS, 3, 28}, {ND_IND_PIGMENTATION, 6, 14},
                {ND_IND_PORES, 3, 28},         {ND_IND_DULL_SKIN, 4, 30}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        nd_plan_request r;
        request(&r, &p, want[i].indication, ND_ZONE_NOSE);
        nd_plan plan;
        nd_error e;
        assert_int_equal(nd_plan_make(&r, &plan, &e), ND_OK);
        assert_int_equal(plan.sessions, want[i].sessions);
        assert_float_equal(plan.interval_s / 86400.0, want[i].interval_days, 1e-9);
        assert_string_equal(plan.indication, nd_indication_name(want[i].indication));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_contraindication_inside_and_outside_its_window),
        cmocka_unit_test(screening_lists_absolute_first_with_sources),
        cmocka_unit_test(acknowledged_relative_plans_conservatively),
        cmocka_unit_test(acknowledging_what_does_not_apply_changes_nothing),
        cmocka_unit_test(every_zone_has_its_limit_and_refuses_beyond_it),
        cmocka_unit_test(dark_skin_lowers_every_limit),
        cmocka_unit_test(check_zone_rejects_nonsense),
        cmocka_unit_test(plans_never_exceed_limits_and_warn_dark_skin),
        cmocka_unit_test(a_depth_the_user_fixes_is_checked_not_clamped),
        cmocka_unit_test(downtime_limit_makes_it_shallower),
        cmocka_unit_test(pain_limit_makes_it_shallower_or_numbs_more),
        cmocka_unit_test(limits_no_setting_keeps_are_refused),
        cmocka_unit_test(bad_requests_are_input_errors),
        cmocka_unit_test(same_request_same_plan),
        cmocka_unit_test(series_follows_the_indication),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
