/* The down part of a step, plane by plane in its direction of elimination
 * (tissue_sweep.c runs it, trailing the previous step's up part): for each
 * diffusing species, plane k's explicit increment d = dt F(u), its
 * corrections along x, (I - dt A_x) d <- d, and along y, (I - dt A_y) d <- d,
 * and the forward half of the vertical correction (I - dt (A_z + m)) d <- d:
 * the Thomas elimination along each column, which needs only the plane
 * before, already done.  The up part (tissue_pass_up.c) comes back with the
 * back substitution and the update.
 *
 * F(u) = A_x u + A_y u + A_z u + (surface source) + (M u), the whole right-hand
 * side at the start of the step; m is the species' own first-order rate.
 * Every array is read and written as whole planes (80 kB contiguous at
 * 100 x 100), and the planes on either side that the explicit term reads
 * are still in cache.  (An order by x-z slabs -- explicit term, x and z
 * solves per slab, then y and the update by planes -- was about a sixth
 * slower on one thread, nd_bench_tissue.)
 *
 * Threads share plane k by rows for the explicit term and the x solves
 * (lines along rows) and by species (or blocks of columns) for the y
 * solves and the elimination, the same way on every plane, so a column's
 * elimination reads only its own plane before, which the same thread made
 * (tissue_sweep.c).  Blocks of columns for every thread, tried first, did
 * not scale: each core then read half of every row of the other's rows.
 * No voxel's arithmetic depends on the split: any number of threads gives
 * the same bits.
 *
 * Away from channels every line of a plane shares one factored matrix, so
 * the Thomas recurrences need no division: x lines are solved eight at a
 * time (tissue_xlines.c), y lines all together across x (vectorised).  The
 * x and y lines that cross a channel are solved together with per-voxel
 * coefficients, interleaved across lines, so the divisions of their
 * factorisations vectorise; columns through channels get their own rows
 * and factors level by level, as the sweep reaches them
 * (tissue_columns.c). */
#include <math.h>

#include "tissue/tissue_internal.h"

/* What every row of plane k of species s shares in its explicit term:
 * worked out once per plane, not per row. */
