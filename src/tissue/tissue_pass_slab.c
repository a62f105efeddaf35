/* First pass of a step, one x-z slab (fixed y) at a time: the explicit
 * increment d = dt F(u) of every diffusing species, then its corrections
 * along x, (I - dt A_x) d <- d, and along z, (I - dt A_z) d <- d.
 *
 * F(u) = A_x u + A_y u + A_z u + (surface source) + (M u), the whole right-hand
 * side at the start of the step.  Rows of a slab are nx contiguous voxels;
 * the x part comes from the row itself, the y part from the rows of the
 * neighbouring slabs (in cache: each thread takes its slabs in pairs, in order), the z
 * part from the rows above and below.  Away from channels every coefficient
 * is a per-level constant; voxels on a line through a channel are corrected
 * with their own coefficients.  Background rows are solved along x eight
 * at a time (eight independent recurrences hide each other's latency).  The
 * x lines of the slab that cross a channel -- a fifth of them next to a
 * puncture -- are solved together, interleaved across lines, so the divisions
 * of their per-voxel factorisations vectorise and overlap instead of waiting
 * on each other along one line; their rows are computed once for the
 * explicit term and the solve.  The vertical solve then runs across x, row
 * after row (forward, then back), in place: the slab (nx nz doubles, 80 kB at
 * 100 x 100) stays in L2, so the increment array is written to memory once. */
#include <omp.h>

#include "tissue/tissue_internal.h"

