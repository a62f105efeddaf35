/* Tissue model constants from data/tissue_parameters.csv and, for the
 * healing chain, data/parameters.csv.
 *
 * The table holds sourced quantities (a permeability, a half-life, a fraction
 * of free diffusion); this file turns them into the solver's per-layer
 * diffusivities, partitions and rate matrices.  Which layers carry what:
 *   - the stratum corneum and viable epidermis have no blood vessels: no
 *     clearance, no blood;
 *   - blood, fibroblasts and matrix live in the dermis (and blood in fat);
 *   - the signal is made by damaged viable tissue, not by the dead SC.
 * The healing chain takes the lumped model's time constants and shares
 * (docs/model.md 9.5), so the two describe one biology: the solver's chain
 * is the lumped one without its saturation, voxel by voxel. */
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

void nd_tissue_params_serum(nd_tissue_params *p, double molar_mass_g_mol)
{
    const int A = ND_TISSUE_AGENT, S = ND_TISSUE_SERUM;
    const double f = molar_mass_g_mol > 0.0 ? cbrt(ND_LIDOCAINE_G_MOL / molar_mass_g_mol) : 0.0;
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        p->diffusivity_m2_s[S][l] = l == ND_LAYER_SC ? 0.0 : f * p->diffusivity_m2_s[A][l];
        p->partition[S][l] = 1.0;
        for (int m = 0; m < ND_TISSUE_SPECIES; m++)
            p->rate_per_s[l][S][m] = p->rate_per_s[l][m][S] = 0.0;
        p->rate_per_s[l][S][S] = p->rate_per_s[l][A][A];
    }
    p->channel_diffusivity_m2_s[S] = f * p->channel_diffusivity_m2_s[A];
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
     * from its permeability: D_sc = kp L_ref / K_sc, so that K D / L = kp.
     * In the dermis and fat the analgesic front spreads faster than free
     * diffusion carries lidocaine (along nerves, with interstitial flow):
     * agent_spread_factor, calibrated on Wahlgren & Quiding 2000. */
    double dw = get(&r, "agent_diffusivity_water_m2_s");
    double viable = get(&r, "agent_viable_hindrance") * dw;
    double spread = get(&r, "agent_spread_factor");
    double ksc = get(&r, "agent_sc_partition");
    double kp = get(&r, "agent_sc_permeability_m_s"), lref = get(&r, "sc_reference_thickness_m");
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        for (int s = 0; s < ND_TISSUE_SPECIES; s++) out->partition[s][l] = 1.0;
        out->diffusivity_m2_s[ND_TISSUE_AGENT][l] = viable;
    }
    out->diffusivity_m2_s[ND_TISSUE_AGENT][PAP] = spread * viable;
    out->diffusivity_m2_s[ND_TISSUE_AGENT][RET] = spread * viable;
    out->diffusivity_m2_s[ND_TISSUE_AGENT][SC] = kp * lref / ksc;
    out->partition[ND_TISSUE_AGENT][SC] = ksc;
    out->diffusivity_m2_s[ND_TISSUE_AGENT][FAT] = spread * get(&r, "agent_fat_hindrance") * dw;
    out->partition[ND_TISSUE_AGENT][FAT] = get(&r, "agent_fat_partition");
    /* In an open channel the agent moves at least as fast as free diffusion,
     * and no slower than in the dermis around it. */
    out->channel_diffusivity_m2_s[ND_TISSUE_AGENT] = dw > spread * viable ? dw : spread * viable;
    out->rate_per_s[PAP][ND_TISSUE_AGENT][ND_TISSUE_AGENT] =
        -get(&r, "agent_clearance_papillary_per_s");
    out->rate_per_s[RET][ND_TISSUE_AGENT][ND_TISSUE_AGENT] =
        -get(&r, "agent_clearance_reticular_per_s");
    out->rate_per_s[FAT][ND_TISSUE_AGENT][ND_TISSUE_AGENT] = -get(&r, "agent_clearance_fat_per_s");
    out->analgesic_threshold = get(&r, "agent_analgesic_threshold");

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

    /* Fibroblasts wander slowly in the dermis; the chain's rates come from
     * data/parameters.csv (nd_tissue_params_healing). */
    double df = get(&r, "fibroblast_diffusivity_m2_s");
    for (int l = PAP; l <= RET; l++) out->diffusivity_m2_s[ND_TISSUE_FIBROBLAST][l] = df;

    out->closure_half_life_s = get(&r, "channel_half_life_open_s");
    out->closure_half_life_occluded_s = get(&r, "channel_half_life_occluded_s");
    nd_table_free(t);
    if (r.st) return r.st;
    return nd_tissue_params_healing(NULL, out, err);
}

