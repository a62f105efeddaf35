/* First pass of a step, one x-z slab (fixed y) at a time: the explicit
 * increment d = dt F(u) of every diffusing species, then its corrections
 * along x, (I - dt A_x) d <- d, and along z, (I - dt A_z) d <- d.
 *
 * F(u) = A_x u + A_y u + A_z u + (surface source) + (M u), the whole right-hand
 * side at the start of the step.  Rows of a slab are nx contiguous voxels;
 * the x part comes from the row itself, the y part from the rows of the
 * neighbouring slabs (in cache: each thread walks its slabs in order), the z
 * part from the rows above and below.  Away from channels every coefficient
 * is a per-level constant; voxels on a line through a channel are corrected
 * with their own coefficients.  Each row is solved along x while it is in
 * L1, four rows (four depth levels) at once: four independent recurrences
 * hide each other's latency.  The vertical solve then runs across x, row
 * after row (forward, then back), in place: the slab (nx nz doubles, 80 kB at
 * 100 x 100) stays in L2, so the increment array is written to memory once. */
#include <omp.h>

#include "tissue/tissue_internal.h"

/* Explicit x, y, z and kinetics terms of row (j, k) of species s. */
ND_TISSUE_SIMD static void explicit_row(const nd_tissue *t, int s, int j, int k, double dt,
                                        double *const src[NS], const double *mk, double *d,
                                        double *w)
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
    /* Lines through channels: their own conductances in place of those. */
    if (nx > 1 && t->xgen[(size_t)k * ny + j]) {
        double *lo = w, *di = w + nx, *up = w + 2 * nx;
        nd_tissue_lateral_rows(t, s, k, nx, o, 1, dt, lo, di, up);
        const int wrap = per && nx >= 3;
        for (int i = 0; i < nx; i++) { /* take back the background x terms */
            double xm = i > 0 ? u[i - 1] : (wrap ? u[nx - 1] : u[0]);
            double xp = i < nx - 1 ? u[i + 1] : (wrap ? u[0] : u[nx - 1]);
            d[i] -= g * (xm + xp - 2.0 * u[i]);
        }
        nd_tissue_rows_apply(nx, lo, di, up, per, u, 1, d, 1);
    }
    const uint8_t *yg = t->ygen + (size_t)k * nx;
    for (int i = 0; i < nx; i++) {
        if (!yg[i] || ny == 1) continue;
        double oc = o[i], om = o[(ym - u) + i], op = o[(yp - u) + i], v = 0.0;
        if (oc == 0.0 && om == 0.0 && op == 0.0) continue; /* background faces */
        double wc = dt / (cap + oc * (1.0 - cap));
        if (ym != u) v += (wc * nd_tissue_lateral_face(t, s, k, om, oc) - g) * (ym[i] - u[i]);
        if (yp != u) v += (wc * nd_tissue_lateral_face(t, s, k, op, oc) - g) * (yp[i] - u[i]);
        d[i] += v;
    }

    /* kinetics */
    for (int f = 0; f < NS; f++) {
        const double m = dt * mk[s * NS + f];
        if (m == 0.0) continue;
        const double *x = src[f] + row;
#pragma omp simd
        for (int i = 0; i < nx; i++) d[i] += m * x[i];
    }
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

/* (I - dt A_z) x = d on slab j, in place. */
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
#pragma omp parallel for num_threads(t->threads) schedule(static)
    for (int j = 0; j < ny; j++) {
        double *w = nd_tissue_scratch(t, omp_get_thread_num());
        int lmax = nx > nz ? nx : nz;
        double *stash = w + 7 * (size_t)lmax;
        for (int s = 0; s < NS; s++) {
            if (!t->diffuses[s]) continue;
            double *d = t->dinc[s];
            const double *open = src[ND_TISSUE_OPENNESS];
            const size_t row0 = (size_t)j * nx;
            for (int k = 0; k < nz; k++)
                explicit_row(t, s, j, k, dt, src, t->mk + (size_t)k * NS * NS,
                             d + (size_t)k * t->plane + row0, w);
            const uint8_t *gen = t->zgen + row0;
            for (int i = 0; i < nx; i++)
                if (gen[i]) column_fix(t, s, j, i, dt, src, d, w);
            /* The increment is complete: correct along x, four rows at once. */
            for (int k0 = 0; nx > 1 && k0 < nz; k0 += 4) {
                double *rows[4];
                const nd_tri_const *fs[4];
                int m = 0;
                for (int k = k0; k < k0 + 4 && k < nz; k++) {
                    size_t off = (size_t)k * t->plane + row0;
                    if (t->xgen[(size_t)k * ny + j]) {
                        nd_tissue_lateral_solve(t, s, k, nx, d + off, open + off, 1, dt, w);
                    } else {
                        rows[m] = d + off;
                        fs[m++] = t->xf + (size_t)s * nz + k;
                    }
                }
                if (m == 4)
                    xsolve4(fs, rows);
                else
                    for (int q = 0; q < m; q++) xsolve1(fs[q], rows[q]);
                for (int q = 0; q < m; q++) xwrap(fs[q], rows[q]);
            }
            solve_z(t, s, j, dt, src[ND_TISSUE_OPENNESS], d, w, stash);
        }
    }
}
