/* The up part of a step, plane by plane against its direction of
 * elimination (tissue_sweep.c runs it, ahead of the next step's down part):
 * the back substitution that finishes each diffusing species' vertical
 * correction (tissue_pass_down.c eliminated along the columns), then the
 * kinetics correction and the update u + d -- or, in the last half step of
 * step doubling, the extrapolation and the error estimate.
 *
 * The kinetics correction is d <- phi1(dt M) d (tissue_kinetics.c): across
 * species, per voxel, with the level's precomputed matrix. */
#include <math.h>

#include "tissue/tissue_internal.h"

/* y = base + sum of c[q] x[q], one sweep of the row whatever the number of
 * terms up to four (the kinetics couple a species to at most a few others). */
ND_TISSUE_SIMD static void combine_terms(int n, const double *base, int nt, const double *c,
                                         const double *const *x, double *y)
{
    int q = 0;
    if (nt >= 4) {
        const double *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
        const double c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
#pragma omp simd
        for (int i = 0; i < n; i++)
            y[i] = base[i] + c0 * x0[i] + c1 * x1[i] + c2 * x2[i] + c3 * x3[i];
        q = 4;
    } else if (nt == 3) {
        const double *x0 = x[0], *x1 = x[1], *x2 = x[2], c0 = c[0], c1 = c[1], c2 = c[2];
#pragma omp simd
        for (int i = 0; i < n; i++) y[i] = base[i] + c0 * x0[i] + c1 * x1[i] + c2 * x2[i];
        q = 3;
    } else if (nt == 2) {
        const double *x0 = x[0], *x1 = x[1], c0 = c[0], c1 = c[1];
#pragma omp simd
        for (int i = 0; i < n; i++) y[i] = base[i] + c0 * x0[i] + c1 * x1[i];
        q = 2;
    } else if (nt == 1) {
        const double *x0 = x[0], c0 = c[0];
#pragma omp simd
        for (int i = 0; i < n; i++) y[i] = base[i] + c0 * x0[i];
        q = 1;
    } else if (y != base) {
        for (int i = 0; i < n; i++) y[i] = base[i];
    }
    for (; q < nt; q++) {
        const double *xq = x[q], cq = c[q];
#pragma omp simd
        for (int i = 0; i < n; i++) y[i] += cq * xq[i];
    }
}

/* The last half step's row x against the full step's row a: returns the
 * largest weighted difference |x - a| / (atol + rtol max(|x|, |a|)) and
 * sets *bad on a value that is not finite; then a <- 2 x - a (order 2) or
 * x, a sealed channel's openness below the floor set to 0.  A max is exact
 * in any order, so the vector loop gives the same bits as one voxel at a
 * time. */
ND_TISSUE_SIMD static double combine_error(int n, const double *x, double *a, double at,
                                           double rtol, int order2, int sealed, int *bad)
{
    double err = 0.0, off = 0.0;
    const double two = order2 ? 2.0 : 1.0, one = order2 ? 1.0 : 0.0;
    /* Selects, not branches, so the loop vectorises; no division under a
     * branch either: at > 0, so equal values give 0 / positive = 0. */
#pragma omp simd reduction(max : err, off)
    for (int i = 0; i < n; i++) {
        const double nu = x[i], y = a[i], ax = fabs(nu), ay = fabs(y);
        const double dd = fabs(nu - y) / (at + rtol * (ax > ay ? ax : ay));
        const double fin = dd <= 1e300 ? dd : 0.0;
        off = dd <= 1e300 ? off : 1.0;
        err = fin > err ? fin : err;
        const double z = two * nu - one * y;
        a[i] = (sealed & (z < ND_TISSUE_OPEN_FLOOR)) ? 0.0 : z;
    }
    if (off > 0.0) *bad = 1;
    return err;
}

/* A sealed channel's openness below the floor set to 0 (a select, so the
 * loop vectorises). */
ND_TISSUE_SIMD static void seal_row(int n, double *o)
{
#pragma omp simd
    for (int i = 0; i < n; i++) o[i] = o[i] < ND_TISSUE_OPEN_FLOOR ? 0.0 : o[i];
}

/* What every row of plane k does in the update, worked out once per plane:
 * where each stepped species' increment d3 comes from (a diffusing one's:
 * its corrected diffusion increment; one that does not move: dt M u, or
 * none where the level has no kinetics for it), and the terms of its
 * update. */
enum { INC_NONE, INC_DIFFUSION, INC_KINETICS };
typedef struct {
    int inc[NS];
    int ni[NS], fi[NS][NS]; /* dt M u: the terms' species and coefficients */
    double ci[NS][NS];
    int no[NS], fo[NS][NS]; /* u + the terms of the increments of species fo */
    double co[NS][NS];
} update_plan;

static void plan_init(const nd_tissue *t, int k, double dt, const double *phi, update_plan *p)
{
    const double *mk = t->mk + (size_t)k * NS * NS;
    for (int s = 0; s < NS; s++) {
        p->inc[s] = INC_NONE, p->ni[s] = 0;
        if (!nd_tissue_stepped(t, s)) continue;
        if (t->diffuses[s]) {
            p->inc[s] = INC_DIFFUSION;
            continue;
        }
        for (int f = 0; f < NS; f++)
            if (mk[s * NS + f] != 0.0) {
                p->ci[s][p->ni[s]] = dt * mk[s * NS + f];
                p->fi[s][p->ni[s]++] = f;
            }
        if (p->ni[s] > 0) p->inc[s] = INC_KINETICS;
    }
    for (int s = 0; s < NS; s++) {
        p->no[s] = 0;
        if (!nd_tissue_stepped(t, s)) continue;
        /* u + phi1(dt M) d3 for a species that does not move; one that moves
         * (its own rate already in its vertical correction) or has no
         * kinetics adds d3. */
        if (t->reacts[s] && !t->diffuses[s]) {
            for (int f = 0; f < NS; f++)
                if (p->inc[f] != INC_NONE && phi[s * NS + f] != 0.0) {
                    p->co[s][p->no[s]] = phi[s * NS + f];
                    p->fo[s][p->no[s]++] = f;
                }
        } else if (p->inc[s] != INC_NONE) {
            p->co[s][p->no[s]] = 1.0;
            p->fo[s][p->no[s]++] = s;
        }
    }
}

