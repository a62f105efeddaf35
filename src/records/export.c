/* Export of the practice store as CSV or JSON; see records.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "records/store.h"

/* Each table as two queries: as kept, and pseudonymised.  The pseudonymised
 * one names patients only by pseudonym, keeps the year of birth alone and
 * leaves out free-text notes, where names and addresses tend to end up. */
typedef struct {
    const char *name;
    const char *plain;
    const char *pseudo;
} export_table;

#define PLAN_COLUMNS                                                                               \
    "pl.created_date, pl.indication, pl.device_kind, pl.device_preset, pl.needle_length_mm, "      \
    "pl.needle_diameter_mm, pl.tip_radius_um, pl.rings, pl.needles_per_ring, "                     \
    "pl.drum_diameter_mm, pl.drum_width_mm, pl.rows, pl.cols, pl.pitch_mm, pl.frequency_hz, "      \
    "pl.motor_stroke_mm, pl.numbing_cream, pl.numbing_application_min, pl.numbing_occluded, "      \
    "pl.sessions, pl.interval_days, pl.max_downtime_days, pl.max_pain_vas "                        \
    "FROM plans pl JOIN patients p ON p.id = pl.patient_id ORDER BY pl.id"

#define ZONE_COLUMNS                                                                               \
    "SELECT plan_id, position, zone, depth_mm, depth_limit_mm, passes, directions, "               \
    "predicted_pain_vas, predicted_pain_vas_peak, predicted_bleeding_points_per_cm2, "             \
    "predicted_erythema_peak_fraction, predicted_downtime_days, predicted_collagen_i_rel, "        \
    "predicted_pih_risk_fraction, reason FROM plan_zones ORDER BY plan_id, position"

#define SESSION_ZONE_COLUMNS                                                                       \
    "SELECT session_id, plan_id, position, zone, device, depth_mm, passes, depth_limit_mm, "       \
    "depth_exceeded, pain_vas, erythema_grade, bleeding_grade, bleeding_points_per_cm2 "           \
    "FROM session_zones ORDER BY session_id, position"

static const export_table TABLES[] = {
    {"patients",
     "SELECT id AS patient_id, pseudonym, name, birth_date, sex, fitzpatrick FROM patients "
     "ORDER BY id",
     "SELECT pseudonym, CAST(substr(birth_date, 1, 4) AS INTEGER) AS birth_year, sex, "
     "fitzpatrick FROM patients ORDER BY pseudonym"},
    {"patient_history",
     "SELECT h.patient_id, p.pseudonym, h.kind, h.since_date, h.until_date, h.note "
     "FROM patient_history h JOIN patients p ON p.id = h.patient_id "
     "ORDER BY h.patient_id, h.since_date, h.id",
     "SELECT p.pseudonym, h.kind, h.since_date, h.until_date "
     "FROM patient_history h JOIN patients p ON p.id = h.patient_id "
     "ORDER BY p.pseudonym, h.since_date, h.id"},
    {"plans", "SELECT pl.id AS plan_id, pl.patient_id, p.pseudonym, " PLAN_COLUMNS,
     "SELECT pl.id AS plan_id, p.pseudonym, " PLAN_COLUMNS},
    {"plan_zones", ZONE_COLUMNS, ZONE_COLUMNS},
    {"plan_acknowledgements",
     "SELECT plan_id, code, acknowledged_date FROM plan_acknowledgements ORDER BY plan_id, rowid",
     "SELECT plan_id, code, acknowledged_date FROM plan_acknowledgements ORDER BY plan_id, rowid"},
    {"plan_warnings",
     "SELECT plan_id, position, warning FROM plan_warnings ORDER BY plan_id, position",
     "SELECT plan_id, position, warning FROM plan_warnings ORDER BY plan_id, position"},
    {"sessions",
     "SELECT s.id AS session_id, s.plan_id, pl.patient_id, p.pseudonym, s.session_date, "
     "s.session_number, s.complications, s.notes FROM sessions s "
     "JOIN plans pl ON pl.id = s.plan_id JOIN patients p ON p.id = pl.patient_id ORDER BY s.id",
     "SELECT s.id AS session_id, s.plan_id, p.pseudonym, s.session_date, s.session_number, "
     "s.complications FROM sessions s JOIN plans pl ON pl.id = s.plan_id "
     "JOIN patients p ON p.id = pl.patient_id ORDER BY s.id"},
    {"session_zones", SESSION_ZONE_COLUMNS, SESSION_ZONE_COLUMNS},
};
#define N_TABLES ((int)(sizeof TABLES / sizeof TABLES[0]))

