/* Recorded sessions: what was done to each zone and what was seen; see
 * records.h. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records/store.h"

static const char *const BLEEDING[] = {"none", "pinpoint", "diffuse", NULL};
static const char *const REDNESS[] = {"none", "mild", "moderate", "severe", NULL};

const char *nd_bleeding_name(int grade)
{
    return grade >= 0 && grade < 3 ? BLEEDING[grade] : NULL;
}

int nd_bleeding_from_name(const char *name)
{
    return name ? nd_store_name_index(BLEEDING, name) : -1;
}

const char *nd_redness_name(int grade)
{
    return grade >= 0 && grade < 4 ? REDNESS[grade] : NULL;
}

int nd_redness_from_name(const char *name)
{
    return name ? nd_store_name_index(REDNESS, name) : -1;
}

static nd_status bad(nd_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static nd_status bad(nd_error *err, const char *field, const char *fmt, ...)
{
    char msg[ND_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "%s", msg);
}

/* Free text: terminated within its buffer; newlines and tabs allowed, other
 * control characters not (they hide text in listings). */
static int text_ok(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap) return 0;
    for (size_t i = 0; i < n; i++)
        if (iscntrl((unsigned char)s[i]) && s[i] != '\n' && s[i] != '\t') return 0;
    return 1;
}

static nd_status check_zone(const nd_session_zone *z, int i, int *seen, nd_error *err)
{
    char f[64];
    const char *name = nd_zone_name(z->zone);
    snprintf(f, sizeof f, "zones[%d].zone", i);
    if (!name) return bad(err, f, "unknown zone id %d", z->zone);
    if (seen[z->zone]++) return bad(err, f, "%s is given twice", name);
    snprintf(f, sizeof f, "zones[%d].depth_mm", i);
    if (!(z->depth_m > 0) || !isfinite(z->depth_m))
        return bad(err, f, "%s: depth must be > 0 mm", name);
    snprintf(f, sizeof f, "zones[%d].passes", i);
    if (z->passes < 1) return bad(err, f, "%s: passes must be >= 1, got %d", name, z->passes);
    snprintf(f, sizeof f, "zones[%d].device", i);
    if (!text_ok(z->device, sizeof z->device) || strchr(z->device, '\n'))
        return bad(err, f, "%s: device must be one line of at most %d characters", name,
                   ND_NAME_MAX - 1);
    snprintf(f, sizeof f, "zones[%d].pain", i);
    if (z->pain_vas > 10 || isnan(z->pain_vas) || isinf(z->pain_vas))
        return bad(err, f, "%s: pain must be a VAS score 0..10", name);
    snprintf(f, sizeof f, "zones[%d].redness", i);
    if (z->redness < ND_REDNESS_UNRECORDED || z->redness > ND_REDNESS_SEVERE)
        return bad(err, f, "%s: redness must be 0..3 (none, mild, moderate, severe)", name);
    snprintf(f, sizeof f, "zones[%d].bleeding", i);
    if (z->bleeding < ND_BLEED_UNRECORDED || z->bleeding > ND_BLEED_DIFFUSE)
        return bad(err, f, "%s: bleeding must be none, pinpoint or diffuse", name);
    if (isnan(z->bleeding_points_per_cm2) || isinf(z->bleeding_points_per_cm2))
        return bad(err, f, "%s: bleeding points per cm2 must be a number >= 0", name);
    return ND_OK;
}

static nd_status check_session(const nd_session_record *s, const char *today, nd_error *err)
{
    if (!text_ok(s->date, sizeof s->date) || !nd_date_valid(s->date))
        return bad(err, "date", "'%s' is not a date YYYY-MM-DD", s->date);
    if (strcmp(s->date, today) > 0)
        return bad(err, "date", "%s is in the future; record a session once it is done", s->date);
    if (s->number < 1) return bad(err, "number", "must be >= 1, got %d", s->number);
    if (s->n_zones < 1 || s->n_zones > ND_ZONE_COUNT)
        return bad(err, "zones", "1..%d zones, got %d", ND_ZONE_COUNT, s->n_zones);
    int seen[ND_ZONE_COUNT] = {0};
    for (int i = 0; i < s->n_zones; i++) {
        nd_status st = check_zone(&s->zones[i], i, seen, err);
        if (st) return st;
    }
    if (!text_ok(s->complications, sizeof s->complications))
        return bad(err, "complications", "at most %d characters of text", ND_TEXT_MAX - 1);
    if (!text_ok(s->notes, sizeof s->notes))
        return bad(err, "notes", "at most %d characters of text", ND_TEXT_MAX - 1);
    return ND_OK;
}

