/* The practice store: the file and its settings, schema migrations,
 * patients, plans, sessions, transactions, export, backup, and what survives
 * a writer killed mid-way or two writers at once. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw, popen */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "needle/records.h"
#include "records/store.h"
#include "unit/tmpdir.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct {
    char *dir;
    char path[512];
    nd_db *db;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = make_tmp();
    snprintf(f->path, sizeof f->path, "%s/practice.db", f->dir);
    nd_error err;
    if (nd_db_open(f->path, &f->db, &err)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nd_db_close(f->db);
    rm_tree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static int file_mode(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 0777) : -1;
}

/* One value of a query on the store's own connection, as text. */
static void query_text(nd_db *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static long query_long(nd_db *db, const char *sql)
{
    char buf[64];
    query_text(db, sql, buf, sizeof buf);
    return atol(buf);
}

static nd_patient_record patient(const char *name, const char *born)
{
    nd_patient_record p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.birth_date, sizeof p.birth_date, "%s", born);
    p.sex = ND_SEX_FEMALE;
    p.fitzpatrick = 4;
    p.n_history = 2;
    p.history[0].kind = ND_HX_ISOTRETINOIN;
    snprintf(p.history[0].since, ND_DATE_LEN, "2024-01-10");
    snprintf(p.history[0].until, ND_DATE_LEN, "2024-07-10");
    snprintf(p.history[0].note, ND_NOTE_MAX, "20 mg, \"daily\"");
    p.history[1].kind = ND_HX_HERPES;
    snprintf(p.history[1].since, ND_DATE_LEN, "2010-05-01");
    return p;
}

static int64_t add_patient(nd_db *db, const char *name)
{
    nd_patient_record p = patient(name, "1980-06-15");
    int64_t id = 0;
    nd_error err;
    assert_int_equal(nd_db_patient_add(db, &p, &id, &err), ND_OK);
    assert_true(id > 0);
    return id;
}

/* A pen plan: forehead 0.5 mm (limit 0.75), left cheek 1.5 mm (limit 1.5). */
static nd_plan plan_for(int64_t patient_id, int sessions)
{
    nd_plan p;
    memset(&p, 0, sizeof p);
    p.patient_id = patient_id;
    snprintf(p.created, sizeof p.created, "2024-09-01");
    snprintf(p.indication, sizeof p.indication, "wrinkles");
    p.device.kind = ND_DEVICE_PEN;
    snprintf(p.device.preset, sizeof p.device.preset, "test_pen");
    p.device.needle_length_m = 2.5e-3;
    p.device.needle_diameter_m = 0.25e-3;
    p.device.tip_radius_m = 5e-6;
    p.device.rows = 3;
    p.device.cols = 4;
    p.device.pitch_m = 0.6e-3;
    p.device.frequency_hz = 120;
    p.device.motor_stroke_m = 2.5e-3;
    p.numbing.cream = ND_CREAM_EMLA;
    p.numbing.application_s = 45 * 60;
    p.sessions = sessions;
    p.interval_s = 28 * 86400.0;
    p.max_downtime_days = 3;
    p.max_pain_vas = -1;
    p.n_zones = 2;
    nd_plan_zone *z = &p.zones[0];
    z->zone = ND_ZONE_FOREHEAD;
    z->depth_m = 0.5e-3;
    z->depth_limit_m = 0.75e-3;
    z->passes = 4;
    z->n_directions = 2;
    z->directions[0] = ND_DIR_HORIZONTAL;
    z->directions[1] = ND_DIR_VERTICAL;
    z->pain_vas = 2.1;
    z->pain_vas_peak = 3.3;
    z->bleeding_points_per_cm2 = 120;
    z->erythema_peak = 0.41;
    z->downtime_days = 1.5;
    z->collagen_I_rel = 1.12;
    z->pih_risk = NAN; /* not predicted */
    snprintf(z->reason, sizeof z->reason, "thin skin over bone");
    z = &p.zones[1];
    z->zone = ND_ZONE_CHEEK_LEFT;
    z->depth_m = 1.5e-3;
    z->depth_limit_m = 1.5e-3;
    z->passes = 6;
    z->pain_vas = 3.4;
    z->pain_vas_peak = 4.0;
    z->bleeding_points_per_cm2 = 800;
    z->erythema_peak = 0.62;
    z->downtime_days = 2.5;
    z->collagen_I_rel = 1.3;
    z->pih_risk = 0.04;
    p.n_acknowledged = 1;
    snprintf(p.acknowledged[0], ND_CODE_MAX, "isotretinoin");
    p.n_warnings = 1;
    snprintf(p.warnings[0], ND_WARNING_MAX, "isotretinoin ended under 6 months ago");
    return p;
}

static int64_t store_plan(nd_db *db, int64_t patient_id, int sessions)
{
    nd_plan p = plan_for(patient_id, sessions);
    int64_t id = 0;
    nd_error err;
    nd_status st = nd_db_plan_store(db, &p, &id, &err);
    if (st) fprintf(stderr, "%s: %s\n", err.field, err.message);
    assert_int_equal(st, ND_OK);
    return id;
}

static nd_session_zone zone_done(int zone, double depth_mm, int passes)
{
    nd_session_zone z;
    memset(&z, 0, sizeof z);
    z.zone = zone;
    z.depth_m = depth_mm * 1e-3;
    z.passes = passes;
    z.pain_vas = -1;
    z.redness = ND_REDNESS_UNRECORDED;
    z.bleeding = ND_BLEED_UNRECORDED;
    z.bleeding_points_per_cm2 = -1;
    return z;
}

