/* Shared by the practice commands; see practice.h. */
#include "practice.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const char *cli_db_path(const char *db_option)
{
    if (db_option) return db_option;
    const char *env = getenv("NEEDLE_DB");
    return env && *env ? env : CLI_DEFAULT_DB;
}

int cli_db_open(const char *db_option, int create, nd_db **db, nd_error *err)
{
    nd_error_clear(err);
    const char *path = cli_db_path(db_option);
    nd_status st = create ? nd_db_open(path, db, err) : nd_db_open_existing(path, db, err);
    return st ? cli_fail(err) : 0;
}

int cli_db_finish(nd_db *db, nd_status st, nd_error *err)
{
    if (!st) {
        st = nd_db_commit(db, err);
    } else {
        nd_db_rollback(db);
    }
    nd_db_close(db);
    return st ? cli_fail(err) : 0;
}

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

nd_status cli_patient_resolve(nd_db *db, const char *arg, int64_t *id, nd_error *err)
{
    nd_patient_summary ps;
    if (all_digits(arg)) {
        if (cli_parse_id("PATIENT", arg, id, err)) return ND_ERR_INPUT;
        if (nd_db_patient_summary(db, *id, &ps, err))
            return err->status == ND_ERR_INPUT
                       ? nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "PATIENT",
                                     "no patient with id %s", arg)
                       : err->status;
        return ND_OK;
    }
    int64_t ids[8];
    int n = 0;
    nd_status st = nd_db_patient_find(db, arg, ids, 8, &n, err);
    if (st) return st;
    if (n == 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "PATIENT",
                           "no patient with that name or pseudonym; give an id, a name or a "
                           "pseudonym (needle patient list shows them)");
    if (n == 1) {
        *id = ids[0];
        return ND_OK;
    }
    /* Candidates by id and pseudonym only: the name is what the user typed. */
    char list[512];
    size_t len = 0;
    list[0] = '\0';
    for (int i = 0; i < n && i < 8 && len < sizeof list; i++) {
        if ((st = nd_db_patient_summary(db, ids[i], &ps, err))) return st;
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld (%s, born %.4s)",
                                i ? ", " : "", (long long)ps.id, ps.pseudonym, ps.birth_date);
    }
    return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "PATIENT",
                       "matches %d patients: %s%s; give the id", n, list, n > 8 ? ", ..." : "");
}

nd_status cli_parse_id(const char *option, const char *s, int64_t *out, nd_error *err)
{
    char *end;
    errno = 0;
    long long v = all_digits(s) ? strtoll(s, &end, 10) : 0;
    if (errno || v < 1)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                           "must be an id (a whole number >= 1), got '%s'", s);
    *out = v;
    return ND_OK;
}

nd_status cli_parse_int(const char *option, const char *s, int lo, int hi, int *out, nd_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                           "must be a whole number %d..%d, got '%s'", lo, hi, s);
    *out = (int)v;
    return ND_OK;
}

nd_status cli_parse_real(const char *option, const char *s, double lo, double hi, double *out,
                         nd_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                           "must be a number %g..%g, got '%s'", lo, hi, s);
    *out = v;
    return ND_OK;
}

nd_status cli_parse_date(const char *option, const char *s, char out[ND_DATE_LEN], nd_error *err)
{
    if (!nd_date_valid(s))
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option, "'%s' is not a date YYYY-MM-DD",
                           s);
    memcpy(out, s, ND_DATE_LEN);
    return ND_OK;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "needle %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    char top[32];
    snprintf(top, sizeof top, "%s", cmd);
    top[strcspn(top, " ")] = '\0';
    fprintf(stderr, "\nTry 'needle help %s'.\n", top);
    return 2;
}

int cli_getopt_error(const char *cmd, int c, char **argv)
{
    if (c == ':') return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
    return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("needle: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
