/* Tridiagonal solves for the backward-Euler diffusion lines.
 *
 * Every matrix here is a diffusion matrix I - dt A with A conservative: its
 * diagonal strictly dominates, so the Thomas algorithm needs no pivoting and
 * every pivot is at least 1 (Golub & Van Loan, Matrix Computations, 4.3).
 * Periodic lines add the two corner entries and are solved by the
 * Sherman-Morrison formula: one extra solve with the same factors (Press et
 * al., Numerical Recipes, 2.7, "cyclic tridiagonal systems"). */
#include "tissue/tissue_internal.h"

/* Factor rows of a general tridiagonal into cp (upper factors) and im
 * (inverse pivots); di0 and din replace the first and last diagonal. */
static void factor(int n, const double *lo, const double *di, const double *up, double di0,
                   double din, double *cp, double *im)
{
    for (int i = 0; i < n; i++) {
        double d = i == 0 ? di0 : (i == n - 1 ? din : di[i]);
        double m = i == 0 ? d : d - lo[i] * cp[i - 1];
        im[i] = 1.0 / m;
        cp[i] = i < n - 1 ? up[i] * im[i] : 0.0;
    }
}

static void substitute(int n, const double *lo, const double *cp, const double *im, double *x)
{
    x[0] *= im[0];
    for (int i = 1; i < n; i++) x[i] = (x[i] - lo[i] * x[i - 1]) * im[i];
    for (int i = n - 2; i >= 0; i--) x[i] -= cp[i] * x[i + 1];
}

void nd_tri_solve(int n, const double *lo, const double *di, const double *up, int periodic,
                  double *b, double *work)
{
    double *cp = work, *im = work + n, *z = work + 2 * n; /* 3n */
    if (!periodic || n < 3) {
        factor(n, lo, di, up, di[0], di[n - 1], cp, im);
        substitute(n, lo, cp, im, b);
        return;
    }
    /* Corners: row 0 holds beta = lo[0] at column n-1, row n-1 alpha = up[n-1]
     * at column 0.  With gamma = -di[0], A = T + w v^T, w = (gamma, 0.., alpha),
     * v = (1, 0.., beta / gamma). */
    double beta = lo[0], alpha = up[n - 1], gamma = -di[0];
    factor(n, lo, di, up, di[0] - gamma, di[n - 1] - alpha * beta / gamma, cp, im);
    substitute(n, lo, cp, im, b);
    for (int i = 0; i < n; i++) z[i] = 0.0;
    z[0] = gamma;
    z[n - 1] = alpha;
    substitute(n, lo, cp, im, z);
    double f = (b[0] + beta / gamma * b[n - 1]) / (1.0 + z[0] + beta / gamma * z[n - 1]);
    for (int i = 0; i < n; i++) b[i] -= f * z[i];
}

void nd_tri_const_factor(nd_tri_const *f, int n, double r, int periodic, double *mem)
{
    f->n = n;
    f->periodic = periodic && n >= 3;
    f->lo = -r;
    f->cp = mem;
    f->im = mem + n;
    f->z = mem + 2 * n;
    f->bg = f->den = 0.0;
    if (n == 1) { /* a line of one voxel has no face: the identity */
        f->cp[0] = 0.0;
        f->im[0] = 1.0;
        return;
    }
    double lo = -r, d = 1.0 + 2.0 * r;
    if (!f->periodic) {
        double m = 1.0 + r;
        for (int i = 0; i < n; i++) {
            if (i > 0) m = (i == n - 1 ? 1.0 + r : d) - lo * f->cp[i - 1];
            f->im[i] = 1.0 / m;
            f->cp[i] = i < n - 1 ? lo * f->im[i] : 0.0;
        }
        return;
    }
    double gamma = -d, beta = lo, alpha = lo;
    for (int i = 0; i < n; i++) {
        double di = i == 0 ? d - gamma : (i == n - 1 ? d - alpha * beta / gamma : d);
        double m = i == 0 ? di : di - lo * f->cp[i - 1];
        f->im[i] = 1.0 / m;
        f->cp[i] = i < n - 1 ? lo * f->im[i] : 0.0;
    }
    for (int i = 0; i < n; i++) f->z[i] = 0.0;
    f->z[0] = gamma;
    f->z[n - 1] = alpha;
    f->z[0] *= f->im[0];
    for (int i = 1; i < n; i++) f->z[i] = (f->z[i] - lo * f->z[i - 1]) * f->im[i];
    for (int i = n - 2; i >= 0; i--) f->z[i] -= f->cp[i] * f->z[i + 1];
    f->bg = beta / gamma;
    f->den = 1.0 / (1.0 + f->z[0] + f->bg * f->z[n - 1]);
}
