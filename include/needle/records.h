/*
 * needle — the practice store: patients, plans and recorded sessions in one
 * SQLite file per practice.
 *
 * The store keeps SI units at this interface, as the rest of the library;
 * its columns carry their units in their names (depth_mm, interval_days) so
 * that the file reads plainly with any SQLite tool.  The schema is built by
 * numbered migrations applied when a file is opened; a file written by a newer
 * needle is refused rather than guessed at.
 *
 * Concurrency: any number of needle processes may use one file at once (WAL
 * journal, a 10 s busy timeout).  Wrap each unit of work in nd_db_begin() /
 * nd_db_commit(), and nd_db_rollback() on any failure: every write function
 * is atomic on its own, but only an immediate transaction lets two writers
 * queue for the file instead of failing.
 *
 * An nd_db handle is for one thread at a time; open one per thread.
 */
#ifndef NEEDLE_RECORDS_H
#define NEEDLE_RECORDS_H

#include <stdint.h>
#include <stdio.h>

#include "needle/patient.h"
#include "needle/plan.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_db nd_db;

/* ---- The file ----------------------------------------------------------- */

/* Open a practice database, creating it (owner-only, 0600, whatever the
 * umask) when the file does not exist, and bring its schema up to date. */
nd_status nd_db_open(const char *path, nd_db **out, nd_error *err);
/* The same for a file that must already exist: a missing file is ND_ERR_INPUT,
 * so a misspelt path never leaves an empty database behind. */
nd_status nd_db_open_existing(const char *path, nd_db **out, nd_error *err);
/* Close; a transaction still open is rolled back.  db may be NULL. */
void nd_db_close(nd_db *db);

const char *nd_db_path(const nd_db *db);
/* Schema version of the open file, and the newest this program knows. */
int nd_db_schema_version(const nd_db *db);
int nd_records_schema_version(void);

/* BEGIN IMMEDIATE: takes the write lock now (waiting up to the busy timeout),
 * so the transaction cannot fail later because another process wrote. */
nd_status nd_db_begin(nd_db *db, nd_error *err);
/* BEGIN for read-only work: one consistent snapshot, no write lock. */
nd_status nd_db_begin_read(nd_db *db, nd_error *err);
nd_status nd_db_commit(nd_db *db, nd_error *err);
/* Roll back the open transaction, if any. */
void nd_db_rollback(nd_db *db);

/* PRAGMA integrity_check and foreign_key_check; ND_ERR_IO naming the first
 * problem when the file is damaged. */
nd_status nd_db_check(nd_db *db, nd_error *err);

/* Copy the open database to dest with SQLite's online backup, safe while other
 * processes write.  The copy is a single self-contained file (rollback
 * journal, not WAL), owner-only, written under a temporary name, read back
 * and checked before it takes its name.  An existing dest is never
 * overwritten (ND_ERR_INPUT). */
nd_status nd_db_backup(nd_db *db, const char *dest, nd_error *err);

/* ---- Patients ----------------------------------------------------------- */

#define ND_PSEUDONYM_MAX 24 /* "P-" and hex digits */

/* What a listing shows of a patient. */
typedef struct {
    int64_t id;
    char pseudonym[ND_PSEUDONYM_MAX];
    char name[ND_NAME_MAX];
    char birth_date[ND_DATE_LEN];
    nd_sex sex;
    int fitzpatrick;
    int n_plans;
    int n_sessions;
} nd_patient_summary;

/* Add a patient (validated with nd_patient_validate against today); *id gets
 * the new id.  The patient's pseudonym is derived from the id and the
 * practice's secret salt, and kept with the record. */
nd_status nd_db_patient_add(nd_db *db, const nd_patient_record *p, int64_t *id, nd_error *err);
/* Replace patient p->id's identity, skin type and whole history with p's. */
nd_status nd_db_patient_update(nd_db *db, const nd_patient_record *p, nd_error *err);
/* Patient id, with its history ordered by since date.  An unknown id is
 * ND_ERR_INPUT with field "patient". */
nd_status nd_db_patient_get(nd_db *db, int64_t id, nd_patient_record *out, nd_error *err);
nd_status nd_db_patient_summary(nd_db *db, int64_t id, nd_patient_summary *out, nd_error *err);
/* Patients whose name or pseudonym is text (ignoring ASCII case and surrounding
 * spaces): up to max ids into ids[], the number of matches into *n (which
 * may exceed max). */
nd_status nd_db_patient_find(nd_db *db, const char *text, int64_t *ids, int max, int *n,
                             nd_error *err);

/* A listing callback: return non-zero to stop early (not an error). */
typedef int (*nd_patient_fn)(void *user, const nd_patient_summary *p);
/* Every patient in id order. */
nd_status nd_db_patient_list(nd_db *db, nd_patient_fn fn, void *user, nd_error *err);

/* ---- Plans -------------------------------------------------------------- */

/* Store a plan for plan->patient_id; *id gets the new id.  created "" means
 * today.  Each zone's depth must lie within its depth_limit_m (ND_ERR_SAFETY
 * otherwise).  The acknowledged contraindication codes are kept with the
 * plan's date, as the practitioner's record of having accepted them.
 * Predictions that are NAN are stored as unknown (NULL). */
nd_status nd_db_plan_store(nd_db *db, const nd_plan *plan, int64_t *id, nd_error *err);
/* Plan id, zones in treatment order.  Unknown id: ND_ERR_INPUT, field "plan". */
nd_status nd_db_plan_get(nd_db *db, int64_t id, nd_plan *out, nd_error *err);

