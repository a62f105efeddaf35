/* The tissue solver against exact solutions (printed model vs exact, with the
 * tolerance): a constant surface source in 1-D (erfc), a point source in 3-D
 * (Gaussian), a barrier over a clearing layer at steady state (the stratum
 * corneum case, with the interface inside a voxel), and the order of
 * convergence in space and in time.  Small grids: this runs in seconds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "needle/tissue.h"

#define D_TEST 1e-10 /* m^2/s: a small solute in tissue */

/* One diffusing species (the agent), diffusivity d in every layer, no
 * kinetics, channels closed for ever. */
static void plain_params(nd_tissue_params *p, double d)
{
    memset(p, 0, sizeof *p);
    for (int s = 0; s < ND_TISSUE_SPECIES; s++)
        for (int l = 0; l < ND_LAYER_COUNT; l++) p->partition[s][l] = 1.0;
    for (int l = 0; l < ND_LAYER_COUNT; l++) p->diffusivity_m2_s[ND_TISSUE_AGENT][l] = d;
    p->closure_half_life_s = INFINITY;
}

static nd_tissue *make(int nx, int ny, double h, double depth, nd_layer_bounds b,
                       const nd_tissue_params *p, const nd_tissue_options *o)
{
    nd_tissue_geometry g = {nx, ny, h, depth, b};
    nd_tissue *t = NULL;
    nd_error e;
    if (nd_tissue_create(&g, p, o, &t, &e)) fail_msg("create: %s", e.message);
    return t;
}

static const nd_layer_bounds flat = {{1e-4f, 2e-4f, 3e-4f, 4e-4f}};

/* Max |u - erfc(z / 2 sqrt(D t))| over a column at t = 100 s. */
static double erfc_error(double h, const nd_tissue_options *o, int print)
{
    nd_tissue_params p;
    plain_params(&p, D_TEST);
    nd_tissue *t = make(1, 1, h, 1e-3, flat, &p, o);
    nd_error e;
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, 1.0, &e), ND_OK);
    assert_int_equal(nd_tissue_run_to(t, 100.0, &e), ND_OK);
    const double *u = nd_tissue_data(t, ND_TISSUE_AGENT);
    double emax = 0.0, len = 2.0 * sqrt(D_TEST * 100.0);
    int nz;
    nd_tissue_size(t, NULL, NULL, &nz, NULL);
    for (int k = 0; k < nz; k++) {
        double z = (k + 0.5) * h, exact = erfc(z / len);
        emax = fmax(emax, fabs(u[k] - exact));
        if (print && k % (nz / 8) == 0)
            printf("  z %6.1f um  model %.6f  exact %.6f\n", z * 1e6, u[k], exact);
    }
    nd_tissue_free(t);
    return emax;
}

static void surface_source_erfc(void **state)
{
    (void)state;
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    printf("1-D constant surface source, D = 1e-10 m^2/s, t = 100 s, h = 5 um, adaptive:\n");
    double err = erfc_error(5e-6, &o, 1);
    printf("  max |model - erfc| = %.2e (tolerance 1e-3 of C0)\n", err);
    assert_true(err < 1e-3);
}

