/*
 * The session-day figure (private): how deep the numbing cream has reached
 * over time, against the depths the needles reach, and the pain needling
 * would cause at each moment.
 */
#ifndef ND_REPORT_NUMBING_CHART_H
#define ND_REPORT_NUMBING_CHART_H

#include <cairo.h>

#include "report/rundata.h"

void nd_numbing_chart_size(const nd_rundata *rd, int arg, int *w, int *h);
nd_status nd_numbing_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err);

#endif