/* Explicit x, y, z and kinetics terms of row (j, k) of species s. */
ND_TISSUE_SIMD static void explicit_row(const nd_tissue *t, int s, int j, int k, double dt,
                                        double *const src[NS], const double *mk, double *d,
                                        const double *xlo, const double *xdi, const double *xup,
                                        int xs)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz, per = t->o.periodic;
    const size_t plane = t->plane, row = (size_t)k * plane + (size_t)j * nx;
    const nd_tissue_coef *c = &t->coef[s];
    const double *u = src[s] + row, *o = src[ND_TISSUE_OPENNESS] + row;
    const double g = dt * c->plat[k] / (c->cap[k] * t->h * t->h);

    /* x, y and z away from channels, in one sweep of the row: a missing
     * neighbour (a no-flux face) is the voxel itself, which adds nothing. */
    const double *ym = j > 0 ? u - nx : (per && ny >= 3 ? u + (size_t)(ny - 1) * nx : u);
    const double *yp = j < ny - 1 ? u + nx : (per && ny >= 3 ? u - (size_t)(ny - 1) * nx : u);
    const double cap = c->cap[k], wz = dt / cap;
    const double zm = k > 0 ? wz * c->az[k] : 0.0, zpc = k < nz - 1 ? wz * c->az[k + 1] : 0.0;
    const double *um = k > 0 ? u - plane : u, *upp = k < nz - 1 ? u + plane : u;
    /* Kinetics terms, added last (in this order) to every voxel: folded into
     * the sweep when no channel or surface term comes between, which gives
     * the same sums in the same order. */
    const double *kx[NS];
    double km[NS];
    int nk = 0;
    for (int f = 0; f < NS; f++) {
        const double m = dt * mk[s * NS + f];
        if (m == 0.0) continue;
        km[nk] = m;
        kx[nk++] = src[f] + row;
    }
    const uint8_t *yg = t->ygen + (size_t)k * nx, *xg = t->xgen + (size_t)k * ny;
    const int near = ny > 1 && (xg[j] || xg[j + (ym - u) / nx] || xg[j + (yp - u) / nx]);
    const int fold = nx > 1 && nk <= 2 && !(k == 0 && t->surface_on[s]) && !xlo && !near;
    if (fold) {
        const double *x0 = nk > 0 ? kx[0] : u, *x1 = nk > 1 ? kx[1] : u;
        const double m0 = nk > 0 ? km[0] : 0.0, m1 = nk > 1 ? km[1] : 0.0;
        if (nk == 2) {
#pragma omp simd
            for (int i = 1; i < nx - 1; i++)
                d[i] = g * (u[i - 1] + u[i + 1] + ym[i] + yp[i] - 4.0 * u[i]) +
                       zm * (um[i] - u[i]) + zpc * (upp[i] - u[i]) + m0 * x0[i] + m1 * x1[i];
        } else if (nk == 1) {
#pragma omp simd
            for (int i = 1; i < nx - 1; i++)
                d[i] = g * (u[i - 1] + u[i + 1] + ym[i] + yp[i] - 4.0 * u[i]) +
                       zm * (um[i] - u[i]) + zpc * (upp[i] - u[i]) + m0 * x0[i];
        } else {
#pragma omp simd
            for (int i = 1; i < nx - 1; i++)
                d[i] = g * (u[i - 1] + u[i + 1] + ym[i] + yp[i] - 4.0 * u[i]) +
                       zm * (um[i] - u[i]) + zpc * (upp[i] - u[i]);
        }
        const int wrap = per && nx >= 3;
        for (int i = 0; i < nx; i += nx - 1) {
            double xm = i > 0 ? u[i - 1] : (wrap ? u[nx - 1] : u[0]);
            double xp = i < nx - 1 ? u[i + 1] : (wrap ? u[0] : u[nx - 1]);
            double v = g * (xm + xp + ym[i] + yp[i] - 4.0 * u[i]) + zm * (um[i] - u[i]) +
                       zpc * (upp[i] - u[i]);
            if (nk > 0) v += m0 * x0[i];
            if (nk > 1) v += m1 * x1[i];
            d[i] = v;
        }
        return;
    }
    if (nx > 1) {
#pragma omp simd
        for (int i = 1; i < nx - 1; i++)
            d[i] = g * (u[i - 1] + u[i + 1] + ym[i] + yp[i] - 4.0 * u[i]) + zm * (um[i] - u[i]) +
                   zpc * (upp[i] - u[i]);
        const int wrap = per && nx >= 3;
        for (int i = 0; i < nx; i += nx - 1) {
            double xm = i > 0 ? u[i - 1] : (wrap ? u[nx - 1] : u[0]);
            double xp = i < nx - 1 ? u[i + 1] : (wrap ? u[0] : u[nx - 1]);
            d[i] = g * (xm + xp + ym[i] + yp[i] - 4.0 * u[i]) + zm * (um[i] - u[i]) +
                   zpc * (upp[i] - u[i]);
        }
    } else {
        d[0] = g * (ym[0] + yp[0] - 2.0 * u[0]) + zm * (um[0] - u[0]) + zpc * (upp[0] - u[0]);
    }
    if (k == 0 && t->surface_on[s]) {
        const double a0 = wz * c->az[0], c0 = t->surface_c0[s];
#pragma omp simd
        for (int i = 0; i < nx; i++) d[i] += a0 * (c0 - u[i]);
    }
    /* A line through a channel: its own conductances (rows computed for its
     * solve, line xs of the slab's batch) in place of the background x terms. */
    if (xlo) {
        const int wrap = per && nx >= 3;
        for (int i = 0; i < nx; i++) {
            const size_t r = (size_t)i * xs;
            double xm = i > 0 ? u[i - 1] : (wrap ? u[nx - 1] : u[0]);
            double xp = i < nx - 1 ? u[i + 1] : (wrap ? u[0] : u[nx - 1]);
            d[i] -= g * (xm + xp - 2.0 * u[i]);
            double v = (xdi[r] - 1.0) * u[i];
            if (i > 0)
                v += xlo[r] * u[i - 1];
            else if (wrap)
                v += xlo[r] * u[nx - 1];
            if (i < nx - 1)
                v += xup[r] * u[i + 1];
            else if (wrap)
                v += xup[r] * u[0];
            d[i] -= v;
        }
    }
    /* y faces through channels: only rows next to a row that crosses one
     * (openness is zero off the channels, as the line solves assume). */
    for (int i = 0; near && i < nx; i++) {
        if (!yg[i]) continue;
        double oc = o[i], om = o[(ym - u) + i], op = o[(yp - u) + i], v = 0.0;
        if (oc == 0.0 && om == 0.0 && op == 0.0) continue; /* background faces */
        double wc = dt / (cap + oc * (1.0 - cap));
        if (ym != u) v += (wc * nd_tissue_lateral_face(t, s, k, om, oc) - g) * (ym[i] - u[i]);
        if (yp != u) v += (wc * nd_tissue_lateral_face(t, s, k, op, oc) - g) * (yp[i] - u[i]);
        d[i] += v;
    }

    for (int q = 0; q < nk; q++) {
        const double m = km[q], *x = kx[q];
#pragma omp simd
        for (int i = 0; i < nx; i++) d[i] += m * x[i];
    }
}

