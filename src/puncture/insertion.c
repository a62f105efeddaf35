/* Insertion mechanics; see include/needle/insertion.h and docs/model.md. */
#include "needle/insertion.h"

#include "needle/data.h"
#include "needle/device.h"

nd_status nd_insertion_params_load(const nd_table *params, nd_insertion_params *p, nd_error *err)
{
    nd_table *own = NULL;
    nd_status st = params ? ND_OK : nd_table_load("parameters.csv", &own, err);
    if (st) return st;
    const nd_table *t = params ? params : own;
    const struct {
        const char *name;
        double *dst;
    } map[] = {
        {"puncture_stress_pa", &p->puncture_stress_pa},
        {"insertion_rate_ref_speed_m_s", &p->rate_ref_speed_m_s},
        {"insertion_rate_exponent", &p->rate_exponent},
        {"insertion_rate_floor", &p->rate_floor},
        {"spacing_length_m", &p->spacing_length_m},
        {"insertion_force_cv", &p->force_cv},
        {"skin_modulus_pa", &p->skin_modulus_pa},
        {"skin_poisson", &p->skin_poisson},
        {"drag_ratio_ref", &p->drag_ratio_ref},
        {"drag_ref_speed_m_s", &p->drag_ref_speed_m_s},
        {"drag_speed_exponent", &p->drag_speed_exponent},
        {"drag_cv", &p->drag_cv},
        {"friction_per_depth_diameter_pa", &p->friction_pa},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0] && !st; i++)
        st = nd_param(t, map[i].name, map[i].dst, err);
    nd_table_free(own);
    return st;
}

/* Log-normal sigma for a coefficient of variation. */
static double lognormal_sigma(double cv)
{
    return sqrt(log1p(cv * cv));
}

void nd_insertion_setup(const nd_insertion_params *p, const nd_device_spec *dev, double nominal_m,
                        double tip_speed_m_s, double force_per_needle_n, nd_strike_setup *out)
{
    double r = dev->tip_radius_m;
    double f = p->puncture_stress_pa * M_PI * r * r;
    if (tip_speed_m_s > p->rate_ref_speed_m_s) {
        double rate = pow(tip_speed_m_s / p->rate_ref_speed_m_s, -p->rate_exponent);
        f *= rate > p->rate_floor ? rate : p->rate_floor;
    }
    f *= 1.0 + p->spacing_length_m / nd_device_needle_spacing(dev);

    double g =
        p->drag_ratio_ref * pow(p->drag_ref_speed_m_s / tip_speed_m_s, p->drag_speed_exponent);
    /* Contact stiffness of a flat punch of the shaft's radius on an elastic
     * half-space, 2 E a / (1 - nu^2): how far the skin gives before it tears. */
    double a = 0.5 * dev->needle_diameter_m;
    double k = 2.0 * p->skin_modulus_pa * a / (1.0 - p->skin_poisson * p->skin_poisson);

    out->motorised = nd_device_is_motorised(dev);
    out->nominal_m = (float)nominal_m;
    out->f_ins_n = (float)f;
    out->force_n = (float)force_per_needle_n;
    out->dimple_limit_n = (float)(k * nominal_m);
    out->drag_ratio = (float)g;
    out->reach_m = (float)(nominal_m / (1.0 + g));
    out->inv_friction = (float)(1.0 / (p->friction_pa * dev->needle_diameter_m));
    out->sigma_force = (float)lognormal_sigma(p->force_cv);
    out->sigma_drag = (float)lognormal_sigma(p->drag_cv);
}
