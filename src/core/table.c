/* CSV reference tables; see include/needle/data.h.
 *
 * The dialect is RFC 4180 with '#' comment lines: fields separated by commas,
 * a field in double quotes may hold commas and doubled quotes.  Tables are
 * small (kilobytes), so cells are kept as separate strings. */
#include "needle/data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nd_table {
    char name[256];
    int ncols;
    char **header;
    size_t nrows;
    char ***cells; /* nrows x ncols */
    int *lines;    /* source line of each row, for messages */
};

static void free_row(char **row, int n)
{
    if (!row) return;
    for (int i = 0; i < n; i++) free(row[i]);
    free(row);
}

void nd_table_free(nd_table *t)
{
    if (!t) return;
    free_row(t->header, t->ncols);
    for (size_t r = 0; r < t->nrows; r++) free_row(t->cells[r], t->ncols);
    free(t->cells);
    free(t->lines);
    free(t);
}

/* Split one record starting at *pp; advances past its end of line.  Returns the
 * number of fields, or -1 on allocation failure, -2 on an unterminated quote. */
static int split_record(const char **pp, int *line, char ***fields_out)
{
    const char *p = *pp;
    int cap = 16, n = 0;
    char **fields = malloc(sizeof *fields * (size_t)cap);
    size_t bcap = 64;
    char *buf = malloc(bcap);
    if (!fields || !buf) goto nomem;
    for (;;) {
        size_t blen = 0;
        int quoted = (*p == '"');
        if (quoted) p++;
        for (;;) {
            char c = *p;
            if (quoted) {
                if (c == '\0') {
                    free(buf);
                    free_row(fields, n);
                    return -2;
                }
                if (c == '"') {
                    if (p[1] == '"') {
                        p += 2;
                        c = '"';
                    } else {
                        p++;
                        quoted = 0;
                        continue;
                    }
                } else {
                    if (c == '\n') (*line)++;
                    p++;
                }
            } else {
                if (c == ',' || c == '\n' || c == '\r' || c == '\0') break;
                p++;
            }
            if (blen + 1 >= bcap) {
                char *nb = realloc(buf, bcap *= 2);
                if (!nb) goto nomem;
                buf = nb;
            }
            buf[blen++] = c;
        }
        buf[blen] = '\0';
        if (n == cap) {
            char **nf = realloc(fields, sizeof *fields * (size_t)(cap *= 2));
            if (!nf) goto nomem;
            fields = nf;
        }
        if (!(fields[n] = strdup(buf))) goto nomem;
        n++;
        if (*p == ',') {
            p++;
            continue;
        }
        break;
    }
    if (*p == '\r') p++;
    if (*p == '\n') p++;
    *pp = p;
    free(buf);
    *fields_out = fields;
    return n;
nomem:
    free(buf);
    free_row(fields, n);
    return -1;
}

nd_status nd_table_parse(const char *text, const char *name, nd_table **out, nd_error *err)
{
    *out = NULL;
    nd_table *t = calloc(1, sizeof *t);
    if (!t) return nd_error_set(err, ND_ERR_NOMEM, "out of memory reading %s", name);
    snprintf(t->name, sizeof t->name, "%s", name);
    const char *p = text;
    int line = 1;
    size_t cap = 0;
    while (*p) {
        int start = line;
        if (*p == '#' || *p == '\n' || *p == '\r') { /* comment or blank line */
            while (*p && *p != '\n') p++;
            if (*p) p++;
            line++;
            continue;
        }
        char **fields = NULL;
        int n = split_record(&p, &line, &fields);
        line++;
        if (n == -1) goto nomem;
        if (n == -2) {
            nd_table_free(t);
            return nd_error_at(err, ND_ERR_INPUT, name, start, 0, "", "unterminated quoted field");
        }
        if (!t->header) {
            t->header = fields;
            t->ncols = n;
            continue;
        }
        if (n != t->ncols) {
            free_row(fields, n);
            nd_error_at(err, ND_ERR_INPUT, name, start, 0, "", "row has %d fields, header has %d",
                        n, t->ncols);
            nd_table_free(t);
            return ND_ERR_INPUT;
        }
        if (t->nrows == cap) {
            cap = cap ? 2 * cap : 32;
            char ***nc = realloc(t->cells, sizeof *nc * cap);
            int *nl = realloc(t->lines, sizeof *nl * cap);
            if (nc) t->cells = nc;
            if (nl) t->lines = nl;
            if (!nc || !nl) {
                free_row(fields, n);
                goto nomem;
            }
        }
        t->cells[t->nrows] = fields;
        t->lines[t->nrows] = start;
        t->nrows++;
    }
    if (!t->header) {
        nd_table_free(t);
        return nd_error_at(err, ND_ERR_INPUT, name, 0, 0, "", "table has no header row");
    }
    *out = t;
    return ND_OK;
nomem:
    nd_table_free(t);
    return nd_error_set(err, ND_ERR_NOMEM, "out of memory reading %s", name);
}

