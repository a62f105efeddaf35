/* Tissue model constants from data/tissue_parameters.csv.
 *
 * The table holds sourced quantities (a permeability, a half-life, a fraction
 * of free diffusion); this file turns them into the solver's per-layer
 * diffusivities, partitions and rate matrices.  Which layers carry what:
 *   - the stratum corneum and viable epidermis have no blood vessels: no
 *     clearance, no blood;
 *   - blood, fibroblasts and matrix live in the dermis (and blood in fat);
 *   - the signal is made by damaged viable tissue, not by the dead SC. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "needle/tissue.h"

typedef struct {
    nd_table *t;
    nd_error *err;
    nd_status st;
} reader;

static double get(reader *r, const char *name)
{
    double v = 0.0;
    if (!r->st) {
        long row = nd_table_find(r->t, "name", name);
        if (row < 0)
            r->st = nd_error_at(r->err, ND_ERR_INTERNAL, "data/tissue_parameters.csv", 0, 0, name,
                                "tissue parameter missing");
        else
            r->st = nd_table_number(r->t, (size_t)row, "value", &v, r->err);
    }
    return v;
}

static nd_status apply_overrides(nd_table *t, const nd_param_override *ov, int n, nd_error *err)
{
    for (int i = 0; i < n; i++) {
        long r = nd_table_find(t, "name", ov[i].name);
        double lo = 0, hi = 0;
        nd_status st;
        if (r < 0)
            return nd_error_set(err, ND_ERR_INPUT,
                                "no tissue parameter '%s' in data/tissue_parameters.csv",
                                ov[i].name);
        if ((st = nd_table_number(t, (size_t)r, "low", &lo, err)) ||
            (st = nd_table_number(t, (size_t)r, "high", &hi, err)))
            return st;
        if (!(ov[i].value >= lo && ov[i].value <= hi))
            return nd_error_set(err, ND_ERR_INPUT,
                                "tissue parameter %s = %g is outside its documented range %g..%g",
                                ov[i].name, ov[i].value, lo, hi);
        char text[64];
        snprintf(text, sizeof text, "%.17g", ov[i].value);
        if ((st = nd_table_set(t, (size_t)r, nd_table_column(t, "value"), text, err))) return st;
    }
    return ND_OK;
}

/* d(to)/dt = k (gain from - to): relaxation towards gain x the driver. */
static void relax(nd_tissue_params *p, int layer, int to, int from, double gain, double half)
{
    double k = log(2.0) / half;
    p->rate_per_s[layer][to][from] += gain * k;
    p->rate_per_s[layer][to][to] -= k;
}

