/* Second pass of a step, one x-y plane (fixed depth) at a time: the
 * correction (I - dt A_y) of each diffusing species' increment, then the
 * kinetics correction and the update u + d -- or, in the last half step of
 * step doubling, the extrapolation and the error estimate.
 *
 * The y solve reads the increment plane and writes its result to a
 * per-thread plane (nx ny doubles: 80 kB at 100 x 100, in L2 until the
 * update reads it), so the increment array is only read here.  Away from
 * channels a plane is one material, so all its y lines share one factored
 * matrix: the Thomas recurrences need no division and run row by row,
 * vectorised across x.  The y lines through channels are solved together,
 * interleaved across lines, with per-voxel coefficients.
 *
 * The kinetics correction is d <- phi1(dt M) d (tissue_kinetics.c): across
 * species, per voxel, with the level's precomputed matrix. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "tissue/tissue_internal.h"

ND_TISSUE_SIMD static void solve_y(const nd_tissue *t, int s, int k, double dt,
                                   const nd_tri_const *f, const double *din, double *d,
                                   const double *o, double *w, double *bw)
{
    const int nx = t->nx, ny = t->ny, lmax = nx > ny ? nx : ny;
    const uint8_t *gen = t->ygen + (size_t)k * nx;
    /* The plane's y lines through channels, solved together after the
     * background ones: their columns, openness (line g of voxel j at
     * [j * ng + g]), rows and values, taken before the background solve. */
    int *col = (int *)bw, ng = 0;
    for (int i = 0; i < nx; i++)
        if (gen[i]) col[ng++] = i;
    double *cst = bw + lmax, *aux = cst + 6 * (size_t)lmax, *bo = aux + 3 * (size_t)lmax;
    const size_t nb = (size_t)ny * ng;
    double *blo = bo + nb, *bdi = blo + nb, *bup = bdi + nb, *bx = bup + nb, *bz = bx + nb;
    const double lo = f->lo;
    for (int j = 0; j < ny; j++) {
        const double *in = din + (size_t)j * nx;
        double *row = d + (size_t)j * nx;
        const double m = f->im[j];
        for (int g = 0; g < ng; g++) { /* in row order: the plane streams in once */
            bo[(size_t)j * ng + g] = o[(size_t)j * nx + col[g]];
            bx[(size_t)j * ng + g] = in[col[g]];
        }
        if (j == 0) {
#pragma omp simd
            for (int i = 0; i < nx; i++) row[i] = in[i] * m;
        } else {
            const double *prev = row - nx;
#pragma omp simd
            for (int i = 0; i < nx; i++) row[i] = (in[i] - lo * prev[i]) * m;
        }
    }
    for (int j = ny - 2; j >= 0; j--) {
        double *row = d + (size_t)j * nx;
        const double *next = row + nx, c = f->cp[j];
#pragma omp simd
        for (int i = 0; i < nx; i++) row[i] -= c * next[i];
    }
    if (f->periodic) {
        double *g = w;
        const double *last = d + (size_t)(ny - 1) * nx;
#pragma omp simd
        for (int i = 0; i < nx; i++) g[i] = (d[i] + f->bg * last[i]) * f->den;
        for (int j = 0; j < ny; j++) {
            double *row = d + (size_t)j * nx;
            const double z = f->z[j];
#pragma omp simd
            for (int i = 0; i < nx; i++) row[i] -= g[i] * z;
        }
    }
    if (ng == 0) return;
    int *levs = (int *)w; /* every line is of level k */
    for (int g = 0; g < ng; g++) levs[g] = k;
    nd_tissue_lateral_batch_rows(t, s, ny, ng, levs, bo, dt, blo, bdi, bup, cst);
    nd_tri_batch_solve(ny, ng, blo, bdi, bup, t->o.periodic, bx, bz, aux);
    for (int j = 0; j < ny; j++)
        for (int g = 0; g < ng; g++) d[(size_t)j * nx + col[g]] = bx[(size_t)j * ng + g];
}

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

/* Row (j, k): kinetics correction, update, write or combine.  Returns the
 * row's error maximum; *bad is set on a non-finite value.  tmp holds
 * (NS + 2) nx doubles. */
