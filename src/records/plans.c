/* Plans in the practice store: settings, predictions, acknowledgements; see
 * records.h. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "records/store.h"

static nd_status bad(nd_error *err, nd_status st, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static nd_status bad(nd_error *err, nd_status st, const char *field, const char *fmt, ...)
{
    char msg[ND_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nd_error_at(err, st, NULL, 0, 0, field, "%s", msg);
}

static int terminated(const char *s, size_t cap)
{
    return strnlen(s, cap) < cap;
}

static int code_ok(const char *s, size_t cap)
{
    if (!terminated(s, cap) || !*s) return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_') return 0;
    return 1;
}

/* A prediction is unknown (NAN) or within [lo, hi]. */
static int prediction_ok(double v, double lo, double hi)
{
    return isnan(v) || (v >= lo && v <= hi);
}

static nd_status check_zone(const nd_plan_zone *z, int i, int *seen, nd_error *err)
{
    char f[64];
    const char *name = nd_zone_name(z->zone);
    snprintf(f, sizeof f, "zones[%d].zone", i);
    if (!name) return bad(err, ND_ERR_INPUT, f, "unknown zone id %d", z->zone);
    if (seen[z->zone]++) return bad(err, ND_ERR_INPUT, f, "%s appears twice", name);
    snprintf(f, sizeof f, "zones[%d].depth_m", i);
    if (!(z->depth_m > 0) || !isfinite(z->depth_m))
        return bad(err, ND_ERR_INPUT, f, "%s: depth must be > 0", name);
    snprintf(f, sizeof f, "zones[%d].depth_limit_m", i);
    if (!(z->depth_limit_m > 0) || !isfinite(z->depth_limit_m))
        return bad(err, ND_ERR_INPUT, f, "%s: the depth limit must be > 0", name);
    if (z->depth_m > z->depth_limit_m * (1 + 1e-9))
        return bad(err, ND_ERR_SAFETY, f, "%s: depth %.2f mm is beyond the limit %.2f mm", name,
                   z->depth_m * 1e3, z->depth_limit_m * 1e3);
    snprintf(f, sizeof f, "zones[%d].passes", i);
    if (z->passes < 1) return bad(err, ND_ERR_INPUT, f, "%s: passes must be >= 1", name);
    snprintf(f, sizeof f, "zones[%d].directions", i);
    if (z->n_directions < 0 || z->n_directions > ND_MAX_DIRECTIONS)
        return bad(err, ND_ERR_INPUT, f, "%s: 0..%d directions", name, ND_MAX_DIRECTIONS);
    for (int d = 0; d < z->n_directions; d++)
        if ((int)z->directions[d] < 0 || (int)z->directions[d] >= ND_DIR_COUNT)
            return bad(err, ND_ERR_INPUT, f, "%s: unknown direction %d", name, z->directions[d]);
    snprintf(f, sizeof f, "zones[%d]", i);
    if (!prediction_ok(z->pain_vas, 0, 10) || !prediction_ok(z->pain_vas_peak, 0, 10) ||
        !prediction_ok(z->bleeding_points_per_cm2, 0, INFINITY) ||
        !prediction_ok(z->erythema_peak, 0, 1) || !prediction_ok(z->downtime_days, 0, INFINITY) ||
        !prediction_ok(z->collagen_I_rel, 0, INFINITY) || !prediction_ok(z->pih_risk, 0, 1))
        return bad(err, ND_ERR_INPUT, f, "%s: a prediction is out of its range", name);
    if (!terminated(z->reason, sizeof z->reason))
        return bad(err, ND_ERR_INPUT, f, "%s: reason is not terminated", name);
    return ND_OK;
}

