/* Patient records: history kinds, calendar dates, validation and age. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "needle/patient.h"

static void history_names_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < ND_HX_COUNT; k++) {
        const char *name = nd_history_name(k);
        assert_non_null(name);
        assert_int_equal(nd_history_kind_from_name(name), k);
        for (const char *c = name; *c; c++) assert_true((*c >= 'a' && *c <= 'z') || *c == '_');
    }
    assert_string_equal(nd_history_name(ND_HX_ISOTRETINOIN), "isotretinoin");
    assert_string_equal(nd_history_name(ND_HX_ANESTHETIC_ALLERGY), "anesthetic_allergy");
    assert_null(nd_history_name(-1));
    assert_null(nd_history_name(ND_HX_COUNT));
    assert_int_equal(nd_history_kind_from_name("isotretinion"), -1);
    assert_int_equal(nd_history_kind_from_name("Isotretinoin"), -1);
    assert_int_equal(nd_history_kind_from_name(""), -1);
    assert_int_equal(nd_history_kind_from_name(NULL), -1);
}

static void dates_follow_the_calendar(void **state)
{
    (void)state;
    assert_true(nd_date_valid("2024-02-29"));  /* leap year */
    assert_false(nd_date_valid("2023-02-29")); /* common year */
    assert_true(nd_date_valid("2000-02-29"));  /* divisible by 400 */
    assert_false(nd_date_valid("1900-02-29")); /* by 100, not 400 */
    assert_true(nd_date_valid("1999-12-31"));
    assert_false(nd_date_valid("1999-13-01"));
    assert_false(nd_date_valid("1999-00-10"));
    assert_false(nd_date_valid("1999-04-31"));
    assert_false(nd_date_valid("1999-04-00"));
    assert_false(nd_date_valid("1999-4-01"));
    assert_false(nd_date_valid("1999/04/01"));
    assert_false(nd_date_valid("1999-04-01 "));
    assert_false(nd_date_valid("199a-04-01"));
    assert_false(nd_date_valid(""));
    assert_false(nd_date_valid(NULL));

    assert_int_equal(nd_date_diff_days("2024-01-01", "2024-01-01"), 0);
    assert_int_equal(nd_date_diff_days("2024-01-01", "2025-01-01"), 366);
    assert_int_equal(nd_date_diff_days("2023-01-01", "2024-01-01"), 365);
    assert_int_equal(nd_date_diff_days("2024-03-01", "2024-02-28"), -2);
    assert_int_equal(nd_date_diff_days("1970-01-01", "2000-01-01"), 10957);
    assert_int_equal(nd_date_diff_days("1900-01-01", "2000-01-01"), 36524);
}

static void today_is_a_valid_date_near_the_clock(void **state)
{
    (void)state;
    char today[ND_DATE_LEN];
    nd_date_today(today);
    assert_true(nd_date_valid(today));
    /* Within a day of UTC, whatever the local zone. */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char utc[ND_DATE_LEN];
    strftime(utc, sizeof utc, "%Y-%m-%d", &tm);
    assert_true(labs(nd_date_diff_days(utc, today)) <= 1);
}

static nd_patient_record valid_patient(void)
{
    nd_patient_record p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "Ada Example");
    snprintf(p.birth_date, sizeof p.birth_date, "1980-06-15");
    p.sex = ND_SEX_FEMALE;
    p.fitzpatrick = 3;
    p.n_history = 2;
    p.history[0].kind = ND_HX_ISOTRETINOIN;
    snprintf(p.history[0].since, ND_DATE_LEN, "2024-01-10");
    snprintf(p.history[0].until, ND_DATE_LEN, "2024-07-10");
    snprintf(p.history[0].note, ND_NOTE_MAX, "20 mg a day");
    p.history[1].kind = ND_HX_HERPES;
    snprintf(p.history[1].since, ND_DATE_LEN, "2010-05-01");
    return p;
}