/* Row (j, k) by the plane's plan: kinetics correction, update, write or
 * combine.  dk holds plane k of each diffusing species' finished increment
 * (rows dx apart), zero nx zeros.  Returns the row's error maximum; *bad is
 * set on a non-finite value.  tmp holds (NS + 1) nx doubles. */
static double update_row(const nd_tissue *t, int j, int k, const update_plan *p,
                         double *const src[NS], double *const dst[NS], double *const acc[NS],
                         double *const dk[NS], const double *zero, double *tmp, int *bad)
{
    const int nx = t->nx;
    const size_t row = (size_t)k * t->plane + (size_t)j * nx;
    double *x = tmp + (size_t)NS * nx;
    const double *inc[NS], *xs[NS];
    for (int s = 0; s < NS; s++) {
        inc[s] = NULL;
        if (p->inc[s] == INC_DIFFUSION) inc[s] = dk[s] + (size_t)j * t->dx;
        if (p->inc[s] != INC_KINETICS) continue;
        for (int q = 0; q < p->ni[s]; q++) xs[q] = src[p->fi[s][q]] + row;
        combine_terms(nx, zero, p->ni[s], p->ci[s], xs, tmp + (size_t)s * nx);
        inc[s] = tmp + (size_t)s * nx;
    }
    const double rtol = t->o.rtol;
    const int order2 = t->o.order == 2;
    double err = 0.0;
    for (int s = 0; s < NS; s++) {
        if (!nd_tissue_stepped(t, s)) continue;
        for (int q = 0; q < p->no[s]; q++) xs[q] = inc[p->fo[s][q]];
        const double *u = src[s] + row;
        const int sealed = s == ND_TISSUE_OPENNESS;
        if (acc) {
            combine_terms(nx, u, p->no[s], p->co[s], xs, x);
            const double at =
                t->o.atol[s] > 0.0 ? t->o.atol[s] : 1e-4 * (t->scale[s] > 0.0 ? t->scale[s] : 1.0);
            double e = combine_error(nx, x, acc[s] + row, at, rtol, order2, sealed, bad);
            err = e > err ? e : err;
        } else {
            double *o = dst[s] + row;
            combine_terms(nx, u, p->no[s], p->co[s], xs, o);
            if (sealed) seal_row(nx, o);
        }
    }
    return err;
}

/* Back substitution of the vertical correction on rows j0 .. j1 of plane k,
 * eliminated in direction dir: d_k <- d_k - cp_k d_next, next the level
 * after k in that direction (already substituted); columns through
 * channels with their own factors. */
ND_TISSUE_SIMD static void substitute_z(const nd_tissue *t, int s, int k, int dir, int j0, int j1,
                                        int c0, int c1, double *d, double *stash)
{
    const int nx = t->nx, ncol = t->ncol, dx = t->dx;
    const ptrdiff_t next = (ptrdiff_t)dir * (ptrdiff_t)t->dplane;
    if (dir > 0 ? k == t->nz - 1 : k == 0) return; /* the last row's values are final */
    const double *z = ncol > 0 ? t->zrow[s] + ((size_t)k * 5 + 3) * ncol : NULL; /* cp */
    for (int q = c0; q < c1; q++) {
        const size_t v = (size_t)(t->zcol[q] / nx) * dx + t->zcol[q] % nx;
        stash[q - c0] = d[v] - z[q] * d[(ptrdiff_t)v + next];
    }
    const double cp = nd_tissue_zfac(t, s, dir)[t->nz + k];
    for (int j = j0; j < j1; j++) {
        double *row = d + (size_t)j * dx;
        const double *after = row + next;
#pragma omp simd
        for (int i = 0; i < nx; i++) row[i] -= cp * after[i];
    }
    for (int q = c0; q < c1; q++)
        d[(size_t)(t->zcol[q] / nx) * dx + t->zcol[q] % nx] = stash[q - c0];
}

double nd_tissue_up_rows(const nd_tissue *t, const nd_tissue_substep *st, int k,
                         const nd_tissue_part *p, int *bad)
{
    double *inc[NS], err = 0.0;
    double *stash = p->w + (size_t)(NS + 2) * t->nx;
    /* The substitution plane by plane, then the update row by row (row by
     * row for both was slower: the simple loop streams the increment in
     * from memory faster). */
    for (int s = 0; s < NS; s++) {
        inc[s] = NULL;
        if (!t->diffuses[s]) continue;
        inc[s] = t->dinc[s] + (size_t)k * t->dplane;
        substitute_z(t, s, k, st->dir, p->j0, p->j1, p->c0, p->c1, inc[s], stash);
    }
    update_plan plan;
    plan_init(t, k, st->dt, st->phi + (size_t)k * NS * NS, &plan);
    double *zero = p->w + (size_t)(NS + 1) * t->nx;
    for (int i = 0; i < t->nx; i++) zero[i] = 0.0;
    for (int j = p->j0; j < p->j1; j++) {
        double e = update_row(t, j, k, &plan, st->src, st->dst, st->acc, inc, zero, p->w, bad);
        err = e > err ? e : err;
    }
    return err;
}
