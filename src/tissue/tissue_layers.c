/* What each depth level of the volume is made of, and the diffusion
 * coefficients of every species away from channels.
 *
 * A layer boundary seldom falls on a voxel face (the stratum corneum is 14 um
 * thick, a voxel 10-20 um), so coefficients are built from the true boundary
 * positions, not from the layer at the voxel centre:
 *   - capacity and lateral conductivity of a voxel are volume-weighted means
 *     of its layers (layers side by side conduct in parallel);
 *   - the exchange rate between two levels is 1 / (h R), with R the
 *     resistance integral of dz / (partition D) from one centre to the next
 *     (layers stacked along the flux add in series).
 * The second is exact for steady one-dimensional flux through any stack of
 * layers, so a thin barrier keeps its whole resistance L / (K D) however it
 * is cut by the grid (Patankar, Numerical Heat Transfer and Fluid Flow,
 * 1980, 4.2: the harmonic mean at interfaces). */
#include <math.h>

#include "tissue/tissue_internal.h"

void nd_tissue_overlap(const nd_layer_bounds *b, double z0, double z1, double len[NL])
{
    double top = 0.0;
    for (int l = 0; l < NL; l++) {
        double bot = l < NL - 1 ? (double)b->bottom_m[l] : INFINITY;
        double lo = z0 > top ? z0 : top, hi = z1 < bot ? z1 : bot;
        len[l] = hi > lo ? hi - lo : 0.0;
        if (l < NL - 1 && bot > top) top = bot;
    }
}

void nd_tissue_levels_init(nd_tissue *t)
{
    double h = t->h;
    for (int k = 0; k < t->nz; k++) {
        double z0 = k * h, zc = (k + 0.5) * h, z1 = (k + 1) * h, len[NL];
        nd_tissue_overlap(&t->bounds, z0, z1, len);
        for (int l = 0; l < NL; l++) t->frac[k * NL + l] = len[l] / h;
        nd_tissue_overlap(&t->bounds, z0, zc, t->half + (size_t)(2 * k) * NL);
        nd_tissue_overlap(&t->bounds, zc, z1, t->half + (size_t)(2 * k + 1) * NL);
        t->layer[k] = (int8_t)nd_layer_at(&t->bounds, (float)zc);
    }
}

double nd_tissue_layer_cond(const nd_tissue *t, int s, int layer, double o)
{
    double p = t->p.partition[s][layer] * t->p.diffusivity_m2_s[s][layer];
    return p + o * (t->coef[s].pch - p);
}

double nd_tissue_half_resistance(const nd_tissue *t, int s, int k, int half, double o)
{
    const double *len = t->half + (size_t)(2 * k + half) * NL;
    double r = 0.0;
    for (int l = 0; l < NL; l++) {
        if (len[l] <= 0.0) continue;
        double c = nd_tissue_layer_cond(t, s, l, o);
        if (!(c > 0.0)) return INFINITY;
        r += len[l] / c;
    }
    return r;
}

void nd_tissue_coef_init(nd_tissue *t)
{
    for (int s = 0; s < NS; s++) {
        nd_tissue_coef *c = &t->coef[s];
        c->pch = t->p.channel_diffusivity_m2_s[s];
        for (int k = 0; k < t->nz; k++) {
            double cap = 0.0, plat = 0.0;
            for (int l = 0; l < NL; l++) {
                double f = t->frac[k * NL + l];
                cap += f * t->p.partition[s][l];
                plat += f * t->p.partition[s][l] * t->p.diffusivity_m2_s[s][l];
            }
            c->cap[k] = cap;
            c->plat[k] = plat;
        }
        /* Face above level k: lower half of k - 1 and upper half of k; the
         * surface face: the upper half of level 0. */
        for (int k = 0; k <= t->nz; k++) {
            double r;
            if (k == t->nz)
                r = INFINITY;
            else if (k == 0)
                r = nd_tissue_half_resistance(t, s, 0, 0, 0.0);
            else
                r = nd_tissue_half_resistance(t, s, k - 1, 1, 0.0) +
                    nd_tissue_half_resistance(t, s, k, 0, 0.0);
            c->az[k] = isfinite(r) && r > 0.0 ? 1.0 / (t->h * r) : 0.0;
        }
    }
}