/* Validate p against a fixed today and expect a refusal naming field. */
static void expect_refused(const nd_patient_record *p, const char *field)
{
    nd_error err;
    nd_error_clear(&err);
    assert_int_equal(nd_patient_validate(p, "2025-01-01", &err), ND_ERR_INPUT);
    assert_int_equal(err.status, ND_ERR_INPUT);
    assert_string_equal(err.field, field);
    assert_true(strlen(err.message) > 0);
}

static void validation_names_the_field(void **state)
{
    (void)state;
    nd_error err;
    nd_error_clear(&err);
    nd_patient_record p = valid_patient();
    assert_int_equal(nd_patient_validate(&p, "2025-01-01", &err), ND_OK);
    assert_int_equal(nd_patient_validate(&p, NULL, &err), ND_OK); /* today */

    p = valid_patient();
    p.name[0] = '\0';
    expect_refused(&p, "name");
    snprintf(p.name, sizeof p.name, "   ");
    expect_refused(&p, "name");
    snprintf(p.name, sizeof p.name, "Ada\nExample");
    expect_refused(&p, "name");

    p = valid_patient();
    p.fitzpatrick = 7;
    expect_refused(&p, "fitzpatrick");
    p.fitzpatrick = 0;
    expect_refused(&p, "fitzpatrick");

    p = valid_patient();
    snprintf(p.birth_date, sizeof p.birth_date, "1980-02-30");
    expect_refused(&p, "birth_date");
    snprintf(p.birth_date, sizeof p.birth_date, "2025-01-02"); /* tomorrow */
    expect_refused(&p, "birth_date");

    p = valid_patient();
    p.sex = (nd_sex)5;
    expect_refused(&p, "sex");

    p = valid_patient();
    p.history[1].kind = (nd_history_kind)ND_HX_COUNT;
    expect_refused(&p, "history[1].kind");

    p = valid_patient();
    snprintf(p.history[0].until, ND_DATE_LEN, "2023-12-31"); /* before since */
    expect_refused(&p, "history[0].until");
    snprintf(p.history[0].until, ND_DATE_LEN, "2025-03-01"); /* future */
    expect_refused(&p, "history[0].until");

    p = valid_patient();
    snprintf(p.history[1].since, ND_DATE_LEN, "1979-01-01"); /* before birth */
    expect_refused(&p, "history[1].since");
    snprintf(p.history[1].since, ND_DATE_LEN, "2025-06-01"); /* future */
    expect_refused(&p, "history[1].since");

    p = valid_patient();
    p.history[2] = p.history[0];
    p.n_history = 3;
    expect_refused(&p, "history[2]");

    p = valid_patient();
    p.n_history = ND_MAX_HISTORY + 1;
    expect_refused(&p, "history");

    /* Today itself is allowed: a patient seen on the day of an event. */
    p = valid_patient();
    snprintf(p.history[1].since, ND_DATE_LEN, "2025-01-01");
    assert_int_equal(nd_patient_validate(&p, "2025-01-01", &err), ND_OK);
}

static void age_counts_birthdays(void **state)
{
    (void)state;
    nd_patient_record p = valid_patient(); /* born 1980-06-15 */
    assert_true(fabs(nd_patient_age_y(&p, "2020-06-15") - 40.0) < 1e-12);
    double before = nd_patient_age_y(&p, "2020-06-14");
    assert_true(before < 40.0 && before > 39.99);
    double half = nd_patient_age_y(&p, "2020-12-15");
    assert_true(half > 40.49 && half < 40.51);
    /* Born on 29 February: a year older on 1 March in common years. */
    snprintf(p.birth_date, sizeof p.birth_date, "2000-02-29");
    assert_true(nd_patient_age_y(&p, "2001-02-28") < 1.0);
    assert_true(fabs(nd_patient_age_y(&p, "2001-03-01") - 1.0) < 1e-12);
    assert_true(fabs(nd_patient_age_y(&p, "2004-02-29") - 4.0) < 1e-12);
    assert_true(fabs(nd_patient_age_y(&p, "2000-02-29")) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(history_names_round_trip),
        cmocka_unit_test(dates_follow_the_calendar),
        cmocka_unit_test(today_is_a_valid_date_near_the_clock),
        cmocka_unit_test(validation_names_the_field),
        cmocka_unit_test(age_counts_birthdays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
