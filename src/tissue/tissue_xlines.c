/* The x correction of a step, (I - dt A_x) d <- d, on the rows of an x-y
 * plane that cross no channel (tissue_pass_down.c solves those that do).
 *
 * Every such row of a plane shares one factored matrix
 * (nd_tissue_lateral_factors), so the Thomas recurrences need no division;
 * a row is contiguous, so its recurrence runs along memory, and eight rows
 * go together: eight independent chains hide each other's latency. */
#include "tissue/tissue_internal.h"

/* Eight background rows in place, with the plane's factors: eight
 * independent recurrences keep the floating-point units busy where one
 * waits on its own latency. */
static void xsolve8(const nd_tri_const *f, double *const r[8])
{
    const int n = f->n;
    double *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3], *r4 = r[4], *r5 = r[5], *r6 = r[6],
           *r7 = r[7];
    const double *im = f->im, *cp = f->cp, *lm = f->lm;
    double m = im[0];
    double p0 = r0[0] * m, p1 = r1[0] * m, p2 = r2[0] * m, p3 = r3[0] * m;
    double p4 = r4[0] * m, p5 = r5[0] * m, p6 = r6[0] * m, p7 = r7[0] * m;
    r0[0] = p0, r1[0] = p1, r2[0] = p2, r3[0] = p3, r4[0] = p4, r5[0] = p5, r6[0] = p6, r7[0] = p7;
    for (int i = 1; i < n; i++) {
        const double a = lm[i];
        m = im[i];
        p0 = r0[i] * m - a * p0;
        p1 = r1[i] * m - a * p1;
        p2 = r2[i] * m - a * p2;
        p3 = r3[i] * m - a * p3;
        p4 = r4[i] * m - a * p4;
        p5 = r5[i] * m - a * p5;
        p6 = r6[i] * m - a * p6;
        p7 = r7[i] * m - a * p7;
        r0[i] = p0, r1[i] = p1, r2[i] = p2, r3[i] = p3;
        r4[i] = p4, r5[i] = p5, r6[i] = p6, r7[i] = p7;
    }
    for (int i = n - 2; i >= 0; i--) {
        const double c = cp[i];
        p0 = r0[i] - c * p0;
        p1 = r1[i] - c * p1;
        p2 = r2[i] - c * p2;
        p3 = r3[i] - c * p3;
        p4 = r4[i] - c * p4;
        p5 = r5[i] - c * p5;
        p6 = r6[i] - c * p6;
        p7 = r7[i] - c * p7;
        r0[i] = p0, r1[i] = p1, r2[i] = p2, r3[i] = p3;
        r4[i] = p4, r5[i] = p5, r6[i] = p6, r7[i] = p7;
    }
}

/* Sherman-Morrison correction of a periodic row solved with xsolve. */
static void xwrap(const nd_tri_const *f, double *r)
{
    if (!f->periodic) return;
    const double g = (r[0] + f->bg * r[f->n - 1]) * f->den;
    for (int i = 0; i < f->n; i++) r[i] -= g * f->z[i];
}

/* (I - dt A_x) d = d in place on the background rows among j0 .. j1 of
 * plane k of species s (d: that plane of the increment): eight at a time,
 * all with the plane's factors.  Rows through channels are left to the
 * caller. */
void nd_tissue_x_background(const nd_tissue *t, int s, int k, int j0, int j1, double *d)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    if (nx < 2) return;
    const nd_tri_const *f = t->xf + (size_t)s * nz + k;
    const uint8_t *gen = t->xgen + (size_t)k * ny;
    double *rows[8];
    int m = 0;
    for (int j = j0; j < j1; j++) {
        if (gen[j]) continue;
        rows[m++] = d + (size_t)j * t->dx;
        if (m == 8) {
            xsolve8(f, rows);
            for (int q = 0; q < 8; q++) xwrap(f, rows[q]);
            m = 0;
        }
    }
    if (m == 0) return;
    /* The last rows, fewer than eight, take the same eight chains, the spare
     * ones on copies of the last row: each chain reads its values before any
     * writes them back, so a repeated row gets the same values twice. */
    for (int q = m; q < 8; q++) rows[q] = rows[m - 1];
    xsolve8(f, rows);
    for (int q = 0; q < m; q++) xwrap(f, rows[q]);
}
