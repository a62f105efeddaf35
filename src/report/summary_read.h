/*
 * Reading summary.json back (private to the report): the needle version and
 * the scenario echo, which holds every setting of the run.
 */
#ifndef ND_REPORT_SUMMARY_READ_H
#define ND_REPORT_SUMMARY_READ_H

#include <stddef.h>

#include "needle/scenario.h"
#include "needle/status.h"

/* Read path: the scenario as run into sc and needle_version into version.
 * Malformed JSON or a scenario echo that does not load is ND_ERR_INPUT at
 * path:line:column. */
nd_status nd_summary_read(const char *path, nd_scenario *sc, char *version, size_t version_size,
                          nd_error *err);

#endif
