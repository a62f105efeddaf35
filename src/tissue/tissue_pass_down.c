/* First pass of a step, down through the x-y planes (k = 0, 1, ...): for
 * each diffusing species, plane k's explicit increment d = dt F(u), its
 * corrections along x, (I - dt A_x) d <- d, and along y, (I - dt A_y) d <- d,
 * and the forward half of the vertical correction (I - dt (A_z + m)) d <- d:
 * the Thomas elimination down each column, which needs only plane k - 1,
 * already done.  The up pass (tissue_pass_up.c) climbs back with the back
 * substitution and the update.
 *
 * F(u) = A_x u + A_y u + A_z u + (surface source) + (M u), the whole right-hand
 * side at the start of the step; m is the species' own first-order rate.
 * Every array is read and written as whole planes (80 kB contiguous at
 * 100 x 100), and the planes k - 1, k, k + 1 that the explicit term reads
 * are still in cache from the plane before; the increment array is written
 * once here and read once going up.  (An order by x-z slabs -- explicit
 * term, x and z solves per slab, then y and the update by planes -- was
 * about a sixth slower on one thread, nd_bench_tissue.)
 *
 * Threads split plane k by rows for the explicit term and the x solves
 * (lines along rows), then, after a barrier, by species (or blocks of
 * columns, if threads outnumber species) for the y solves and the
 * elimination, the same way on every plane: a column's elimination reads
 * only its own plane above, which the same thread made.  Blocks of columns
 * for every thread, tried first, did not scale: each core then read half of
 * every row of the other's rows.  No voxel's arithmetic depends on the
 * split: any number of threads gives the same bits.
 *
 * Away from channels every line of a plane shares one factored matrix, so
 * the Thomas recurrences need no division: x lines are solved eight at a
 * time (tissue_xlines.c), y lines all together across x (vectorised).  The
 * x and y lines that cross a channel are solved together with per-voxel
 * coefficients, interleaved across lines, so the divisions of their
 * factorisations vectorise; columns through channels use their own rows and
 * factors, made once per step (columns_prepare). */
#include <math.h>
#include <omp.h>

#include "tissue/tissue_internal.h"

/* What every row of plane k of species s shares in its explicit term:
 * worked out once per plane, not per row. */
typedef struct {
    double g;       /* dt x lateral conductance / (capacity h^2) */
    double cap, wz; /* capacity; dt / capacity */
    double zm, zpc; /* vertical exchange with the planes above and below */
    double km[NS];  /* dt x kinetics coefficients that are nonzero ... */
    int kf[NS], nk; /* ... and the species they multiply */
} plane_terms;

static void plane_terms_init(const nd_tissue *t, int s, int k, double dt, const double *mk,
                             plane_terms *p)
{
    const nd_tissue_coef *c = &t->coef[s];
    p->g = dt * c->plat[k] / (c->cap[k] * t->h * t->h);
    p->cap = c->cap[k];
    p->wz = dt / p->cap;
    p->zm = k > 0 ? p->wz * c->az[k] : 0.0;
    p->zpc = k < t->nz - 1 ? p->wz * c->az[k + 1] : 0.0;
    p->nk = 0;
    for (int f = 0; f < NS; f++) {
        const double m = dt * mk[s * NS + f];
        if (m == 0.0) continue;
        p->km[p->nk] = m;
        p->kf[p->nk++] = f;
    }
}

/* Explicit x, y, z and kinetics terms of row (j, k) of species s, into d.
 * xlo, xdi, xup: the rows of I - dt A_x of a line through a channel (voxel
 * i at [i xs]), or NULL. */