/* Rows of a slab are nx doubles every nx ny: streams too short for the
 * hardware prefetcher, which waits for a few misses on each before it starts.
 * So the rows a later level will read (the next slab's row of the species,
 * its kinetics sources in this slab) and write (the increment) are asked for
 * ahead, a few levels before they are needed. */
#define PREFETCH_LEVELS 4

static inline void prefetch_row(const double *p, int n, int write)
{
    for (int i = 0; i < n; i += 8) {
        if (write)
            __builtin_prefetch(p + i, 1, 3);
        else
            __builtin_prefetch(p + i, 0, 3);
    }
}

static void prefetch_level(const nd_tissue *t, int s, int j, int k, double *const src[NS])
{
    const int nx = t->nx, ny = t->ny;
    const size_t row = (size_t)k * t->plane + (size_t)j * nx;
    const int jn = j < ny - 1 ? j + 1 : (t->o.periodic && ny >= 3 ? 0 : j);
    const double *mk = t->mk + (size_t)k * NS * NS;
    prefetch_row(src[s] + (size_t)k * t->plane + (size_t)jn * nx, nx, 0);
    prefetch_row(t->dinc[s] + row, nx, 1);
    for (int f = 0; f < NS; f++)
        if (f != s && mk[s * NS + f] != 0.0) prefetch_row(src[f] + row, nx, 0);
}

/* The z part of column i through a channel: its own rows in place of the
 * background ones that explicit_row used. */
static void column_fix(const nd_tissue *t, int s, int j, int i, double dt, double *const src[NS],
                       double *d, double *w)
{
    const int nz = t->nz;
    const size_t plane = t->plane, col = (size_t)j * t->nx + i;
    const nd_tissue_coef *c = &t->coef[s];
    const double *u = src[s] + col, *o = src[ND_TISSUE_OPENNESS] + col;
    double *lo = w, *di = w + nz, *up = w + 2 * nz;
    double source = nd_tissue_column_rows(t, s, dt, o, plane, lo, di, up);
    nd_tissue_rows_apply(nz, lo, di, up, 0, u, plane, d + col, plane);
    d[col] += source;
    for (int k = 0; k < nz; k++) { /* take back the background terms */
        const double wz = dt / c->cap[k], uk = u[(size_t)k * plane];
        double v = 0.0;
        if (k > 0) v += c->az[k] * (u[(size_t)(k - 1) * plane] - uk);
        if (k < nz - 1) v += c->az[k + 1] * (u[(size_t)(k + 1) * plane] - uk);
        if (k == 0 && t->surface_on[s]) v += c->az[0] * (t->surface_c0[s] - uk);
        d[col + (size_t)k * plane] -= wz * v;
    }
}

/* Background x solves of eight rows in place, each with its level's
 * factors: eight independent recurrences keep the floating-point units busy
 * where one waits on its own latency. */
