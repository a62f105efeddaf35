/* The planner's tables: its rules (data/plan_rules.csv), the series per
 * indication (data/plan_indications.csv) and the candidate settings
 * (data/plan_candidates.csv). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/planner_internal.h"

static nd_status rule(const nd_table *t, const char *name, double *out, nd_error *err)
{
    long r = nd_table_find(t, "name", name);
    if (r < 0)
        return nd_error_at(err, ND_ERR_INTERNAL, "data/plan_rules.csv", 0, 0, name,
                           "planner rule missing");
    return nd_table_number(t, (size_t)r, "value", out, err);
}

nd_status nd_plan_rules_load(nd_plan_rules *r, nd_error *err)
{
    nd_table *t = NULL;
    nd_status st = nd_table_load("plan_rules.csv", &t, err);
    if (!st) st = rule(t, "fitzpatrick_iv_v_depth_factor", &r->fitz_iv_v, err);
    if (!st) st = rule(t, "fitzpatrick_vi_depth_factor", &r->fitz_vi, err);
    if (!st) st = rule(t, "collagen_tie_fraction", &r->tie, err);
    if (!st) st = rule(t, "patch_side_m", &r->patch_side_m, err);
    if (!st) st = rule(t, "patch_cell_m", &r->patch_cell_m, err);
    nd_table_free(t);
    return st;
}

double nd_plan_fitz_factor(const nd_plan_rules *r, int fitzpatrick)
{
    return fitzpatrick >= 6 ? r->fitz_vi : fitzpatrick >= 4 ? r->fitz_iv_v : 1.0;
}

static void copy_cell(const nd_table *t, size_t row, const char *col, char *out, size_t size)
{
    snprintf(out, size, "%s", nd_table_cell(t, row, nd_table_column(t, col)));
}

nd_status nd_plan_series_load(int indication, nd_plan_series *s, nd_error *err)
{
    const char *name = nd_indication_name(indication);
    if (!name) return nd_error_set(err, ND_ERR_INPUT, "unknown indication %d", indication);
    nd_table *t = NULL;
    nd_status st = nd_table_load("plan_indications.csv", &t, err);
    if (st) return st;
    long r = nd_table_find(t, "indication", name);
    if (r < 0) {
        nd_table_free(t);
        return nd_error_set(err, ND_ERR_INTERNAL, "data/plan_indications.csv has no row for %s",
                            name);
    }
    double sessions = 0, interval = 0, follow = 0;
    st = nd_table_number(t, (size_t)r, "sessions", &sessions, err);
    if (!st) st = nd_table_number(t, (size_t)r, "interval_days", &interval, err);
    if (!st) st = nd_table_number(t, (size_t)r, "follow_up_days", &follow, err);
    if (!st) st = nd_table_number(t, (size_t)r, "max_bleeding_points_cm2", &s->max_bleeding, err);
    if (!st) {
        s->sessions = (int)sessions;
        s->interval_s = interval * 86400.0;
        s->follow_up_s = follow * 86400.0;
        copy_cell(t, (size_t)r, "series_source", s->series_source, sizeof s->series_source);
        copy_cell(t, (size_t)r, "bleeding_source", s->bleeding_source, sizeof s->bleeding_source);
    }
    nd_table_free(t);
    return st;
}

/* Whether the row's devices cell ("pen estamp", "any") names kind. */
static int row_for(const char *devices, nd_device_kind kind)
{
    const char *name = nd_device_kind_name(kind);
    size_t n = strlen(name);
    if (!strcmp(devices, "any")) return 1;
    for (const char *p = devices; (p = strstr(p, name)) != NULL; p += n)
        if ((p == devices || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

/* Parse a space-separated list of numbers into out (at most max). */
static nd_status parse_list(const nd_table *t, size_t row, const char *setting, double *out,
                            int max, int *n, nd_error *err)
{
    const char *s = nd_table_cell(t, row, nd_table_column(t, "values"));
    *n = 0;
    for (;;) {
        while (*s == ' ') s++;
        if (!*s) break;
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !(v > 0) || *n == max || (*n > 0 && v <= out[*n - 1]))
            return nd_error_at(err, ND_ERR_INTERNAL, "data/plan_candidates.csv", 0, 0, setting,
                               "values must be at most %d ascending positive numbers", max);
        out[(*n)++] = v;
        s = end;
    }
    if (*n == 0)
        return nd_error_at(err, ND_ERR_INTERNAL, "data/plan_candidates.csv", 0, 0, setting,
                           "no values");
    return ND_OK;
}

nd_status nd_plan_grid_load(nd_device_kind kind, nd_plan_grid *g, nd_error *err)
{
    memset(g, 0, sizeof *g);
    nd_table *t = NULL;
    nd_status st = nd_table_load("plan_candidates.csv", &t, err);
    if (st) return st;
    int set = kind == ND_DEVICE_PEN || kind == ND_DEVICE_ESTAMP;
    const char *depth_key = set ? "depth_mm" : "needle_length_mm";
    int col = nd_table_column(t, "setting"), dcol = nd_table_column(t, "devices");
    double v[ND_PLAN_MAX_DEPTHS];
    int n;
    for (size_t r = 0; !st && r < nd_table_rows(t); r++) {
        const char *setting = nd_table_cell(t, r, col);
        if (!row_for(nd_table_cell(t, r, dcol), kind)) continue;
        if (!strcmp(setting, depth_key)) {
            st = parse_list(t, r, setting, v, ND_PLAN_MAX_DEPTHS, &n, err);
            for (int k = 0; !st && k < n; k++) g->depth_m[k] = v[k] * 1e-3;
            if (!st) g->n_depth = n;
        } else if (!strcmp(setting, "passes")) {
            st = parse_list(t, r, setting, v, ND_PLAN_MAX_PASSES, &n, err);
            for (int k = 0; !st && k < n; k++) g->passes[k] = (int)v[k];
            if (!st) g->n_passes = n;
        } else if (!strcmp(setting, "numbing_lmx4_min")) {
            st = parse_list(t, r, setting, v, ND_PLAN_MAX_NUMBING - 1, &n, err);
            g->numbing[0] = (nd_numbing){ND_CREAM_NONE, 0, 0};
            for (int k = 0; !st && k < n; k++)
                g->numbing[k + 1] = (nd_numbing){ND_CREAM_LMX4, v[k] * 60.0, 0};
            if (!st) g->n_numbing = n + 1;
        }
    }
    nd_table_free(t);
    if (!st && (!g->n_depth || !g->n_passes || !g->n_numbing))
        st = nd_error_set(err, ND_ERR_INTERNAL,
                          "data/plan_candidates.csv lacks depths, passes or numbing for a %s",
                          nd_device_kind_name(kind));
    return st;
}

int nd_plan_numbing_options(nd_numbing *out, int max, nd_error *err)
{
    nd_plan_grid g;
    if (nd_plan_grid_load(ND_DEVICE_PEN, &g, err)) return -1;
    int n = g.n_numbing < max ? g.n_numbing : max;
    memcpy(out, g.numbing, sizeof *out * (size_t)n);
    return n;
}
