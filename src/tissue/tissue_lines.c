/* The diffusion operator along one grid line, as the rows of I - dt A.
 *
 * A voxel's equation is capacity du/dt = sum over its faces of conductance x
 * (neighbour - u): the matrix of a line, scaled by 1 / capacity, is
 * tridiagonal with lo, di, up such that (I - dt A) u = lo u[i-1] + di u[i] +
 * up u[i+1].  The same rows give the explicit term, dt A u = u - (I - dt A) u,
 * so the explicit and implicit halves of a step see one operator (what keeps
 * steady states exact, tissue_step.c).
 *
 * Lateral faces: conductance harmonic(P_a, P_b) / h^2 with P = partition x D
 * of each voxel (volume weighted over its layers, then mixed with the channel
 * by openness).  Vertical faces: 1 / (h R), R the resistance integral between
 * the two centres (tissue_layers.c). */
#include "tissue/tissue_internal.h"

static inline double harmonic(double a, double b)
{
    return a + b > 0.0 ? 2.0 * a * b / (a + b) : 0.0;
}

double nd_tissue_lateral_face(const nd_tissue *t, int s, int k, double oa, double ob)
{
    const nd_tissue_coef *c = &t->coef[s];
    const double pl = c->plat[k];
    if (oa == 0.0 && ob == 0.0) return pl / (t->h * t->h); /* most faces of a channel line */
    return harmonic(pl + oa * (c->pch - pl), pl + ob * (c->pch - pl)) / (t->h * t->h);
}

void nd_tissue_column_factors(const nd_tissue *t, int s, double dt, int dir, double *pc, double *cp,
                              double *im)
{
    const nd_tissue_coef *c = &t->coef[s];
    const int nz = t->nz;
    for (int q = 0; q < nz; q++) {
        const int k = dir > 0 ? q : nz - 1 - q;
        double w = dt / c->cap[k];
        double above = (k > 0 || t->surface_on[s]) ? c->az[k] : 0.0, below = c->az[k + 1];
        double di = 1.0 + w * (above + below) - dt * nd_tissue_self_rate(t, s, k);
        double lo = k > 0 ? -w * c->az[k] : 0.0, up = -w * below;
        double before = dir > 0 ? lo : up, after = dir > 0 ? up : lo;
        double m = q == 0 ? di : di - before * cp[k - dir];
        pc[k] = before;
        im[k] = 1.0 / m;
        cp[k] = after * im[k];
    }
}

void nd_tissue_rows_apply(int n, const double *lo, const double *di, const double *up, int periodic,
                          const double *u, size_t ustride, double *out, size_t ostride)
{
    for (int i = 0; i < n; i++) {
        double v = (di[i] - 1.0) * u[(size_t)i * ustride];
        if (i > 0)
            v += lo[i] * u[(size_t)(i - 1) * ustride];
        else if (periodic && n >= 3)
            v += lo[0] * u[(size_t)(n - 1) * ustride];
        if (i < n - 1)
            v += up[i] * u[(size_t)(i + 1) * ustride];
        else if (periodic && n >= 3)
            v += up[i] * u[0];
        out[(size_t)i * ostride] -= v;
    }
}

static void line_factors(nd_tissue *t, int n, nd_tri_const *fs, double *mem, double dt)
{
    const int nz = t->nz;
    const double h2 = t->h * t->h;
    for (int s = 0; s < NS; s++) {
        if (!t->diffuses[s]) continue;
        const nd_tissue_coef *c = &t->coef[s];
        nd_tri_const *f = fs + (size_t)s * nz;
        double rprev = -1.0;
        for (int k = 0; k < nz; k++) {
            double r = dt * c->plat[k] / (c->cap[k] * h2);
            if (k > 0 && r == rprev) {
                f[k] = f[k - 1];
                continue;
            }
            nd_tri_const_factor(&f[k], n, r, t->o.periodic, mem + ((size_t)s * nz + k) * 4 * n);
            rprev = r;
        }
    }
}

void nd_tissue_lateral_factors(nd_tissue *t, double dt)
{
    line_factors(t, t->nx, t->xf, t->xfac, dt);
    if (t->ny == t->nx)
        for (size_t v = 0; v < (size_t)NS * t->nz; v++) t->yf[v] = t->xf[v];
    else
        line_factors(t, t->ny, t->yf, t->yfac, dt);
}

/* Rows of ng lateral lines at once, line g of level lev[g], its voxel i at
 * [i * ng + g] of o, lo, di and up.  Face i-1 | i conducts harmonic(P_a, P_b)
 * / h^2 with P = plat + o (pch - plat) of each voxel (plat / h^2 exactly when
 * neither is open), the wrap face of a periodic line couples voxel n-1 to 0,
 * and a voxel of openness o has capacity cap + o (1 - cap).  Laid out across
 * lines, the divisions of the faces and capacities vectorise.  cst holds
 * 5 ng doubles. */
ND_TISSUE_SIMD void nd_tissue_lateral_batch_rows(const nd_tissue *t, int s, int n, int ng,
                                                 const int *lev, const double *o, double dt,
                                                 double *lo, double *di, double *up, double *cst)
{
    const nd_tissue_coef *c = &t->coef[s];
    const double h2 = t->h * t->h, pch = c->pch;
    const int per = t->o.periodic && n >= 3;
    double *pl = cst, *dp = cst + ng, *cap = cst + 2 * (size_t)ng, *omc = cst + 3 * (size_t)ng,
           *gw = cst + 4 * (size_t)ng;
    for (int g = 0; g < ng; g++) {
        pl[g] = c->plat[lev[g]];
        dp[g] = pch - pl[g];
        cap[g] = c->cap[lev[g]];
        omc[g] = 1.0 - cap[g];
    }
    /* lo[i] first holds the conductance of face i-1 | i (lo[0]: the wrap face). */
    for (int i = 0; i < n; i++) {
        const size_t r = (size_t)i * ng;
        const double *oa = i > 0 ? o + r - ng : o + (size_t)(n - 1) * ng, *ob = o + r;
        if (i == 0 && !per) {
            for (int g = 0; g < ng; g++) lo[g] = 0.0;
            continue;
        }
#pragma omp simd
        for (int g = 0; g < ng; g++) {
            /* No division under a branch, so it vectorises: a zero sum has a
             * zero product over it, and 0 / 1 = 0 as harmonic() gives; the
             * background face is blended in by a 0/1 weight, exact both ways
             * (a compiler would move a chosen division back under a branch). */
            double a = pl[g] + oa[g] * dp[g], b = pl[g] + ob[g] * dp[g], sum = a + b;
            double hm = 2.0 * a * b / (sum + (sum > 0.0 ? 0.0 : 1.0)) / h2, bg = pl[g] / h2;
            double wb = (double)((oa[g] == 0.0) & (ob[g] == 0.0));
            lo[r + g] = wb * bg + (1.0 - wb) * hm;
        }
    }
    for (int g = 0; g < ng; g++) gw[g] = lo[g];
    for (int i = 0; i < n; i++) {
        const size_t r = (size_t)i * ng;
        const double *gr = i < n - 1 ? lo + r + ng : gw; /* the wrap face, or 0 */
#pragma omp simd
        for (int g = 0; g < ng; g++) {
            double gl = lo[r + g], grv = gr[g], oi = o[r + g];
            double w = dt / (cap[g] + oi * omc[g]); /* oi = 0: exactly dt / cap */
            lo[r + g] = -w * gl;
            up[r + g] = -w * grv;
            di[r + g] = 1.0 + w * (gl + grv);
        }
    }
}