static double update_row(const nd_tissue *t, int j, int k, double dt, const double *phi,
                         double *const src[NS], double *const dst[NS], double *const acc[NS],
                         double *const yinc[NS], double *tmp, int *bad)
{
    const int nx = t->nx;
    const size_t row = (size_t)k * t->plane + (size_t)j * nx;
    const double *mk = t->mk + (size_t)k * NS * NS;
    double *zero = tmp + (size_t)(NS + 1) * nx, *x = tmp + (size_t)NS * nx;
    const double *inc[NS], *xs[NS];
    double cs[NS];
    /* The increment d3 of every stepped species: the corrected diffusion
     * increment, or dt M u for a species that does not move. */
    for (int s = 0; s < NS; s++) {
        inc[s] = NULL;
        if (!nd_tissue_stepped(t, s)) continue;
        if (t->diffuses[s]) {
            inc[s] = yinc[s] + (size_t)j * nx;
            continue;
        }
        int nt = 0;
        for (int f = 0; f < NS; f++)
            if (mk[s * NS + f] != 0.0) {
                cs[nt] = dt * mk[s * NS + f];
                xs[nt++] = src[f] + row;
            }
        if (nt == 0) continue; /* this level has no kinetics for s */
        for (int i = 0; i < nx; i++) zero[i] = 0.0;
        combine_terms(nx, zero, nt, cs, xs, tmp + (size_t)s * nx);
        inc[s] = tmp + (size_t)s * nx;
    }
    const double rtol = t->o.rtol;
    const int order2 = t->o.order == 2;
    double err = 0.0;
    for (int s = 0; s < NS; s++) {
        if (!nd_tissue_stepped(t, s)) continue;
        /* u + phi1(dt M) d3 for a species that does not move; one that moves
         * (its own rate already in its vertical correction) or has no kinetics
         * adds d3. */
        int nt = 0;
        if (t->reacts[s] && !t->diffuses[s]) {
            for (int f = 0; f < NS; f++)
                if (inc[f] && phi[s * NS + f] != 0.0) {
                    cs[nt] = phi[s * NS + f];
                    xs[nt++] = inc[f];
                }
        } else if (inc[s]) {
            cs[nt] = 1.0;
            xs[nt++] = inc[s];
        }
        const double *u = src[s] + row;
        const int sealed = s == ND_TISSUE_OPENNESS;
        if (acc) {
            combine_terms(nx, u, nt, cs, xs, x);
            double *a = acc[s] + row;
            const double at =
                t->o.atol[s] > 0.0 ? t->o.atol[s] : 1e-4 * (t->scale[s] > 0.0 ? t->scale[s] : 1.0);
            for (int i = 0; i < nx; i++) {
                double nu = x[i], y = a[i], ax = fabs(nu), ay = fabs(y);
                double dd = nu == y ? 0.0 : fabs(nu - y) / (at + rtol * (ax > ay ? ax : ay));
                if (!(dd <= 1e300))
                    *bad = 1;
                else if (dd > err)
                    err = dd;
                double z = order2 ? 2.0 * nu - y : nu;
                a[i] = sealed && z < ND_TISSUE_OPEN_FLOOR ? 0.0 : z;
            }
        } else {
            double *o = dst[s] + row;
            combine_terms(nx, u, nt, cs, xs, o);
            if (sealed)
                for (int i = 0; i < nx; i++) o[i] = o[i] < ND_TISSUE_OPEN_FLOOR ? 0.0 : o[i];
        }
    }
    return err;
}

double nd_tissue_pass_plane(nd_tissue *t, double dt, const double *phi, double *const src[NS],
                            double *const dst[NS], double *const acc[NS])
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    const size_t plane = t->plane;
    const double h2 = t->h * t->h;
    double err = 0.0;
    int bad = 0;
    /* Levels two at a time as threads free up: the upper levels hold the
     * channels and their per-voxel lines (see nd_tissue_pass_slab). */
#pragma omp parallel for num_threads(t->threads) schedule(dynamic, 2) reduction(max                \
                                                                                : err)             \
    reduction(|                                                                                    \
              : bad)
    for (int k = 0; k < nz; k++) {
        double *w = nd_tissue_scratch(t, omp_get_thread_num());
        int lmax = nx > ny ? nx : ny;
        nd_tri_const fy;
        double *fmem = w, *lw = w + 3 * (nx + ny), *stash = lw + 8 * (size_t)lmax;
        const double *o = src[ND_TISSUE_OPENNESS] + (size_t)k * plane;
        /* The y solve reads the increment and writes its result here, not
         * back: the increment array is then only read in this pass, and no
         * dirty copy of it has to go back to memory. */
        int nmove = 0;
        for (int s = 0; s < NS; s++) nmove += t->moves[s];
        double *yinc[NS], *yo = t->yout + (size_t)omp_get_thread_num() * nmove * plane;
        for (int s = 0; s < NS; s++) {
            yinc[s] = NULL;
            if (!t->diffuses[s]) continue;
            const nd_tissue_coef *c = &t->coef[s];
            double r = dt * c->plat[k] / (c->cap[k] * h2);
            double *d = t->dinc[s] + (size_t)k * plane;
            if (ny > 1) {
                yinc[s] = yo;
                yo += plane;
                nd_tri_const_factor(&fy, ny, r, t->o.periodic, fmem);
                solve_y(t, s, k, dt, &fy, d, yinc[s], o, lw,
                        nd_tissue_batch(t, omp_get_thread_num()));
            } else {
                yinc[s] = d;
            }
        }
        const double *pk = phi + (size_t)k * NS * NS;
        for (int j = 0; j < ny; j++) {
            double e = update_row(t, j, k, dt, pk, src, dst, acc, yinc, stash, &bad);
            if (e > err) err = e;
        }
    }
    return bad ? INFINITY : err;
}
