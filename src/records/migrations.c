/*
 * The schema as numbered migrations.  A migration, once released, never
 * changes: a later change to the schema is a new entry at the end, so every
 * file passes through the same steps whatever version it started from.
 *
 * Column names carry their units (depth_mm, interval_days); dates are ISO
 * text checked by SQLite's own calendar; lookup tables hold the names the
 * library knows (zones, history kinds) so that a foreign key refuses any
 * other.
 */
#include <stdio.h>
#include <string.h>

#include "records/store.h"

/* date() alone keeps "1980-02-30"; going through the Julian day number and
 * back is what rejects a day the month does not have. */
#define ISO_DATE(c)                                                                                \
    "(" c " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(" c ")) IS " c ")"
#define NOW "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"

/* The schema reads as SQL, a line of it per line: clang-format would cut
 * the literals around the macros into pieces. */
/* clang-format off */
static const char *const MIGRATIONS[] = {
    /* 1: patients, plans, sessions. */
    "CREATE TABLE schema_migrations (\n"
    "  version INTEGER PRIMARY KEY,\n"
    "  applied_at TEXT NOT NULL DEFAULT " NOW "\n"
    ") STRICT;\n"
    /* The salt keys the pseudonyms; it never leaves the file, so a
     * pseudonymised export cannot be traced back without the database. */
    "CREATE TABLE practice (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") STRICT;\n"
    "INSERT INTO practice (key, value) VALUES\n"
    "  ('pseudonym_salt', lower(hex(randomblob(32)))),\n"
    "  ('created_at', " NOW ");\n"
    "CREATE TABLE zones (name TEXT PRIMARY KEY) STRICT;\n"
    "INSERT INTO zones (name) VALUES ('forehead'), ('glabella'), ('temple_left'),\n"
    "  ('temple_right'), ('periorbital_left'), ('periorbital_right'), ('nose'),\n"
    "  ('cheek_left'), ('cheek_right'), ('upper_lip'), ('chin'), ('jawline_left'),\n"
    "  ('jawline_right'), ('neck');\n"
    "CREATE TABLE history_kinds (name TEXT PRIMARY KEY) STRICT;\n"
    "INSERT INTO history_kinds (name) VALUES ('isotretinoin'), ('anticoagulant'),\n"
    "  ('bleeding_disorder'), ('keloid'), ('infection'), ('herpes'), ('active_acne'),\n"
    "  ('eczema'), ('psoriasis'), ('rosacea'), ('pregnancy'), ('breastfeeding'),\n"
    "  ('radiotherapy'), ('immunosuppression'), ('metal_allergy'), ('anesthetic_allergy'),\n"
    "  ('filler'), ('peel'), ('laser');\n"
    "CREATE TABLE patients (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  pseudonym TEXT NOT NULL UNIQUE CHECK (pseudonym GLOB 'P-[0-9a-f]*'),\n"
    "  name TEXT NOT NULL CHECK (length(trim(name)) > 0),\n"
    "  birth_date TEXT NOT NULL CHECK " ISO_DATE("birth_date") ",\n"
    "  sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),\n"
    "  fitzpatrick INTEGER NOT NULL CHECK (fitzpatrick BETWEEN 1 AND 6),\n"
    "  recorded_at TEXT NOT NULL DEFAULT " NOW ",\n"
    "  updated_at TEXT\n"
    ") STRICT;\n"
    "CREATE TABLE patient_history (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  patient_id INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL REFERENCES history_kinds (name),\n"
    "  since_date TEXT NOT NULL CHECK " ISO_DATE("since_date") ",\n"
    "  until_date TEXT CHECK (until_date IS NULL OR (" ISO_DATE("until_date") "\n"
    "                         AND until_date >= since_date)),\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  UNIQUE (patient_id, kind, since_date)\n"
    ") STRICT;\n"
    "CREATE INDEX patient_history_by_patient ON patient_history (patient_id);\n"
    "CREATE TABLE plans (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  patient_id INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,\n"
    "  created_date TEXT NOT NULL CHECK " ISO_DATE("created_date") ",\n"
    "  indication TEXT NOT NULL CHECK (length(indication) > 0),\n"
    "  device_kind TEXT NOT NULL CHECK (device_kind IN ('roller', 'stamp', 'estamp', 'pen')),\n"
    "  device_preset TEXT NOT NULL DEFAULT '',\n"
    "  needle_length_mm REAL NOT NULL CHECK (needle_length_mm > 0),\n"
    "  needle_diameter_mm REAL NOT NULL CHECK (needle_diameter_mm > 0),\n"
    "  tip_radius_um REAL NOT NULL CHECK (tip_radius_um >= 0),\n"
    "  rings INTEGER NOT NULL CHECK (rings >= 0),\n"
    "  needles_per_ring INTEGER NOT NULL CHECK (needles_per_ring >= 0),\n"
    "  drum_diameter_mm REAL NOT NULL CHECK (drum_diameter_mm >= 0),\n"
    "  drum_width_mm REAL NOT NULL CHECK (drum_width_mm >= 0),\n"
    "  rows INTEGER NOT NULL CHECK (rows >= 0),\n"
    "  cols INTEGER NOT NULL CHECK (cols >= 0),\n"
    "  pitch_mm REAL NOT NULL CHECK (pitch_mm >= 0),\n"
    "  frequency_hz REAL NOT NULL CHECK (frequency_hz >= 0),\n"
    "  motor_stroke_mm REAL NOT NULL CHECK (motor_stroke_mm >= 0),\n"
    "  numbing_cream TEXT NOT NULL CHECK (numbing_cream IN ('none', 'emla', 'lmx4', 'blt')),\n"
    "  numbing_application_min REAL NOT NULL CHECK (numbing_application_min >= 0),\n"
    "  numbing_occluded INTEGER NOT NULL CHECK (numbing_occluded IN (0, 1)),\n"
    "  sessions INTEGER NOT NULL CHECK (sessions >= 1),\n"
    "  interval_days REAL NOT NULL CHECK (interval_days >= 0),\n"
    "  max_downtime_days REAL CHECK (max_downtime_days >= 0),\n"
    "  max_pain_vas REAL CHECK (max_pain_vas BETWEEN 0 AND 10),\n"
    "  recorded_at TEXT NOT NULL DEFAULT " NOW "\n"
    ") STRICT;\n"
    "CREATE INDEX plans_by_patient ON plans (patient_id);\n"
    "CREATE TABLE plan_zones (\n"
    "  plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,\n"
    "  position INTEGER NOT NULL CHECK (position >= 0),\n"
    "  zone TEXT NOT NULL REFERENCES zones (name),\n"
    "  depth_mm REAL NOT NULL CHECK (depth_mm > 0),\n"
    "  depth_limit_mm REAL NOT NULL CHECK (depth_limit_mm > 0),\n"
    "  passes INTEGER NOT NULL CHECK (passes >= 1),\n"
    "  directions TEXT NOT NULL DEFAULT '',\n"
    "  predicted_pain_vas REAL CHECK (predicted_pain_vas BETWEEN 0 AND 10),\n"
    "  predicted_pain_vas_peak REAL CHECK (predicted_pain_vas_peak BETWEEN 0 AND 10),\n"
    "  predicted_bleeding_points_per_cm2 REAL CHECK (predicted_bleeding_points_per_cm2 >= 0),\n"
    "  predicted_erythema_peak_fraction REAL\n"
    "    CHECK (predicted_erythema_peak_fraction BETWEEN 0 AND 1),\n"
    "  predicted_downtime_days REAL CHECK (predicted_downtime_days >= 0),\n"
    "  predicted_collagen_i_rel REAL CHECK (predicted_collagen_i_rel >= 0),\n"
    "  predicted_pih_risk_fraction REAL CHECK (predicted_pih_risk_fraction BETWEEN 0 AND 1),\n"
    "  reason TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY (plan_id, zone),\n"
    "  UNIQUE (plan_id, position)\n"
    ") STRICT;\n"
    /* The practitioner's
     * acceptance of each
     * relative
     * contraindication,
     * dated: the record
     * that the risk was
     * weighed before
     * treating. */
    "CREATE TABLE plan_acknowledgements (\n"
    "  plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,\n"
    "  code TEXT NOT NULL CHECK (length(code) > 0),\n"
    "  acknowledged_date TEXT NOT NULL CHECK " ISO_DATE("acknowledged_date") ",\n"
    "  PRIMARY KEY (plan_id, code)\n"
    ") STRICT;\n"
    "CREATE TABLE plan_warnings (\n"
    "  plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,\n"
    "  position INTEGER NOT NULL CHECK (position >= 0),\n"
    "  warning TEXT NOT NULL,\n"
    "  PRIMARY KEY (plan_id, position)\n"
    ") STRICT;\n"
    "CREATE TABLE sessions (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE RESTRICT,\n"
    "  session_date TEXT NOT NULL CHECK " ISO_DATE("session_date") ",\n"
    "  session_number INTEGER NOT NULL CHECK (session_number >= 1),\n"
    "  complications TEXT NOT NULL DEFAULT '',\n"
    "  notes TEXT NOT NULL DEFAULT '',\n"
    "  recorded_at TEXT NOT NULL DEFAULT " NOW ",\n"
    "  UNIQUE (plan_id, session_number),\n"
    "  UNIQUE (id, plan_id)\n"
    ") STRICT;\n"
    "CREATE INDEX sessions_by_plan ON sessions (plan_id);\n"
    /* plan_id is repeated here so that two foreign keys can hold the zone to
     * the session's own plan.  The limit is copied from the plan when the
     * session is recorded, and the flag is computed from the row itself, so
     * it can never disagree with the depths beside it. */
    "CREATE TABLE session_zones (\n"
    "  session_id INTEGER NOT NULL,\n"
    "  plan_id INTEGER NOT NULL,\n"
    "  position INTEGER NOT NULL CHECK (position >= 0),\n"
    "  zone TEXT NOT NULL,\n"
    "  device TEXT NOT NULL CHECK (length(device) > 0),\n"
    "  depth_mm REAL NOT NULL CHECK (depth_mm > 0),\n"
    "  passes INTEGER NOT NULL CHECK (passes >= 1),\n"
    "  depth_limit_mm REAL NOT NULL CHECK (depth_limit_mm > 0),\n"
    "  depth_exceeded INTEGER GENERATED ALWAYS AS\n"
    "    (depth_mm > depth_limit_mm * (1 + 1e-9)) STORED,\n"
    "  pain_vas REAL CHECK (pain_vas BETWEEN 0 AND 10),\n"
    "  erythema_grade INTEGER CHECK (erythema_grade BETWEEN 0 AND 3),\n"
    "  bleeding_grade TEXT CHECK (bleeding_grade IN ('none', 'pinpoint', 'diffuse')),\n"
    "  bleeding_points_per_cm2 REAL CHECK (bleeding_points_per_cm2 >= 0),\n"
    "  PRIMARY KEY (session_id, zone),\n"
    "  UNIQUE (session_id, position),\n"
    "  FOREIGN KEY (session_id, plan_id) REFERENCES sessions (id, plan_id) ON DELETE CASCADE,\n"
    "  FOREIGN KEY (plan_id, zone) REFERENCES plan_zones (plan_id, zone) ON DELETE RESTRICT\n"
    ") STRICT;\n"
    "CREATE INDEX session_zones_by_plan_zone ON session_zones (plan_id, zone);\n"
    "PRAGMA application_id = 1313098821;\n",
};
/* clang-format on */

