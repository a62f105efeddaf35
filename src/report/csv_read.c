/* CSV tables of a run folder; see csv_read.h. */
#include "report/csv_read.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

nd_status nd_csv_error(const nd_csv *c, int col, nd_error *err, const char *fmt, ...)
{
    char msg[ND_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int column = col >= 0 && col < c->nfields ? c->starts[col] : 0;
    const char *field = col >= 0 && col < c->ncols ? c->names[col] : NULL;
    return nd_error_at(err, ND_ERR_INPUT, c->path ? c->path : "?", c->line, column, field, "%s",
                       msg);
}

/* Read one line into c->buf without its line end; 0 at the end of the file. */
static int read_line(nd_csv *c, nd_error *err, int *failed)
{
    *failed = 0;
    errno = 0;
    ssize_t n = getline(&c->buf, &c->cap, c->f);
    if (n < 0) {
        if (ferror(c->f)) {
            char ebuf[128];
            nd_error_at(err, ND_ERR_IO, c->path, c->line, 0, NULL, "cannot read: %s",
                        errstr(errno ? errno : EIO, ebuf, sizeof ebuf));
            *failed = 1;
        }
        return 0;
    }
    c->line++;
    while (n > 0 && (c->buf[n - 1] == '\n' || c->buf[n - 1] == '\r')) c->buf[--n] = '\0';
    if ((size_t)n != strlen(c->buf)) {
        nd_csv_error(c, -1, err, "a NUL byte in the line: this is not a needle CSV table");
        *failed = 1;
        return 0;
    }
    return 1;
}

/* Split s in place at commas; returns the number of fields, or -1 if more
 * than max. */
static int split(char *s, char **fields, int *starts, int max)
{
    int n = 0;
    char *p = s;
    for (;;) {
        if (n == max) return -1;
        fields[n] = p;
        starts[n] = (int)(p - s) + 1;
        n++;
        char *comma = strchr(p, ',');
        if (!comma) break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

nd_status nd_csv_open(nd_csv *c, const char *dir, const char *name, nd_error *err)
{
    memset(c, 0, sizeof *c);
    size_t n = strlen(dir) + strlen(name) + 2;
    if (!(c->path = malloc(n))) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    snprintf(c->path, n, "%s/%s", dir, name);
    if (!(c->f = fopen(c->path, "r"))) {
        char ebuf[128];
        return nd_error_at(err, ND_ERR_INPUT, c->path, 0, 0, NULL, "cannot open: %s",
                           errstr(errno, ebuf, sizeof ebuf));
    }
    int failed;
    if (!read_line(c, err, &failed)) {
        if (failed) return err ? err->status : ND_ERR_IO;
        return nd_error_at(err, ND_ERR_INPUT, c->path, 0, 0, NULL,
                           "empty file: expected a header line");
    }
    if (!(c->header = strdup(c->buf))) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    char *fields[ND_CSV_MAX_COLS];
    int n_cols = split(c->header, fields, c->starts, ND_CSV_MAX_COLS);
    if (n_cols < 0) return nd_csv_error(c, -1, err, "more than %d columns", ND_CSV_MAX_COLS);
    c->ncols = n_cols;
    for (int k = 0; k < n_cols; k++) c->names[k] = fields[k];
    return ND_OK;
}

void nd_csv_close(nd_csv *c)
{
    if (c->f) fclose(c->f);
    free(c->buf);
    free(c->header);
    free(c->path);
    memset(c, 0, sizeof *c);
}

int nd_csv_find(const nd_csv *c, const char *name)
{
    for (int k = 0; k < c->ncols; k++)
        if (strcmp(c->names[k], name) == 0) return k;
    return -1;
}

nd_status nd_csv_column(const nd_csv *c, const char *name, int *col, nd_error *err)
{
    for (int k = 0; k < c->ncols; k++) {
        if (strcmp(c->names[k], name) == 0) {
            *col = k;
            return ND_OK;
        }
    }
    *col = -1;
    return nd_error_at(err, ND_ERR_INPUT, c->path, 1, 0, name,
                       "no column '%s' in the header (a run folder from another needle "
                       "version? run the simulation again)",
                       name);
}

nd_status nd_csv_next(nd_csv *c, int *row, nd_error *err)
{
    int failed;
    *row = 0;
    do {
        if (!read_line(c, err, &failed)) return failed ? (err ? err->status : ND_ERR_IO) : ND_OK;
    } while (c->buf[0] == '\0'); /* a blank line (a trailing one, say) holds no row */
    int n = split(c->buf, c->fields, c->starts, ND_CSV_MAX_COLS);
    c->nfields = n;
    if (n != c->ncols) {
        c->nfields = 0;
        if (n < 0)
            return nd_csv_error(c, -1, err, "more than %d fields; the header has %d",
                                ND_CSV_MAX_COLS, c->ncols);
        return nd_csv_error(c, -1, err, "%d field%s; the header has %d", n, n == 1 ? "" : "s",
                            c->ncols);
    }
    *row = 1;
    return ND_OK;
}

const char *nd_csv_text(const nd_csv *c, int col)
{
    return col >= 0 && col < c->nfields ? c->fields[col] : "";
}

/* [-]digits[.digits][(e|E)[+|-]digits]: what the writers print, and nothing
 * strtod would also take (spaces, "nan", "inf", hexadecimal). */
static int is_decimal(const char *s)
{
    const char *p = s;
    if (*p == '-') p++;
    const char *d = p;
    while (*p >= '0' && *p <= '9') p++;
    int digits = p > d;
    if (*p == '.') {
        d = ++p;
        while (*p >= '0' && *p <= '9') p++;
        digits |= p > d;
    }
    if (!digits) return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        d = p;
        while (*p >= '0' && *p <= '9') p++;
        if (p == d) return 0;
    }
    return *p == '\0';
}

/* strtod reads the decimal point of the C locale in force; the tables always
 * use '.', so parse under a "C" locale for this thread only. */
static double parse_c_locale(const char *s)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    double v = strtod(s, NULL);
    if (c) {
        uselocale(old);
        freelocale(c);
    }
    return v;
}

int nd_csv_parse_number(const char *s, double *out)
{
    if (!is_decimal(s)) return 0;
    *out = parse_c_locale(s);
    return 1;
}

nd_status nd_csv_number(const nd_csv *c, int col, int empty_ok, double *out, nd_error *err)
{
    const char *s = nd_csv_text(c, col);
    if (s[0] == '\0') {
        *out = NAN;
        if (empty_ok) return ND_OK;
        return nd_csv_error(c, col, err, "empty: expected a number");
    }
    if (!is_decimal(s)) return nd_csv_error(c, col, err, "expected a number, found '%s'", s);
    *out = parse_c_locale(s);
    if (!isfinite(*out)) return nd_csv_error(c, col, err, "number out of range: '%s'", s);
    return ND_OK;
}

nd_status nd_csv_count(const nd_csv *c, int col, uint64_t *out, nd_error *err)
{
    const char *s = nd_csv_text(c, col);
    const char *p = s;
    while (*p >= '0' && *p <= '9') p++;
    if (p == s || *p) return nd_csv_error(c, col, err, "expected a whole number, found '%s'", s);
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno) return nd_csv_error(c, col, err, "number out of range: '%s'", s);
    *out = v;
    return ND_OK;
}