const char *const *nd_records_export_tables(void)
{
    static const char *const names[] = {"patients",   "patient_history",       "plans",
                                        "plan_zones", "plan_acknowledgements", "plan_warnings",
                                        "sessions",   "session_zones",         NULL};
    return names;
}

static int table_index(const char *name)
{
    for (int i = 0; i < N_TABLES; i++)
        if (!strcmp(TABLES[i].name, name)) return i;
    return -1;
}

/* ---- Values ------------------------------------------------------------- */

static void put_real(FILE *f, double v)
{
    /* 15 significant digits: what went in as 1.5 mm comes out as 1.5. */
    fprintf(f, "%.15g", v);
}

static void put_csv_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80         ? 1
            : (s[0] >> 5) == 6  ? 2
            : (s[0] >> 4) == 14 ? 3
            : (s[0] >> 3) == 30 ? 4
                                : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    return n;
}

static void put_json_text(FILE *f, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    fputc('"', f);
    while (*s) {
        int n = utf8_len(s);
        if (n == 0) { /* not UTF-8: stand in the replacement character */
            fputs("\\ufffd", f);
            s++;
        } else if (*s == '"' || *s == '\\') {
            fprintf(f, "\\%c", *s++);
        } else if (*s == '\n') {
            fputs("\\n", f), s++;
        } else if (*s < 0x20 || *s == 0x7f) {
            fprintf(f, "\\u%04x", *s++);
        } else {
            fwrite(s, 1, (size_t)n, f);
            s += n;
        }
    }
    fputc('"', f);
}

/* ---- Tables ------------------------------------------------------------- */

static nd_status write_table(nd_db *db, int t, int pseudo, nd_export_format fmt, FILE *f,
                             nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db, pseudo ? TABLES[t].pseudo : TABLES[t].plain, &st, err);
    if (s) return s;
    int nc = sqlite3_column_count(st);
    if (fmt == ND_EXPORT_CSV) {
        for (int c = 0; c < nc; c++) fprintf(f, "%s%s", c ? "," : "", sqlite3_column_name(st, c));
        fputc('\n', f);
    } else {
        fputc('[', f);
    }
    int rc, rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fmt == ND_EXPORT_JSON) fputs(rows ? ",\n    {" : "\n    {", f);
        for (int c = 0; c < nc; c++) {
            if (fmt == ND_EXPORT_CSV && c) fputc(',', f);
            if (fmt == ND_EXPORT_JSON)
                fprintf(f, "%s\"%s\": ", c ? ", " : "", sqlite3_column_name(st, c));
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL:
                if (fmt == ND_EXPORT_JSON) fputs("null", f);
                break;
            case SQLITE_INTEGER:
                fprintf(f, "%lld", (long long)sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT:
                put_real(f, sqlite3_column_double(st, c));
                break;
            default: {
                const char *v = (const char *)sqlite3_column_text(st, c);
                if (fmt == ND_EXPORT_CSV)
                    put_csv_text(f, v ? v : "");
                else
                    put_json_text(f, v ? v : "");
            }
            }
        }
        fputs(fmt == ND_EXPORT_CSV ? "\n" : "}", f);
        rows++;
    }
    sqlite3_finalize(st);
    if (fmt == ND_EXPORT_JSON) fputs(rows ? "\n  ]" : "]", f);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "exporting", err);
}

static nd_status check_options(const nd_export_options *o, int *table, nd_error *err)
{
    *table = -1;
    if (o->format != ND_EXPORT_CSV && o->format != ND_EXPORT_JSON)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "format", "must be csv or json");
    if (o->table && (*table = table_index(o->table)) < 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "table",
                           "unknown table '%s'; the tables are patients, patient_history, plans, "
                           "plan_zones, plan_acknowledgements, plan_warnings, sessions and "
                           "session_zones",
                           o->table);
    return ND_OK;
}

