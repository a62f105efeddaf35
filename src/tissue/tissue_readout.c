/* Read-outs of the tissue volume: amounts, depth profiles, open channels.
 *
 * Every sum runs plane by plane in a fixed order and the plane sums are then
 * added in order, so a read-out has the same bits for any thread count. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "tissue/tissue_internal.h"

/* What a plane sum adds up per voxel. */
typedef enum { SUM_VALUE, SUM_AMOUNT, SUM_CHANNEL } sum_kind;

/* Sum over each plane of the voxels' value, amount (capacity, what the
 * solver's rows are scaled by, x value) or
 * openness at puncture into per[k], voxel after voxel; returns the ordered
 * total.  The kind is chosen outside the loop (a call per voxel through a
 * pointer took a tenth of a default run). */
static double plane_sums(const nd_tissue *t, int s, sum_kind kind, double *per)
{
    const size_t plane = t->plane;
#pragma omp parallel for num_threads(t->threads) schedule(static)
    for (int k = 0; k < t->nz; k++) {
        const size_t v0 = (size_t)k * plane;
        const double *u = (kind == SUM_CHANNEL ? t->chan : t->u[s]) + v0;
        const double *o = t->u[ND_TISSUE_OPENNESS] + v0, c = t->coef[s].cap[k];
        double sum = 0.0;
        if (kind == SUM_AMOUNT)
            for (size_t v = 0; v < plane; v++) sum += (c + o[v] * (1.0 - c)) * u[v];
        else
            for (size_t v = 0; v < plane; v++) sum += u[v];
        per[k] = sum;
    }
    double total = 0.0;
    for (int k = 0; k < t->nz; k++) total += per[k];
    return total;
}

double nd_tissue_total(const nd_tissue *t, int species)
{
    if (species < 0 || species >= NS) return NAN;
    double *per = malloc(sizeof(double) * (size_t)t->nz);
    if (!per) return NAN;
    double total = plane_sums(t, species, SUM_AMOUNT, per) * t->h * t->h * t->h;
    free(per);
    return total;
}

void nd_tissue_mean_profile(const nd_tissue *t, int species, double *out)
{
    if (species < 0 || species >= NS) return;
    plane_sums(t, species, SUM_VALUE, out);
    for (int k = 0; k < t->nz; k++) out[k] /= (double)t->plane;
}

double nd_tissue_open_fraction(const nd_tissue *t)
{
    double *per = malloc(sizeof(double) * (size_t)t->nz);
    if (!per) return NAN;
    double cap = plane_sums(t, 0, SUM_CHANNEL, per);
    double open = plane_sums(t, ND_TISSUE_OPENNESS, SUM_VALUE, per);
    free(per);
    return cap > 0.0 ? open / cap : 0.0;
}

/* Deepest crossing of threshold along a profile v[k * stride] at depths
 * (k + 1/2) h; the surface value (when held) sits at depth 0. */
static double crossing(const nd_tissue *t, int s, const double *v, size_t stride, double thr)
{
    const double h = t->h;
    const int nz = t->nz;
    int k = nz - 1;
    while (k >= 0 && !(v[(size_t)k * stride] >= thr)) k--;
    if (k == nz - 1) return nz * h;
    if (k < 0) {
        double c0 = t->surface_c0[s], v0 = v[0];
        if (!t->surface_on[s] || !(c0 >= thr)) return 0.0;
        return c0 > v0 ? 0.5 * h * (c0 - thr) / (c0 - v0) : 0.0;
    }
    double a = v[(size_t)k * stride], b = v[(size_t)(k + 1) * stride];
    return (k + 0.5) * h + h * (a - thr) / (a - b);
}

double nd_tissue_depth_above(const nd_tissue *t, int species, double threshold, double x_m,
                             double y_m)
{
    if (species < 0 || species >= NS) return NAN;
    int i = (int)floor(x_m / t->h), j = (int)floor(y_m / t->h);
    i = i < 0 ? 0 : (i >= t->nx ? t->nx - 1 : i);
    j = j < 0 ? 0 : (j >= t->ny ? t->ny - 1 : j);
    return crossing(t, species, t->u[species] + (size_t)j * t->nx + i, t->plane, threshold);
}

double nd_tissue_mean_depth_above(const nd_tissue *t, int species, double threshold)
{
    if (species < 0 || species >= NS) return NAN;
    double *prof = malloc(sizeof(double) * (size_t)t->nz);
    if (!prof) return NAN;
    nd_tissue_mean_profile(t, species, prof);
    double d = crossing(t, species, prof, 1, threshold);
    free(prof);
    return d;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double nd_tissue_median_depth_above(const nd_tissue *t, int species, double threshold)
{
    if (species < 0 || species >= NS) return NAN;
    double *d = malloc(sizeof(double) * t->plane);
    if (!d) return NAN;
    for (size_t c = 0; c < t->plane; c++)
        d[c] = crossing(t, species, t->u[species] + c, t->plane, threshold);
    qsort(d, t->plane, sizeof *d, cmp_double);
    size_t m = t->plane / 2;
    double med = t->plane % 2 ? d[m] : 0.5 * (d[m - 1] + d[m]);
    free(d);
    return med;
}

double nd_tissue_dermal_mean(const nd_tissue *t, int species)
{
    if (species < 0 || species >= NS) return NAN;
    double *prof = malloc(sizeof(double) * (size_t)t->nz);
    if (!prof) return NAN;
    nd_tissue_mean_profile(t, species, prof);
    double sum = 0.0, w = 0.0;
    for (int k = 0; k < t->nz; k++) {
        double f = t->frac[k * NL + ND_LAYER_PAPILLARY] + t->frac[k * NL + ND_LAYER_RETICULAR];
        sum += f * prof[k];
        w += f;
    }
    free(prof);
    return w > 0.0 ? sum / w : 0.0;
}
