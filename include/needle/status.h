/*
 * needle — status codes and error reports.
 *
 * Every library call that can fail returns an nd_status and, when it fails,
 * fills the caller's nd_error.  The library never prints and never exits:
 * deciding what to tell the user, and with which exit code, is the caller's job.
 */
#ifndef NEEDLE_STATUS_H
#define NEEDLE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ND_OK = 0,
    ND_ERR_INPUT,    /* malformed or out-of-range input (exit code 2) */
    ND_ERR_IO,       /* a file could not be read or written (exit code 1) */
    ND_ERR_NOMEM,    /* allocation failed (exit code 1) */
    ND_ERR_SAFETY,   /* refused for safety (exit code 3) */
    ND_ERR_INTERNAL, /* a bug: an invariant did not hold (exit code 1) */
} nd_status;

#define ND_ERROR_MSG_MAX   768
#define ND_ERROR_FILE_MAX  512
#define ND_ERROR_FIELD_MAX 160

/* Where and why a call failed.  line and column are 1-based; 0 means unknown. */
typedef struct nd_error {
    nd_status status;
    char message[ND_ERROR_MSG_MAX];
    char file[ND_ERROR_FILE_MAX];
    char field[ND_ERROR_FIELD_MAX];
    int line;
    int column;
} nd_error;

/* Reset err to "no error".  err may be NULL. */
void nd_error_clear(nd_error *err);

/* Record an error with no source location; returns status for chaining. */
nd_status nd_error_set(nd_error *err, nd_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record an error at file:line:column in the named field. */
nd_status nd_error_at(nd_error *err, nd_status status, const char *file, int line, int column,
                      const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* "file:line:column: field: message" (the parts that are known), into buf. */
void nd_error_format(const nd_error *err, char *buf, unsigned long size);

/* A short English name for a status code. */
const char *nd_status_name(nd_status status);

/* The process exit code the CLI uses for a status (0, 1, 2 or 3). */
int nd_status_exit_code(nd_status status);

#ifdef __cplusplus
}
#endif
#endif