static nd_status check_plan(const nd_plan *p, const char *today, nd_error *err)
{
    if (!terminated(p->created, sizeof p->created) || (p->created[0] && !nd_date_valid(p->created)))
        return bad(err, ND_ERR_INPUT, "created", "'%.10s' is not a date YYYY-MM-DD", p->created);
    if (strcmp(p->created, today) > 0)
        return bad(err, ND_ERR_INPUT, "created", "%s is in the future", p->created);
    if (!code_ok(p->indication, sizeof p->indication))
        return bad(err, ND_ERR_INPUT, "indication", "must be a code like acne_scars");
    const nd_device_spec *d = &p->device;
    if ((int)d->kind < 0 || (int)d->kind > ND_DEVICE_PEN)
        return bad(err, ND_ERR_INPUT, "device.kind", "unknown device kind %d", (int)d->kind);
    if (!terminated(d->preset, sizeof d->preset))
        return bad(err, ND_ERR_INPUT, "device.preset", "not terminated");
    if (!(d->needle_length_m > 0) || !(d->needle_diameter_m > 0))
        return bad(err, ND_ERR_INPUT, "device", "needle length and diameter must be > 0");
    if ((int)p->numbing.cream < 0 || (int)p->numbing.cream > ND_CREAM_BLT)
        return bad(err, ND_ERR_INPUT, "numbing.cream", "unknown cream %d", (int)p->numbing.cream);
    if (!(p->numbing.application_s >= 0))
        return bad(err, ND_ERR_INPUT, "numbing.application_s", "must be >= 0");
    if (p->sessions < 1) return bad(err, ND_ERR_INPUT, "sessions", "must be >= 1");
    if (!(p->interval_s >= 0) || !isfinite(p->interval_s))
        return bad(err, ND_ERR_INPUT, "interval_s", "must be >= 0");
    if (p->max_pain_vas > 10) return bad(err, ND_ERR_INPUT, "max_pain_vas", "must be 0..10");
    if (p->n_zones < 1 || p->n_zones > ND_ZONE_COUNT)
        return bad(err, ND_ERR_INPUT, "zones", "1..%d zones, got %d", ND_ZONE_COUNT, p->n_zones);
    int seen[ND_ZONE_COUNT] = {0};
    for (int i = 0; i < p->n_zones; i++) {
        nd_status s = check_zone(&p->zones[i], i, seen, err);
        if (s) return s;
    }
    if (p->n_acknowledged < 0 || p->n_acknowledged > ND_HX_COUNT)
        return bad(err, ND_ERR_INPUT, "acknowledged", "0..%d codes", ND_HX_COUNT);
    for (int i = 0; i < p->n_acknowledged; i++) {
        char f[32];
        snprintf(f, sizeof f, "acknowledged[%d]", i);
        if (!code_ok(p->acknowledged[i], sizeof p->acknowledged[i]))
            return bad(err, ND_ERR_INPUT, f, "must be a code like isotretinoin");
        for (int j = 0; j < i; j++)
            if (!strcmp(p->acknowledged[i], p->acknowledged[j]))
                return bad(err, ND_ERR_INPUT, f, "'%s' appears twice", p->acknowledged[i]);
    }
    if (p->n_warnings < 0 || p->n_warnings > ND_MAX_WARNINGS)
        return bad(err, ND_ERR_INPUT, "warnings", "0..%d warnings", ND_MAX_WARNINGS);
    for (int i = 0; i < p->n_warnings; i++)
        if (!terminated(p->warnings[i], sizeof p->warnings[i]))
            return bad(err, ND_ERR_INPUT, "warnings", "warning %d is not terminated", i);
    return ND_OK;
}

static nd_status step_done(nd_db *db, sqlite3_stmt *st, const char *doing, nd_error *err)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, doing, err);
}

static nd_status patient_exists(nd_db *db, int64_t id, nd_error *err)
{
    nd_patient_summary ps;
    return nd_db_patient_summary(db, id, &ps, err);
}

