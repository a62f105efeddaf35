/* The outcome columns of zones.csv; see zone_outcome_read.h.
 *
 * Every read-out is checked against the range its model can give (a VAS
 * 0..10, a risk 0..1, a relative amount above 0), so a hand-edited or
 * truncated table is refused with its line and column rather than drawn. */
#include "report/zone_outcome_read.h"

#include <math.h>
#include <stddef.h>

typedef enum {
    NONNEG,   /* 0 or more */
    VAS,      /* 0..10 */
    FRACTION, /* 0..1 */
    POSITIVE, /* above 0: amounts relative to baseline */
} range;

typedef struct {
    const char *name;
    size_t offset; /* of the double in nd_rd_outcome */
    range check;
    int optional; /* appended after the first version of the table */
    double scale; /* file units to the run data's (mm to m) */
} column;

#define F(name, field, check, optional)                                                            \
    {                                                                                              \
        name, offsetof(nd_rd_outcome, field), check, optional, 1.0                                 \
    }
static const column COLUMNS[] = {
    {"anesthesia_depth_mm", offsetof(nd_rd_outcome, anesthesia_depth_m), NONNEG, 0, 1e-3},
    F("pain_vas", pain_vas.mid, VAS, 0),
    F("pain_vas_lo", pain_vas.lo, VAS, 0),
    F("pain_vas_hi", pain_vas.hi, VAS, 0),
    F("pain_vas_peak", pain_vas_peak, VAS, 0),
    F("bleeding_points_per_cm2", bleeding_points_per_cm2.mid, NONNEG, 0),
    F("bruising_risk", bruising_risk.mid, FRACTION, 0),
    F("erythema_peak", erythema_peak, FRACTION, 0),
    F("edema_peak", edema_peak, NONNEG, 0),
    F("downtime_days", downtime_days.mid, NONNEG, 0),
    F("downtime_days_lo", downtime_days.lo, NONNEG, 0),
    F("downtime_days_hi", downtime_days.hi, NONNEG, 0),
    F("channel_half_life_h", channel_half_life_h, NONNEG, 0),
    F("collagen_I_rel", collagen_I_rel.mid, POSITIVE, 0),
    F("collagen_I_rel_lo", collagen_I_rel.lo, POSITIVE, 0),
    F("collagen_I_rel_hi", collagen_I_rel.hi, POSITIVE, 0),
    F("collagen_III_rel", collagen_III_rel.mid, POSITIVE, 0),
    F("elastin_rel", elastin_rel.mid, POSITIVE, 0),
    F("pih_risk", pih_risk.mid, FRACTION, 0),
    F("bleeding_points_per_cm2_lo", bleeding_points_per_cm2.lo, NONNEG, 1),
    F("bleeding_points_per_cm2_hi", bleeding_points_per_cm2.hi, NONNEG, 1),
    F("bruising_risk_lo", bruising_risk.lo, FRACTION, 1),
    F("bruising_risk_hi", bruising_risk.hi, FRACTION, 1),
    F("collagen_III_rel_lo", collagen_III_rel.lo, POSITIVE, 1),
    F("collagen_III_rel_hi", collagen_III_rel.hi, POSITIVE, 1),
    F("elastin_rel_lo", elastin_rel.lo, POSITIVE, 1),
    F("elastin_rel_hi", elastin_rel.hi, POSITIVE, 1),
    F("pih_risk_lo", pih_risk.lo, FRACTION, 1),
    F("pih_risk_hi", pih_risk.hi, FRACTION, 1),
    {"topical_depth_mm", offsetof(nd_rd_outcome, topical_depth_m), NONNEG, 1, 1e-3},
};
#undef F
#define N_COLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])
_Static_assert(N_COLUMNS <= ND_ZO_MAX_COLS, "raise ND_ZO_MAX_COLS");

nd_status nd_zone_outcome_columns(const nd_csv *c, nd_zone_outcome_cols *oc, nd_error *err)
{
    oc->present = nd_csv_find(c, COLUMNS[0].name) >= 0;
    for (size_t k = 0; k < N_COLUMNS; k++) {
        oc->col[k] = -1;
        if (!oc->present) continue;
        if (COLUMNS[k].optional) {
            oc->col[k] = nd_csv_find(c, COLUMNS[k].name);
            continue;
        }
        nd_status s = nd_csv_column(c, COLUMNS[k].name, &oc->col[k], err);
        if (s != ND_OK) return s;
    }
    return ND_OK;
}

static const char *expected(range r)
{
    switch (r) {
    case VAS:
        return "a VAS score 0..10";
    case FRACTION:
        return "a fraction 0..1";
    case POSITIVE:
        return "a positive amount relative to baseline";
    default:
        return "0 or more";
    }
}

static int in_range(range r, double v)
{
    switch (r) {
    case VAS:
        return v >= 0 && v <= 10;
    case FRACTION:
        return v >= 0 && v <= 1;
    case POSITIVE:
        return v > 0;
    default:
        return v >= 0;
    }
}

nd_status nd_zone_outcome_row(const nd_csv *c, const nd_zone_outcome_cols *oc, nd_rd_outcome *o,
                              nd_error *err)
{
    for (size_t k = 0; k < N_COLUMNS; k++) {
        double *v = (double *)((char *)o + COLUMNS[k].offset);
        if (oc->col[k] < 0) {
            *v = NAN;
            continue;
        }
        nd_status s = nd_csv_number(c, oc->col[k], 0, v, err);
        if (s != ND_OK) return s;
        if (!in_range(COLUMNS[k].check, *v))
            return nd_csv_error(c, oc->col[k], err, "expected %s, found '%s'",
                                expected(COLUMNS[k].check), nd_csv_text(c, oc->col[k]));
        *v *= COLUMNS[k].scale;
    }
    return ND_OK;
}
