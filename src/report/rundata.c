/* Run data shared by both ways of filling it; see rundata.h. */
#include "report/rundata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The field tracks repeat hits on an 8 x 8 mask of sub-squares per cell
 * (docs/model.md, section 5); distinct sub-squares hit = punctures - repeats. */
#define SUBCELLS 64

void nd_rundata_free(nd_rundata *rd)
{
    if (!rd) return;
    for (int k = 0; k < ND_ZONE_COUNT; k++) free(rd->zones[k].course);
    free(rd->cells);
    nd_face_free(rd->own_face);
    free(rd);
}

const nd_rd_cell *nd_rundata_cell(const nd_rundata *rd, int i, int j)
{
    if (i < 0 || j < 0 || i >= rd->grid.nx || j >= rd->grid.ny) return NULL;
    return &rd->cells[(size_t)j * (size_t)rd->grid.nx + (size_t)i];
}

void nd_rundata_set_cell(nd_rd_cell *c, int zone, uint32_t punctures, double punctures_per_cm2,
                         double depth_mean_m, const double layer_fraction[ND_LAYER_COUNT],
                         uint32_t repeat_hits)
{
    c->zone = zone;
    c->punctures = punctures;
    c->punctures_per_cm2 = punctures_per_cm2;
    c->depth_mean_m = depth_mean_m;
    c->deepest_layer = -1;
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        if (layer_fraction[l] > 0) c->deepest_layer = l;
    uint32_t distinct = repeat_hits <= punctures ? punctures - repeat_hits : 0;
    c->subcell_cover = distinct >= SUBCELLS ? 1.0 : (double)distinct / SUBCELLS;
}

double nd_rundata_course_at(const nd_rundata *rd, int k, nd_rd_value value, double t_s)
{
    const nd_timecourse_row *r = rd->zones[k].course;
    int n = rd->n_times;
    if (!r || n <= 0) return NAN;
    if (t_s <= r[0].time_s) return value(&r[0]);
    if (t_s >= r[n - 1].time_s) return value(&r[n - 1]);
    /* Bisect for the samples either side: the charts ask thousands of times. */
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (r[mid].time_s <= t_s)
            lo = mid;
        else
            hi = mid;
    }
    double span = r[hi].time_s - r[lo].time_s;
    double f = span > 0 ? (t_s - r[lo].time_s) / span : 0;
    return value(&r[lo]) + f * (value(&r[hi]) - value(&r[lo]));
}

void nd_rundata_format_date(long long t, char *buf, unsigned long size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(buf, size, "unknown");
}
