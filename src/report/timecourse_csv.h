/*
 * The columns of timecourse.csv (private to the report): written by
 * timecourse_csv.c, read back by timecourse_read.c, and used to round a run
 * in memory to what the file holds, so that `needle simulate` and `needle
 * report` draw the same page.  One table, so the three cannot drift apart.
 */
#ifndef ND_REPORT_TIMECOURSE_CSV_H
#define ND_REPORT_TIMECOURSE_CSV_H

#include "needle/outcome.h"

/* The columns after "zone", in file order. */
enum {
    ND_TC_TIME,
    ND_TC_ANALGESIA,
    ND_TC_PAIN,
    ND_TC_ERYTHEMA,
    ND_TC_EDEMA,
    ND_TC_CHANNELS,
    ND_TC_COLLAGEN_I,
    ND_TC_COLLAGEN_III,
    ND_TC_ELASTIN,
    ND_TC_TOPICAL,
    ND_TC_COLUMNS
};

/* "time_h", "anesthesia_depth_mm", ... */
const char *nd_timecourse_column_name(int col);

/* Column col of r in the file's units (hours, mm, ...). */
double nd_timecourse_get(const nd_timecourse_row *r, int col);
/* Set column col of r from a value in the file's units. */
void nd_timecourse_set(nd_timecourse_row *r, int col, double v);

/* The text the file holds for v in column col ('.' as decimal point whatever
 * the C locale); returns buf. */
char *nd_timecourse_format(char *buf, unsigned long size, int col, double v);

/* r rounded to what the file holds. */
void nd_timecourse_quantise(nd_timecourse_row *r);

#endif