/* The session already recorded as number n of a plan, or 0. */
static nd_status recorded_as(nd_db *db, int64_t plan, int n, int64_t *id, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db, "SELECT id FROM sessions WHERE plan_id = ?1 AND session_number = ?2", &st, err);
    if (s) return s;
    sqlite3_bind_int64(st, 1, plan);
    sqlite3_bind_int(st, 2, n);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ND_OK
                                                 : nd_store_fail(db, rc, "reading the series", err);
}

static const nd_plan_zone *plan_zone(const nd_plan *p, int zone)
{
    for (int i = 0; i < p->n_zones; i++)
        if (p->zones[i].zone == zone) return &p->zones[i];
    return NULL;
}

/* Hold the session against its plan, filling what the store derives. */
static nd_status match_plan(nd_db *db, nd_session_record *s, const nd_plan *p, nd_error *err)
{
    if (strcmp(s->date, p->created) < 0)
        return bad(err, "date", "%s is before plan %lld was made (%s)", s->date, (long long)p->id,
                   p->created);
    if (s->number > p->sessions)
        return bad(err, "number", "plan %lld has %d session%s, got number %d", (long long)p->id,
                   p->sessions, p->sessions == 1 ? "" : "s", s->number);
    int64_t other;
    nd_status st = recorded_as(db, p->id, s->number, &other, err);
    if (st) return st;
    if (other)
        return bad(err, "number", "session %d of plan %lld is already recorded (session id %lld)",
                   s->number, (long long)p->id, (long long)other);
    for (int i = 0; i < s->n_zones; i++) {
        nd_session_zone *z = &s->zones[i];
        const nd_plan_zone *pz = plan_zone(p, z->zone);
        if (!pz) {
            char f[32], names[ND_ZONE_COUNT * 20] = "";
            size_t n = 0;
            for (int k = 0; k < p->n_zones && n < sizeof names; k++)
                n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", k ? ", " : "",
                                      nd_zone_name(p->zones[k].zone));
            snprintf(f, sizeof f, "zones[%d].zone", i);
            return bad(err, f, "%s is not in plan %lld (its zones: %s)", nd_zone_name(z->zone),
                       (long long)p->id, names);
        }
        if (!z->device[0])
            snprintf(z->device, sizeof z->device, "%s",
                     p->device.preset[0] ? p->device.preset : nd_device_kind_name(p->device.kind));
        z->depth_limit_m = pz->depth_limit_m;
        /* The same test as the stored column's, in the same units. */
        double depth_mm = z->depth_m * 1e3, limit_mm = pz->depth_limit_m * 1e3;
        z->depth_exceeded = depth_mm > limit_mm * (1 + 1e-9);
    }
    s->patient_id = p->patient_id;
    return ND_OK;
}

static nd_status step_done(nd_db *db, sqlite3_stmt *st, const char *doing, nd_error *err)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, doing, err);
}

static nd_status insert(nd_db *db, nd_session_record *s, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status r = nd_store_prepare(db,
                                   "INSERT INTO sessions (plan_id, session_date, session_number, "
                                   "complications, notes) VALUES (?1, ?2, ?3, ?4, ?5)",
                                   &st, err);
    if (r) return r;
    sqlite3_bind_int64(st, 1, s->plan_id);
    sqlite3_bind_text(st, 2, s->date, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, s->number);
    sqlite3_bind_text(st, 4, s->complications, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, s->notes, -1, SQLITE_STATIC);
    r = step_done(db, st, "storing the session", err);
    sqlite3_finalize(st);
    if (r) return r;
    int64_t id = sqlite3_last_insert_rowid(db->h);
    if ((r = nd_store_prepare(
             db,
             "INSERT INTO session_zones (session_id, plan_id, position, zone, device, depth_mm, "
             "passes, depth_limit_mm, pain_vas, erythema_grade, bleeding_grade, "
             "bleeding_points_per_cm2) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
             &st, err)))
        return r;
    for (int i = 0; i < s->n_zones && !r; i++) {
        const nd_session_zone *z = &s->zones[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, s->plan_id);
        sqlite3_bind_int(st, 3, i);
        sqlite3_bind_text(st, 4, nd_zone_name(z->zone), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, z->device, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 6, z->depth_m * 1e3);
        sqlite3_bind_int(st, 7, z->passes);
        sqlite3_bind_double(st, 8, z->depth_limit_m * 1e3);
        nd_store_bind_real(st, 9, z->pain_vas, z->pain_vas >= 0);
        if (z->redness >= 0)
            sqlite3_bind_int(st, 10, z->redness);
        else
            sqlite3_bind_null(st, 10);
        if (z->bleeding >= 0)
            sqlite3_bind_text(st, 11, BLEEDING[z->bleeding], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 11);
        nd_store_bind_real(st, 12, z->bleeding_points_per_cm2, z->bleeding_points_per_cm2 >= 0);
        r = step_done(db, st, "storing the session's zones", err);
    }
    sqlite3_finalize(st);
    if (!r) s->id = id;
    return r;
}

