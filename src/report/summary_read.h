/*
 * Reading summary.json back (private to the report): the needle version, the
 * scenario echo, which holds every setting of the run, and the expected
 * change per indication.
 */
#ifndef ND_REPORT_SUMMARY_READ_H
#define ND_REPORT_SUMMARY_READ_H

#include <stddef.h>

#include "needle/status.h"
#include "report/rundata.h"

/* Read path into rd: the scenario as run, needle_version, and the
 * "indications" object when there is one (has_indications, indication_zone,
 * indications; a summary from a version without them leaves
 * has_indications 0).  Malformed JSON, a scenario echo that does not load or
 * a malformed indication is ND_ERR_INPUT at path:line:column. */
nd_status nd_summary_read(const char *path, nd_rundata *rd, nd_error *err);

#endif
