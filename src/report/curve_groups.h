/*
 * Zones that would draw the same curve (private to the report).
 *
 * Zones treated alike give the same time courses: fourteen zones of a
 * full-face session are three or four curves.  Drawn one line each they hide
 * one another; merged, one line per group carries a legend that names its
 * zones.
 */
#ifndef ND_REPORT_CURVE_GROUPS_H
#define ND_REPORT_CURVE_GROUPS_H

#include <stddef.h>

#include "report/rundata.h"

/* Curves that stay within this share of a panel's height of each other are
 * drawn as one line: 2 % is about 4 pixels on a chart, under two widths of
 * the line itself, so the merged curves could not be told apart anyway. */
#define ND_CURVE_TOL_SHARE 0.02

/* One panel of a figure: a column of the time course over a window. */
typedef struct {
    nd_rd_value value;
    double t0_s, t1_s; /* the window, in seconds */
    int from_needling; /* 1: t counts from each zone's own needling; 0: from the cream going on */
    double tol;        /* curves closer than this everywhere are one (the column's units) */
} nd_curve_panel;

typedef struct {
    int n;
    int k[ND_ZONE_COUNT]; /* treatment-order indices; k[0] is the curve drawn */
} nd_curve_group;

/* Group the treated zones so that within a group every zone's curve stays
 * within tol of the first member's in every panel; groups in order of their
 * first member's mean depth, the shallowest first (so a depth keeps its
 * colour from figure to figure).  Returns the number of groups. */
int nd_curve_groups(const nd_rundata *rd, const nd_curve_panel *panels, int n_panels,
                    nd_curve_group *groups);

/* "forehead, glabella and both temples", or "all 14 zones". */
void nd_curve_group_label(const nd_rundata *rd, const nd_curve_group *g, char *buf, size_t size);
/* The legend of group i of g[0..ng): "needles reach 0.45 mm: forehead,
 * glabella and both temples" (the mean depth reached, a range when its zones
 * differ), the same words in every figure so that a depth keeps its
 * meaning; with the density ("0.37 mm, 67 per cm²") where another group
 * reaches the same depth, which then is not what sets them apart. */
void nd_curve_group_key(const nd_rundata *rd, const nd_curve_group *g, int ng, int i, char *buf,
                        size_t size);

/* The k-th zone's value at t: from its needling, or from the cream going on. */
double nd_curve_at(const nd_rundata *rd, int k, const nd_curve_panel *p, double t_s);

/* The k-th zone's samples inside the panel's window, with the window's ends
 * interpolated, as x = t / t_unit (t in the panel's frame) and y = value *
 * y_scale; at most max points.  Returns the count.  The chart draws the
 * file's own samples, not a resampling of them. */
int nd_curve_points(const nd_rundata *rd, int k, const nd_curve_panel *p, double t_unit,
                    double y_scale, double *x, double *y, int max);

#endif