nd_status nd_tissue_params_healing(const nd_table *params, nd_tissue_params *p, nd_error *err)
{
    nd_table *own = NULL;
    nd_status st = params ? ND_OK : nd_table_load("parameters.csv", &own, err);
    if (st) return st;
    const nd_table *t = params ? params : own;
    static const char *const names[] = {
        "healing_fibroblast_tau_s", "collagen3_tau_s", "collagen_remodel_tau_s", "collagen3_share",
        "collagen1_share",          "collagen_gain",   "elastin_gain",           "elastin_tau_s",
        "wound_radius_m",
    };
    double v[9];
    for (int i = 0; i < 9 && !st; i++) st = nd_param(t, names[i], &v[i], err);
    nd_table_free(own);
    if (st) return st;
    const double tau_f = v[0], tau_3 = v[1], tau_r = v[2], a3 = v[3], f1 = v[4], g = v[5];
    const double g_e = v[6], tau_e = v[7], f3 = 1.0 - f1;
    enum { S = ND_TISSUE_SIGNAL, F = ND_TISSUE_FIBROBLAST, C1 = ND_TISSUE_COLLAGEN1 };
    enum { C3 = ND_TISSUE_COLLAGEN3, E = ND_TISSUE_ELASTIN };
    for (int l = 0; l < ND_LAYER_COUNT; l++) /* a fresh chain: rows F, C1, C3, E */
        for (int to = F; to <= E; to++)
            if (to != ND_TISSUE_OPENNESS)
                for (int from = 0; from < ND_TISSUE_SPECIES; from++) p->rate_per_s[l][to][from] = 0;
    /* The lumped chain (src/outcome/healing.c) without its capacity term,
     * for the excess over baseline f = F, c = C - 1, e = E - 1:
     *   df/dt  = s_dose - f / tau_F
     *   dc3/dt = a3 g f / (f3 tau_F) - c3 / tau_3
     *   dc1/dt = (1 - a3) g f / (f1 tau_F) + (f3 / f1) c3 / tau_3 - c1 / tau_R
     *   de/dt  = g_E f / tau_F - e / tau_E
     * The dose is the signal as it decays: each unit of wound signal a voxel
     * loses activates one unit of fibroblasts, so a voxel inside a fresh
     * wound (signal 1) receives the lumped model's impulse of 1 within hours. */
    for (int l = ND_LAYER_PAPILLARY; l <= ND_LAYER_RETICULAR; l++) {
        p->rate_per_s[l][F][S] = -p->rate_per_s[l][S][S];
        p->rate_per_s[l][F][F] = -1.0 / tau_f;
        p->rate_per_s[l][C3][F] = a3 * g / (f3 * tau_f);
        p->rate_per_s[l][C3][C3] = -1.0 / tau_3;
        p->rate_per_s[l][C1][F] = (1.0 - a3) * g / (f1 * tau_f);
        p->rate_per_s[l][C1][C3] = f3 / (f1 * tau_3);
        p->rate_per_s[l][C1][C1] = -1.0 / tau_r;
        p->rate_per_s[l][E][F] = g_e / tau_f;
        p->rate_per_s[l][E][E] = -1.0 / tau_e;
    }
    p->wound_radius_m = v[8];
    return ND_OK;
}