nd_status nd_table_load(const char *name, nd_table **out, nd_error *err)
{
    const char *text = nd_data_text(name);
    char label[300];
    snprintf(label, sizeof label, "data/%s", name);
    if (!text) {
        *out = NULL;
        return nd_error_set(err, ND_ERR_INTERNAL, "no embedded table %s", label);
    }
    return nd_table_parse(text, label, out, err);
}

size_t nd_table_rows(const nd_table *t)
{
    return t ? t->nrows : 0;
}

int nd_table_column(const nd_table *t, const char *name)
{
    for (int c = 0; t && c < t->ncols; c++)
        if (strcmp(t->header[c], name) == 0) return c;
    return -1;
}

const char *nd_table_cell(const nd_table *t, size_t row, int col)
{
    if (!t || row >= t->nrows || col < 0 || col >= t->ncols) return "";
    return t->cells[row][col];
}

nd_status nd_table_number(const nd_table *t, size_t row, const char *col, double *out,
                          nd_error *err)
{
    int c = nd_table_column(t, col);
    if (c < 0) return nd_error_at(err, ND_ERR_INTERNAL, t->name, 0, 0, col, "no such column");
    const char *s = nd_table_cell(t, row, c);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno) {
        return nd_error_at(err, ND_ERR_INTERNAL, t->name, row < t->nrows ? t->lines[row] : 0, 0,
                           col, "expected a number, found '%s'", s);
    }
    *out = v;
    return ND_OK;
}

long nd_table_find(const nd_table *t, const char *col, const char *key)
{
    int c = nd_table_column(t, col);
    if (c < 0) return -1;
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(t->cells[r][c], key) == 0) return (long)r;
    return -1;
}

nd_status nd_table_set(nd_table *t, size_t row, int col, const char *text, nd_error *err)
{
    if (row >= t->nrows || col < 0 || col >= t->ncols)
        return nd_error_set(err, ND_ERR_INTERNAL, "%s: no cell %zu,%d", t->name, row, col);
    char *copy = strdup(text);
    if (!copy) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    free(t->cells[row][col]);
    t->cells[row][col] = copy;
    return ND_OK;
}

nd_status nd_params_load(const nd_param_override *ov, int n, nd_table **out, nd_error *err)
{
    nd_table *t = NULL;
    nd_status st = nd_table_load("parameters.csv", &t, err);
    for (int i = 0; !st && i < n; i++) {
        long r = nd_table_find(t, "name", ov[i].name);
        double lo = 0, hi = 0;
        if (r < 0) {
            st = nd_error_set(err, ND_ERR_INPUT, "no model parameter '%s' in data/parameters.csv",
                              ov[i].name);
            break;
        }
        if ((st = nd_table_number(t, (size_t)r, "low", &lo, err)) ||
            (st = nd_table_number(t, (size_t)r, "high", &hi, err)))
            break;
        if (!(ov[i].value >= lo && ov[i].value <= hi)) {
            st = nd_error_set(err, ND_ERR_INPUT,
                              "model parameter %s = %g is outside its documented range %g..%g",
                              ov[i].name, ov[i].value, lo, hi);
            break;
        }
        char text[64];
        snprintf(text, sizeof text, "%.17g", ov[i].value);
        st = nd_table_set(t, (size_t)r, nd_table_column(t, "value"), text, err);
    }
    if (st) {
        nd_table_free(t);
        t = NULL;
    }
    *out = t;
    return st;
}

nd_status nd_param(const nd_table *params, const char *name, double *out, nd_error *err)
{
    long r = nd_table_find(params, "name", name);
    if (r < 0)
        return nd_error_at(err, ND_ERR_INTERNAL, "data/parameters.csv", 0, 0, name,
                           "model parameter missing");
    return nd_table_number(params, (size_t)r, "value", out, err);
}