ND_TISSUE_SIMD static void explicit_row(const nd_tissue *t, int s, int j, int k, double dt,
                                        double *const src[NS], const plane_terms *pt, double *d,
                                        const double *xlo, const double *xdi, const double *xup,
                                        int xs)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz, per = t->o.periodic;
    const size_t plane = t->plane, row = (size_t)k * plane + (size_t)j * nx;
    const nd_tissue_coef *c = &t->coef[s];
    const double *u = src[s] + row, *o = src[ND_TISSUE_OPENNESS] + row;
    const double g = pt->g;

    /* x, y and z away from channels, in one sweep of the row: a missing
     * neighbour (a no-flux face) is the voxel itself, which adds nothing. */
    const double *ym = j > 0 ? u - nx : (per && ny >= 3 ? u + (size_t)(ny - 1) * nx : u);
    const double *yp = j < ny - 1 ? u + nx : (per && ny >= 3 ? u - (size_t)(ny - 1) * nx : u);
    const double cap = pt->cap, wz = pt->wz, zm = pt->zm, zpc = pt->zpc;
    const double *um = k > 0 ? u - plane : u, *upp = k < nz - 1 ? u + plane : u;
    /* Kinetics terms, added last (in this order) to every voxel: folded into
     * the sweep when no channel or surface term comes between, which gives
     * the same sums in the same order. */
    const double *kx[NS];
    const double *km = pt->km;
    const int nk = pt->nk;
    for (int q = 0; q < nk; q++) kx[q] = src[pt->kf[q]] + row;
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
    /* A line through a channel: its own conductances (the rows its solve
     * uses) in place of the background x terms, where they differ: at an
     * open voxel or next to one (elsewhere the two rows are the same). */
    if (xlo) {
        const int wrap = per && nx >= 3;
        for (int i = 0; i < nx; i++) {
            const double om = i > 0 ? o[i - 1] : (wrap ? o[nx - 1] : 0.0);
            const double op = i < nx - 1 ? o[i + 1] : (wrap ? o[0] : 0.0);
            if (o[i] == 0.0 && om == 0.0 && op == 0.0) continue;
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

/* Resistance of half h of level k of species s at openness o[c], for the
 * columns c0 .. c1, into r: nd_tissue_half_resistance across columns (the
 * same operations in the same order, so the same bits), the layers' loop
 * outside, so the divisions vectorise.  A layer of zero conductance gives
 * len / 0 = infinity, as the scalar version returns. */
ND_TISSUE_SIMD static void half_resistances(const nd_tissue *t, int s, int k, int half,
                                            const double *o, int c0, int c1, double *r)
{
    const double *len = t->half + (size_t)(2 * k + half) * NL, pch = t->coef[s].pch;
    for (int c = c0; c < c1; c++) r[c] = 0.0;
    for (int l = 0; l < NL; l++) {
        if (len[l] <= 0.0) continue;
        const double p = t->p.partition[s][l] * t->p.diffusivity_m2_s[s][l], dl = len[l];
#pragma omp simd
        for (int c = c0; c < c1; c++) r[c] += dl / (p + o[c] * (pch - p));
    }
}

/* Rows and factors of the columns c0 .. c1 through channels for a step of
 * dt, from the openness open, level by level across the columns: the
 * vertical faces of tissue_lines.c (1 / (h R), R the resistance between the
 * two centres; the background face where neither voxel is open; the
 * surface face above level 0 when the surface is held) and the Thomas
 * factors of nd_tri_solve, the own rate on the diagonal.  w holds 7 ncol
 * doubles. */
ND_TISSUE_SIMD static void columns_rows(nd_tissue *t, int s, double dt, const double *open, int c0,
                                        int c1, double *w)
{
    const int nz = t->nz, ncol = t->ncol;
    const size_t plane = t->plane;
    const nd_tissue_coef *cf = &t->coef[s];
    double *ok = w, *on = w + ncol, *above = w + 2 * (size_t)ncol, *cprev = w + 3 * (size_t)ncol;
    double *ra = w + 4 * (size_t)ncol, *rb = w + 5 * (size_t)ncol, *tmp = w + 6 * (size_t)ncol;
    double *z = t->zrow[s], *src = z + (size_t)nz * ncol * 5;
    const int surf = t->surface_on[s];
    for (int c = c0; c < c1; c++) ok[c] = open[t->zcol[c]];
    half_resistances(t, s, 0, 0, ok, c0, c1, ra); /* surface to centre 0 */
    for (int c = c0; c < c1; c++) {
        const double r0 = ra[c];
        const double atop =
            ok[c] == 0.0 ? cf->az[0] : (isfinite(r0) && r0 > 0.0 ? 1.0 / (t->h * r0) : 0.0);
        above[c] = surf ? atop : 0.0;
        const double w0 = dt / (cf->cap[0] + ok[c] * (1.0 - cf->cap[0]));
        src[c] = surf ? w0 * atop * t->surface_c0[s] : 0.0;
    }
    for (int k = 0; k < nz; k++) {
        double *lo = z + (size_t)k * 5 * ncol, *di = lo + ncol, *up = di + ncol, *cp = up + ncol,
               *im = cp + ncol;
        const double cap = cf->cap[k], self = dt * nd_tissue_self_rate(t, s, k);
        if (k + 1 < nz) {
            for (int c = c0; c < c1; c++) on[c] = open[t->zcol[c] + (size_t)(k + 1) * plane];
            half_resistances(t, s, k, 1, ok, c0, c1, ra);
            half_resistances(t, s, k + 1, 0, on, c0, c1, rb);
            const double bg = cf->az[k + 1];
#pragma omp simd
            for (int c = c0; c < c1; c++) {
                const double r = ra[c] + rb[c];
                const double open_face = isfinite(r) && r > 0.0 ? 1.0 / (t->h * r) : 0.0;
                tmp[c] = ok[c] == 0.0 && on[c] == 0.0 ? bg : open_face;
            }
        } else {
            for (int c = c0; c < c1; c++) tmp[c] = 0.0;
        }
#pragma omp simd
        for (int c = c0; c < c1; c++) {
            const double below = tmp[c], wk = dt / (cap + ok[c] * (1.0 - cap));
            const double l = k > 0 ? -wk * above[c] : 0.0, u = -wk * below;
            const double d = 1.0 + wk * (above[c] + below), dk = d - self;
            const double m = k == 0 ? dk : dk - l * cprev[c];
            lo[c] = l, di[c] = d, up[c] = u;
            im[c] = 1.0 / m;
            cp[c] = cprev[c] = k < nz - 1 ? u * im[c] : 0.0;
            above[c] = below;
        }
        double *sw = ok;
        ok = on, on = sw;
    }
}

/* Rows and factors of the columns through channels for a step of dt (at
 * [(k 5 + f) ncol + c] of zrow: lo, di, up, cp, 1 / pivot), from the
 * openness open.  Threads take contiguous ranges of columns. */
static void columns_prepare(nd_tissue *t, double dt, const double *open)
{
    const int ncol = t->ncol;
    if (ncol == 0) return;
#pragma omp parallel num_threads(t->threads)
    {
        const int id = omp_get_thread_num(), nth = omp_get_num_threads();
        const int c0 = (int)((long)ncol * id / nth), c1 = (int)((long)ncol * (id + 1) / nth);
        double *w = nd_tissue_batch(t, id);
        for (int s = 0; s < NS && c0 < c1; s++)
            if (t->diffuses[s]) columns_rows(t, s, dt, open, c0, c1, w);
    }
}

/* Explicit terms of the columns zcol[c0 .. c1) at level k: each column's
 * own rows in place of the background ones that explicit_row used.  d is
 * the plane. */
static void column_fix(const nd_tissue *t, int s, int k, int c0, int c1, double dt,
                       double *const src[NS], double *d)
{
    const int nx = t->nx, nz = t->nz, ncol = t->ncol;
    const size_t plane = t->plane;
    const nd_tissue_coef *c = &t->coef[s];
    if (c0 >= c1) return; /* no columns (zrow may not exist) */
    const double wz = dt / c->cap[k], *z = t->zrow[s] + (size_t)k * 5 * ncol;
    for (int q = c0; q < c1; q++) {
        const int col = t->zcol[q];
        const double *u = src[s] + (size_t)col + (size_t)k * plane;
        const double uk = u[0], um = k > 0 ? u[-(ptrdiff_t)plane] : 0.0;
        const double up = k < nz - 1 ? u[plane] : 0.0;
        double v = (z[ncol + q] - 1.0) * uk, bg = 0.0;
        if (k > 0) v += z[q] * um;
        if (k < nz - 1) v += z[2 * ncol + q] * up;
        double *o = d + (size_t)(col / nx) * t->dx + col % nx;
        *o -= v;
        if (k == 0) *o += t->zrow[s][(size_t)nz * ncol * 5 + q];
        if (k > 0) bg += c->az[k] * (um - uk);
        if (k < nz - 1) bg += c->az[k + 1] * (up - uk);
        if (k == 0 && t->surface_on[s]) bg += c->az[0] * (t->surface_c0[s] - uk);
        *o -= wz * bg;
    }
}

/* Rows j0 .. j1 of plane k (columns zcol[c0 .. c1) lie in them): the
 * explicit increment, then the x solves (nd_tissue_x_background), into d
 * (the plane).  The rows of the x lines through channels serve both. */
static void rows_part(const nd_tissue *t, int s, int k, int j0, int j1, int c0, int c1, double dt,
                      double *const src[NS], double *d, double *bw)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    const int lmax = (nx > ny ? nx : ny) > nz ? (nx > ny ? nx : ny) : nz;
    const double *open = src[ND_TISSUE_OPENNESS] + (size_t)k * t->plane;
    int *lev = (int *)bw, *jrow = lev + lmax, ng = 0;
    for (int j = j0; nx > 1 && j < j1; j++)
        if (t->xgen[(size_t)k * ny + j]) lev[ng] = k, jrow[ng++] = j;
    double *cst = bw + lmax, *aux = cst + 6 * (size_t)lmax, *bo = aux + 3 * (size_t)lmax;
    const size_t nb = (size_t)nx * ng;
    double *blo = bo + nb, *bdi = blo + nb, *bup = bdi + nb, *bx = bup + nb, *bz = bx + nb;
    if (ng > 0) {
        for (int i = 0; i < nx; i++)
            for (int g = 0; g < ng; g++) bo[(size_t)i * ng + g] = open[(size_t)jrow[g] * nx + i];
        nd_tissue_lateral_batch_rows(t, s, nx, ng, lev, bo, dt, blo, bdi, bup, cst);
    }
    plane_terms pt;
    plane_terms_init(t, s, k, dt, t->mk + (size_t)k * NS * NS, &pt);
    for (int j = j0, g = 0; j < j1; j++) {
        const int gen = g < ng && jrow[g] == j;
        explicit_row(t, s, j, k, dt, src, &pt, d + (size_t)j * t->dx, gen ? blo + g : NULL,
                     gen ? bdi + g : NULL, gen ? bup + g : NULL, ng);
        g += gen;
    }
    column_fix(t, s, k, c0, c1, dt, src, d);
    nd_tissue_x_background(t, s, k, j0, j1, d);
    if (ng == 0) return;
    for (int g = 0; g < ng; g++) {
        const double *r = d + (size_t)jrow[g] * t->dx;
        for (int i = 0; i < nx; i++) bx[(size_t)i * ng + g] = r[i];
    }
    nd_tri_batch_solve(nx, ng, blo, bdi, bup, t->o.periodic, bx, bz, aux);
    for (int g = 0; g < ng; g++) {
        double *r = d + (size_t)jrow[g] * t->dx;
        for (int i = 0; i < nx; i++) r[i] = bx[(size_t)i * ng + g];
    }
}

/* One row of a forward Thomas elimination across columns i0 .. i1:
 * row <- (row - lo prev) m, or row m for the first row (prev NULL). */
static inline void eliminate_row(double *row, const double *prev, int i0, int i1, double lo,
                                 double m)
{
    if (!prev) {
#pragma omp simd
        for (int i = i0; i < i1; i++) row[i] *= m;
        return;
    }
#pragma omp simd
    for (int i = i0; i < i1; i++) row[i] = (row[i] - lo * prev[i]) * m;
}

/* (I - dt A_y) d = d in place on columns i0 .. i1 of plane k. */
ND_TISSUE_SIMD static void solve_y(const nd_tissue *t, int s, int k, double dt, int i0, int i1,
                                   const nd_tri_const *f, double *d, const double *o, double *w,
                                   double *bw)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz, dx = t->dx;
    const int lmax = (nx > ny ? nx : ny) > nz ? (nx > ny ? nx : ny) : nz;
    const uint8_t *gen = t->ygen + (size_t)k * nx;
    /* The y lines through channels, solved together after the background
     * ones: their columns, openness (line g of voxel j at [j * ng + g]),
     * rows, and values (taken before the background solve). */
    int *col = (int *)bw, *line = col + lmax, ng = 0;
    for (int i = i0; i < i1; i++)
        if (gen[i]) line[i - i0] = ng, col[ng++] = i;
    double *cst = bw + lmax, *aux = cst + 6 * (size_t)lmax, *bo = aux + 3 * (size_t)lmax;
    const size_t nb = (size_t)ny * ng;
    double *blo = bo + nb, *bdi = blo + nb, *bup = bdi + nb, *bx = bup + nb, *bz = bx + nb;
    const double lo = f->lo;
    for (int j = 0; j < ny; j++) {
        double *row = d + (size_t)j * dx;
        const double m = f->im[j];
        for (int g = 0; g < ng; g++) { /* in row order: the plane streams in once */
            bo[(size_t)j * ng + g] = 0.0;
            bx[(size_t)j * ng + g] = row[col[g]];
        }
        eliminate_row(row, j > 0 ? row - dx : NULL, i0, i1, lo, m);
    }
    for (int j = ny - 2; j >= 0; j--) {
        double *row = d + (size_t)j * dx;
        const double *next = row + dx, c = f->cp[j];
#pragma omp simd
        for (int i = i0; i < i1; i++) row[i] -= c * next[i];
    }
    if (f->periodic) {
        double *g = w;
        const double *last = d + (size_t)(ny - 1) * dx;
#pragma omp simd
        for (int i = i0; i < i1; i++) g[i] = (d[i] + f->bg * last[i]) * f->den;
        for (int j = 0; j < ny; j++) {
            double *row = d + (size_t)j * dx;
            const double z = f->z[j];
#pragma omp simd
            for (int i = i0; i < i1; i++) row[i] -= g[i] * z;
        }
    }
    if (ng == 0) return;
    /* Openness is zero off the columns through channels: only those are read
     * (gathering it along every line read the whole plane, once a species). */
    for (int q = 0; q < t->ncol; q++) {
        const int c = t->zcol[q], i = c % nx;
        if (i >= i0 && i < i1 && gen[i]) bo[(size_t)(c / nx) * ng + line[i - i0]] = o[c];
    }
    int *levs = (int *)w; /* every line is of level k */
    for (int g = 0; g < ng; g++) levs[g] = k;
    nd_tissue_lateral_batch_rows(t, s, ny, ng, levs, bo, dt, blo, bdi, bup, cst);
    nd_tri_batch_solve(ny, ng, blo, bdi, bup, t->o.periodic, bx, bz, aux);
    for (int j = 0; j < ny; j++)
        for (int g = 0; g < ng; g++) d[(size_t)j * dx + col[g]] = bx[(size_t)j * ng + g];
}

