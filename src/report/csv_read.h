/*
 * A reader for the run folder's own CSV tables (private to the report).
 *
 * It reads what the writers in tables_csv.c and histograms_csv.c write: a
 * header of unit-suffixed column names, then rows of unquoted fields, numbers
 * with '.' as decimal point whatever the C locale, an empty field for a value
 * that does not exist.  Columns are found by name, so a table that gains
 * columns still reads.  Every complaint names the file, the line, the column
 * and the column's name.
 */
#ifndef ND_REPORT_CSV_READ_H
#define ND_REPORT_CSV_READ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "needle/status.h"

#define ND_CSV_MAX_COLS 96

typedef struct {
    FILE *f;
    char *path;
    int line; /* 1-based number of the line last read */
    char *buf;
    size_t cap;
    char *header; /* the header line, split in place */
    int ncols;
    const char *names[ND_CSV_MAX_COLS];
    int nfields;
    char *fields[ND_CSV_MAX_COLS];
    int starts[ND_CSV_MAX_COLS]; /* 1-based column of each field in its line */
} nd_csv;

/* Open dir/name and read its header.  A missing or empty file is ND_ERR_INPUT.
 * c needs nd_csv_close() whatever the result. */
nd_status nd_csv_open(nd_csv *c, const char *dir, const char *name, nd_error *err);
void nd_csv_close(nd_csv *c);

/* Index of a column by name; a missing column is an error at line 1. */
nd_status nd_csv_column(const nd_csv *c, const char *name, int *col, nd_error *err);

/* Index of a column by name, or -1 when the header has none: for columns a
 * table from an older version may lack. */
int nd_csv_find(const nd_csv *c, const char *name);

/* Read the next row into c->fields; *row is 0 at the end of the file.  A row
 * with another number of fields than the header is an error. */
nd_status nd_csv_next(nd_csv *c, int *row, nd_error *err);

const char *nd_csv_text(const nd_csv *c, int col);

/* A number in column col of the current row.  An empty field gives NAN when
 * empty_ok, and is an error otherwise. */
nd_status nd_csv_number(const nd_csv *c, int col, int empty_ok, double *out, nd_error *err);
/* s as the writers print numbers, '.' as decimal point whatever the C
 * locale: 1 and *out set when s is a plain decimal number, 0 otherwise. */
int nd_csv_parse_number(const char *s, double *out);

/* A non-negative integer. */
nd_status nd_csv_count(const nd_csv *c, int col, uint64_t *out, nd_error *err);

/* Record an error at the current line and column col (-1: the line only). */
nd_status nd_csv_error(const nd_csv *c, int col, nd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
