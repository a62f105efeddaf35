/*
 * The recovery figure (private): redness and swelling over the first days
 * after needling, and the share of channels still open over the first hours.
 */
#ifndef ND_REPORT_RECOVERY_CHART_H
#define ND_REPORT_RECOVERY_CHART_H

#include <cairo.h>

#include "report/rundata.h"

void nd_recovery_chart_size(const nd_rundata *rd, int arg, int *w, int *h);
nd_status nd_recovery_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err);

#endif