static void xsolve8(const nd_tri_const *const f[8], double *const r[8])
{
    const int n = f[0]->n;
    double *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3], *r4 = r[4], *r5 = r[5], *r6 = r[6],
           *r7 = r[7];
    const double *m0 = f[0]->im, *m1 = f[1]->im, *m2 = f[2]->im, *m3 = f[3]->im, *m4 = f[4]->im,
                 *m5 = f[5]->im, *m6 = f[6]->im, *m7 = f[7]->im;
    const double l0 = f[0]->lo, l1 = f[1]->lo, l2 = f[2]->lo, l3 = f[3]->lo, l4 = f[4]->lo,
                 l5 = f[5]->lo, l6 = f[6]->lo, l7 = f[7]->lo;
    double p0 = r0[0] * m0[0], p1 = r1[0] * m1[0], p2 = r2[0] * m2[0], p3 = r3[0] * m3[0];
    double p4 = r4[0] * m4[0], p5 = r5[0] * m5[0], p6 = r6[0] * m6[0], p7 = r7[0] * m7[0];
    r0[0] = p0, r1[0] = p1, r2[0] = p2, r3[0] = p3, r4[0] = p4, r5[0] = p5, r6[0] = p6, r7[0] = p7;
    for (int i = 1; i < n; i++) {
        p0 = (r0[i] - l0 * p0) * m0[i];
        p1 = (r1[i] - l1 * p1) * m1[i];
        p2 = (r2[i] - l2 * p2) * m2[i];
        p3 = (r3[i] - l3 * p3) * m3[i];
        p4 = (r4[i] - l4 * p4) * m4[i];
        p5 = (r5[i] - l5 * p5) * m5[i];
        p6 = (r6[i] - l6 * p6) * m6[i];
        p7 = (r7[i] - l7 * p7) * m7[i];
        r0[i] = p0, r1[i] = p1, r2[i] = p2, r3[i] = p3;
        r4[i] = p4, r5[i] = p5, r6[i] = p6, r7[i] = p7;
    }
    const double *c0 = f[0]->cp, *c1 = f[1]->cp, *c2 = f[2]->cp, *c3 = f[3]->cp, *c4 = f[4]->cp,
                 *c5 = f[5]->cp, *c6 = f[6]->cp, *c7 = f[7]->cp;
    for (int i = n - 2; i >= 0; i--) {
        p0 = r0[i] - c0[i] * p0;
        p1 = r1[i] - c1[i] * p1;
        p2 = r2[i] - c2[i] * p2;
        p3 = r3[i] - c3[i] * p3;
        p4 = r4[i] - c4[i] * p4;
        p5 = r5[i] - c5[i] * p5;
        p6 = r6[i] - c6[i] * p6;
        p7 = r7[i] - c7[i] * p7;
        r0[i] = p0, r1[i] = p1, r2[i] = p2, r3[i] = p3;
        r4[i] = p4, r5[i] = p5, r6[i] = p6, r7[i] = p7;
    }
}

/* Background x solves of four rows in place, each with its level's factors. */
static void xsolve4(const nd_tri_const *const f[4], double *const r[4])
{
    const int n = f[0]->n;
    double *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3];
    const double *m0 = f[0]->im, *m1 = f[1]->im, *m2 = f[2]->im, *m3 = f[3]->im;
    const double l0 = f[0]->lo, l1 = f[1]->lo, l2 = f[2]->lo, l3 = f[3]->lo;
    double p0 = r0[0] * m0[0], p1 = r1[0] * m1[0], p2 = r2[0] * m2[0], p3 = r3[0] * m3[0];
    r0[0] = p0, r1[0] = p1, r2[0] = p2, r3[0] = p3;
    for (int i = 1; i < n; i++) {
        p0 = (r0[i] - l0 * p0) * m0[i];
        p1 = (r1[i] - l1 * p1) * m1[i];
        p2 = (r2[i] - l2 * p2) * m2[i];
        p3 = (r3[i] - l3 * p3) * m3[i];
        r0[i] = p0, r1[i] = p1, r2[i] = p2, r3[i] = p3;
    }
    const double *c0 = f[0]->cp, *c1 = f[1]->cp, *c2 = f[2]->cp, *c3 = f[3]->cp;
    for (int i = n - 2; i >= 0; i--) {
        p0 = r0[i] - c0[i] * p0;
        p1 = r1[i] - c1[i] * p1;
        p2 = r2[i] - c2[i] * p2;
        p3 = r3[i] - c3[i] * p3;
        r0[i] = p0, r1[i] = p1, r2[i] = p2, r3[i] = p3;
    }
}

