/* Patients and their history in the practice store; see records.h. */
#include <stdio.h>
#include <string.h>

#include "records/store.h"

/* Hex digits of a new pseudonym; more only when those collide. */
#define PSEUDONYM_DIGITS 8

static nd_status insert_history(nd_db *db, int64_t pid, const nd_patient_record *p, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db,
                                   "INSERT INTO patient_history (patient_id, kind, since_date, "
                                   "until_date, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                                   &st, err);
    if (s) return s;
    for (int i = 0; i < p->n_history && !s; i++) {
        const nd_history_item *h = &p->history[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, pid);
        sqlite3_bind_text(st, 2, nd_history_name((int)h->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, h->since, -1, SQLITE_STATIC);
        if (h->until[0])
            sqlite3_bind_text(st, 4, h->until, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_text(st, 5, h->note, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) s = nd_store_fail(db, rc, "storing the history", err);
    }
    sqlite3_finalize(st);
    return s;
}

/* The name as kept: without the spaces around it. */
static void trimmed(const char *in, char out[ND_NAME_MAX])
{
    while (*in == ' ') in++;
    size_t n = strlen(in);
    while (n > 0 && in[n - 1] == ' ') n--;
    snprintf(out, ND_NAME_MAX, "%.*s", (int)n, in);
}

static void bind_identity(sqlite3_stmt *st, const nd_patient_record *p, char *name)
{
    trimmed(p->name, name);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->birth_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->sex == ND_SEX_MALE ? "male" : "female", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, p->fitzpatrick);
}

static nd_status step_done(nd_db *db, sqlite3_stmt *st, const char *doing, nd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, doing, err);
}

/* The id the next patient will get.  Chosen before the insert so that the
 * pseudonym, derived from it, goes in with the row. */
static nd_status next_id(nd_db *db, int64_t *id, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db,
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'patients'), 0), "
        "coalesce((SELECT max(id) FROM patients), 0)) + 1",
        &st, err);
    if (s) return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ND_OK : nd_store_fail(db, rc, "numbering the patient", err);
}

static nd_status pseudonym_taken(nd_db *db, const char *ps, int *taken, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db, "SELECT 1 FROM patients WHERE pseudonym = ?1", &st, err);
    if (s) return s;
    sqlite3_bind_text(st, 1, ps, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *taken = rc == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ND_OK
                                                 : nd_store_fail(db, rc, "naming the patient", err);
}

