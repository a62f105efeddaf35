/*
 * The collagen figure (private): collagen I, collagen III and elastin
 * relative to before treatment, over the series and its follow-up.
 */
#ifndef ND_REPORT_COLLAGEN_CHART_H
#define ND_REPORT_COLLAGEN_CHART_H

#include <cairo.h>

#include "report/rundata.h"

void nd_collagen_chart_size(const nd_rundata *rd, int arg, int *w, int *h);
nd_status nd_collagen_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err);

#endif
