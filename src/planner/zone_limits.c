/* Zone depth limits (data/zone_limits.csv) and the check every proposed,
 * recorded or user-given depth goes through.  Nothing is clamped: a depth
 * over the limit is refused with the zone, the depth and the limit.
 *
 * Fitzpatrick IV-VI lower every limit (data/plan_rules.csv): post-
 * inflammatory hyperpigmentation rises with skin type and with depth
 * (Dogra 2014; the PIH model in src/outcome). */
#include <stdio.h>
#include <string.h>

#include "planner/planner_internal.h"

nd_status nd_plan_zone_base_limit(int zone, int indication, double *limit_m, char *source,
                                  unsigned long size, nd_error *err)
{
    const char *zname = nd_zone_name(zone), *iname = nd_indication_name(indication);
    if (!zname) return nd_error_set(err, ND_ERR_INPUT, "unknown zone %d", zone);
    if (!iname) return nd_error_set(err, ND_ERR_INPUT, "unknown indication %d", indication);
    nd_table *t = NULL;
    nd_status st = nd_table_load("zone_limits.csv", &t, err);
    if (st) return st;
    int zc = nd_table_column(t, "zone"), ic = nd_table_column(t, "indication");
    long own = -1, any = -1;
    for (size_t r = 0; r < nd_table_rows(t); r++) {
        if (strcmp(nd_table_cell(t, r, zc), zname)) continue;
        const char *ind = nd_table_cell(t, r, ic);
        if (!strcmp(ind, iname)) own = (long)r;
        if (!strcmp(ind, "any")) any = (long)r;
    }
    long r = own >= 0 ? own : any;
    if (r < 0) {
        nd_table_free(t);
        return nd_error_set(err, ND_ERR_INTERNAL, "data/zone_limits.csv has no limit for %s",
                            zname);
    }
    double mm = 0;
    st = nd_table_number(t, (size_t)r, "max_depth_mm", &mm, err);
    if (!st) {
        *limit_m = mm * 1e-3;
        if (source && size)
            snprintf(source, size, "%s", nd_table_cell(t, (size_t)r, nd_table_column(t, "source")));
    }
    nd_table_free(t);
    return st;
}

static const char *const ROMAN[7] = {"", "I", "II", "III", "IV", "V", "VI"};

nd_status nd_plan_zone_limit(int zone, int indication, int fitzpatrick, double *limit_m,
                             char *basis, unsigned long basis_size, nd_error *err)
{
    if (fitzpatrick < 1 || fitzpatrick > 6)
        return nd_error_set(err, ND_ERR_INPUT, "Fitzpatrick type must be 1..6, got %d",
                            fitzpatrick);
    char source[ND_REASON_MAX];
    double base;
    nd_status st = nd_plan_zone_base_limit(zone, indication, &base, source, sizeof source, err);
    if (st) return st;
    nd_plan_rules rules;
    if ((st = nd_plan_rules_load(&rules, err))) return st;
    double f = nd_plan_fitz_factor(&rules, fitzpatrick);
    *limit_m = base * f;
    if (basis && basis_size) {
        if (f < 1.0)
            snprintf(basis, basis_size,
                     "%.2f mm (%s) x %.2f for Fitzpatrick %s (PIH risk rises with skin type and "
                     "depth: Dogra 2014, data/plan_rules.csv)",
                     base * 1e3, source, f, ROMAN[fitzpatrick]);
        else
            snprintf(basis, basis_size, "%s", source);
    }
    return ND_OK;
}

nd_status nd_plan_check_zone(int zone, int indication, int fitzpatrick, double depth_m,
                             nd_error *err)
{
    if (!(depth_m > 0))
        return nd_error_set(err, ND_ERR_INPUT, "a depth must be positive, got %g mm",
                            depth_m * 1e3);
    double limit;
    char basis[ND_REASON_MAX];
    nd_status st =
        nd_plan_zone_limit(zone, indication, fitzpatrick, &limit, basis, sizeof basis, err);
    if (st) return st;
    /* Settings are given to 0.01 mm; a nanometre of rounding is not a breach. */
    if (depth_m > limit + 1e-9) {
        st = nd_error_set(err, ND_ERR_SAFETY,
                          "%s: depth %.2f mm is over the zone's limit of %.2f mm for %s on "
                          "Fitzpatrick %s skin (%s)",
                          nd_zone_name(zone), depth_m * 1e3, limit * 1e3,
                          nd_indication_name(indication), ROMAN[fitzpatrick], basis);
        if (err) snprintf(err->field, sizeof err->field, "%s", nd_zone_name(zone));
        return st;
    }
    return ND_OK;
}