static nd_status add(nd_db *db, const nd_patient_record *p, int64_t *out, nd_error *err)
{
    int64_t id = 0;
    nd_status s = next_id(db, &id, err);
    char ps[ND_PSEUDONYM_MAX];
    int taken = 1;
    for (int digits = PSEUDONYM_DIGITS; !s && taken && digits <= ND_PSEUDONYM_MAX - 3;
         digits += 4) {
        nd_store_pseudonym(db, id, digits, ps);
        s = pseudonym_taken(db, ps, &taken, err);
    }
    if (s) return s;
    if (taken)
        return nd_error_set(err, ND_ERR_INTERNAL, "no free pseudonym for patient %lld",
                            (long long)id);
    sqlite3_stmt *st;
    if ((s = nd_store_prepare(db,
                              "INSERT INTO patients (name, birth_date, sex, fitzpatrick, id, "
                              "pseudonym) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              &st, err)))
        return s;
    char name[ND_NAME_MAX];
    bind_identity(st, p, name);
    sqlite3_bind_int64(st, 5, id);
    sqlite3_bind_text(st, 6, ps, -1, SQLITE_STATIC);
    if ((s = step_done(db, st, "storing the patient", err))) return s;
    if ((s = insert_history(db, id, p, err))) return s;
    *out = id;
    return ND_OK;
}

nd_status nd_db_patient_add(nd_db *db, const nd_patient_record *p, int64_t *id, nd_error *err)
{
    nd_status s = nd_patient_validate(p, NULL, err);
    if (s) return s;
    if ((s = nd_store_savepoint(db, err))) return s;
    return nd_store_release(db, add(db, p, id, err), err);
}

static nd_status update(nd_db *db, const nd_patient_record *p, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db,
        "UPDATE patients SET name = ?1, birth_date = ?2, sex = ?3, fitzpatrick = ?4, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?5",
        &st, err);
    if (s) return s;
    char name[ND_NAME_MAX];
    bind_identity(st, p, name);
    sqlite3_bind_int64(st, 5, p->id);
    if ((s = step_done(db, st, "updating the patient", err))) return s;
    if (sqlite3_changes(db->h) == 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "patient", "no patient with id %lld",
                           (long long)p->id);
    if ((s = nd_store_prepare(db, "DELETE FROM patient_history WHERE patient_id = ?1", &st, err)))
        return s;
    sqlite3_bind_int64(st, 1, p->id);
    if ((s = step_done(db, st, "updating the history", err))) return s;
    return insert_history(db, p->id, p, err);
}

nd_status nd_db_patient_update(nd_db *db, const nd_patient_record *p, nd_error *err)
{
    nd_status s = nd_patient_validate(p, NULL, err);
    if (s) return s;
    if ((s = nd_store_savepoint(db, err))) return s;
    return nd_store_release(db, update(db, p, err), err);
}

static nd_status no_patient(int64_t id, nd_error *err)
{
    return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "patient", "no patient with id %lld",
                       (long long)id);
}

nd_status nd_db_patient_get(nd_db *db, int64_t id, nd_patient_record *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(
        db, "SELECT name, birth_date, sex, fitzpatrick FROM patients WHERE id = ?1", &st, err);
    if (s) return s;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = id;
        nd_store_col_text(st, 0, out->name, sizeof out->name);
        nd_store_col_text(st, 1, out->birth_date, sizeof out->birth_date);
        out->sex =
            !strcmp((const char *)sqlite3_column_text(st, 2), "male") ? ND_SEX_MALE : ND_SEX_FEMALE;
        out->fitzpatrick = sqlite3_column_int(st, 3);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return no_patient(id, err);
    if (rc != SQLITE_ROW) return nd_store_fail(db, rc, "reading the patient", err);

    if ((s = nd_store_prepare(db,
                              "SELECT kind, since_date, until_date, note FROM patient_history "
                              "WHERE patient_id = ?1 ORDER BY since_date, id",
                              &st, err)))
        return s;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_history == ND_MAX_HISTORY) {
            sqlite3_finalize(st);
            return nd_error_set(err, ND_ERR_INTERNAL, "patient %lld has more than %d history items",
                                (long long)id, ND_MAX_HISTORY);
        }
        nd_history_item *h = &out->history[out->n_history++];
        h->kind =
            (nd_history_kind)nd_history_kind_from_name((const char *)sqlite3_column_text(st, 0));
        nd_store_col_text(st, 1, h->since, sizeof h->since);
        nd_store_col_text(st, 2, h->until, sizeof h->until);
        nd_store_col_text(st, 3, h->note, sizeof h->note);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "reading the history", err);
}

#define SUMMARY_SQL                                                                                \
    "SELECT p.id, p.pseudonym, p.name, p.birth_date, p.sex, p.fitzpatrick, "                       \
    "(SELECT count(*) FROM plans WHERE patient_id = p.id), "                                       \
    "(SELECT count(*) FROM sessions s JOIN plans pl ON pl.id = s.plan_id "                         \
    "WHERE pl.patient_id = p.id) FROM patients p "

static void read_summary(sqlite3_stmt *st, nd_patient_summary *o)
{
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    nd_store_col_text(st, 1, o->pseudonym, sizeof o->pseudonym);
    nd_store_col_text(st, 2, o->name, sizeof o->name);
    nd_store_col_text(st, 3, o->birth_date, sizeof o->birth_date);
    o->sex =
        !strcmp((const char *)sqlite3_column_text(st, 4), "male") ? ND_SEX_MALE : ND_SEX_FEMALE;
    o->fitzpatrick = sqlite3_column_int(st, 5);
    o->n_plans = sqlite3_column_int(st, 6);
    o->n_sessions = sqlite3_column_int(st, 7);
}

nd_status nd_db_patient_summary(nd_db *db, int64_t id, nd_patient_summary *out, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db, SUMMARY_SQL "WHERE p.id = ?1", &st, err);
    if (s) return s;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_summary(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return no_patient(id, err);
    return rc == SQLITE_ROW ? ND_OK : nd_store_fail(db, rc, "reading the patient", err);
}

nd_status nd_db_patient_list(nd_db *db, nd_patient_fn fn, void *user, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db, SUMMARY_SQL "ORDER BY p.id", &st, err);
    if (s) return s;
    int rc;
    nd_patient_summary p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_summary(st, &p);
        if (fn(user, &p)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "listing the patients", err);
}

nd_status nd_db_patient_find(nd_db *db, const char *text, int64_t *ids, int max, int *n,
                             nd_error *err)
{
    *n = 0;
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db,
                                   "SELECT id FROM patients WHERE lower(name) = lower(trim(?1)) "
                                   "OR lower(pseudonym) = lower(trim(?1)) ORDER BY id",
                                   &st, err);
    if (s) return s;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n < max) ids[*n] = sqlite3_column_int64(st, 0);
        (*n)++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "looking up the patient", err);
}