static nd_session_record *session_of(int64_t plan, int number, const char *date)
{
    nd_session_record *s = calloc(1, sizeof *s);
    s->plan_id = plan;
    s->number = number;
    snprintf(s->date, sizeof s->date, "%s", date);
    s->n_zones = 2;
    s->zones[0] = zone_done(ND_ZONE_FOREHEAD, 0.5, 4);
    s->zones[0].pain_vas = 3;
    s->zones[0].redness = ND_REDNESS_MILD;
    s->zones[0].bleeding = ND_BLEED_NONE;
    s->zones[1] = zone_done(ND_ZONE_CHEEK_LEFT, 1.5, 6);
    s->zones[1].bleeding_points_per_cm2 = 40;
    return s;
}

static int count_patients(void *user, const nd_patient_summary *p)
{
    (void)p;
    (*(int *)user)++;
    return 0;
}

static int n_patients(nd_db *db)
{
    int n = 0;
    nd_error err;
    assert_int_equal(nd_db_patient_list(db, count_patients, &n, &err), ND_OK);
    return n;
}

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(1, fabs(b));
}

/* ---- The file ----------------------------------------------------------- */

static void new_file_is_private_wal_and_safe(void **state)
{
    (void)state;
    char *dir = make_tmp(), path[512], side[600];
    snprintf(path, sizeof path, "%s/open.db", dir);
    mode_t old = umask(0); /* the most permissive umask a user could have */
    nd_db *db;
    nd_error err;
    assert_int_equal(nd_db_open(path, &db, &err), ND_OK);
    assert_int_equal(nd_db_begin(db, &err), ND_OK);
    add_patient(db, "Wal Check");
    assert_int_equal(nd_db_commit(db, &err), ND_OK);
    umask(old);
    assert_int_equal(file_mode(path), 0600);
    snprintf(side, sizeof side, "%s-wal", path);
    assert_int_equal(file_mode(side), 0600);
    snprintf(side, sizeof side, "%s-shm", path);
    assert_int_equal(file_mode(side), 0600);

    char buf[64];
    query_text(db, "PRAGMA journal_mode", buf, sizeof buf);
    assert_string_equal(buf, "wal");
    assert_int_equal(query_long(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_long(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_true(query_long(db, "PRAGMA busy_timeout") >= 5000);
    assert_int_equal(query_long(db, "PRAGMA application_id"), ND_STORE_APPLICATION_ID);
    nd_db_close(db);

    /* The journal mode is kept in the file for every later connection. */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(raw);
    rm_tree(dir);
    free(dir);
}

static void schema_is_migrated_once_and_newer_files_refused(void **state)
{
    fixture *f = *state;
    int known = nd_records_schema_version();
    assert_true(known >= 1);
    assert_int_equal(nd_db_schema_version(f->db), known);
    assert_int_equal(query_long(f->db, "PRAGMA user_version"), known);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM schema_migrations"), known);
    assert_int_equal(query_long(f->db, "SELECT max(version) FROM schema_migrations"), known);
    nd_db_close(f->db);

    /* Opening again applies nothing twice. */
    nd_error err;
    assert_int_equal(nd_db_open_existing(f->path, &f->db, &err), ND_OK);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM schema_migrations"), known);

    /* A file from a newer needle is refused, not guessed at. */
    assert_int_equal(sqlite3_exec(f->db->h, "PRAGMA user_version = 99", NULL, NULL, NULL),
                     SQLITE_OK);
    nd_db_close(f->db);
    f->db = NULL;
    assert_int_equal(nd_db_open(f->path, &f->db, &err), ND_ERR_INPUT);
    assert_null(f->db);
    assert_non_null(strstr(err.message, "newer"));
    assert_non_null(strstr(err.file, "practice.db"));
}

static void foreign_and_missing_files_are_refused(void **state)
{
    fixture *f = *state;
    nd_error err;
    nd_db *db = NULL;
    char path[600];

    /* A missing file is not created by a command that only reads. */
    snprintf(path, sizeof path, "%s/missing.db", f->dir);
    assert_int_equal(nd_db_open_existing(path, &db, &err), ND_ERR_INPUT);
    assert_int_equal(access(path, F_OK), -1);

    /* Some other program's SQLite file. */
    snprintf(path, sizeof path, "%s/other.db", f->dir);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(nd_db_open(path, &db, &err), ND_ERR_INPUT);
    assert_non_null(strstr(err.message, "not a needle database"));

    /* Not a database at all. */
    snprintf(path, sizeof path, "%s/text.db", f->dir);
    FILE *t = fopen(path, "w");
    fputs("name,birth_date\nthis is plainly not an SQLite file, but long enough to look at\n", t);
    fclose(t);
    assert_int_equal(nd_db_open(path, &db, &err), ND_ERR_INPUT);
    assert_null(db);
}

static void constraints_hold_for_any_writer(void **state)
{
    fixture *f = *state;
    sqlite3 *h = f->db->h;
    int64_t pid = add_patient(f->db, "Constraint Check");
    char sql[512];
#define REFUSED(...)                                                                               \
    do {                                                                                           \
        snprintf(sql, sizeof sql, __VA_ARGS__);                                                    \
        assert_int_not_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);                   \
    } while (0)
    REFUSED("INSERT INTO patients (pseudonym, name, birth_date, sex, fitzpatrick) VALUES "
            "('P-00', 'x', '1980-01-01', 'female', 7)");
    REFUSED("INSERT INTO patients (pseudonym, name, birth_date, sex, fitzpatrick) VALUES "
            "('P-01', 'x', '1980-02-30', 'female', 3)");
    REFUSED("INSERT INTO patients (pseudonym, name, birth_date, sex, fitzpatrick) VALUES "
            "('P-02', 'x', '01/02/1980', 'female', 3)");
    REFUSED("INSERT INTO patient_history (patient_id, kind, since_date) VALUES (%lld, "
            "'isotretinion', '2020-01-01')",
            (long long)pid);
    REFUSED("INSERT INTO patient_history (patient_id, kind, since_date, until_date) VALUES "
            "(%lld, 'peel', '2020-01-01', '2019-01-01')",
            (long long)pid);
    REFUSED("INSERT INTO patient_history (patient_id, kind, since_date) VALUES (9999, 'peel', "
            "'2020-01-01')");
    int64_t plan = store_plan(f->db, pid, 3);
    nd_session_record *s = session_of(plan, 1, "2024-10-01");
    nd_error err;
    assert_int_equal(nd_db_session_record(f->db, s, &err), ND_OK);
    /* The flag is computed from the row; nobody can set it. */
    REFUSED("UPDATE session_zones SET depth_exceeded = 1");
    /* A zone outside its session's plan. */
    REFUSED("INSERT INTO session_zones (session_id, plan_id, position, zone, device, depth_mm, "
            "passes, depth_limit_mm) VALUES (%lld, %lld, 5, 'nose', 'pen', 0.5, 1, 0.5)",
            (long long)s->id, (long long)plan);
    /* Records a session refers to stay. */
    REFUSED("DELETE FROM plans WHERE id = %lld", (long long)plan);
    REFUSED("DELETE FROM patients WHERE id = %lld", (long long)pid);
#undef REFUSED
    free(s);
}

/* ---- Patients ----------------------------------------------------------- */

static void patients_round_trip_and_are_found(void **state)
{
    fixture *f = *state;
    nd_error err;
    nd_patient_record in = patient("Ada Example", "1980-06-15");
    int64_t a = 0, b = 0, c = 0;
    assert_int_equal(nd_db_patient_add(f->db, &in, &a, &err), ND_OK);
    nd_patient_record other = patient("  Bea Example ", "1975-01-31");
    other.sex = ND_SEX_MALE;
    other.fitzpatrick = 6;
    other.n_history = 0;
    assert_int_equal(nd_db_patient_add(f->db, &other, &b, &err), ND_OK);
    assert_int_equal(nd_db_patient_add(f->db, &in, &c, &err), ND_OK); /* a namesake */
    assert_true(a < b && b < c);

    nd_patient_record out;
    assert_int_equal(nd_db_patient_get(f->db, a, &out, &err), ND_OK);
    assert_int_equal(out.id, a);
    assert_string_equal(out.name, "Ada Example");
    assert_string_equal(out.birth_date, "1980-06-15");
    assert_int_equal(out.sex, ND_SEX_FEMALE);
    assert_int_equal(out.fitzpatrick, 4);
    assert_int_equal(out.n_history, 2);
    /* Ordered by since date. */
    assert_int_equal(out.history[0].kind, ND_HX_HERPES);
    assert_string_equal(out.history[0].until, "");
    assert_int_equal(out.history[1].kind, ND_HX_ISOTRETINOIN);
    assert_string_equal(out.history[1].since, "2024-01-10");
    assert_string_equal(out.history[1].until, "2024-07-10");
    assert_string_equal(out.history[1].note, "20 mg, \"daily\"");
    assert_int_equal(nd_db_patient_get(f->db, b, &out, &err), ND_OK);
    assert_string_equal(out.name, "Bea Example"); /* kept without surrounding spaces */
    assert_int_equal(out.sex, ND_SEX_MALE);

    /* Pseudonyms: P- and hex digits, one per patient, kept with the record. */
    nd_patient_summary sa, sb;
    assert_int_equal(nd_db_patient_summary(f->db, a, &sa, &err), ND_OK);
    assert_int_equal(nd_db_patient_summary(f->db, b, &sb, &err), ND_OK);
    assert_int_equal(strlen(sa.pseudonym), 10);
    assert_memory_equal(sa.pseudonym, "P-", 2);
    assert_true(strspn(sa.pseudonym + 2, "0123456789abcdef") == 8);
    assert_string_not_equal(sa.pseudonym, sb.pseudonym);
    char ps[ND_PSEUDONYM_MAX];
    nd_store_pseudonym(f->db, a, 8, ps);
    assert_string_equal(ps, sa.pseudonym);

    int64_t ids[4];
    int n = 0;
    assert_int_equal(nd_db_patient_find(f->db, "bea example", ids, 4, &n, &err), ND_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], b);
    assert_int_equal(nd_db_patient_find(f->db, sa.pseudonym, ids, 4, &n, &err), ND_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], a);
    assert_int_equal(nd_db_patient_find(f->db, " ADA EXAMPLE", ids, 4, &n, &err), ND_OK);
    assert_int_equal(n, 2); /* ambiguous: both, in id order */
    assert_int_equal(ids[0], a);
    assert_int_equal(ids[1], c);
    assert_int_equal(nd_db_patient_find(f->db, "Nobody", ids, 4, &n, &err), ND_OK);
    assert_int_equal(n, 0);
    assert_int_equal(n_patients(f->db), 3);

    /* Update replaces identity and the whole history. */
    in.id = a;
    in.fitzpatrick = 2;
    in.n_history = 1;
    in.history[0].kind = ND_HX_PEEL;
    snprintf(in.history[0].since, ND_DATE_LEN, "2023-03-03");
    in.history[0].until[0] = '\0';
    in.history[0].note[0] = '\0';
    assert_int_equal(nd_db_patient_update(f->db, &in, &err), ND_OK);
    assert_int_equal(nd_db_patient_get(f->db, a, &out, &err), ND_OK);
    assert_int_equal(out.fitzpatrick, 2);
    assert_int_equal(out.n_history, 1);
    assert_int_equal(out.history[0].kind, ND_HX_PEEL);
    assert_int_equal(nd_db_patient_summary(f->db, a, &sb, &err), ND_OK);
    assert_string_equal(sb.pseudonym, sa.pseudonym); /* an edit keeps the pseudonym */

    /* Refusals write nothing. */
    in.id = 999;
    assert_int_equal(nd_db_patient_update(f->db, &in, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "patient");
    assert_int_equal(nd_db_patient_get(f->db, 999, &out, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "patient");
    nd_patient_record bad = patient("Bad Example", "1980-06-15");
    bad.fitzpatrick = 7;
    int64_t id = 0;
    assert_int_equal(nd_db_patient_add(f->db, &bad, &id, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "fitzpatrick");
    bad = patient("Bad Example", "2999-01-01");
    assert_int_equal(nd_db_patient_add(f->db, &bad, &id, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "birth_date");
    assert_int_equal(n_patients(f->db), 3);
}

/* ---- Plans -------------------------------------------------------------- */

static int plan_summary(void *user, const nd_plan_summary *p)
{
    *(nd_plan_summary *)user = *p;
    return 0;
}

static void plans_round_trip_with_acknowledgements(void **state)
{
    fixture *f = *state;
    nd_error err;
    int64_t pid = add_patient(f->db, "Plan Example");
    nd_plan in = plan_for(pid, 3);
    int64_t id = 0;
    assert_int_equal(nd_db_plan_store(f->db, &in, &id, &err), ND_OK);

    nd_plan out;
    assert_int_equal(nd_db_plan_get(f->db, id, &out, &err), ND_OK);
    assert_int_equal(out.id, id);
    assert_int_equal(out.patient_id, pid);
    assert_string_equal(out.created, "2024-09-01");
    assert_string_equal(out.indication, "wrinkles");
    assert_int_equal(out.device.kind, ND_DEVICE_PEN);
    assert_string_equal(out.device.preset, "test_pen");
    assert_true(close_to(out.device.needle_length_m, in.device.needle_length_m));
    assert_true(close_to(out.device.tip_radius_m, in.device.tip_radius_m));
    assert_true(close_to(out.device.pitch_m, in.device.pitch_m));
    assert_int_equal(out.device.rows, 3);
    assert_true(close_to(out.device.frequency_hz, 120));
    assert_int_equal(out.numbing.cream, ND_CREAM_EMLA);
    assert_true(close_to(out.numbing.application_s, 2700));
    assert_int_equal(out.sessions, 3);
    assert_true(close_to(out.interval_s, 28 * 86400.0));
    assert_true(close_to(out.max_downtime_days, 3));
    assert_true(out.max_pain_vas < 0); /* none given */
    assert_int_equal(out.n_zones, 2);
    for (int i = 0; i < 2; i++) {
        const nd_plan_zone *a = &in.zones[i], *b = &out.zones[i];
        assert_int_equal(b->zone, a->zone);
        assert_true(close_to(b->depth_m, a->depth_m));
        assert_true(close_to(b->depth_limit_m, a->depth_limit_m));
        assert_int_equal(b->passes, a->passes);
        assert_int_equal(b->n_directions, a->n_directions);
        for (int d = 0; d < a->n_directions; d++)
            assert_int_equal(b->directions[d], a->directions[d]);
        assert_true(close_to(b->pain_vas, a->pain_vas));
        assert_true(close_to(b->bleeding_points_per_cm2, a->bleeding_points_per_cm2));
        assert_true(close_to(b->erythema_peak, a->erythema_peak));
        assert_true(close_to(b->collagen_I_rel, a->collagen_I_rel));
        assert_string_equal(b->reason, a->reason);
    }
    assert_true(isnan(out.zones[0].pih_risk)); /* unknown stays unknown */
    assert_true(close_to(out.zones[1].pih_risk, 0.04));
    assert_int_equal(out.n_acknowledged, 1);
    assert_string_equal(out.acknowledged[0], "isotretinoin");
    assert_int_equal(out.n_warnings, 1);
    assert_string_equal(out.warnings[0], in.warnings[0]);

    /* The acknowledgement is a dated row of its own; settings are real columns. */
    char buf[64];
    query_text(f->db, "SELECT code || ' ' || acknowledged_date FROM plan_acknowledgements", buf,
               sizeof buf);
    assert_string_equal(buf, "isotretinoin 2024-09-01");
    query_text(f->db,
               "SELECT typeof(depth_mm) || ' ' || depth_mm FROM plan_zones WHERE zone = "
               "'cheek_left'",
               buf, sizeof buf);
    assert_string_equal(buf, "real 1.5");

    nd_plan_summary ps;
    assert_int_equal(nd_db_plan_list(f->db, pid, plan_summary, &ps, &err), ND_OK);
    assert_int_equal(ps.id, id);
    assert_string_equal(ps.device, "test_pen");
    assert_int_equal(ps.n_zones, 2);
    assert_int_equal(ps.n_recorded, 0);

    /* Refused: a depth beyond the zone's limit (safety), an unknown patient,
     * a plan dated in the future; none leaves a row. */
    long plans = query_long(f->db, "SELECT count(*) FROM plans");
    nd_plan bad = plan_for(pid, 3);
    bad.zones[1].depth_m = 1.6e-3;
    assert_int_equal(nd_db_plan_store(f->db, &bad, &id, &err), ND_ERR_SAFETY);
    assert_string_equal(err.field, "zones[1].depth_limit_m");
    bad = plan_for(9999, 3);
    assert_int_equal(nd_db_plan_store(f->db, &bad, &id, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "patient");
    bad = plan_for(pid, 3);
    snprintf(bad.created, sizeof bad.created, "2999-01-01");
    assert_int_equal(nd_db_plan_store(f->db, &bad, &id, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "created");
    bad = plan_for(pid, 3);
    bad.zones[1].zone = ND_ZONE_FOREHEAD;
    assert_int_equal(nd_db_plan_store(f->db, &bad, &id, &err), ND_ERR_INPUT);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM plans"), plans);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM plan_zones"), 2);
    assert_int_equal(nd_db_plan_get(f->db, 9999, &out, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "plan");
}

/* ---- Sessions ----------------------------------------------------------- */

typedef struct {
    int n;
    int64_t ids[8];
    int64_t plans[8];
    int plan_zones[8];
} session_seen;

static int seen_session(void *user, const nd_session_record *s, const nd_plan *plan)
{
    session_seen *seen = user;
    assert_int_equal(plan->id, s->plan_id);
    seen->ids[seen->n] = s->id;
    seen->plans[seen->n] = plan->id;
    seen->plan_zones[seen->n++] = plan->n_zones;
    return 0;
}

static void sessions_are_recorded_flagged_and_listed(void **state)
{
    fixture *f = *state;
    nd_error err;
    int64_t pid = add_patient(f->db, "Session Example");
    int64_t plan = store_plan(f->db, pid, 3);

    nd_session_record *s = session_of(plan, 1, "2024-10-01");
    s->zones[1].depth_m = 1.8e-3; /* beyond the cheek's 1.5 mm */
    snprintf(s->complications, sizeof s->complications, "bruise, left cheek");
    snprintf(s->notes, sizeof s->notes, "tolerated well\nwants a follow-up");
    assert_int_equal(nd_db_session_record(f->db, s, &err), ND_OK);
    assert_true(s->id > 0);
    assert_int_equal(s->patient_id, pid);
    assert_int_equal(s->zones[0].depth_exceeded, 0);
    assert_int_equal(s->zones[1].depth_exceeded, 1);
    assert_string_equal(s->zones[1].device, "test_pen");
    assert_true(close_to(s->zones[1].depth_limit_m, 1.5e-3));

    nd_session_record *got = calloc(1, sizeof *got);
    assert_int_equal(nd_db_session_get(f->db, s->id, got, &err), ND_OK);
    assert_int_equal(got->plan_id, plan);
    assert_int_equal(got->patient_id, pid);
    assert_string_equal(got->date, "2024-10-01");
    assert_int_equal(got->number, 1);
    assert_int_equal(got->n_zones, 2);
    assert_int_equal(got->zones[0].zone, ND_ZONE_FOREHEAD);
    assert_true(close_to(got->zones[0].pain_vas, 3));
    assert_int_equal(got->zones[0].redness, ND_REDNESS_MILD);
    assert_int_equal(got->zones[0].bleeding, ND_BLEED_NONE);
    assert_true(got->zones[0].bleeding_points_per_cm2 < 0);
    assert_int_equal(got->zones[0].depth_exceeded, 0);
    assert_true(got->zones[1].pain_vas < 0); /* not recorded */
    assert_int_equal(got->zones[1].redness, ND_REDNESS_UNRECORDED);
    assert_int_equal(got->zones[1].bleeding, ND_BLEED_UNRECORDED);
    assert_true(close_to(got->zones[1].bleeding_points_per_cm2, 40));
    assert_int_equal(got->zones[1].depth_exceeded, 1);
    assert_true(close_to(got->zones[1].depth_m, 1.8e-3));
    assert_string_equal(got->complications, "bruise, left cheek");
    assert_string_equal(got->notes, "tolerated well\nwants a follow-up");
    assert_int_equal(query_long(f->db, "SELECT sum(depth_exceeded) FROM session_zones"), 1);

    /* Exactly at the limit is within it. */
    nd_session_record *s2 = session_of(plan, 2, "2024-10-29");
    assert_int_equal(nd_db_session_record(f->db, s2, &err), ND_OK);
    assert_int_equal(s2->zones[1].depth_exceeded, 0);

    /* Refusals, each naming its field, none leaving a row. */
    long before = query_long(f->db, "SELECT count(*) FROM session_zones");
    struct {
        const char *field;
        int number;
        const char *date;
        int zone;
        int64_t plan;
    } bad[] = {
        {"date", 3, "2999-01-01", ND_ZONE_FOREHEAD, plan},      /* in the future */
        {"date", 3, "2024-08-01", ND_ZONE_FOREHEAD, plan},      /* before the plan */
        {"date", 3, "2024-13-01", ND_ZONE_FOREHEAD, plan},      /* malformed */
        {"number", 4, "2024-11-20", ND_ZONE_FOREHEAD, plan},    /* beyond the series */
        {"number", 2, "2024-11-20", ND_ZONE_FOREHEAD, plan},    /* recorded already */
        {"zones[0].zone", 3, "2024-11-20", ND_ZONE_NOSE, plan}, /* not in the plan */
        {"plan", 3, "2024-11-20", ND_ZONE_FOREHEAD, 9999},      /* no such plan */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nd_session_record *b = session_of(bad[i].plan, bad[i].number, bad[i].date);
        b->zones[0].zone = bad[i].zone;
        assert_int_equal(nd_db_session_record(f->db, b, &err), ND_ERR_INPUT);
        assert_string_equal(err.field, bad[i].field);
        free(b);
    }
    nd_session_record *b = session_of(plan, 3, "2024-11-20");
    b->zones[0].pain_vas = 11;
    assert_int_equal(nd_db_session_record(f->db, b, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "zones[0].pain");
    b->zones[0].pain_vas = 2;
    b->zones[1].zone = ND_ZONE_FOREHEAD;
    assert_int_equal(nd_db_session_record(f->db, b, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "zones[1].zone");
    free(b);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM session_zones"), before);

    /* Listed by date with the plan that predicted them. */
    session_seen seen = {0};
    assert_int_equal(nd_db_session_list(f->db, pid, seen_session, &seen, &err), ND_OK);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.ids[0], s->id);
    assert_int_equal(seen.ids[1], s2->id);
    assert_int_equal(seen.plan_zones[0], 2);
    nd_plan_summary ps;
    assert_int_equal(nd_db_plan_list(f->db, pid, plan_summary, &ps, &err), ND_OK);
    assert_int_equal(ps.n_recorded, 2);
    assert_int_equal(nd_db_session_list(f->db, 9999, seen_session, &seen, &err), ND_ERR_INPUT);
    free(s);
    free(s2);
    free(got);
}

static void names_of_grades_round_trip(void **state)
{
    (void)state;
    for (int g = 0; g < 4; g++) assert_int_equal(nd_redness_from_name(nd_redness_name(g)), g);
    for (int g = 0; g < 3; g++) assert_int_equal(nd_bleeding_from_name(nd_bleeding_name(g)), g);
    assert_null(nd_redness_name(4));
    assert_null(nd_bleeding_name(-1));
    assert_int_equal(nd_redness_from_name("red"), -1);
    assert_int_equal(nd_bleeding_from_name(NULL), -1);
}

/* ---- Transactions ------------------------------------------------------- */

static void a_failed_command_writes_nothing(void **state)
{
    fixture *f = *state;
    nd_error err;
    /* The CLI's pattern: one transaction, rolled back on any failure, even
     * after earlier steps of the same command succeeded. */
    assert_int_equal(nd_db_begin(f->db, &err), ND_OK);
    int64_t pid = add_patient(f->db, "Rolled Back");
    int64_t plan = store_plan(f->db, pid, 2);
    nd_session_record *s = session_of(plan, 5, "2024-10-01");
    assert_int_equal(nd_db_session_record(f->db, s, &err), ND_ERR_INPUT);
    nd_db_rollback(f->db);
    assert_int_equal(n_patients(f->db), 0);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM plans"), 0);

    /* A failed call inside a transaction undoes only itself. */
    assert_int_equal(nd_db_begin(f->db, &err), ND_OK);
    pid = add_patient(f->db, "Kept");
    nd_plan bad = plan_for(pid, 3);
    bad.zones[1].depth_m = 2e-3;
    int64_t id;
    assert_int_equal(nd_db_plan_store(f->db, &bad, &id, &err), ND_ERR_SAFETY);
    assert_int_equal(nd_db_commit(f->db, &err), ND_OK);
    assert_int_equal(n_patients(f->db), 1);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM plan_zones"), 0);
    free(s);
}

/* ---- Export ------------------------------------------------------------- */

static void fill_practice(nd_db *db)
{
    nd_error err;
    int64_t a = add_patient(db, "Ada Lovelace");
    add_patient(db, "Grace, \"Amazing\" Hopper");
    int64_t plan = store_plan(db, a, 3);
    nd_session_record *s = session_of(plan, 1, "2024-10-01");
    snprintf(s->notes, sizeof s->notes, "Ada's husband called");
    assert_int_equal(nd_db_session_record(db, s, &err), ND_OK);
    free(s);
}

static char *read_in(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return read_text_or_null(path, NULL);
}

static void exports_are_complete_private_and_pseudonymised(void **state)
{
    fixture *f = *state;
    nd_error err;
    fill_practice(f->db);
    char out[600], out2[600];
    snprintf(out, sizeof out, "%s/plain", f->dir);
    nd_export_options o = {ND_EXPORT_CSV, NULL, 0};
    assert_int_equal(nd_records_export(f->db, &o, out, &err), ND_OK);
    assert_int_equal(file_mode(out), 0700);
    int n = 0;
    for (const char *const *t = nd_records_export_tables(); *t; t++, n++) {
        char name[64], path[700];
        snprintf(name, sizeof name, "%s.csv", *t);
        snprintf(path, sizeof path, "%s/%s", out, name);
        assert_int_equal(file_mode(path), 0600);
        char *text = read_in(out, name);
        assert_non_null(text);
        free(text);
    }
    assert_int_equal(n, 8);
    char *patients = read_in(out, "patients.csv");
    assert_non_null(strstr(patients, "patient_id,pseudonym,name,birth_date,sex,fitzpatrick\n"));
    assert_non_null(strstr(patients, ",Ada Lovelace,1980-06-15,female,4\n"));
    assert_non_null(strstr(patients, ",\"Grace, \"\"Amazing\"\" Hopper\","));
    free(patients);
    char *zones = read_in(out, "plan_zones.csv");
    assert_non_null(strstr(zones, ",cheek_left,1.5,1.5,6,,3.4,"));
    free(zones);
    char *sz = read_in(out, "session_zones.csv");
    assert_non_null(strstr(sz, "depth_exceeded"));
    free(sz);

    /* Pseudonymised: no name, no note, no birth date beyond the year; the
     * same pseudonyms in every export of the file. */
    o.pseudonymise = 1;
    snprintf(out, sizeof out, "%s/pseudo", f->dir);
    snprintf(out2, sizeof out2, "%s/pseudo2", f->dir);
    assert_int_equal(nd_records_export(f->db, &o, out, &err), ND_OK);
    assert_int_equal(nd_records_export(f->db, &o, out2, &err), ND_OK);
    for (const char *const *t = nd_records_export_tables(); *t; t++) {
        char name[64];
        snprintf(name, sizeof name, "%s.csv", *t);
        char *text = read_in(out, name), *again = read_in(out2, name);
        assert_string_equal(text, again);
        assert_null(strstr(text, "Lovelace"));
        assert_null(strstr(text, "Hopper"));
        assert_null(strstr(text, "husband"));
        assert_null(strstr(text, "1980-06-15"));
        assert_null(strstr(text, "patient_id"));
        free(text);
        free(again);
    }
    patients = read_in(out, "patients.csv");
    nd_patient_summary ps;
    assert_int_equal(nd_db_patient_summary(f->db, 1, &ps, &err), ND_OK);
    assert_non_null(strstr(patients, "pseudonym,birth_year,sex,fitzpatrick\n"));
    char row[64];
    snprintf(row, sizeof row, "%s,1980,female,4\n", ps.pseudonym);
    assert_non_null(strstr(patients, row));
    free(patients);

    /* JSON, one file, and one table alone. */
    snprintf(out, sizeof out, "%s/all.json", f->dir);
    o.format = ND_EXPORT_JSON;
    assert_int_equal(nd_records_export(f->db, &o, out, &err), ND_OK);
    assert_int_equal(file_mode(out), 0600);
    char *json = read_text_or_null(out, NULL);
    assert_non_null(strstr(json, "\"pseudonymised\": true"));
    assert_non_null(strstr(json, "\"session_zones\": ["));
    assert_non_null(strstr(json, ps.pseudonym));
    assert_null(strstr(json, "Lovelace"));
    free(json);
    o.pseudonymise = 0;
    o.table = "patients";
    assert_int_equal(nd_records_export(f->db, &o, out, &err), ND_OK); /* replaces the file */
    json = read_text_or_null(out, NULL);
    assert_non_null(strstr(json, "\"name\": \"Grace, \\\"Amazing\\\" Hopper\""));
    assert_null(strstr(json, "\"plans\""));
    free(json);
    o.format = ND_EXPORT_CSV;
    snprintf(out, sizeof out, "%s/one.csv", f->dir);
    assert_int_equal(nd_records_export(f->db, &o, out, &err), ND_OK);
    char *one = read_text_or_null(out, NULL);
    assert_non_null(strstr(one, "Ada Lovelace"));
    free(one);

    o.table = "secrets";
    assert_int_equal(nd_records_export(f->db, &o, out, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "table");
    o.table = NULL;
    snprintf(out, sizeof out, "%s/no/such/folder/x", f->dir);
    assert_int_not_equal(nd_records_export(f->db, &o, out, &err), ND_OK);
}

/* ---- Backup ------------------------------------------------------------- */

static void backup_is_private_self_contained_and_reads_back(void **state)
{
    fixture *f = *state;
    nd_error err;
    fill_practice(f->db);
    char dest[600];
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    assert_int_equal(nd_db_backup(f->db, dest, &err), ND_OK);
    assert_int_equal(file_mode(dest), 0600);
    char side[700];
    snprintf(side, sizeof side, "%s-wal", dest);
    assert_int_equal(access(side, F_OK), -1);

    sqlite3 *raw;
    assert_int_equal(sqlite3_open_v2(dest, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
    sqlite3_finalize(st);
    sqlite3_close(raw);

    nd_db *copy;
    assert_int_equal(nd_db_open_existing(dest, &copy, &err), ND_OK);
    assert_int_equal(n_patients(copy), 2);
    assert_int_equal(query_long(copy, "SELECT count(*) FROM session_zones"), 2);
    assert_int_equal(nd_db_check(copy, &err), ND_OK);
    nd_patient_summary a, b;
    assert_int_equal(nd_db_patient_summary(f->db, 1, &a, &err), ND_OK);
    assert_int_equal(nd_db_patient_summary(copy, 1, &b, &err), ND_OK);
    assert_string_equal(a.pseudonym, b.pseudonym); /* the salt travels with the copy */
    nd_db_close(copy);

    /* Never over an existing file, nor into a missing folder; no litter. */
    assert_int_equal(nd_db_backup(f->db, dest, &err), ND_ERR_INPUT);
    assert_int_equal(nd_db_backup(f->db, f->path, &err), ND_ERR_INPUT);
    snprintf(dest, sizeof dest, "%s/none/backup.db", f->dir);
    assert_int_not_equal(nd_db_backup(f->db, dest, &err), ND_OK);
    int entries = 0;
    FILE *ls;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls %s | grep -c tmp-", f->dir);
    ls = popen(cmd, "r");
    assert_int_equal(fscanf(ls, "%d", &entries), 1);
    pclose(ls);
    assert_int_equal(entries, 0);
}

/* ---- Crashes and concurrency -------------------------------------------- */

/* A child's loop: record sessions 1, 2, ... of plan, each in a transaction of
 * its own, and report each id once it is committed.  Plain checks and _exit,
 * never cmocka, in a child. */
static void write_sessions(const char *path, int64_t plan, int first, int step, int count,
                           int report_fd)
{
    nd_db *db;
    nd_error err;
    char today[ND_DATE_LEN];
    nd_date_today(today);
    if (nd_db_open_existing(path, &db, &err)) _exit(10);
    for (int k = 0; count < 0 || k < count; k++) {
        nd_session_record *s = session_of(plan, first + k * step, today);
        if (nd_db_begin(db, &err) || nd_db_session_record(db, s, &err) || nd_db_commit(db, &err)) {
            fprintf(stderr, "child: %s\n", err.message);
            _exit(11);
        }
        if (report_fd >= 0 && write(report_fd, &s->id, sizeof s->id) != sizeof s->id) _exit(12);
        free(s);
    }
    nd_db_close(db);
    _exit(0);
}

static int64_t fresh_plan(const fixture *f, int sessions)
{
    nd_db *db;
    nd_error err;
    assert_int_equal(nd_db_open_existing(f->path, &db, &err), ND_OK);
    int64_t pid = add_patient(db, "Crash Example");
    int64_t plan = store_plan(db, pid, sessions);
    nd_db_close(db);
    return plan;
}

static void killed_writer_keeps_exactly_the_committed_sessions(void **state)
{
    fixture *f = *state;
    nd_db_close(f->db); /* no connection of ours crosses the fork */
    f->db = NULL;
    int64_t plan = fresh_plan(f, 1000000);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        write_sessions(f->path, plan, 1, 1, -1, fds[1]);
    }
    close(fds[1]);
    /* Let it commit a good number, then kill it wherever it is. */
    enum { MAX_IDS = 16384 };
    int64_t *reported = calloc(MAX_IDS, sizeof *reported);
    int n = 0;
    while (n < 40 && read(fds[0], &reported[n], sizeof reported[n]) == sizeof reported[n]) n++;
    assert_int_equal(n, 40);
    kill(child, SIGKILL);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    while (n < MAX_IDS && read(fds[0], &reported[n], sizeof reported[n]) == sizeof reported[n]) n++;
    close(fds[0]);

    nd_error err;
    assert_int_equal(nd_db_open_existing(f->path, &f->db, &err), ND_OK);
    assert_int_equal(nd_db_check(f->db, &err), ND_OK);
    long stored = query_long(f->db, "SELECT count(*) FROM sessions");
    /* Every reported session is there, whole; at most one more, the one the
     * kill caught between its commit and its report. */
    for (int i = 0; i < n; i++) {
        char sql[128], buf[32];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM session_zones WHERE session_id = %lld",
                 (long long)reported[i]);
        query_text(f->db, sql, buf, sizeof buf);
        assert_string_equal(buf, "2");
    }
    assert_true(stored == n || stored == n + 1);
    if (stored == n + 1)
        assert_true(query_long(f->db, "SELECT max(id) FROM sessions") > reported[n - 1]);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM session_zones"), 2 * stored);
    /* The file takes new writes after the crash. */
    nd_session_record *s = session_of(plan, 999999, "2024-10-01");
    assert_int_equal(nd_db_session_record(f->db, s, &err), ND_OK);
    free(s);
    free(reported);
}

static void two_writers_at_once_both_succeed(void **state)
{
    fixture *f = *state;
    nd_db_close(f->db);
    f->db = NULL;
    int64_t plan = fresh_plan(f, 100);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            /* Odd and even session numbers of one plan, and new patients,
             * so both writers contend for the same rows' neighbours. */
            nd_db *db;
            nd_error err;
            if (nd_db_open_existing(f->path, &db, &err)) _exit(20);
            for (int i = 0; i < 15; i++) {
                nd_patient_record p = patient(k ? "Writer Two" : "Writer One", "1990-01-01");
                int64_t id;
                if (nd_db_begin(db, &err) || nd_db_patient_add(db, &p, &id, &err) ||
                    nd_db_commit(db, &err)) {
                    fprintf(stderr, "writer %d: %s\n", k, err.message);
                    _exit(21);
                }
            }
            nd_db_close(db);
            write_sessions(f->path, plan, 1 + k, 2, 20, -1);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    nd_error err;
    assert_int_equal(nd_db_open_existing(f->path, &f->db, &err), ND_OK);
    assert_int_equal(nd_db_check(f->db, &err), ND_OK);
    assert_int_equal(query_long(f->db, "SELECT count(*) FROM sessions"), 40);
    assert_int_equal(query_long(f->db, "SELECT count(DISTINCT session_number) FROM sessions"), 40);
    assert_int_equal(n_patients(f->db), 31);
    assert_int_equal(query_long(f->db, "SELECT count(DISTINCT pseudonym) FROM patients"), 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_file_is_private_wal_and_safe),
        cmocka_unit_test_setup_teardown(schema_is_migrated_once_and_newer_files_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(foreign_and_missing_files_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(constraints_hold_for_any_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(patients_round_trip_and_are_found, setup, teardown),
        cmocka_unit_test_setup_teardown(plans_round_trip_with_acknowledgements, setup, teardown),
        cmocka_unit_test_setup_teardown(sessions_are_recorded_flagged_and_listed, setup, teardown),
        cmocka_unit_test(names_of_grades_round_trip),
        cmocka_unit_test_setup_teardown(a_failed_command_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(exports_are_complete_private_and_pseudonymised, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(backup_is_private_self_contained_and_reads_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(killed_writer_keeps_exactly_the_committed_sessions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(two_writers_at_once_both_succeed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