typedef struct {
    double g;        /* dt x lateral conductance / (capacity h^2) */
    double cap, wz;  /* capacity; dt / capacity */
    double zm, zpc;  /* vertical exchange with the planes above and below */
    double km[NS];   /* dt x kinetics coefficients that are nonzero ... */
    int kf[NS], nk;  /* ... and the species they multiply */
    const int *ycol; /* the y lines through channels (ygen), in increasing x */
    int nyc;
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
    const uint8_t *xg = t->xgen + (size_t)k * ny;
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
    for (int q = 0; near && q < pt->nyc; q++) {
        const int i = pt->ycol[q];
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

/* Row j of plane ahead (rows dx apart) into the cache, for a later read. */
static inline void fetch_row(const nd_tissue *t, const double *ahead, int j)
{
#if defined(__GNUC__)
    const char *r = (const char *)(ahead + (size_t)j * t->dx);
    for (int c = 0; c < t->nx * (int)sizeof *ahead; c += 64) __builtin_prefetch(r + c, 0, 2);
#else
    (void)t, (void)ahead, (void)j;
#endif
}

/* Rows j0 .. j1 of plane k (columns zcol[c0 .. c1) lie in them): the
 * explicit increment, then the x solves (nd_tissue_x_background), into d
 * (the plane).  The rows of the x lines through channels serve both.  Row
 * by row, the same row of the plane ahead (if any) is fetched. */
static void rows_part(const nd_tissue *t, int s, int k, int j0, int j1, int c0, int c1, double dt,
                      double *const src[NS], double *d, double *bw, const double *ahead)
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
    int *ycol = (int *)(bz + nb);
    const uint8_t *yg = t->ygen + (size_t)k * nx;
    pt.nyc = 0, pt.ycol = ycol;
    for (int i = 0; i < nx; i++)
        if (yg[i]) ycol[pt.nyc++] = i;
    /* The x solves follow the explicit term eight background rows at a
     * time (the groups nd_tissue_x_background takes), while the rows are
     * in the first-level cache. */
    for (int j = j0, g = 0, jb = j0, cb = c0, nbg = 0; j < j1; j++) {
        const int gen = g < ng && jrow[g] == j;
        if (ahead) fetch_row(t, ahead, j);
        explicit_row(t, s, j, k, dt, src, &pt, d + (size_t)j * t->dx, gen ? blo + g : NULL,
                     gen ? bdi + g : NULL, gen ? bup + g : NULL, ng);
        g += gen, nbg += !gen;
        if (nbg < 8 && j < j1 - 1) continue;
        int ce = cb;
        while (ce < c1 && t->zcol[ce] < (j + 1) * nx) ce++;
        column_fix(t, s, k, cb, ce, dt, src, d);
        nd_tissue_x_background(t, s, k, jb, j + 1, d);
        jb = j + 1, cb = ce, nbg = 0;
    }
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

/* The vertical elimination of plane k of species s in direction dir: the
 * background factors and the columns through channels' own (their rows at
 * [(k 5 + f) ncol + c] of zrow), and where the plane before lies. */
typedef struct {
    int first;               /* no plane before: k is the first level in this direction */
    ptrdiff_t prev;          /* offset of the plane before in the increment */
    double pc, im;           /* background: coupling to it, 1 / pivot */
    const double *zpc, *zim; /* columns through channels: the same, per column */
} zstep;

static void zstep_init(const nd_tissue *t, int s, int k, int dir, zstep *z)
{
    const int nz = t->nz, ncol = t->ncol;
    const double *fz = nd_tissue_zfac(t, s, dir), *row = NULL;
    z->first = dir > 0 ? k == 0 : k == nz - 1;
    z->prev = -(ptrdiff_t)dir * (ptrdiff_t)t->dplane;
    z->pc = fz[k], z->im = fz[2 * nz + k];
    if (ncol > 0) row = t->zrow[s] + (size_t)k * 5 * ncol;
    z->zpc = row ? row + (dir > 0 ? 0 : 2 * (size_t)ncol) : NULL; /* lo or up */
    z->zim = row ? row + 4 * (size_t)ncol : NULL;
}

/* (I - dt A_y) d = d in place on columns i0 .. i1 of plane k, then the
 * forward elimination of the vertical correction, d_k <- (d_k - pc_k
 * d_prev) / pivot_k (prev the level before in the direction of
 * elimination), in the same pass as the back substitution (or, on periodic
 * lines, as the correction that follows it): each row's y values go
 * straight into it, so the plane is read and written once for both (the
 * elimination apart took a twentieth of a step).  Columns through
 * channels are eliminated with their own factors, from their y values
 * (kept in ys, at most ncol).  A line of one voxel (ny = 1) is the
 * identity: its factors are exactly 1 and 0. */
ND_TISSUE_SIMD static void solve_y(const nd_tissue *t, int s, int k, double dt, int i0, int i1,
                                   const nd_tri_const *f, double *d, const double *o, double *w,
                                   double *bw, const zstep *ze, double *ys)
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
    if (!f->periodic) {
        /* Back substitution and elimination row by row, up the plane: yn
         * holds the y values of the row below; ys those of the columns
         * through channels, for their own elimination below. */
        double *yn = w;
        const double pc = ze->pc, im = ze->im;
        for (int i = i0; i < i1; i++) yn[i] = 0.0; /* the last row: row - 0 c, exact */
        for (int j = ny - 1, q = t->ncol - 1; j >= 0; j--) {
            double *row = d + (size_t)j * dx;
            const double *pr = ze->first ? row : row + ze->prev, c = j < ny - 1 ? f->cp[j] : 0.0;
            if (ze->first) {
#pragma omp simd
                for (int i = i0; i < i1; i++) {
                    const double y = row[i] - c * yn[i];
                    yn[i] = y;
                    row[i] = y * im;
                }
            } else {
#pragma omp simd
                for (int i = i0; i < i1; i++) {
                    const double y = row[i] - c * yn[i];
                    yn[i] = y;
                    row[i] = (y - pc * pr[i]) * im;
                }
            }
            for (; q >= 0 && t->zcol[q] >= j * nx; q--) {
                const int i = t->zcol[q] % nx;
                if (i >= i0 && i < i1) ys[q] = yn[i];
            }
        }
    }
    if (f->periodic) {
        for (int j = ny - 2; j >= 0; j--) {
            double *row = d + (size_t)j * dx;
            const double *next = row + dx, c = f->cp[j];
#pragma omp simd
            for (int i = i0; i < i1; i++) row[i] -= c * next[i];
        }
        double *g = w;
        const double *last = d + (size_t)(ny - 1) * dx;
#pragma omp simd
        for (int i = i0; i < i1; i++) g[i] = (d[i] + f->bg * last[i]) * f->den;
        for (int j = 0, q = 0; j < ny; j++) { /* with the elimination */
            double *row = d + (size_t)j * dx;
            const double *pr = ze->first ? row : row + ze->prev, z = f->z[j], pc = ze->pc,
                         im = ze->im;
            for (; q < t->ncol && t->zcol[q] < (j + 1) * nx; q++) {
                const int i = t->zcol[q] % nx;
                if (i >= i0 && i < i1) ys[q] = row[i] - g[i] * z;
            }
            if (ze->first) {
#pragma omp simd
                for (int i = i0; i < i1; i++) row[i] = (row[i] - g[i] * z) * im;
            } else {
#pragma omp simd
                for (int i = i0; i < i1; i++) row[i] = (row[i] - g[i] * z - pc * pr[i]) * im;
            }
        }
    }
    if (ng > 0) {
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
            for (int g = 0; g < ng; g++) {
                double *v = d + (size_t)j * dx + col[g];
                const double y = bx[(size_t)j * ng + g];
                *v = ze->first ? y * ze->im : (y - ze->pc * v[ze->prev]) * ze->im;
            }
    }
    /* The columns through channels, with their own factors, from their y
     * values (the background elimination above overwrote them). */
    for (int q = 0; q < t->ncol; q++) {
        const int c = t->zcol[q], i = c % nx;
        if (i < i0 || i >= i1) continue;
        double *v = d + (size_t)(c / nx) * dx + i;
        const double y = gen[i] ? bx[(size_t)(c / nx) * ng + line[i - i0]] : ys[q];
        *v = ze->first ? y * ze->zim[q] : (y - ze->zpc[q] * v[ze->prev]) * ze->zim[q];
    }
}

void nd_tissue_down_setup(nd_tissue *t, const nd_tissue_substep *st)
{
    for (int s = 0; s < NS; s++)
        if (t->diffuses[s]) {
            double *f = nd_tissue_zfac(t, s, st->dir);
            nd_tissue_column_factors(t, s, st->dt, st->dir, f, f + t->nz, f + 2 * t->nz);
        }
    nd_tissue_lateral_factors(t, st->dt);
}

void nd_tissue_down_rows(nd_tissue *t, const nd_tissue_substep *st, int k, const nd_tissue_part *p)
{
    for (int q = 0; q < p->ndiff; q++) {
        const int s = p->diff[q];
        rows_part(t, s, k, p->j0, p->j1, p->c0, p->c1, st->dt, st->src,
                  t->dinc[s] + (size_t)k * t->dplane, p->bw, p->ahead[s]);
    }
}

void nd_tissue_down_lines(nd_tissue *t, const nd_tissue_substep *st, int k, const nd_tissue_part *p)
{
    const int nx = t->nx, n8 = (nx + 7) / 8, nblk = p->nblk;
    const double *o = st->src[ND_TISSUE_OPENNESS] + (size_t)k * t->plane;
    double *stash = p->w + (nx > t->ny ? nx : t->ny);
    for (int q = p->id; q < p->ndiff * nblk; q += p->nth) {
        const int s = p->diff[q / nblk], b = q % nblk;
        int i0 = 8 * (int)((long)n8 * b / nblk), i1 = 8 * (int)((long)n8 * (b + 1) / nblk);
        i0 = i0 < nx ? i0 : nx, i1 = i1 < nx ? i1 : nx;
        if (i0 >= i1) continue;
        double *d = t->dinc[s] + (size_t)k * t->dplane;
        const nd_tri_const *f = t->yf + (size_t)s * t->nz + k;
        zstep ze;
        zstep_init(t, s, k, st->dir, &ze);
        solve_y(t, s, k, st->dt, i0, i1, f, d, o, p->w, p->bw, &ze, stash);
    }
}