static nd_status insert_plan(nd_db *db, const nd_plan *p, const char *created, int64_t *id,
                             nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db,
        "INSERT INTO plans (patient_id, created_date, indication, device_kind, device_preset, "
        "needle_length_mm, needle_diameter_mm, tip_radius_um, rings, needles_per_ring, "
        "drum_diameter_mm, drum_width_mm, rows, cols, pitch_mm, frequency_hz, motor_stroke_mm, "
        "numbing_cream, numbing_application_min, numbing_occluded, sessions, interval_days, "
        "max_downtime_days, max_pain_vas) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        &st, err);
    if (s) return s;
    const nd_device_spec *d = &p->device;
    sqlite3_bind_int64(st, 1, p->patient_id);
    sqlite3_bind_text(st, 2, created, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->indication, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, nd_device_kind_name(d->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->preset, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 6, d->needle_length_m * 1e3);
    sqlite3_bind_double(st, 7, d->needle_diameter_m * 1e3);
    sqlite3_bind_double(st, 8, d->tip_radius_m * 1e6);
    sqlite3_bind_int(st, 9, d->rings);
    sqlite3_bind_int(st, 10, d->needles_per_ring);
    sqlite3_bind_double(st, 11, d->drum_diameter_m * 1e3);
    sqlite3_bind_double(st, 12, d->drum_width_m * 1e3);
    sqlite3_bind_int(st, 13, d->rows);
    sqlite3_bind_int(st, 14, d->cols);
    sqlite3_bind_double(st, 15, d->pitch_m * 1e3);
    sqlite3_bind_double(st, 16, d->frequency_hz);
    sqlite3_bind_double(st, 17, d->motor_stroke_m * 1e3);
    sqlite3_bind_text(st, 18, nd_cream_name(p->numbing.cream), -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 19, p->numbing.application_s / ND_S_PER_MIN);
    sqlite3_bind_int(st, 20, p->numbing.occluded != 0);
    sqlite3_bind_int(st, 21, p->sessions);
    sqlite3_bind_double(st, 22, p->interval_s / ND_S_PER_DAY);
    nd_store_bind_real(st, 23, p->max_downtime_days, p->max_downtime_days >= 0);
    nd_store_bind_real(st, 24, p->max_pain_vas, p->max_pain_vas >= 0);
    s = step_done(db, st, "storing the plan", err);
    sqlite3_finalize(st);
    if (!s) *id = sqlite3_last_insert_rowid(db->h);
    return s;
}

static void directions_text(const nd_plan_zone *z, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int d = 0; d < z->n_directions && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", d ? "," : "",
                              nd_direction_name(z->directions[d]));
}

static nd_status insert_zones(nd_db *db, int64_t id, const nd_plan *p, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db,
        "INSERT INTO plan_zones (plan_id, position, zone, depth_mm, depth_limit_mm, passes, "
        "directions, predicted_pain_vas, predicted_pain_vas_peak, "
        "predicted_bleeding_points_per_cm2, predicted_erythema_peak_fraction, "
        "predicted_downtime_days, predicted_collagen_i_rel, predicted_pih_risk_fraction, reason) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        &st, err);
    for (int i = 0; i < p->n_zones && !s; i++) {
        const nd_plan_zone *z = &p->zones[i];
        char dirs[ND_MAX_DIRECTIONS * 16];
        directions_text(z, dirs, sizeof dirs);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_text(st, 3, nd_zone_name(z->zone), -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 4, z->depth_m * 1e3);
        sqlite3_bind_double(st, 5, z->depth_limit_m * 1e3);
        sqlite3_bind_int(st, 6, z->passes);
        sqlite3_bind_text(st, 7, dirs, -1, SQLITE_TRANSIENT);
        nd_store_bind_real(st, 8, z->pain_vas, 1);
        nd_store_bind_real(st, 9, z->pain_vas_peak, 1);
        nd_store_bind_real(st, 10, z->bleeding_points_per_cm2, 1);
        nd_store_bind_real(st, 11, z->erythema_peak, 1);
        nd_store_bind_real(st, 12, z->downtime_days, 1);
        nd_store_bind_real(st, 13, z->collagen_I_rel, 1);
        nd_store_bind_real(st, 14, z->pih_risk, 1);
        sqlite3_bind_text(st, 15, z->reason, -1, SQLITE_STATIC);
        s = step_done(db, st, "storing the plan's zones", err);
    }
    sqlite3_finalize(st);
    return s;
}

static nd_status insert_notes(nd_db *db, int64_t id, const nd_plan *p, const char *created,
                              nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db,
                                   "INSERT INTO plan_acknowledgements (plan_id, code, "
                                   "acknowledged_date) VALUES (?1, ?2, ?3)",
                                   &st, err);
    for (int i = 0; i < p->n_acknowledged && !s; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, p->acknowledged[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, created, -1, SQLITE_STATIC);
        s = step_done(db, st, "storing the acknowledgements", err);
    }
    sqlite3_finalize(st);
    if (s) return s;
    s = nd_store_prepare(db,
                         "INSERT INTO plan_warnings (plan_id, position, warning) "
                         "VALUES (?1, ?2, ?3)",
                         &st, err);
    for (int i = 0; i < p->n_warnings && !s; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_text(st, 3, p->warnings[i], -1, SQLITE_STATIC);
        s = step_done(db, st, "storing the warnings", err);
    }
    sqlite3_finalize(st);
    return s;
}

static nd_status store(nd_db *db, const nd_plan *p, const char *created, int64_t *id, nd_error *err)
{
    nd_status s = patient_exists(db, p->patient_id, err);
    if (!s) s = insert_plan(db, p, created, id, err);
    if (!s) s = insert_zones(db, *id, p, err);
    if (!s) s = insert_notes(db, *id, p, created, err);
    return s;
}