/* A Gaussian of width s0 spreads to width sqrt(s0^2 + 2 D t). */
static void point_source_gaussian(void **state)
{
    (void)state;
    nd_tissue_params p;
    plain_params(&p, D_TEST);
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    o.rtol = 1e-4;
    const int n = 32;
    const double h = 10e-6, s0 = 30e-6, t1 = 4.5, c = (n / 2) * h; /* centre on a corner */
    nd_tissue *t = make(n, n, h, n * h, flat, &p, &o);
    double *u = nd_tissue_data_mut(t, ND_TISSUE_AGENT);
    double mass = 1e-15; /* C0 m^3 */
    for (int k = 0; k < n; k++)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                double x = (i + 0.5) * h - c, y = (j + 0.5) * h - c, z = (k + 0.5) * h - c;
                u[i + n * (j + n * k)] = mass / pow(2 * M_PI * s0 * s0, 1.5) *
                                         exp(-(x * x + y * y + z * z) / (2 * s0 * s0));
            }
    nd_error e;
    assert_int_equal(nd_tissue_run_to(t, t1, &e), ND_OK);
    u = nd_tissue_data_mut(t, ND_TISSUE_AGENT); /* a step may move the arrays */
    const double s1 = sqrt(s0 * s0 + 2 * D_TEST * t1), peak = mass / pow(2 * M_PI * s1 * s1, 1.5);
    double emax = 0.0;
    for (int k = 0; k < n; k++)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                double x = (i + 0.5) * h - c, y = (j + 0.5) * h - c, z = (k + 0.5) * h - c;
                double exact = peak * exp(-(x * x + y * y + z * z) / (2 * s1 * s1));
                emax = fmax(emax, fabs(u[i + n * (j + n * k)] - exact));
            }
    double centre = u[n / 2 + n * (n / 2 + n * (n / 2))];
    double exact_c =
        peak * exp(-3 * 0.25 * h * h / (2 * s1 * s1)); /* centre of voxel (n/2, n/2, n/2) */
    printf("3-D point source, width 30 -> %.1f um in %.1f s, 32^3 voxels of 10 um:\n", s1 * 1e6,
           t1);
    printf("  voxel next to the centre: model %.6e  exact %.6e\n", centre, exact_c);
    /* The error is the grid's, O(h^2 / s^2): 1.3 % at h / s = 1/3 .. 1/4. */
    printf("  max |model - exact| / peak = %.2e (tolerance 2e-2)\n", emax / peak);
    assert_true(emax / peak < 2e-2);
    nd_tissue_free(t);
}

/* A barrier of thickness L (diffusivity D1) over a medium (D2) that clears
 * at rate k, held at C0 on top: at steady state the profile is linear
 * through the barrier and falls as exp(-(z - L) / lambda) below, lambda =
 * sqrt(D2 / k), with u(L) = C0 / (1 + D2 L / (lambda D1)).  L = 23 um puts the
 * interface inside a 10 um voxel. */
static void barrier_steady_state(void **state)
{
    (void)state;
    const double L = 23e-6, d1 = 1e-12, d2 = 1e-10, k = 1e-2, lambda = sqrt(d2 / k);
    nd_tissue_params p;
    plain_params(&p, d2);
    p.diffusivity_m2_s[ND_TISSUE_AGENT][ND_LAYER_SC] = d1;
    for (int l = ND_LAYER_EPIDERMIS; l < ND_LAYER_COUNT; l++)
        p.rate_per_s[l][ND_TISSUE_AGENT][ND_TISSUE_AGENT] = -k;
    nd_layer_bounds b = {{(float)L, 5e-4f, 6e-4f, 7e-4f}};
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    nd_tissue *t = make(1, 1, 10e-6, 2e-3, b, &p, &o);
    nd_error e;
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, 1.0, &e), ND_OK);
    assert_int_equal(nd_tissue_run_to(t, 1e5, &e), ND_OK);
    const double a = 1.0 / (1.0 + d2 * L / (lambda * d1));
    const double *u = nd_tissue_data(t, ND_TISSUE_AGENT);
    double emax = 0.0;
    printf("barrier 23 um (D 1e-12) over clearing tissue (D 1e-10, k 1e-2/s), steady state:\n");
    for (int q = 0; q < 200; q++) {
        double z = (q + 0.5) * 10e-6;
        double exact = z < L ? 1.0 - (1.0 - a) * z / L : a * exp(-(z - L) / lambda);
        emax = fmax(emax, fabs(u[q] - exact) / a);
        if (q == 0 || q == 2 || q == 3 || q == 12 || q == 42)
            printf("  z %6.1f um  model %.6f  exact %.6f\n", z * 1e6, u[q], exact);
    }
    nd_tissue_stats st;
    nd_tissue_stats_get(t, &st);
    printf("  max |model - exact| / u(L) = %.2e (tolerance 1e-2); %lu steps to 1e5 s\n", emax,
           (unsigned long)st.steps);
    assert_true(emax < 1e-2);
    nd_tissue_free(t);
}

