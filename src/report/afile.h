/*
 * A file that appears whole or not at all (private): written under a
 * temporary name beside it and renamed into place when complete, so a failed
 * `needle report` never leaves a half-written report.html or figure.
 */
#ifndef ND_REPORT_AFILE_H
#define ND_REPORT_AFILE_H

#include <stdio.h>

#include "needle/status.h"

typedef struct {
    FILE *f; /* write here */
    char *path;
    char *tmp;
} nd_afile;

nd_status nd_afile_open(nd_afile *a, const char *path, nd_error *err);
/* Close and rename into place; on failure the temporary file is removed and
 * err names path.  a is finished either way. */
nd_status nd_afile_commit(nd_afile *a, nd_error *err);
/* Close and remove the temporary file. */
void nd_afile_abort(nd_afile *a);

#endif
