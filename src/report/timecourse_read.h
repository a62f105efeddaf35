/*
 * timecourse.csv read back into run data (private to the report).
 */
#ifndef ND_REPORT_TIMECOURSE_READ_H
#define ND_REPORT_TIMECOURSE_READ_H

#include "report/rundata.h"

/* Every treated zone's time course, in treatment order, all at the same
 * times, into rd->zones[k].course and rd->n_times (rd's zones and scenario
 * already read).  A folder without the file, from a version before the
 * outcome models, leaves has_timecourse 0; a malformed file is ND_ERR_INPUT
 * at its line and column. */
nd_status nd_timecourse_read(nd_rundata *rd, const char *dir, nd_error *err);

#endif