nd_status nd_db_plan_store(nd_db *db, const nd_plan *plan, int64_t *id, nd_error *err)
{
    char today[ND_DATE_LEN];
    nd_date_today(today);
    nd_status s = check_plan(plan, today, err);
    if (s) return s;
    const char *created = plan->created[0] ? plan->created : today;
    if ((s = nd_store_savepoint(db, err))) return s;
    return nd_store_release(db, store(db, plan, created, id, err), err);
}

/* ---- Reading back ------------------------------------------------------- */

static int index_of(const char *(*name)(int), int count, const char *text)
{
    for (int i = 0; i < count; i++)
        if (text && name(i) && !strcmp(name(i), text)) return i;
    return 0;
}

static const char *kind_name(int k)
{
    return nd_device_kind_name((nd_device_kind)k);
}

static const char *cream_name(int k)
{
    return nd_cream_name((nd_cream)k);
}

static const char *direction_name(int k)
{
    return nd_direction_name((nd_direction)k);
}

static void parse_directions(const char *text, nd_plan_zone *z)
{
    char buf[ND_MAX_DIRECTIONS * 16];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    z->n_directions = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save);
         t && z->n_directions < ND_MAX_DIRECTIONS; t = strtok_r(NULL, ",", &save))
        z->directions[z->n_directions++] = (nd_direction)index_of(direction_name, ND_DIR_COUNT, t);
}

static nd_status read_plan_row(nd_db *db, int64_t id, nd_plan *p, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db,
        "SELECT patient_id, created_date, indication, device_kind, device_preset, "
        "needle_length_mm, needle_diameter_mm, tip_radius_um, rings, needles_per_ring, "
        "drum_diameter_mm, drum_width_mm, rows, cols, pitch_mm, frequency_hz, motor_stroke_mm, "
        "numbing_cream, numbing_application_min, numbing_occluded, sessions, interval_days, "
        "max_downtime_days, max_pain_vas FROM plans WHERE id = ?1",
        &st, err);
    if (s) return s;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        nd_device_spec *d = &p->device;
        p->id = id;
        p->patient_id = sqlite3_column_int64(st, 0);
        nd_store_col_text(st, 1, p->created, sizeof p->created);
        nd_store_col_text(st, 2, p->indication, sizeof p->indication);
        d->kind = (nd_device_kind)index_of(kind_name, 4, (const char *)sqlite3_column_text(st, 3));
        nd_store_col_text(st, 4, d->preset, sizeof d->preset);
        d->needle_length_m = sqlite3_column_double(st, 5) / 1e3;
        d->needle_diameter_m = sqlite3_column_double(st, 6) / 1e3;
        d->tip_radius_m = sqlite3_column_double(st, 7) / 1e6;
        d->rings = sqlite3_column_int(st, 8);
        d->needles_per_ring = sqlite3_column_int(st, 9);
        d->drum_diameter_m = sqlite3_column_double(st, 10) / 1e3;
        d->drum_width_m = sqlite3_column_double(st, 11) / 1e3;
        d->rows = sqlite3_column_int(st, 12);
        d->cols = sqlite3_column_int(st, 13);
        d->pitch_m = sqlite3_column_double(st, 14) / 1e3;
        d->frequency_hz = sqlite3_column_double(st, 15);
        d->motor_stroke_m = sqlite3_column_double(st, 16) / 1e3;
        p->numbing.cream =
            (nd_cream)index_of(cream_name, 4, (const char *)sqlite3_column_text(st, 17));
        p->numbing.application_s = sqlite3_column_double(st, 18) * ND_S_PER_MIN;
        p->numbing.occluded = sqlite3_column_int(st, 19);
        p->sessions = sqlite3_column_int(st, 20);
        p->interval_s = sqlite3_column_double(st, 21) * ND_S_PER_DAY;
        p->max_downtime_days = nd_store_col_real(st, 22, -1);
        p->max_pain_vas = nd_store_col_real(st, 23, -1);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "plan", "no plan with id %lld",
                           (long long)id);
    return rc == SQLITE_ROW ? ND_OK : nd_store_fail(db, rc, "reading the plan", err);
}

