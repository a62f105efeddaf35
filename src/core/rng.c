/* Normal quantile for the random streams; see include/needle/rng.h. */
#include "needle/rng.h"

#include <math.h>

/* Coefficients of P. J. Acklam's algorithm for the inverse normal CDF
 * ("An algorithm for computing the inverse normal cumulative distribution
 * function", 2003): rational approximations in a central and two tail regions. */
static const double A[6] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                            1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
static const double B[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                            6.680131188771972e+01, -1.328068155288572e+01};
static const double C[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
static const double D[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                            3.754408661907416e+00};

double nd_normal_quantile(double p)
{
    const double plow = 0.02425, phigh = 1.0 - plow;
    if (p <= 0.0) return -INFINITY;
    if (p >= 1.0) return INFINITY;
    if (p < plow) {
        double q = sqrt(-2.0 * log(p));
        return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
               ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
    }
    if (p > phigh) {
        double q = sqrt(-2.0 * log(1.0 - p));
        return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
               ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
    }
    double q = p - 0.5, r = q * q;
    return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
           (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0);
}

void nd_lognormal_table_init(nd_lognormal_table *t, double sigma, double shift)
{
    t->sigma = sigma;
    t->shift = shift;
    /* Entry i is the quantile at the bottom edge of bin i, the point where the
     * 32-bit draw u = i 2^20 maps to p = (u + 0.5) / 2^32. */
    for (int i = 0; i <= ND_LOGNORMAL_N; i++) {
        double u = (double)i * (4294967296.0 / ND_LOGNORMAL_N);
        double p = (u + 0.5) / 4294967296.0;
        if (p >= 1.0) p = 1.0 - 0.5 / 4294967296.0;
        t->q[i] = (float)exp(sigma * nd_normal_quantile(p) - shift);
    }
}

float nd_lognormal_tail(const nd_lognormal_table *t, uint32_t u)
{
    double p = ((double)u + 0.5) * (1.0 / 4294967296.0);
    return (float)exp(t->sigma * nd_normal_quantile(p) - t->shift);
}
