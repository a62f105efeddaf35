/*
 * What the practice commands (patient, plan, session, export, db) share:
 * finding and opening the database, one transaction per command, naming a
 * patient, reading option values, and reporting errors.
 *
 * Every failure goes through an nd_error and cli_fail(), so each one prints
 * as "needle: error: [FILE: ][FIELD: ]MESSAGE" and exits with
 * nd_status_exit_code(): 0 ok, 1 runtime failure, 2 bad usage or input,
 * 3 refused for safety.  A command's shape:
 *
 *     nd_db *db;
 *     nd_error err;
 *     int rc = cli_db_open(db_option, 0, &db, &err);    // prints on failure
 *     if (rc) return rc;
 *     nd_status st = nd_db_begin(db, &err);              // or nd_db_begin_read
 *     if (!st) st = ...the work, filling err...;
 *     rc = cli_db_finish(db, st, &err);                  // commit or roll back, close
 *     if (!rc) ...print what was done...;
 *     return rc;
 *
 * Listings never show a patient's name unless the user asks for it (patient
 * list --names, or patient show of one patient); elsewhere a patient is named
 * by id and pseudonym.
 */
#ifndef NEEDLE_CLI_PRACTICE_H
#define NEEDLE_CLI_PRACTICE_H

#include <getopt.h>
#include <stdint.h>

#include "needle/records.h"

/* getopt_long entry for the --db option every practice command takes; its
 * short code is CLI_OPT_DB. */
#define CLI_OPT_DB 1000
#define CLI_DB_OPTION                                                                              \
    {                                                                                              \
        "db", required_argument, 0, CLI_OPT_DB                                                     \
    }
#define CLI_DEFAULT_DB "needle.db"
#define CLI_DB_HELP_LINE                                                                           \
    "      --db FILE        the practice database (default: $NEEDLE_DB, else ./needle.db)\n"

/* The database file: the --db value when given, else $NEEDLE_DB when set and
 * not empty, else needle.db in the current folder. */
const char *cli_db_path(const char *db_option);

/* Open the database named by db_option (see cli_db_path).  create: make the
 * file when it is missing (commands that add records); otherwise a missing
 * file is bad usage.  Prints the error and returns the exit code on failure,
 * 0 on success. */
int cli_db_open(const char *db_option, int create, nd_db **db, nd_error *err);

/* End a command's transaction and close db: commit when st is ND_OK, roll
 * back otherwise, so that a failed command writes nothing.  Prints the error
 * (err, or the commit's) and returns the exit code. */
int cli_db_finish(nd_db *db, nd_status st, nd_error *err);

/* PATIENT as the user wrote it: a numeric id, or the one patient whose name
 * or pseudonym it is.  Unknown or ambiguous (the candidates listed by id and
 * pseudonym, never by name) is ND_ERR_INPUT with field "PATIENT". */
nd_status cli_patient_resolve(nd_db *db, const char *arg, int64_t *id, nd_error *err);

/* Option values; each fills err (ND_ERR_INPUT, field = option) on failure. */
nd_status cli_parse_id(const char *option, const char *s, int64_t *out, nd_error *err);
nd_status cli_parse_int(const char *option, const char *s, int lo, int hi, int *out, nd_error *err);
nd_status cli_parse_real(const char *option, const char *s, double lo, double hi, double *out,
                         nd_error *err);
nd_status cli_parse_date(const char *option, const char *s, char out[ND_DATE_LEN], nd_error *err);

/* Usage errors from getopt (unknown option, missing value, stray argument):
 * prints "needle CMD: ..." and the help hint, returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The getopt failure just seen, as cli_usage. */
int cli_getopt_error(const char *cmd, int c, char **argv);

/* Print "needle: warning: ..." on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