nd_status nd_db_session_record(nd_db *db, nd_session_record *s, nd_error *err)
{
    char today[ND_DATE_LEN];
    nd_date_today(today);
    nd_status r = check_session(s, today, err);
    if (r) return r;
    nd_plan *plan = malloc(sizeof *plan);
    if (!plan) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    if (!(r = nd_store_savepoint(db, err))) {
        r = nd_db_plan_get(db, s->plan_id, plan, err);
        if (!r) r = match_plan(db, s, plan, err);
        if (!r) r = insert(db, s, err);
        r = nd_store_release(db, r, err);
    }
    free(plan);
    return r;
}

nd_status nd_db_session_get(nd_db *db, int64_t id, nd_session_record *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    nd_status r = nd_store_prepare(db,
                                   "SELECT s.plan_id, pl.patient_id, s.session_date, "
                                   "s.session_number, s.complications, s.notes FROM sessions s "
                                   "JOIN plans pl ON pl.id = s.plan_id WHERE s.id = ?1",
                                   &st, err);
    if (r) return r;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = id;
        out->plan_id = sqlite3_column_int64(st, 0);
        out->patient_id = sqlite3_column_int64(st, 1);
        nd_store_col_text(st, 2, out->date, sizeof out->date);
        out->number = sqlite3_column_int(st, 3);
        nd_store_col_text(st, 4, out->complications, sizeof out->complications);
        nd_store_col_text(st, 5, out->notes, sizeof out->notes);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "session", "no session with id %lld",
                           (long long)id);
    if (rc != SQLITE_ROW) return nd_store_fail(db, rc, "reading the session", err);
    if ((r = nd_store_prepare(db,
                              "SELECT zone, device, depth_mm, passes, depth_limit_mm, "
                              "depth_exceeded, pain_vas, erythema_grade, bleeding_grade, "
                              "bleeding_points_per_cm2 FROM session_zones WHERE session_id = ?1 "
                              "ORDER BY position",
                              &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n_zones < ND_ZONE_COUNT) {
        nd_session_zone *z = &out->zones[out->n_zones++];
        z->zone = nd_zone_from_name((const char *)sqlite3_column_text(st, 0));
        nd_store_col_text(st, 1, z->device, sizeof z->device);
        z->depth_m = sqlite3_column_double(st, 2) / 1e3;
        z->passes = sqlite3_column_int(st, 3);
        z->depth_limit_m = sqlite3_column_double(st, 4) / 1e3;
        z->depth_exceeded = sqlite3_column_int(st, 5);
        z->pain_vas = nd_store_col_real(st, 6, -1);
        z->redness = nd_store_col_int(st, 7, ND_REDNESS_UNRECORDED);
        const char *b = (const char *)sqlite3_column_text(st, 8);
        z->bleeding = b ? nd_bleeding_from_name(b) : ND_BLEED_UNRECORDED;
        z->bleeding_points_per_cm2 = nd_store_col_real(st, 9, -1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "reading the session's zones", err);
}

nd_status nd_db_session_list(nd_db *db, int64_t patient_id, nd_session_fn fn, void *user,
                             nd_error *err)
{
    nd_patient_summary ps;
    nd_status r = nd_db_patient_summary(db, patient_id, &ps, err);
    if (r) return r;
    sqlite3_stmt *st;
    if ((r = nd_store_prepare(db,
                              "SELECT s.id FROM sessions s JOIN plans pl ON pl.id = s.plan_id "
                              "WHERE pl.patient_id = ?1 "
                              "ORDER BY s.session_date, s.plan_id, s.session_number",
                              &st, err)))
        return r;
    sqlite3_bind_int64(st, 1, patient_id);
    nd_session_record *s = malloc(sizeof *s);
    nd_plan *plan = malloc(sizeof *plan);
    if (!s || !plan) {
        r = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    } else {
        plan->id = 0;
        int rc = SQLITE_DONE;
        while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            r = nd_db_session_get(db, sqlite3_column_int64(st, 0), s, err);
            if (!r && plan->id != s->plan_id) r = nd_db_plan_get(db, s->plan_id, plan, err);
            if (!r && fn(user, s, plan)) break;
        }
        if (!r && rc != SQLITE_ROW && rc != SQLITE_DONE)
            r = nd_store_fail(db, rc, "listing the sessions", err);
    }
    sqlite3_finalize(st);
    free(s);
    free(plan);
    return r;
}
