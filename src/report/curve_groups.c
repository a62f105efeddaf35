/* Zones that draw the same curve; see curve_groups.h.
 *
 * Each zone is compared with the first member of each group so far, never
 * with the other members, so a group cannot drift by chaining near
 * neighbours: every member is within tol of the line the chart draws. */
#include "report/curve_groups.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/labels.h"

/* Points compared across a window: finer than a chart's pixels matter. */
#define SAMPLES 240

double nd_curve_at(const nd_rundata *rd, int k, const nd_curve_panel *p, double t_s)
{
    double t = p->from_needling ? t_s + nd_rundata_needled_s(rd, k) : t_s;
    return nd_rundata_course_at(rd, k, p->value, t);
}

/* The first sample at or after the k-th zone's needling, from the needling.
 * Before it the file knows only the state before needling, and between the
 * two a straight line would invent a ramp: the signs appear at once. */
static double first_sample_after(const nd_rundata *rd, int k)
{
    double t0 = nd_rundata_needled_s(rd, k);
    for (int i = 0; i < rd->n_times; i++)
        if (rd->zones[k].course[i].time_s >= t0) return rd->zones[k].course[i].time_s - t0;
    return 0;
}

static int same_curve(const nd_rundata *rd, int a, int b, const nd_curve_panel *panels, int np)
{
    for (int p = 0; p < np; p++) {
        const nd_curve_panel *q = &panels[p];
        double t0 = q->t0_s;
        if (q->from_needling)
            t0 = fmax(t0, fmax(first_sample_after(rd, a), first_sample_after(rd, b)));
        for (int i = 0; i <= SAMPLES && t0 < q->t1_s; i++) {
            double t = t0 + (q->t1_s - t0) * i / SAMPLES;
            if (fabs(nd_curve_at(rd, a, q, t) - nd_curve_at(rd, b, q, t)) > q->tol) return 0;
        }
    }
    return 1;
}

int nd_curve_groups(const nd_rundata *rd, const nd_curve_panel *panels, int n_panels,
                    nd_curve_group *groups)
{
    int ng = 0;
    for (int k = 0; k < rd->n_zones; k++) {
        int g = 0;
        while (g < ng && !same_curve(rd, groups[g].k[0], k, panels, n_panels)) g++;
        if (g == ng) groups[ng++].n = 0;
        groups[g].k[groups[g].n++] = k;
    }
    /* Shallowest first: insertion sort, stable, on the first member's depth. */
    for (int i = 1; i < ng; i++) {
        nd_curve_group t = groups[i];
        double d = rd->zones[t.k[0]].stats.depth_mean_m;
        int j = i;
        while (j > 0 && rd->zones[groups[j - 1].k[0]].stats.depth_mean_m > d) {
            groups[j] = groups[j - 1];
            j--;
        }
        groups[j] = t;
    }
    return ng;
}

void nd_curve_group_label(const nd_rundata *rd, const nd_curve_group *g, char *buf, size_t size)
{
    if (g->n == rd->n_zones && g->n > 2) {
        snprintf(buf, size, "all %d zones", g->n);
        return;
    }
    int zones[ND_ZONE_COUNT];
    for (int i = 0; i < g->n; i++) zones[i] = rd->zones[g->k[i]].stats.zone;
    nd_label_zone_list(zones, g->n, 0, buf, size);
}

int nd_curve_points(const nd_rundata *rd, int k, const nd_curve_panel *p, double t_unit,
                    double y_scale, double *x, double *y, int max)
{
    const nd_timecourse_row *r = rd->zones[k].course;
    double offset = p->from_needling ? nd_rundata_needled_s(rd, k) : 0;
    int n = 0;
    if (!r || max < 2) return 0;
    double t0 = p->t0_s;
    int from_sample = p->from_needling && t0 <= first_sample_after(rd, k);
    if (from_sample) {
        t0 = first_sample_after(rd, k); /* the line starts at that sample */
    } else {
        x[n] = t0 / t_unit;
        y[n++] = nd_curve_at(rd, k, p, t0) * y_scale;
    }
    for (int i = 0; i < rd->n_times && n < max - 1; i++) {
        double t = r[i].time_s - offset;
        if (t < t0 || (t == t0 && !from_sample) || t >= p->t1_s) continue;
        x[n] = t / t_unit;
        y[n++] = p->value(&r[i]) * y_scale;
    }
    x[n] = p->t1_s / t_unit;
    y[n++] = nd_curve_at(rd, k, p, p->t1_s) * y_scale;
    return n;
}

/* "0.45" or "0.92-0.93": a statistic's range over a group's zones. */
static void group_span(const nd_rundata *rd, const nd_curve_group *g, int density, char *buf,
                       size_t size)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < g->n; i++) {
        const nd_zone_stats *st = &rd->zones[g->k[i]].stats;
        double v = density ? st->punctures_per_cm2 : st->depth_mean_m * 1e3;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    char a[32], b[32];
    nd_label_fixed(a, sizeof a, lo, density ? 0 : 2);
    nd_label_fixed(b, sizeof b, hi, density ? 0 : 2);
    if (strcmp(a, b) == 0)
        snprintf(buf, size, "%s", a);
    else
        snprintf(buf, size, "%s\xe2\x80\x93%s", a, b);
}

void nd_curve_group_key(const nd_rundata *rd, const nd_curve_group *g, int ng, int i, char *buf,
                        size_t size)
{
    char depth[80], other[80], zones[320];
    group_span(rd, &g[i], 0, depth, sizeof depth);
    int shared = 0;
    for (int j = 0; j < ng && !shared; j++) {
        group_span(rd, &g[j], 0, other, sizeof other);
        shared = j != i && strcmp(depth, other) == 0;
    }
    nd_curve_group_label(rd, &g[i], zones, sizeof zones);
    if (shared) {
        group_span(rd, &g[i], 1, other, sizeof other);
        snprintf(buf, size, "needles reach %s mm, %s per cm\xc2\xb2: %s", depth, other, zones);
    } else {
        snprintf(buf, size, "needles reach %s mm: %s", depth, zones);
    }
}