nd_status nd_tissue_params_load(const nd_param_override *ov, int n, nd_tissue_params *out,
                                nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_table *t = NULL;
    nd_status st = nd_table_load("tissue_parameters.csv", &t, err);
    if (!st) st = apply_overrides(t, ov, n, err);
    if (st) {
        nd_table_free(t);
        return st;
    }
    reader r = {t, err, ND_OK};
    const double ln2 = log(2.0);
    enum { SC = ND_LAYER_SC, EPI = ND_LAYER_EPIDERMIS, PAP = ND_LAYER_PAPILLARY };
    enum { RET = ND_LAYER_RETICULAR, FAT = ND_LAYER_FAT };

    /* Agent: free diffusion in channels, hindered in tissue, the SC barrier
     * from its permeability: D_sc = kp L_ref / K_sc, so that K D / L = kp. */
    double dw = get(&r, "agent_diffusivity_water_m2_s");
    double viable = get(&r, "agent_viable_hindrance") * dw;
    double ksc = get(&r, "agent_sc_partition");
    double kp = get(&r, "agent_sc_permeability_m_s"), lref = get(&r, "sc_reference_thickness_m");
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        for (int s = 0; s < ND_TISSUE_SPECIES; s++) out->partition[s][l] = 1.0;
        out->diffusivity_m2_s[ND_TISSUE_AGENT][l] = viable;
    }
    out->diffusivity_m2_s[ND_TISSUE_AGENT][SC] = kp * lref / ksc;
    out->partition[ND_TISSUE_AGENT][SC] = ksc;
    out->diffusivity_m2_s[ND_TISSUE_AGENT][FAT] = get(&r, "agent_fat_hindrance") * dw;
    out->partition[ND_TISSUE_AGENT][FAT] = get(&r, "agent_fat_partition");
    out->channel_diffusivity_m2_s[ND_TISSUE_AGENT] = dw;
    out->rate_per_s[PAP][ND_TISSUE_AGENT][ND_TISSUE_AGENT] =
        -get(&r, "agent_clearance_papillary_per_s");
    out->rate_per_s[RET][ND_TISSUE_AGENT][ND_TISSUE_AGENT] =
        -get(&r, "agent_clearance_reticular_per_s");
    out->rate_per_s[FAT][ND_TISSUE_AGENT][ND_TISSUE_AGENT] = -get(&r, "agent_clearance_fat_per_s");

    /* Blood: left in vascular layers by punctures, spreads slowly, resorbed. */
    out->blood_release[PAP] = get(&r, "blood_release_papillary");
    out->blood_release[RET] = get(&r, "blood_release_reticular");
    out->blood_release[FAT] = get(&r, "blood_release_fat");
    double db = get(&r, "blood_diffusivity_m2_s"), kb = ln2 / get(&r, "blood_half_life_s");
    for (int l = PAP; l <= FAT; l++) out->diffusivity_m2_s[ND_TISSUE_BLOOD][l] = db;
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        out->rate_per_s[l][ND_TISSUE_BLOOD][ND_TISSUE_BLOOD] = -kb;

    /* Signal: from damage and from blood, diffuses (channels: free), decays. */
    double sr = get(&r, "signal_release"), ds = get(&r, "signal_diffusivity_m2_s");
    double ks = ln2 / get(&r, "signal_half_life_s"), sb = get(&r, "signal_from_blood_per_s");
    for (int l = EPI; l <= FAT; l++) {
        out->signal_release[l] = sr;
        out->diffusivity_m2_s[ND_TISSUE_SIGNAL][l] = ds;
        out->rate_per_s[l][ND_TISSUE_SIGNAL][ND_TISSUE_BLOOD] = sb;
    }
    out->channel_diffusivity_m2_s[ND_TISSUE_SIGNAL] = ds / get(&r, "agent_viable_hindrance");
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        out->rate_per_s[l][ND_TISSUE_SIGNAL][ND_TISSUE_SIGNAL] = -ks;

    /* Healing chain in the dermis: signal -> fibroblasts -> collagen III ->
     * collagen I, fibroblasts -> collagen I and elastin (placeholders). */
    double df = get(&r, "fibroblast_diffusivity_m2_s");
    double gf = get(&r, "fibroblast_gain"), tf = get(&r, "fibroblast_half_life_s");
    double g3 = get(&r, "collagen3_gain"), t3 = get(&r, "collagen3_half_life_s");
    double m31 = get(&r, "collagen3_to_collagen1");
    double g1 = get(&r, "collagen1_gain"), t1 = get(&r, "collagen1_half_life_s");
    double ge = get(&r, "elastin_gain"), te = get(&r, "elastin_half_life_s");
    for (int l = PAP; l <= RET; l++) {
        out->diffusivity_m2_s[ND_TISSUE_FIBROBLAST][l] = df;
        relax(out, l, ND_TISSUE_FIBROBLAST, ND_TISSUE_SIGNAL, gf, tf);
        relax(out, l, ND_TISSUE_COLLAGEN3, ND_TISSUE_FIBROBLAST, g3, t3);
        relax(out, l, ND_TISSUE_COLLAGEN1, ND_TISSUE_FIBROBLAST, g1, t1);
        out->rate_per_s[l][ND_TISSUE_COLLAGEN1][ND_TISSUE_COLLAGEN3] += m31 * ln2 / t3;
        relax(out, l, ND_TISSUE_ELASTIN, ND_TISSUE_FIBROBLAST, ge, te);
    }

    out->closure_half_life_s = get(&r, "channel_half_life_open_s");
    out->closure_half_life_occluded_s = get(&r, "channel_half_life_occluded_s");
    nd_table_free(t);
    return r.st;
}