static void xsolve1(const nd_tri_const *f, double *r)
{
    const int n = f->n;
    double p = r[0] * f->im[0];
    r[0] = p;
    for (int i = 1; i < n; i++) r[i] = p = (r[i] - f->lo * p) * f->im[i];
    for (int i = n - 2; i >= 0; i--) r[i] = p = r[i] - f->cp[i] * p;
}

/* Sherman-Morrison correction of a periodic row solved with xsolve. */
static void xwrap(const nd_tri_const *f, double *r)
{
    if (!f->periodic) return;
    const double g = (r[0] + f->bg * r[f->n - 1]) * f->den;
    for (int i = 0; i < f->n; i++) r[i] -= g * f->z[i];
}

/* (I - dt (A_z + m)) x = d on slab j, in place: m the species' own rate. */
ND_TISSUE_SIMD static void solve_z(const nd_tissue *t, int s, int j, double dt, const double *open,
                                   double *d, double *w, double *stash)
{
    const int nx = t->nx, nz = t->nz;
    const size_t plane = t->plane;
    const uint8_t *gen = t->zgen + (size_t)j * nx;
    double *base = d + (size_t)j * nx;
    int ng = 0;
    for (int i = 0; i < nx; i++)
        if (gen[i]) {
            for (int k = 0; k < nz; k++) stash[(size_t)ng * nz + k] = base[(size_t)k * plane + i];
            ng++;
        }
    const double *lo = t->zfac + (size_t)s * 3 * nz, *cp = lo + nz, *im = lo + 2 * nz;
    for (int k = 0; k < nz; k++) {
        double *r = base + (size_t)k * plane;
        const double m = im[k];
        if (k == 0) {
#pragma omp simd
            for (int i = 0; i < nx; i++) r[i] *= m;
        } else {
            const double l = lo[k], *prev = r - plane;
#pragma omp simd
            for (int i = 0; i < nx; i++) r[i] = (r[i] - l * prev[i]) * m;
        }
    }
    for (int k = nz - 2; k >= 0; k--) {
        double *r = base + (size_t)k * plane;
        const double cc = cp[k], *next = r + plane;
#pragma omp simd
        for (int i = 0; i < nx; i++) r[i] -= cc * next[i];
    }
    ng = 0;
    for (int i = 0; i < nx; i++)
        if (gen[i]) {
            double *glo = w, *gdi = w + nz, *gup = w + 2 * nz, *work = w + 3 * nz;
            double *x = stash + (size_t)ng++ * nz;
            nd_tissue_column_rows(t, s, dt, open + (size_t)j * nx + i, plane, glo, gdi, gup);
            for (int k = 0; k < nz; k++) gdi[k] -= dt * nd_tissue_self_rate(t, s, k);
            nd_tri_solve(nz, glo, gdi, gup, 0, x, work);
            for (int k = 0; k < nz; k++) base[(size_t)k * plane + i] = x[k];
        }
}

void nd_tissue_pass_slab(nd_tissue *t, double dt, double *const src[NS])
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    for (int s = 0; s < NS; s++)
        if (t->diffuses[s]) {
            double *f = t->zfac + (size_t)s * 3 * nz;
            nd_tissue_column_factors(t, s, dt, f, f + nz, f + 2 * nz);
        }
    nd_tissue_x_factors(t, dt);
    /* Slabs go out two at a time as threads free up: a slab crossing a row
     * of channels costs several background slabs, and equal static blocks
     * left one thread waiting on the other (about a fifth of a step on 2
     * threads in nd_bench_tissue).  Each slab's result does not depend on
     * which thread made it. */
