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
    f->lm = mem + 3 * n;
    f->bg = f->den = 0.0;
    if (n == 1) { /* a line of one voxel has no face: the identity */
        f->cp[0] = 0.0;
        f->im[0] = 1.0;
        f->lm[0] = 0.0;
        return;
    }
    double lo = -r, d = 1.0 + 2.0 * r;
    if (!f->periodic) {
        double m = 1.0 + r;
        for (int i = 0; i < n; i++) {
            if (i > 0) m = (i == n - 1 ? 1.0 + r : d) - lo * f->cp[i - 1];
            f->im[i] = 1.0 / m;
            f->cp[i] = i < n - 1 ? lo * f->im[i] : 0.0;
            f->lm[i] = lo * f->im[i];
        }
        return;
    }
    double gamma = -d, beta = lo, alpha = lo;
    for (int i = 0; i < n; i++) {
        double di = i == 0 ? d - gamma : (i == n - 1 ? d - alpha * beta / gamma : d);
        double m = i == 0 ? di : di - lo * f->cp[i - 1];
        f->im[i] = 1.0 / m;
        f->cp[i] = i < n - 1 ? lo * f->im[i] : 0.0;
        f->lm[i] = lo * f->im[i];
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

/* The same Thomas recurrences as nd_tri_solve, on ng lines at once with line
 * g of row i at [i * ng + g]: the divisions of the factorisation are
 * independent across lines, so they pipeline and vectorise where one line's
 * chain of divisions would wait on each in turn.  Each line sees exactly the
 * operations nd_tri_solve does, in the same order: the same bits. */
ND_TISSUE_SIMD void nd_tri_batch_solve(int n, int ng, const double *lo, double *di, double *up,
                                       int periodic, double *x, double *z, double *aux)
{
    const int per = periodic && n >= 3;
    double *beta = aux, *alpha = aux + ng, *gamma = aux + 2 * (size_t)ng;
    if (per) {
        const double *dl = di + (size_t)(n - 1) * ng, *ul = up + (size_t)(n - 1) * ng;
        double *dl_w = di + (size_t)(n - 1) * ng;
#pragma omp simd
        for (int g = 0; g < ng; g++) {
            beta[g] = lo[g];
            alpha[g] = ul[g];
            gamma[g] = -di[g];
            dl_w[g] = dl[g] - alpha[g] * beta[g] / gamma[g];
            di[g] = di[g] - gamma[g];
        }
        for (size_t v = 0; v < (size_t)n * ng; v++) z[v] = 0.0;
        double *zl = z + (size_t)(n - 1) * ng;
#pragma omp simd
        for (int g = 0; g < ng; g++) {
            z[g] = gamma[g];
            zl[g] = alpha[g];
        }
    }
    /* Factor and forward substitution together: di becomes 1 / pivot, up the
     * upper factor. */
#pragma omp simd
    for (int g = 0; g < ng; g++) {
        double im = 1.0 / di[g];
        di[g] = im;
        up[g] = n > 1 ? up[g] * im : 0.0;
        x[g] *= im;
    }
    if (per)
#pragma omp simd
        for (int g = 0; g < ng; g++) z[g] *= di[g];
    for (int i = 1; i < n; i++) {
        const size_t r = (size_t)i * ng, q = r - (size_t)ng;
        const int last = i == n - 1;
#pragma omp simd
        for (int g = 0; g < ng; g++) {
            double im = 1.0 / (di[r + g] - lo[r + g] * up[q + g]);
            di[r + g] = im;
            up[r + g] = last ? 0.0 : up[r + g] * im;
            x[r + g] = (x[r + g] - lo[r + g] * x[q + g]) * im;
        }
        if (per)
#pragma omp simd
            for (int g = 0; g < ng; g++) z[r + g] = (z[r + g] - lo[r + g] * z[q + g]) * di[r + g];
    }
    for (int i = n - 2; i >= 0; i--) {
        const size_t r = (size_t)i * ng, q = r + (size_t)ng;
#pragma omp simd
        for (int g = 0; g < ng; g++) x[r + g] -= up[r + g] * x[q + g];
        if (per)
#pragma omp simd
            for (int g = 0; g < ng; g++) z[r + g] -= up[r + g] * z[q + g];
    }
    if (!per) return;
    const double *xl = x + (size_t)(n - 1) * ng, *zl = z + (size_t)(n - 1) * ng;
    double *f = aux; /* beta is read before f overwrites it */
#pragma omp simd
    for (int g = 0; g < ng; g++)
        f[g] = (x[g] + beta[g] / gamma[g] * xl[g]) / (1.0 + z[g] + beta[g] / gamma[g] * zl[g]);
    for (int i = 0; i < n; i++) {
        const size_t r = (size_t)i * ng;
#pragma omp simd
        for (int g = 0; g < ng; g++) x[r + g] -= f[g] * z[r + g];
    }
}
