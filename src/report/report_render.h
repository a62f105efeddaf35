/*
 * The report's files from run data (private): figures/<name>.png for every
 * figure, then report.html, the way both `needle simulate` and `needle
 * report` write them.
 */
#ifndef ND_REPORT_RENDER_H
#define ND_REPORT_RENDER_H

#include "report/rundata.h"

/* Into dir, which must exist.  atomic: each file under a temporary name,
 * renamed into place when complete (for a folder a user already has; a run
 * being written is a temporary folder as a whole). */
nd_status nd_report_render(const nd_rundata *rd, const char *dir, int atomic, nd_error *err);

#endif