static nd_status read_zones(nd_db *db, nd_plan *p, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db,
        "SELECT zone, depth_mm, depth_limit_mm, passes, directions, predicted_pain_vas, "
        "predicted_pain_vas_peak, predicted_bleeding_points_per_cm2, "
        "predicted_erythema_peak_fraction, predicted_downtime_days, predicted_collagen_i_rel, "
        "predicted_pih_risk_fraction, reason FROM plan_zones WHERE plan_id = ?1 "
        "ORDER BY position",
        &st, err);
    if (s) return s;
    sqlite3_bind_int64(st, 1, p->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->n_zones < ND_ZONE_COUNT) {
        nd_plan_zone *z = &p->zones[p->n_zones++];
        z->zone = nd_zone_from_name((const char *)sqlite3_column_text(st, 0));
        z->depth_m = sqlite3_column_double(st, 1) / 1e3;
        z->depth_limit_m = sqlite3_column_double(st, 2) / 1e3;
        z->passes = sqlite3_column_int(st, 3);
        parse_directions((const char *)sqlite3_column_text(st, 4), z);
        z->pain_vas = nd_store_col_real(st, 5, NAN);
        z->pain_vas_peak = nd_store_col_real(st, 6, NAN);
        z->bleeding_points_per_cm2 = nd_store_col_real(st, 7, NAN);
        z->erythema_peak = nd_store_col_real(st, 8, NAN);
        z->downtime_days = nd_store_col_real(st, 9, NAN);
        z->collagen_I_rel = nd_store_col_real(st, 10, NAN);
        z->pih_risk = nd_store_col_real(st, 11, NAN);
        nd_store_col_text(st, 12, z->reason, sizeof z->reason);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "reading the plan's zones", err);
}

static nd_status read_notes(nd_db *db, nd_plan *p, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db, "SELECT code FROM plan_acknowledgements WHERE plan_id = ?1 ORDER BY rowid", &st, err);
    if (s) return s;
    sqlite3_bind_int64(st, 1, p->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->n_acknowledged < ND_HX_COUNT)
        nd_store_col_text(st, 0, p->acknowledged[p->n_acknowledged++], ND_CODE_MAX);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd_store_fail(db, rc, "reading the acknowledgements", err);
    if ((s = nd_store_prepare(
             db, "SELECT warning FROM plan_warnings WHERE plan_id = ?1 ORDER BY position", &st,
             err)))
        return s;
    sqlite3_bind_int64(st, 1, p->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->n_warnings < ND_MAX_WARNINGS)
        nd_store_col_text(st, 0, p->warnings[p->n_warnings++], ND_WARNING_MAX);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "reading the warnings", err);
}

nd_status nd_db_plan_get(nd_db *db, int64_t id, nd_plan *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_status s = read_plan_row(db, id, out, err);
    if (!s) s = read_zones(db, out, err);
    if (!s) s = read_notes(db, out, err);
    return s;
}

nd_status nd_db_plan_list(nd_db *db, int64_t patient_id, nd_plan_fn fn, void *user, nd_error *err)
{
    nd_status s = patient_exists(db, patient_id, err);
    if (s) return s;
    sqlite3_stmt *st;
    if ((s = nd_store_prepare(db,
                              "SELECT id, patient_id, created_date, indication, device_kind, "
                              "device_preset, sessions, interval_days, "
                              "(SELECT count(*) FROM plan_zones WHERE plan_id = plans.id), "
                              "(SELECT count(*) FROM sessions WHERE plan_id = plans.id) "
                              "FROM plans WHERE patient_id = ?1 ORDER BY created_date, id",
                              &st, err)))
        return s;
    sqlite3_bind_int64(st, 1, patient_id);
    int rc;
    nd_plan_summary p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&p, 0, sizeof p);
        p.id = sqlite3_column_int64(st, 0);
        p.patient_id = sqlite3_column_int64(st, 1);
        nd_store_col_text(st, 2, p.created, sizeof p.created);
        nd_store_col_text(st, 3, p.indication, sizeof p.indication);
        p.device_kind =
            (nd_device_kind)index_of(kind_name, 4, (const char *)sqlite3_column_text(st, 4));
        nd_store_col_text(st, 5, p.device, sizeof p.device);
        if (!p.device[0]) snprintf(p.device, sizeof p.device, "%s", kind_name(p.device_kind));
        p.sessions = sqlite3_column_int(st, 6);
        p.interval_s = sqlite3_column_double(st, 7) * ND_S_PER_DAY;
        p.n_zones = sqlite3_column_int(st, 8);
        p.n_recorded = sqlite3_column_int(st, 9);
        if (fn(user, &p)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "listing the plans", err);
}