/* Forward elimination of the vertical correction on columns i0 .. i1 of
 * plane k: d_k <- (d_k - lo_k d_{k-1}) / pivot_k.  Columns through channels
 * with their own factors, worked out before the background sweep overwrites
 * their values. */
ND_TISSUE_SIMD static void eliminate_z(const nd_tissue *t, int s, int k, int i0, int i1, double *d,
                                       double *stash)
{
    const int nx = t->nx, ny = t->ny, ncol = t->ncol, dx = t->dx;
    const size_t plane = t->dplane;
    const double *z = ncol > 0 ? t->zrow[s] + (size_t)k * 5 * ncol : NULL;
    int n = 0;
    for (int q = 0; q < ncol; q++) {
        const int col = t->zcol[q], i = col % nx;
        if (i < i0 || i >= i1) continue;
        const double *v = d + (size_t)(col / nx) * dx + i, lo = z[q], im = z[4 * ncol + q];
        stash[n++] = k == 0 ? v[0] * im : (v[0] - lo * v[-(ptrdiff_t)plane]) * im;
    }
    const double *fz = t->zfac + (size_t)s * 3 * t->nz, lo = fz[k], im = fz[2 * t->nz + k];
    for (int j = 0; j < ny; j++) {
        double *row = d + (size_t)j * dx;
        eliminate_row(row, k > 0 ? row - plane : NULL, i0, i1, lo, im);
    }
    n = 0;
    for (int q = 0; q < ncol; q++) {
        const int col = t->zcol[q], i = col % nx;
        if (i >= i0 && i < i1) d[(size_t)(col / nx) * dx + i] = stash[n++];
    }
}

