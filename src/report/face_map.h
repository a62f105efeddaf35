/*
 * Face maps (private): one quantity of the run over the canonical face, with
 * zone outlines, names and values, and a colour bar or legend.
 */
#ifndef ND_REPORT_FACE_MAP_H
#define ND_REPORT_FACE_MAP_H

#include <cairo.h>

#include "report/rundata.h"

/* Size of a map (kind: nd_map_kind) in pixels. */
void nd_face_map_size(const nd_rundata *rd, int kind, int *w, int *h);
nd_status nd_face_map_draw(cairo_t *cr, const nd_rundata *rd, int kind, nd_error *err);

#endif
