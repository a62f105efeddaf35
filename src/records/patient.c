/* Patient records: history kinds, calendar dates, validation and age; see
 * include/needle/patient.h. */
#include "needle/patient.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const HISTORY_NAMES[ND_HX_COUNT] = {
    [ND_HX_ISOTRETINOIN] = "isotretinoin",
    [ND_HX_ANTICOAGULANT] = "anticoagulant",
    [ND_HX_BLEEDING_DISORDER] = "bleeding_disorder",
    [ND_HX_KELOID] = "keloid",
    [ND_HX_INFECTION] = "infection",
    [ND_HX_HERPES] = "herpes",
    [ND_HX_ACTIVE_ACNE] = "active_acne",
    [ND_HX_ECZEMA] = "eczema",
    [ND_HX_PSORIASIS] = "psoriasis",
    [ND_HX_ROSACEA] = "rosacea",
    [ND_HX_PREGNANCY] = "pregnancy",
    [ND_HX_BREASTFEEDING] = "breastfeeding",
    [ND_HX_RADIOTHERAPY] = "radiotherapy",
    [ND_HX_IMMUNOSUPPRESSION] = "immunosuppression",
    [ND_HX_METAL_ALLERGY] = "metal_allergy",
    [ND_HX_ANESTHETIC_ALLERGY] = "anesthetic_allergy",
    [ND_HX_FILLER] = "filler",
    [ND_HX_PEEL] = "peel",
    [ND_HX_LASER] = "laser",
};

const char *nd_history_name(int kind)
{
    return kind >= 0 && kind < ND_HX_COUNT ? HISTORY_NAMES[kind] : NULL;
}

int nd_history_kind_from_name(const char *name)
{
    if (!name) return -1;
    for (int k = 0; k < ND_HX_COUNT; k++)
        if (!strcmp(name, HISTORY_NAMES[k])) return k;
    return -1;
}

/* ---- Dates -------------------------------------------------------------- */

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Split "YYYY-MM-DD" without validating the calendar. */
static int split_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return 1;
}

int nd_date_valid(const char *s)
{
    int y, m, d;
    if (!split_date(s, &y, &m, &d)) return 0;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm),
 * exact for every year the format can hold. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long nd_date_diff_days(const char *a, const char *b)
{
    int ya, ma, da, yb, mb, db;
    if (!split_date(a, &ya, &ma, &da) || !split_date(b, &yb, &mb, &db)) return 0;
    return days_from_civil(yb, mb, db) - days_from_civil(ya, ma, da);
}

void nd_date_today(char out[ND_DATE_LEN])
{
    /* The practice's own calendar day: a morning session east of Greenwich
     * is still "today", never "tomorrow" in UTC terms. */
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm)) gmtime_r(&now, &tm);
    strftime(out, ND_DATE_LEN, "%Y-%m-%d", &tm);
}

/* ---- Validation --------------------------------------------------------- */

/* 1 when s (of capacity cap) is terminated and free of control characters. */
static int clean_text(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap) return 0;
    for (size_t i = 0; i < n; i++)
        if (iscntrl((unsigned char)s[i])) return 0;
    return 1;
}

static nd_status bad(nd_error *err, const char *field, const char *fmt, const char *arg)
{
    return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, fmt, arg);
}