void nd_tissue_pass_down(nd_tissue *t, double dt, double *const src[NS])
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    int ndiff = 0, diff[NS];
    for (int s = 0; s < NS; s++)
        if (t->diffuses[s]) {
            double *f = t->zfac + (size_t)s * 3 * nz;
            nd_tissue_column_factors(t, s, dt, f, f + nz, f + 2 * nz);
            diff[ndiff++] = s;
        }
    nd_tissue_lateral_factors(t, dt);
    columns_prepare(t, dt, src[ND_TISSUE_OPENNESS]);
#pragma omp parallel num_threads(t->threads)
    {
        const int id = omp_get_thread_num(), nth = omp_get_num_threads();
        /* Rows of this thread for the explicit term and the x solves, and
         * the columns through channels that lie in them. */
        const int j0 = (int)((long)ny * id / nth), j1 = (int)((long)ny * (id + 1) / nth);
        int c0 = 0, c1 = 0;
        while (c0 < t->ncol && t->zcol[c0] < j0 * nx) c0++;
        for (c1 = c0; c1 < t->ncol && t->zcol[c1] < j1 * nx; c1++) continue;
        /* Work items of the y solves and the elimination: each diffusing
         * species' plane in nblk blocks of columns (whole planes unless
         * there are more threads than species), item q to thread q mod nth;
         * the same items on every plane. */
        const int nblk = ndiff > 0 && nth > ndiff ? (nth + ndiff - 1) / ndiff : 1;
        const int n8 = (nx + 7) / 8;
        double *w = nd_tissue_scratch(t, id), *bw = nd_tissue_batch(t, id);
        double *stash = w + (nx > ny ? nx : ny);
        for (int k = 0; k < nz; k++) {
            for (int q = 0; q < ndiff; q++)
                rows_part(t, diff[q], k, j0, j1, c0, c1, dt, src,
                          t->dinc[diff[q]] + (size_t)k * t->dplane, bw);
#pragma omp barrier
            const double *o = src[ND_TISSUE_OPENNESS] + (size_t)k * t->plane;
            for (int q = id; q < ndiff * nblk; q += nth) {
                const int s = diff[q / nblk], b = q % nblk;
                int i0 = 8 * (int)((long)n8 * b / nblk), i1 = 8 * (int)((long)n8 * (b + 1) / nblk);
                i0 = i0 < nx ? i0 : nx, i1 = i1 < nx ? i1 : nx;
                if (i0 >= i1) continue;
                double *d = t->dinc[s] + (size_t)k * t->dplane;
                if (ny > 1) solve_y(t, s, k, dt, i0, i1, t->yf + (size_t)s * nz + k, d, o, w, bw);
                eliminate_z(t, s, k, i0, i1, d, stash);
            }
        }
    }
}