/* Spatial order: the erfc problem on h, h/2, h/4 with the time error made
 * negligible (tight tolerance). */
static void second_order_in_space(void **state)
{
    (void)state;
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    o.rtol = 1e-6;
    o.atol[ND_TISSUE_AGENT] = 1e-9;
    double e1 = erfc_error(20e-6, &o, 0), e2 = erfc_error(10e-6, &o, 0),
           e3 = erfc_error(5e-6, &o, 0);
    double p1 = log2(e1 / e2), p2 = log2(e2 / e3);
    printf("space: max error %.3e (20 um), %.3e (10 um), %.3e (5 um): observed order %.2f, %.2f "
           "(expected 2, tolerance 1.8-2.2)\n",
           e1, e2, e3, p1, p2);
    assert_true(p1 > 1.8 && p1 < 2.2 && p2 > 1.8 && p2 < 2.2);
}

/* Time order: a 3-D problem with kinetics coupling two diffusing species
 * (blood feeds the signal), fixed steps dt, dt/2, dt/4 against dt/64 on the
 * same grid: order 1 for the plain step, 2 with extrapolation. */
static double time_error(int order, double dt, const double *ref, double *out)
{
    nd_tissue_params p;
    plain_params(&p, 0.0);
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        p.diffusivity_m2_s[ND_TISSUE_BLOOD][l] = 1e-10;
        p.diffusivity_m2_s[ND_TISSUE_SIGNAL][l] = 0.5e-10;
        p.rate_per_s[l][ND_TISSUE_BLOOD][ND_TISSUE_BLOOD] = -0.3;
        p.rate_per_s[l][ND_TISSUE_SIGNAL][ND_TISSUE_BLOOD] = 0.3;
        p.rate_per_s[l][ND_TISSUE_SIGNAL][ND_TISSUE_SIGNAL] = -0.1;
    }
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    o.order = order;
    o.fixed_dt_s = dt;
    const int n = 10;
    nd_tissue *t = make(n, n, 10e-6, n * 10e-6, flat, &p, &o);
    double *b = nd_tissue_data_mut(t, ND_TISSUE_BLOOD);
    for (int k = 0; k < n; k++)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                b[i + n * (j + n * k)] =
                    exp(-0.08 * ((i - 3) * (i - 3) + (j - 5) * (j - 5) + (k - 4) * (k - 4)));
    nd_error e;
    assert_int_equal(nd_tissue_run_to(t, 4.0, &e), ND_OK);
    const double *s = nd_tissue_data(t, ND_TISSUE_SIGNAL);
    double emax = 0.0;
    for (int v = 0; v < n * n * n; v++) {
        if (out) out[v] = s[v];
        if (ref) emax = fmax(emax, fabs(s[v] - ref[v]));
    }
    nd_tissue_free(t);
    return emax;
}

static void time_order_of_the_steps(void **state)
{
    (void)state;
    static double ref[1000];
    time_error(2, 0.5 / 64, NULL, ref);
    for (int order = 1; order <= 2; order++) {
        double e[3];
        for (int q = 0; q < 3; q++) e[q] = time_error(order, 0.5 / (1 << q), ref, NULL);
        double p1 = log2(e[0] / e[1]), p2 = log2(e[1] / e[2]);
        printf("time, %s: max error %.3e (dt 0.5 s), %.3e (0.25), %.3e (0.125): observed order "
               "%.2f, %.2f (expected %d)\n",
               order == 1 ? "plain steps" : "extrapolated", e[0], e[1], e[2], p1, p2, order);
        assert_true(p2 > order - 0.25 && p2 < order + 0.4);
        assert_true(p1 > order - 0.35);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(surface_source_erfc),     cmocka_unit_test(point_source_gaussian),
        cmocka_unit_test(barrier_steady_state),    cmocka_unit_test(second_order_in_space),
        cmocka_unit_test(time_order_of_the_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
