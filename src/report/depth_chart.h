/*
 * Depth histograms, one small panel per treated zone, drawn over the zone's
 * skin layers (private): where the needles stopped against where the layers
 * lie, which is the question behind every depth setting.
 */
#ifndef ND_REPORT_DEPTH_CHART_H
#define ND_REPORT_DEPTH_CHART_H

#include <cairo.h>

#include "report/rundata.h"

void nd_depth_chart_size(const nd_rundata *rd, int arg, int *w, int *h);
nd_status nd_depth_chart_draw(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err);

#endif