int nd_store_migration_count(void)
{
    return (int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]);
}

const char *nd_store_migration_sql(int version)
{
    return version >= 1 && version <= nd_store_migration_count() ? MIGRATIONS[version - 1] : NULL;
}

static nd_status read_int(nd_db *db, const char *sql, int *out, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db, sql, &st, err);
    if (s) return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "reading the schema version", err);
}

/* A file holding tables of some other program is not ours to change. */
static nd_status check_ours(nd_db *db, nd_error *err)
{
    int app = 0, objects = 0;
    nd_status s = read_int(db, "PRAGMA application_id", &app, err);
    if (!s) s = read_int(db, "SELECT count(*) FROM sqlite_schema", &objects, err);
    if (s) return s;
    if (app != ND_STORE_APPLICATION_ID && objects > 0)
        return nd_error_at(err, ND_ERR_INPUT, db->path, 0, 0, NULL,
                           "not a needle database (an SQLite file of another program)");
    return ND_OK;
}

nd_status nd_store_migrate(nd_db *db, nd_error *err)
{
    int known = nd_store_migration_count(), version = 0;
    nd_status s = check_ours(db, err);
    if (!s) s = read_int(db, "PRAGMA user_version", &version, err);
    if (s) return s;
    while (version < known) {
        /* Another process may be migrating the same file: take the write
         * lock first, then look again at where the file stands. */
        if ((s = nd_store_exec(db, "BEGIN IMMEDIATE", err))) return s;
        if ((s = check_ours(db, err)) || (s = read_int(db, "PRAGMA user_version", &version, err)))
            goto fail;
        if (version >= known) {
            if ((s = nd_store_exec(db, "COMMIT", err))) goto fail;
            break;
        }
        int next = version + 1;
        char bump[128];
        snprintf(bump, sizeof bump,
                 "INSERT INTO schema_migrations (version) VALUES (%d); PRAGMA user_version = %d",
                 next, next);
        if ((s = nd_store_exec(db, nd_store_migration_sql(next), err)) ||
            (s = nd_store_exec(db, bump, err)) || (s = nd_store_exec(db, "COMMIT", err)))
            goto fail;
        version = next;
    }
    if (version > known)
        return nd_error_at(err, ND_ERR_INPUT, db->path, 0, 0, NULL,
                           "database schema version %d is newer than this needle knows (%d); "
                           "use a newer needle",
                           version, known);
    db->version = version;
    return ND_OK;
fail:
    if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return s;
}
