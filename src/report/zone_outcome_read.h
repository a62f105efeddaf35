/*
 * The outcome columns of zones.csv read back (private to the report): which
 * of them the header has, and one row's values.
 */
#ifndef ND_REPORT_ZONE_OUTCOME_READ_H
#define ND_REPORT_ZONE_OUTCOME_READ_H

#include "report/csv_read.h"
#include "report/rundata.h"

#define ND_ZO_MAX_COLS 32

typedef struct {
    int present; /* the header has the outcome columns */
    int col[ND_ZO_MAX_COLS];
} nd_zone_outcome_cols;

/* Find the columns.  A table without anesthesia_depth_mm is from a version
 * without the outcome models (present = 0, not an error); one that has it
 * must have every column that version wrote.  Interval ends added later may
 * be missing, and read as NaN. */
nd_status nd_zone_outcome_columns(const nd_csv *c, nd_zone_outcome_cols *oc, nd_error *err);

/* The current row's read-outs, each checked against its range. */
nd_status nd_zone_outcome_row(const nd_csv *c, const nd_zone_outcome_cols *oc, nd_rd_outcome *o,
                              nd_error *err);

#endif
