/*
 * needle — reference tables compiled into the library from the data folder (CSV files).
 *
 * Each table is CSV with a header row; lines starting with '#' are comments.
 * Rows carry their source, so a number can always be traced to a paper.
 */
#ifndef NEEDLE_DATA_H
#define NEEDLE_DATA_H

#include <stddef.h>

#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_table nd_table;

/* The text of an embedded table ("parameters.csv"), or NULL if there is none. */
const char *nd_data_text(const char *name);

/* Parse CSV text; name is used in error messages ("data/parameters.csv"). */
nd_status nd_table_parse(const char *text, const char *name, nd_table **out, nd_error *err);
/* Parse an embedded table by file name. */
nd_status nd_table_load(const char *name, nd_table **out, nd_error *err);
void nd_table_free(nd_table *t);

size_t nd_table_rows(const nd_table *t);
/* Column index of a header name, or -1. */
int nd_table_column(const nd_table *t, const char *name);
/* Cell text ("" for a missing cell). */
const char *nd_table_cell(const nd_table *t, size_t row, int col);
/* Cell as a number; fails with the table name, line and column name. */
nd_status nd_table_number(const nd_table *t, size_t row, const char *col, double *out,
                          nd_error *err);
/* Row index whose column col equals key, or -1. */
long nd_table_find(const nd_table *t, const char *col, const char *key);

/* Replace the text of a cell (for overrides). */
nd_status nd_table_set(nd_table *t, size_t row, int col, const char *text, nd_error *err);

/* Value of a named model parameter from data/parameters.csv. */
nd_status nd_param(const nd_table *params, const char *name, double *out, nd_error *err);

/* A scenario's override of one model parameter. */
#define ND_PARAM_NAME_MAX      64
#define ND_MAX_PARAM_OVERRIDES 32
typedef struct {
    char name[ND_PARAM_NAME_MAX];
    double value;
} nd_param_override;

/* data/parameters.csv with overrides applied.  An unknown name, or a value
 * outside the parameter's documented low..high range, is ND_ERR_INPUT. */
nd_status nd_params_load(const nd_param_override *ov, int n, nd_table **out, nd_error *err);

#ifdef __cplusplus
}
#endif
#endif