typedef struct {
    int64_t id;
    int64_t patient_id;
    char created[ND_DATE_LEN];
    char indication[ND_CODE_MAX];
    nd_device_kind device_kind;
    char device[ND_NAME_MAX]; /* preset, or the kind when built from fields */
    int sessions;
    double interval_s;
    int n_zones;
    int n_recorded; /* sessions recorded against it */
} nd_plan_summary;

typedef int (*nd_plan_fn)(void *user, const nd_plan_summary *p);
/* Plans of a patient, oldest first. */
nd_status nd_db_plan_list(nd_db *db, int64_t patient_id, nd_plan_fn fn, void *user, nd_error *err);

/* ---- Sessions ----------------------------------------------------------- */

#define ND_TEXT_MAX 2048 /* free text: complications, notes */

/* Bleeding seen in a zone, as a grade. */
typedef enum {
    ND_BLEED_UNRECORDED = -1,
    ND_BLEED_NONE,
    ND_BLEED_PINPOINT,
    ND_BLEED_DIFFUSE,
} nd_bleeding_grade;

/* Redness seen in a zone (erythema grade). */
typedef enum {
    ND_REDNESS_UNRECORDED = -1,
    ND_REDNESS_NONE,
    ND_REDNESS_MILD,
    ND_REDNESS_MODERATE,
    ND_REDNESS_SEVERE,
} nd_redness_grade;

/* "none", "pinpoint", "diffuse"; "none", "mild", "moderate", "severe"; NULL
 * outside the range.  The _from_name functions return -1 for an unknown name. */
const char *nd_bleeding_name(int grade);
int nd_bleeding_from_name(const char *name);
const char *nd_redness_name(int grade);
int nd_redness_from_name(const char *name);

/* One zone as it was treated, and what was seen.  Observations that were not
 * made are negative (pain_vas, bleeding_points_per_cm2) or _UNRECORDED. */
typedef struct {
    int zone;
    double depth_m; /* depth setting used (needle length for rollers and stamps) */
    int passes;
    char device[ND_NAME_MAX]; /* "" when storing: the plan's device */
    double pain_vas;          /* 0..10 */
    int redness;              /* nd_redness_grade */
    int bleeding;             /* nd_bleeding_grade */
    double bleeding_points_per_cm2;
    /* Filled by the store: the plan's limit for the zone, and whether depth_m
     * went beyond it. */
    double depth_limit_m;
    int depth_exceeded;
} nd_session_zone;

typedef struct {
    int64_t id;         /* the store's id; 0 before it is stored */
    int64_t plan_id;    /* the plan the session carried out */
    int64_t patient_id; /* filled by the store from the plan */
    char date[ND_DATE_LEN];
    int number; /* 1-based place in the plan's series */
    int n_zones;
    nd_session_zone zones[ND_ZONE_COUNT];
    char complications[ND_TEXT_MAX];
    char notes[ND_TEXT_MAX];
} nd_session_record;

/* Record a session against s->plan_id.  Refused (ND_ERR_INPUT, err->field
 * naming it): an unknown plan, a date that is malformed, in the future or
 * before the plan was made, a number outside 1..plan sessions or already
 * recorded, a zone not in the plan or given twice, a depth <= 0, passes < 1,
 * an observation out of range.  A depth beyond the plan's limit is recorded
 * and flagged, not refused: the record says what was done.  Fills s->id,
 * s->patient_id and each zone's device (when ""), depth_limit_m and
 * depth_exceeded. */
nd_status nd_db_session_record(nd_db *db, nd_session_record *s, nd_error *err);
/* Session id, zones in the order recorded.  Unknown id: ND_ERR_INPUT. */
nd_status nd_db_session_get(nd_db *db, int64_t id, nd_session_record *out, nd_error *err);

/* Each session of a patient, by date then number, with the plan it carried
 * out: the plan's zones are the predictions to set beside what was seen. */
typedef int (*nd_session_fn)(void *user, const nd_session_record *s, const nd_plan *plan);
nd_status nd_db_session_list(nd_db *db, int64_t patient_id, nd_session_fn fn, void *user,
                             nd_error *err);

/* ---- Export ------------------------------------------------------------- */

typedef enum { ND_EXPORT_CSV, ND_EXPORT_JSON } nd_export_format;

typedef struct {
    nd_export_format format;
    const char *table; /* one table (see nd_records_export_tables), or NULL for all */
    /* Names and patient ids become pseudonyms, birth dates their year, and
     * free-text notes are left out. */
    int pseudonymise;
} nd_export_options;

/* The tables an export holds, NULL-terminated: patients, patient_history,
 * plans, plan_zones, plan_acknowledgements, plan_warnings, sessions,
 * session_zones. */
const char *const *nd_records_export_tables(void);

/* Export to path.  CSV of every table: path is a folder (created, owner-only,
 * when missing) receiving TABLE.csv for each table.  CSV of one table, or
 * JSON: path is the file.  Each file is written under a temporary name and
 * renamed only when all of them are complete; files are owner-only.  Read in
 * one snapshot, so call it inside nd_db_begin_read() for consistency with
 * other reads. */
nd_status nd_records_export(nd_db *db, const nd_export_options *opt, const char *path,
                            nd_error *err);
/* The same onto an open stream (CSV of one table, or JSON). */
nd_status nd_records_export_stream(nd_db *db, const nd_export_options *opt, FILE *out,
                                   nd_error *err);

#ifdef __cplusplus
}
#endif
#endif