static nd_status check_item(const nd_patient_record *p, int i, const char *today, nd_error *err)
{
    const nd_history_item *h = &p->history[i];
    char field[64];
    snprintf(field, sizeof field, "history[%d].kind", i);
    if (!nd_history_name((int)h->kind)) return bad(err, field, "unknown history kind%s", "");
    snprintf(field, sizeof field, "history[%d].since", i);
    if (!clean_text(h->since, sizeof h->since) || !nd_date_valid(h->since))
        return bad(err, field, "'%s' is not a date YYYY-MM-DD", h->since);
    if (strcmp(h->since, today) > 0) return bad(err, field, "%s is in the future", h->since);
    if (strcmp(h->since, p->birth_date) < 0)
        return bad(err, field, "%s is before the birth date", h->since);
    snprintf(field, sizeof field, "history[%d].until", i);
    if (!clean_text(h->until, sizeof h->until)) return bad(err, field, "not a date%s", "");
    if (h->until[0]) {
        if (!nd_date_valid(h->until))
            return bad(err, field, "'%s' is not a date YYYY-MM-DD", h->until);
        if (strcmp(h->until, today) > 0) return bad(err, field, "%s is in the future", h->until);
        if (strcmp(h->until, h->since) < 0)
            return bad(err, field, "%s is before the item's since date", h->until);
    }
    snprintf(field, sizeof field, "history[%d].note", i);
    if (!clean_text(h->note, sizeof h->note))
        return bad(err, field, "must be one line of at most %s characters", "255");
    for (int j = 0; j < i; j++) {
        const nd_history_item *o = &p->history[j];
        if (o->kind == h->kind && !strcmp(o->since, h->since)) {
            snprintf(field, sizeof field, "history[%d]", i);
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field,
                               "repeats history[%d] (%s since %s)", j, nd_history_name(h->kind),
                               h->since);
        }
    }
    return ND_OK;
}

nd_status nd_patient_validate(const nd_patient_record *p, const char *today, nd_error *err)
{
    char now[ND_DATE_LEN];
    if (!today) {
        nd_date_today(now);
        today = now;
    }
    if (!clean_text(p->name, sizeof p->name))
        return bad(err, "name", "must be one line of at most %s characters", "127");
    const char *s = p->name;
    while (*s == ' ') s++;
    if (!*s) return bad(err, "name", "must not be empty%s", "");
    if (!clean_text(p->birth_date, sizeof p->birth_date) || !nd_date_valid(p->birth_date))
        return bad(err, "birth_date", "'%s' is not a date YYYY-MM-DD", p->birth_date);
    if (strcmp(p->birth_date, today) > 0)
        return bad(err, "birth_date", "%s is in the future", p->birth_date);
    if (strcmp(p->birth_date, "1900-01-01") < 0)
        return bad(err, "birth_date", "%s is before 1900", p->birth_date);
    if (p->sex != ND_SEX_FEMALE && p->sex != ND_SEX_MALE)
        return bad(err, "sex", "must be female or male%s", "");
    if (p->fitzpatrick < 1 || p->fitzpatrick > 6)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "fitzpatrick",
                           "must be 1..6 (I..VI), got %d", p->fitzpatrick);
    if (p->n_history < 0 || p->n_history > ND_MAX_HISTORY)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "history", "at most %d items, got %d",
                           ND_MAX_HISTORY, p->n_history);
    for (int i = 0; i < p->n_history; i++) {
        nd_status st = check_item(p, i, today, err);
        if (st) return st;
    }
    return ND_OK;
}

double nd_patient_age_y(const nd_patient_record *p, const char *on_date)
{
    int by, bm, bd, y, m, d;
    if (!split_date(p->birth_date, &by, &bm, &bd) || !split_date(on_date, &y, &m, &d)) return 0;
    /* Whole years by birthdays, then the share of the year to the next one.
     * A 29 February birthday falls on 1 March in common years. */
    int years = y - by;
    if (m < bm || (m == bm && d < bd)) years--;
    int ly = by + years, ny = ly + 1;
    int lm = bm, ld = bd, nm = bm, nd_ = bd;
    if (bm == 2 && bd == 29) {
        if (!leap(ly)) lm = 3, ld = 1;
        if (!leap(ny)) nm = 3, nd_ = 1;
    }
    long last = days_from_civil(ly, lm, ld), next = days_from_civil(ny, nm, nd_);
    long today = days_from_civil(y, m, d);
    return years + (double)(today - last) / (double)(next - last);
}