nd_status nd_records_export_stream(nd_db *db, const nd_export_options *o, FILE *out, nd_error *err)
{
    int t;
    nd_status s = check_options(o, &t, err);
    if (s) return s;
    if (o->format == ND_EXPORT_CSV) {
        if (t < 0)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "table",
                               "CSV holds one table to a file: name one, or export to a folder");
        s = write_table(db, t, o->pseudonymise, ND_EXPORT_CSV, out, err);
    } else {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(out,
                "{\n  \"export\": {\"format\": \"needle practice export\", \"schema_version\": %d, "
                "\"pseudonymised\": %s, \"exported_at\": \"%s\"}",
                db->version, o->pseudonymise ? "true" : "false", when);
        for (int i = 0; i < N_TABLES && !s; i++) {
            if (t >= 0 && i != t) continue;
            fprintf(out, ",\n  \"%s\": ", TABLES[i].name);
            s = write_table(db, i, o->pseudonymise, ND_EXPORT_JSON, out, err);
        }
        fputs("\n}\n", out);
    }
    if (!s && ferror(out)) s = nd_error_set(err, ND_ERR_IO, "cannot write the export");
    return s;
}

/* ---- Files -------------------------------------------------------------- */

typedef struct {
    char tmp[ND_PATH_MAX + 96];
    char final[ND_PATH_MAX + 64];
} pending_file;

/* A new owner-only file beside final, open for writing. */
static nd_status open_pending(pending_file *pf, FILE **f, nd_error *err)
{
    snprintf(pf->tmp, sizeof pf->tmp, "%s.tmp-XXXXXX", pf->final);
    int fd = mkstemp(pf->tmp);
    if (fd < 0) {
        pf->tmp[0] = '\0';
        return nd_error_at(err, errno == ENOENT || errno == ENOTDIR ? ND_ERR_INPUT : ND_ERR_IO,
                           pf->final, 0, 0, NULL, "cannot write: %s", strerror(errno));
    }
    fchmod(fd, 0600);
    if (!(*f = fdopen(fd, "w"))) {
        close(fd);
        return nd_error_at(err, ND_ERR_IO, pf->final, 0, 0, NULL, "cannot write: %s",
                           strerror(errno));
    }
    return ND_OK;
}

static nd_status close_pending(pending_file *pf, FILE *f, nd_error *err)
{
    int bad = fflush(f) != 0 || ferror(f);
    bad |= fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad)
        return nd_error_at(err, ND_ERR_IO, pf->final, 0, 0, NULL, "cannot write: %s",
                           strerror(errno));
    return ND_OK;
}

static nd_status make_folder(const char *path, nd_error *err)
{
    struct stat sb;
    if (mkdir(path, 0700) == 0) return ND_OK;
    if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) return ND_OK;
    return nd_error_at(err, errno == EEXIST || errno == ENOENT ? ND_ERR_INPUT : ND_ERR_IO, path, 0,
                       0, NULL, "cannot make the export folder: %s",
                       errno == EEXIST ? "a file of that name exists" : strerror(errno));
}

nd_status nd_records_export(nd_db *db, const nd_export_options *o, const char *path, nd_error *err)
{
    int t;
    nd_status s = check_options(o, &t, err);
    if (s) return s;
    if (!path || !*path || strlen(path) >= ND_PATH_MAX)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "out", "needs a path");
    int folder = o->format == ND_EXPORT_CSV && t < 0;
    int n = folder ? N_TABLES : 1;
    pending_file *pf = calloc((size_t)n, sizeof *pf);
    if (!pf) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    if (folder) s = make_folder(path, err);
    /* Every file is complete before any takes its name. */
    for (int i = 0; i < n && !s; i++) {
        if (folder)
            snprintf(pf[i].final, sizeof pf[i].final, "%s/%s.csv", path, TABLES[i].name);
        else
            snprintf(pf[i].final, sizeof pf[i].final, "%s", path);
        FILE *f;
        if ((s = open_pending(&pf[i], &f, err))) break;
        if (folder)
            s = write_table(db, i, o->pseudonymise, ND_EXPORT_CSV, f, err);
        else
            s = nd_records_export_stream(db, o, f, err);
        nd_status c = close_pending(&pf[i], f, err);
        if (!s) s = c;
    }
    for (int i = 0; i < n && !s; i++)
        if (rename(pf[i].tmp, pf[i].final) != 0)
            s = nd_error_at(err, ND_ERR_IO, pf[i].final, 0, 0, NULL, "cannot write: %s",
                            strerror(errno));
        else
            pf[i].tmp[0] = '\0';
    for (int i = 0; i < n; i++)
        if (pf[i].tmp[0]) unlink(pf[i].tmp);
    free(pf);
    return s;
}
