/* The columns through channels: their own rows of I - dt (A_z + m) and
 * Thomas factors, level by level.
 *
 * A column that crosses a channel conducts through it (tissue_lines.c), so
 * its vertical solve has its own matrix: the faces 1 / (h R), R the
 * resistance between two centres from the true layer boundaries and each
 * voxel's openness; the background face where neither voxel is open; the
 * surface face above level 0 while the surface is held.  Its rows and
 * factors are worked out across all such columns at once, so the
 * divisions vectorise, and level by level in the step's direction of
 * elimination, so that a sweep (tissue_sweep.c) sets up a level as soon as
 * the openness around it is final -- the previous step's update reaches it
 * only then.  The rows serve the explicit term and the factors the
 * elimination and back substitution (tissue_pass_down.c,
 * tissue_pass_up.c), at [(k 5 + f) ncol + c] of zrow. */
#include <math.h>

#include "tissue/tissue_internal.h"

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

/* Faces between level k and k + 1 of the columns c0 .. c1, whose openness
 * there is oa and ob, into f: 1 / (h R), R the resistance between the two
 * centres (tissue_lines.c); the background face where neither voxel is
 * open.  ra and rb: room for the two halves' resistances. */
ND_TISSUE_SIMD static void faces_between(const nd_tissue *t, int s, int k, const double *oa,
                                         const double *ob, int c0, int c1, double *ra, double *rb,
                                         double *f)
{
    half_resistances(t, s, k, 1, oa, c0, c1, ra);
    half_resistances(t, s, k + 1, 0, ob, c0, c1, rb);
    const double bg = t->coef[s].az[k + 1];
#pragma omp simd
    for (int c = c0; c < c1; c++) {
        const double r = ra[c] + rb[c];
        const double open_face = isfinite(r) && r > 0.0 ? 1.0 / (t->h * r) : 0.0;
        f[c] = oa[c] == 0.0 && ob[c] == 0.0 ? bg : open_face;
    }
}

/* The faces above level 0 of the columns c0 .. c1 (openness o there) into
 * f, and their surface sources into src: those of the surface when it is
 * held, zero when it is not. */
static void surface_faces(const nd_tissue *t, int s, double dt, const double *o, int c0, int c1,
                          double *ra, double *f, double *src)
{
    const nd_tissue_coef *cf = &t->coef[s];
    const int surf = t->surface_on[s];
    half_resistances(t, s, 0, 0, o, c0, c1, ra); /* surface to centre 0 */
    for (int c = c0; c < c1; c++) {
        const double r0 = ra[c];
        const double atop =
            o[c] == 0.0 ? cf->az[0] : (isfinite(r0) && r0 > 0.0 ? 1.0 / (t->h * r0) : 0.0);
        f[c] = surf ? atop : 0.0;
        const double w0 = dt / (cf->cap[0] + o[c] * (1.0 - cf->cap[0]));
        src[c] = surf ? w0 * atop * t->surface_c0[s] : 0.0;
    }
}

/* Rows and Thomas factors at level k of the columns c0 .. c1 through
 * channels for a step of dt eliminated in direction dir, from the openness
 * open: the faces above and below (the one shared with the level before,
 * in the order of elimination, carried from it), the rows lo, di, up and
 * the factors of nd_tri_solve, the own rate on the diagonal, across the
 * columns so the divisions vectorise.  Level by level, so that a sweep can
 * set up a level as soon as the openness around it is final.  w holds
 * 6 ncol doubles. */
ND_TISSUE_SIMD static void columns_level(nd_tissue *t, int s, double dt, int dir, int k,
                                         const double *open, int c0, int c1, double *w)
{
    const int nz = t->nz, ncol = t->ncol;
    const size_t plane = t->plane, nc = (size_t)ncol;
    const nd_tissue_coef *cf = &t->coef[s];
    double *ok = w, *on = w + nc, *ra = w + 2 * nc, *rb = w + 3 * nc, *fa = w + 4 * nc,
           *fb = w + 5 * nc;
    double *z = t->zrow[s], *lo = z + (size_t)k * 5 * nc, *di = lo + nc, *up = di + nc,
           *cp = up + nc, *im = cp + nc, *src = z + (size_t)nz * 5 * nc, *carry = src + nc;
    const int first = dir > 0 ? k == 0 : k == nz - 1, last = dir > 0 ? k == nz - 1 : k == 0;
    for (int c = c0; c < c1; c++) ok[c] = open[t->zcol[c] + (size_t)k * plane];
    if (dir > 0) {
        if (k == 0)
            surface_faces(t, s, dt, ok, c0, c1, ra, fa, src);
        else
            for (int c = c0; c < c1; c++) fa[c] = carry[c];
        if (k + 1 < nz) {
            for (int c = c0; c < c1; c++) on[c] = open[t->zcol[c] + (size_t)(k + 1) * plane];
            faces_between(t, s, k, ok, on, c0, c1, ra, rb, fb);
        } else {
            for (int c = c0; c < c1; c++) fb[c] = 0.0;
        }
        for (int c = c0; c < c1; c++) carry[c] = fb[c];
    } else {
        for (int c = c0; c < c1; c++) fb[c] = k + 1 < nz ? carry[c] : 0.0;
        if (k > 0) {
            for (int c = c0; c < c1; c++) on[c] = open[t->zcol[c] + (size_t)(k - 1) * plane];
            faces_between(t, s, k - 1, on, ok, c0, c1, ra, rb, fa);
        } else {
            surface_faces(t, s, dt, ok, c0, c1, ra, fa, src);
        }
        for (int c = c0; c < c1; c++) carry[c] = fa[c];
    }
    /* The level before's cp (any finite values on the first level: unused). */
    const double *cprev = first ? fb : z + ((size_t)(k - dir) * 5 + 3) * nc;
    const double cap = cf->cap[k], self = dt * nd_tissue_self_rate(t, s, k);
#pragma omp simd
    for (int c = c0; c < c1; c++) {
        const double wk = dt / (cap + ok[c] * (1.0 - cap));
        const double l = k > 0 ? -wk * fa[c] : 0.0, u = -wk * fb[c];
        const double d = 1.0 + wk * (fa[c] + fb[c]), dk = d - self;
        const double before = dir > 0 ? l : u, after = dir > 0 ? u : l;
        const double m = first ? dk : dk - before * cprev[c];
        lo[c] = l, di[c] = d, up[c] = u;
        im[c] = 1.0 / m;
        cp[c] = last ? 0.0 : after * im[c];
    }
}

void nd_tissue_down_columns(nd_tissue *t, const nd_tissue_substep *st, int k,
                            const nd_tissue_part *p)
{
    for (int q = 0; q < p->ndiff && p->c0 < p->c1; q++)
        columns_level(t, p->diff[q], st->dt, st->dir, k, st->src[ND_TISSUE_OPENNESS], p->c0, p->c1,
                      p->bw);
}