#pragma omp parallel for num_threads(t->threads) schedule(dynamic, 2)
    for (int j = 0; j < ny; j++) {
        double *w = nd_tissue_scratch(t, omp_get_thread_num());
        int lmax = nx > nz ? nx : nz;
        double *stash = w + 7 * (size_t)lmax;
        const double *open = src[ND_TISSUE_OPENNESS];
        const size_t row0 = (size_t)j * nx;
        /* The slab's x lines through channels, solved together: their levels,
         * openness (line g of voxel i at [i * ng + g]), rows and values. */
        double *bw = nd_tissue_batch(t, omp_get_thread_num());
        int *lev = (int *)bw, ng = 0;
        for (int k = 0; nx > 1 && k < nz; k++)
            if (t->xgen[(size_t)k * ny + j]) lev[ng++] = k;
        double *cst = bw + lmax, *aux = cst + 6 * (size_t)lmax, *bo = aux + 3 * (size_t)lmax;
        const size_t nb = (size_t)nx * ng;
        double *blo = bo + nb, *bdi = blo + nb, *bup = bdi + nb, *bx = bup + nb, *bz = bx + nb;
        for (int i = 0; i < nx; i++)
            for (int g = 0; g < ng; g++)
                bo[(size_t)i * ng + g] = open[(size_t)lev[g] * t->plane + row0 + i];
        for (int s = 0; s < NS; s++) {
            if (!t->diffuses[s]) continue;
            double *d = t->dinc[s];
            if (ng > 0) nd_tissue_lateral_batch_rows(t, s, nx, ng, lev, bo, dt, blo, bdi, bup, cst);
            for (int k = 0; k < PREFETCH_LEVELS && k < nz; k++) prefetch_level(t, s, j, k, src);
            for (int k = 0, g = 0; k < nz; k++) {
                const int gen = g < ng && lev[g] == k;
                if (k + PREFETCH_LEVELS < nz) prefetch_level(t, s, j, k + PREFETCH_LEVELS, src);
                explicit_row(t, s, j, k, dt, src, t->mk + (size_t)k * NS * NS,
                             d + (size_t)k * t->plane + row0, gen ? blo + g : NULL,
                             gen ? bdi + g : NULL, gen ? bup + g : NULL, ng);
                g += gen;
            }
            const uint8_t *gen = t->zgen + row0;
            for (int i = 0; i < nx; i++)
                if (gen[i]) column_fix(t, s, j, i, dt, src, d, w);
            /* The increment is complete: correct along x, background rows four
             * at a time, then the lines through channels together. */
            double *rows[8];
            const nd_tri_const *fs[8];
            int m = 0;
            for (int k = 0, g = 0; nx > 1 && k < nz; k++) {
                if (g < ng && lev[g] == k) {
                    g++;
                    continue;
                }
                rows[m] = d + (size_t)k * t->plane + row0;
                fs[m++] = t->xf + (size_t)s * nz + k;
                if (m == 8) {
                    xsolve8(fs, rows);
                    for (int q = 0; q < 8; q++) xwrap(fs[q], rows[q]);
                    m = 0;
                }
            }
            int q = 0;
            if (m >= 4) xsolve4(fs, rows), q = 4;
            for (; q < m; q++) xsolve1(fs[q], rows[q]);
            for (q = 0; q < m; q++) xwrap(fs[q], rows[q]);
            if (ng > 0) {
                for (int g = 0; g < ng; g++) {
                    const double *r = d + (size_t)lev[g] * t->plane + row0;
                    for (int i = 0; i < nx; i++) bx[(size_t)i * ng + g] = r[i];
                }
                nd_tri_batch_solve(nx, ng, blo, bdi, bup, t->o.periodic, bx, bz, aux);
                for (int g = 0; g < ng; g++) {
                    double *r = d + (size_t)lev[g] * t->plane + row0;
                    for (int i = 0; i < nx; i++) r[i] = bx[(size_t)i * ng + g];
                }
            }
            solve_z(t, s, j, dt, src[ND_TISSUE_OPENNESS], d, w, stash);
        }
    }
}
