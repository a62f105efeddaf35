/* Outcome parameters from data/parameters.csv; see include/needle/outcome.h. */
#include <stddef.h>

#include "needle/outcome.h"

nd_status nd_outcome_params_load(const nd_table *params, nd_param_column col, nd_outcome_params *p,
                                 nd_error *err)
{
    static const struct {
        const char *name;
        size_t offset;
    } map[] = {
#define P(name, field) {name, offsetof(nd_outcome_params, field)}
        P("emla_rate_m_sqrt_s", emla_rate),
        P("emla_lag_s", emla_lag),
        P("lmx4_rate_m_sqrt_s", lmx4_rate),
        P("lmx4_lag_s", lmx4_lag),
        P("blt_rate_m_sqrt_s", blt_rate),
        P("blt_lag_s", blt_lag),
        P("unoccluded_factor", unoccluded_factor),
        P("analgesia_hold_s", hold_s),
        P("analgesia_fade_s", fade_s),
        P("analgesia_efficacy", efficacy),
        P("pain_depth_exponent", pain_exponent),
        P("pain_vas_at_1mm", pain_vas_1mm),
        P("bleed_probability", bleed_p),
        P("bruise_per_deep_puncture", bruise_p),
        P("erythema_half_dose_mm_cm2", ery_half_dose),
        P("erythema_tau_s_per_m", ery_tau_per_m),
        P("erythema_tau_min_s", ery_tau_min),
        P("erythema_visible", ery_visible),
        P("edema_gain", edema_gain),
        P("channel_half_life_s", ch_half_life),
        P("channel_ref_depth_m", ch_ref_depth),
        P("channel_depth_exponent", ch_depth_exp),
        P("channel_dark_skin_factor", ch_dark_factor),
        P("channel_half_life_occluded_s", ch_half_life_occluded),
        P("channel_diameter_ratio", ch_diameter_ratio),
        P("channel_route_gain_per_s", ch_route_gain),
        P("channel_fill", ch_fill),
        P("channel_rate_factor", ch_rate_factor),
        P("healing_fibroblast_tau_s", fib_tau),
        P("collagen3_tau_s", c3_tau),
        P("collagen_remodel_tau_s", remodel_tau),
        P("collagen3_share", c3_share),
        P("collagen1_share", c1_share),
        P("collagen_capacity", capacity),
        P("collagen_gain", collagen_gain),
        P("elastin_gain", elastin_gain),
        P("elastin_tau_s", elastin_tau),
        P("wound_radius_m", wound_radius),
        P("pih_base", pih_base),
        P("pih_type_factor_light", pih_light),
        P("pih_type_factor_vi", pih_vi),
#undef P
    };
    static const char *const column[] = {"value", "low", "high"};
    nd_table *own = NULL;
    nd_status st = params ? ND_OK : nd_table_load("parameters.csv", &own, err);
    const nd_table *t = params ? params : own;
    for (size_t i = 0; !st && i < sizeof map / sizeof map[0]; i++) {
        long r = nd_table_find(t, "name", map[i].name);
        if (r < 0) {
            st = nd_error_at(err, ND_ERR_INTERNAL, "data/parameters.csv", 0, 0, map[i].name,
                             "model parameter missing");
            break;
        }
        st = nd_table_number(t, (size_t)r, column[col], (double *)((char *)p + map[i].offset), err);
    }
    nd_table_free(own);
    return st;
}
