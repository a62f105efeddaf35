/* The tissue solver's API and invariants: parameters, refusals, punctures,
 * channel closure, conservation, read-outs, the same bits for any number of
 * threads, and joined steps against steps taken one at a time. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "needle/tissue.h"

/* A cheek-like site: SC 16.8 um, epidermis to 70 um, papillary dermis to
 * 330 um, reticular to 1.2 mm, then fat. */
static const nd_layer_bounds cheek = {{16.8e-6f, 70e-6f, 330e-6f, 1.2e-3f}};

static nd_tissue *make(int nx, int ny, double h, double depth, const nd_tissue_params *p,
                       const nd_tissue_options *o)
{
    nd_tissue_geometry g = {nx, ny, h, depth, cheek};
    nd_tissue *t = NULL;
    nd_error e;
    if (nd_tissue_create(&g, p, o, &t, &e)) fail_msg("create: %s (%s)", e.message, e.field);
    return t;
}

static void parameters_load_and_refuse_bad_overrides(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    /* The stratum corneum is the barrier: more than 100 times below viable tissue. */
    double sc = p.partition[ND_TISSUE_AGENT][ND_LAYER_SC] * p.diffusivity_m2_s[0][ND_LAYER_SC];
    double epi = p.diffusivity_m2_s[ND_TISSUE_AGENT][ND_LAYER_EPIDERMIS];
    assert_true(sc < 1e-2 * epi);
    assert_true(p.channel_diffusivity_m2_s[ND_TISSUE_AGENT] > epi);
    /* Clearance only where there is blood flow. */
    assert_true(p.rate_per_s[ND_LAYER_EPIDERMIS][0][0] == 0.0);
    assert_true(p.rate_per_s[ND_LAYER_PAPILLARY][0][0] < 0.0);
    assert_true(p.blood_release[ND_LAYER_EPIDERMIS] == 0.0 &&
                p.blood_release[ND_LAYER_PAPILLARY] > 0.0);
    assert_true(p.closure_half_life_s < p.closure_half_life_occluded_s);

    nd_param_override ov = {"channel_half_life_open_s", 1800};
    assert_int_equal(nd_tissue_params_load(&ov, 1, &p, &e), ND_OK);
    assert_true(p.closure_half_life_s == 1800);
    ov.value = 1e6; /* outside 1800..7200 */
    assert_int_equal(nd_tissue_params_load(&ov, 1, &p, &e), ND_ERR_INPUT);
    assert_non_null(strstr(e.message, "documented range"));
    nd_param_override bad = {"channel_half_lfe_open_s", 1};
    assert_int_equal(nd_tissue_params_load(&bad, 1, &p, &e), ND_ERR_INPUT);
}

/* Every row sourced or an assumption with a range, and listed in the docs. */
static void table_rows_are_sourced_and_documented(void **state)
{
    (void)state;
    nd_table *t;
    nd_error e;
    assert_int_equal(nd_table_load("tissue_parameters.csv", &t, &e), ND_OK);
    const char *src = getenv("ND_SOURCE_DIR");
    char path[1024], *doc = NULL;
    if (src) {
        snprintf(path, sizeof path, "%s/docs/model.md", src);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        doc = malloc((size_t)n + 1);
        assert_int_equal(fread(doc, 1, (size_t)n, f), (size_t)n);
        doc[n] = '\0';
        fclose(f);
    }
    for (size_t r = 0; r < nd_table_rows(t); r++) {
        const char *name = nd_table_cell(t, r, nd_table_column(t, "name"));
        const char *basis = nd_table_cell(t, r, nd_table_column(t, "basis"));
        double v, lo, hi;
        assert_int_equal(nd_table_number(t, r, "value", &v, &e), ND_OK);
        assert_int_equal(nd_table_number(t, r, "low", &lo, &e), ND_OK);
        assert_int_equal(nd_table_number(t, r, "high", &hi, &e), ND_OK);
        if (!(lo <= v && v <= hi)) fail_msg("%s = %g outside %g..%g", name, v, lo, hi);
        assert_true(!strcmp(basis, "measured") || !strcmp(basis, "derived") ||
                    !strcmp(basis, "assumption") || !strcmp(basis, "calibration"));
        assert_true(strlen(nd_table_cell(t, r, nd_table_column(t, "source"))) > 10);
        if (doc) {
            char row[128];
            snprintf(row, sizeof row, "| `%s` |", name);
            if (!strstr(doc, row)) fail_msg("docs/model.md has no row for %s", name);
        }
    }
    free(doc);
    nd_table_free(t);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    nd_tissue *t = NULL;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_tissue_geometry g = {4, 4, 20e-6, 1e-3, cheek};
    g.nx = 0;
    assert_int_equal(nd_tissue_create(&g, &p, NULL, &t, &e), ND_ERR_INPUT);
    g.nx = 4, g.voxel_m = 0;
    assert_int_equal(nd_tissue_create(&g, &p, NULL, &t, &e), ND_ERR_INPUT);
    g.voxel_m = 20e-6, g.depth_m = 1e-6;
    assert_int_equal(nd_tissue_create(&g, &p, NULL, &t, &e), ND_ERR_INPUT);
    g.depth_m = 1e-3, g.bounds.bottom_m[2] = 1e-5f; /* boundaries out of order */
    assert_int_equal(nd_tissue_create(&g, &p, NULL, &t, &e), ND_ERR_INPUT);
    g.bounds = cheek;
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.periodic = 1, g.nx = 2;
    assert_int_equal(nd_tissue_create(&g, &p, &o, &t, &e), ND_ERR_INPUT);
    g.nx = 4, o.periodic = 0, o.order = 3;
    assert_int_equal(nd_tissue_create(&g, &p, &o, &t, &e), ND_ERR_INPUT);
    nd_tissue_params q = p;
    q.diffusivity_m2_s[ND_TISSUE_OPENNESS][ND_LAYER_FAT] = 1e-12;
    assert_int_equal(nd_tissue_create(&g, &q, NULL, &t, &e), ND_ERR_INPUT);
    q = p, q.partition[ND_TISSUE_AGENT][ND_LAYER_SC] = 0;
    assert_int_equal(nd_tissue_create(&g, &q, NULL, &t, &e), ND_ERR_INPUT);
    assert_null(t);

    t = make(4, 4, 20e-6, 1e-3, &p, NULL);
    nd_tissue_puncture pu = {100e-6, 10e-6, 0.5e-3, 70e-6}; /* x beyond 80 um */
    assert_int_equal(nd_tissue_puncture_add(t, &pu, 1, &e), ND_ERR_INPUT);
    assert_string_equal(e.field, "punctures[0]");
    pu.x_m = 40e-6, pu.depth_m = 2e-3; /* deeper than the volume */
    assert_int_equal(nd_tissue_puncture_add(t, &pu, 1, &e), ND_ERR_INPUT);
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_OPENNESS, 1, 1.0, &e), ND_ERR_INPUT);
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, -1.0, &e), ND_ERR_INPUT);
    assert_int_equal(nd_tissue_set_closure_half_life(t, 0.0, &e), ND_ERR_INPUT);
    assert_int_equal(nd_tissue_run_to(t, 10.0, &e), ND_OK);
    assert_int_equal(nd_tissue_run_to(t, 5.0, &e), ND_ERR_INPUT);
    assert_null(nd_tissue_species_name(ND_TISSUE_SPECIES));
    assert_string_equal(nd_tissue_species_name(ND_TISSUE_COLLAGEN3), "collagen3");
    nd_tissue_free(t);
}

static void punctures_open_channels_and_bleed_where_vessels_are(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_tissue *t = make(10, 10, 20e-6, 1.4e-3, &p, NULL);
    int nx, ny, nz;
    double h;
    nd_tissue_size(t, &nx, &ny, &nz, &h);
    assert_int_equal(nz, 70);
    for (int k = 0; k < nz; k++) {
        nd_layer_bounds b = cheek;
        assert_int_equal(nd_tissue_layer(t, k), nd_layer_at(&b, (float)((k + 0.5) * h)));
    }
    assert_true(nd_tissue_open_fraction(t) == 0.0);
    /* A 70 um channel to 0.5 mm at the centre of voxel (5, 5). */
    nd_tissue_puncture pu = {110e-6, 110e-6, 0.5e-3, 70e-6};
    assert_int_equal(nd_tissue_puncture_add(t, &pu, 1, &e), ND_OK);
    const double *o = nd_tissue_data(t, ND_TISSUE_OPENNESS);
    const double *blood = nd_tissue_data(t, ND_TISSUE_BLOOD);
    const double *sig = nd_tissue_data(t, ND_TISSUE_SIGNAL);
    size_t c = 5 + 10 * 5, plane = 100;
    assert_true(fabs(o[c + 10 * plane] - 1.0) < 1e-12);              /* 200-220 um: inside */
    assert_true(o[c + 30 * plane] == 0.0);                           /* 600 um: below the tip */
    assert_true(o[c + 24 * plane] > 0.0 && o[c + 24 * plane] < 1.0); /* the tip's voxel */
    assert_true(o[0 + 10 * plane] == 0.0);                           /* far corner */
    /* Blood only in the vascular dermis, signal only in living tissue. */
    assert_true(blood[c + 2 * plane] == 0.0); /* epidermis, 40-60 um */
    assert_true(blood[c + 10 * plane] > 0.0); /* papillary dermis */
    assert_true(sig[c] < sig[c + 2 * plane]); /* level 0 is mostly stratum corneum */
    assert_true(fabs(nd_tissue_open_fraction(t) - 1.0) < 1e-12);
    /* The channel's cross-section: the openness of a level sums to pi r^2 / h^2. */
    double sum = 0.0;
    for (size_t v = 10 * plane; v < 11 * plane; v++) sum += o[v];
    assert_true(fabs(sum * h * h / (M_PI * 35e-6 * 35e-6) - 1.0) < 0.02);
    nd_tissue_free(t);
}

/* Openness does not move: its closure is pure first-order kinetics, which
 * the step integrates exactly whatever its length. */
static void channels_close_with_the_given_half_life(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    memset(p.blood_release, 0, sizeof p.blood_release); /* only the channel here */
    memset(p.signal_release, 0, sizeof p.signal_release);
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    nd_tissue *t = make(6, 6, 20e-6, 0.6e-3, &p, &o);
    nd_tissue_puncture pu = {60e-6, 60e-6, 0.3e-3, 70e-6};
    assert_int_equal(nd_tissue_puncture_add(t, &pu, 1, &e), ND_OK);
    double T = p.closure_half_life_s;
    assert_int_equal(nd_tissue_run_to(t, 2.0 * T, &e), ND_OK);
    double f = nd_tissue_open_fraction(t);
    printf("open fraction after two half-lives: %.15f (exact 0.25)\n", f);
    assert_true(fabs(f - 0.25) < 1e-12);
    /* Occluded from now on: the next half of what is open takes 23.7 h. */
    assert_int_equal(nd_tissue_set_closure_half_life(t, p.closure_half_life_occluded_s, &e), ND_OK);
    assert_int_equal(nd_tissue_run_to(t, 2.0 * T + p.closure_half_life_occluded_s, &e), ND_OK);
    assert_true(fabs(nd_tissue_open_fraction(t) - 0.125) < 1e-12);
    nd_tissue_free(t);
}

/* Long steps through clearance: the agent spread unevenly over the volume
 * with no source, cleared in the dermis and fat but not in the epidermis
 * above, stepped a day at a time -- far longer than diffusion across a
 * voxel (minutes) and clearance (hours).  Each step must lose agent and no
 * value may grow past where it started.  In one column (layers only) no
 * value may turn negative either: the vertical solve carries the clearance
 * (with the clearance corrected after it instead, the epidermis took back
 * the dermis' clearance of a whole day at once, and its values flipped sign
 * and grew).  Between columns the stabilising correction damps a
 * checkerboard only slowly at such steps (tissue_step.c): there the values
 * may swing about zero but stay bounded, while the mean falls. */
static void long_steps_through_clearance_only_lose_agent(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    o.order = 1;
    o.fixed_dt_s = 86400.0;
    for (int lateral = 0; lateral < 2; lateral++) {
        nd_tissue *t = make(lateral ? 4 : 1, lateral ? 4 : 1, 40e-6, 1.6e-3, &p, &o);
        int nx, ny, nz;
        nd_tissue_size(t, &nx, &ny, &nz, NULL);
        double *u = nd_tissue_data_mut(t, ND_TISSUE_AGENT);
        for (int k = 0; k < nz; k++)
            for (int v = 0; v < nx * ny; v++)
                u[(size_t)k * nx * ny + v] = 1.0 + 0.5 * ((v + k) % 3); /* uneven */
        double last = nd_tissue_total(t, ND_TISSUE_AGENT);
        for (int step = 1; step <= 6; step++) {
            assert_int_equal(nd_tissue_run_to(t, step * 86400.0, &e), ND_OK);
            const double *a = nd_tissue_data(t, ND_TISSUE_AGENT);
            double lo = INFINITY, hi = 0.0;
            for (size_t v = 0; v < (size_t)nx * ny * nz; v++) {
                lo = fmin(lo, a[v]);
                hi = fmax(hi, a[v]);
            }
            double total = nd_tissue_total(t, ND_TISSUE_AGENT);
            if (step == 1 || step == 6)
                printf("%s, day %d: agent %.3e .. %.3e C0, amount %.3e of the last\n",
                       lateral ? "4 x 4 columns" : "one column", step, lo, hi, total / last);
            assert_true(lateral || lo >= 0.0);
            assert_true(hi <= 2.0);
            assert_true(total < last);
            last = total;
        }
        nd_tissue_free(t);
    }
}

/* While the agent diffuses from a cream through a fresh channel (many short
 * steps), the species that stay where they are made (none of them moves
 * here, as at a sample site) are carried apart by
 * the exact exponential of their kinetics: extravasated blood, which only
 * resorbs, halves in each of its half-lives to round-off. */
static void still_species_follow_their_kinetics_exactly(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    for (int s = ND_TISSUE_BLOOD; s < ND_TISSUE_SPECIES; s++) { /* held, as at a site */
        p.channel_diffusivity_m2_s[s] = 0.0;
        for (int l = 0; l < ND_LAYER_COUNT; l++) p.diffusivity_m2_s[s][l] = 0.0;
    }
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = 1;
    nd_tissue *t = make(6, 6, 20e-6, 0.6e-3, &p, &o);
    nd_tissue_puncture pu = {60e-6, 60e-6, 0.5e-3, 70e-6};
    assert_int_equal(nd_tissue_puncture_add(t, &pu, 1, &e), ND_OK);
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, 1.0, &e), ND_OK);
    const double b0 = nd_tissue_total(t, ND_TISSUE_BLOOD),
                 T = -log(2.0) / p.rate_per_s[ND_LAYER_PAPILLARY][ND_TISSUE_BLOOD][ND_TISSUE_BLOOD];
    assert_true(b0 > 0.0);
    assert_int_equal(nd_tissue_run_to(t, 3600.0, &e), ND_OK);
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_AGENT, 0, 0.0, &e), ND_OK);
    assert_int_equal(nd_tissue_run_to(t, T, &e), ND_OK);
    nd_tissue_stats st;
    nd_tissue_stats_get(t, &st);
    double r = nd_tissue_total(t, ND_TISSUE_BLOOD) / b0;
    printf("blood after one half-life (%lu steps of the agent): %.15f (exact 0.5)\n",
           (unsigned long)st.steps, r);
    assert_true(st.steps > 10);
    assert_true(fabs(r - 0.5) < 1e-12);
    nd_tissue_free(t);
}

/* Diffusion only (no kinetics), no flux through any face: the amount of
 * every species stays what it was, to round-off, through layers, channels
 * and steps from a tenth of a second to minutes. */
static void mass_is_conserved(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    memset(p.rate_per_s, 0, sizeof p.rate_per_s);
    p.closure_half_life_s = INFINITY;
    for (int periodic = 0; periodic <= 1; periodic++) {
        nd_tissue_options o;
        nd_tissue_options_default(&o);
        o.periodic = periodic;
        o.threads = 1;
        nd_tissue *t = make(7, 6, 20e-6, 0.6e-3, &p, &o);
        nd_tissue_puncture pu[2] = {{50e-6, 50e-6, 0.5e-3, 70e-6}, {110e-6, 90e-6, 0.3e-3, 30e-6}};
        assert_int_equal(nd_tissue_puncture_add(t, pu, 2, &e), ND_OK);
        double *a = nd_tissue_data_mut(t, ND_TISSUE_AGENT);
        int nx, ny, nz;
        nd_tissue_size(t, &nx, &ny, &nz, NULL);
        /* A smooth blob under the channels, plus what the punctures left. */
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                    a[i + nx * (j + ny * k)] =
                        exp(-0.05 * ((i - 3) * (i - 3) + (j - 3) * (j - 3) + (k - 8) * (k - 8)));
        double m0[ND_TISSUE_SPECIES];
        for (int s = 0; s < ND_TISSUE_SPECIES; s++) m0[s] = nd_tissue_total(t, s);
        assert_int_equal(nd_tissue_run_to(t, 900.0, &e), ND_OK);
        nd_tissue_stats st;
        nd_tissue_stats_get(t, &st);
        for (int s = 0; s < ND_TISSUE_SPECIES; s++) {
            double m = nd_tissue_total(t, s), rel = m0[s] > 0 ? fabs(m - m0[s]) / m0[s] : m;
            if (s == ND_TISSUE_AGENT || s == ND_TISSUE_SIGNAL)
                printf("%s, %s sides, %lu steps to 15 min: amount %.15e -> %.15e, relative "
                       "change %.1e\n",
                       nd_tissue_species_name(s), periodic ? "periodic" : "no-flux",
                       (unsigned long)st.steps, m0[s], m, rel);
            assert_true(rel < 1e-12);
        }
        nd_tissue_free(t);
    }
}

static nd_tissue *session(int threads)
{
    nd_tissue_params p;
    nd_error e;
    if (nd_tissue_params_load(NULL, 0, &p, &e)) fail();
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = threads;
    nd_tissue *t = make(12, 10, 20e-6, 1.0e-3, &p, &o);
    nd_tissue_puncture pu[3] = {{60e-6, 60e-6, 0.6e-3, 70e-6},
                                {170e-6, 90e-6, 0.25e-3, 70e-6},
                                {30e-6, 170e-6, 0.8e-3, 30e-6}};
    if (nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, 1.0, &e) || nd_tissue_run_to(t, 30, &e) ||
        nd_tissue_puncture_add(t, pu, 3, &e) || nd_tissue_run_to(t, 300, &e) ||
        nd_tissue_set_surface(t, ND_TISSUE_AGENT, 0, 0, &e) || nd_tissue_run_to(t, 1200, &e))
        fail_msg("%s", e.message);
    return t;
}

/* Threads split planes by rows, then by species or blocks of columns
 * (more threads than diffusing species): 3 and 5 threads take the second
 * way on this 12-wide volume. */
static void same_bits_for_any_number_of_threads(void **state)
{
    (void)state;
    nd_tissue *a = session(1);
    int nx, ny, nz;
    nd_tissue_size(a, &nx, &ny, &nz, NULL);
    nd_tissue_stats sa;
    nd_tissue_stats_get(a, &sa);
    const int counts[] = {2, 3, 5};
    for (int c = 0; c < 3; c++) {
        nd_tissue *b = session(counts[c]);
        for (int s = 0; s < ND_TISSUE_SPECIES; s++)
            assert_memory_equal(nd_tissue_data(a, s), nd_tissue_data(b, s),
                                sizeof(double) * (size_t)nx * ny * nz);
        assert_true(nd_tissue_total(a, ND_TISSUE_AGENT) == nd_tissue_total(b, ND_TISSUE_AGENT));
        nd_tissue_stats sb;
        nd_tissue_stats_get(b, &sb);
        assert_true(sa.steps == sb.steps && sa.rejected == sb.rejected);
        nd_tissue_free(b);
    }
    printf("1, 2, 3 and 5 threads: identical bits after %lu steps (%lu rejected)\n",
           (unsigned long)sa.steps, (unsigned long)sa.rejected);
    nd_tissue_free(a);
}

/* Consecutive plain steps share sweeps through the planes, the vertical
 * solves eliminating in alternate directions; steps taken one call at a
 * time each eliminate downwards.  The two must agree to round-off, with
 * channels (their own column factors, set up level by level in either
 * direction), a cream held at the surface, kinetics, and no-flux or
 * periodic sides. */
static void joined_steps_match_single_steps(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    for (int periodic = 0; periodic <= 1; periodic++) {
        nd_tissue *t[2];
        for (int q = 0; q < 2; q++) {
            nd_tissue_options o;
            nd_tissue_options_default(&o);
            o.threads = 1, o.periodic = periodic, o.fixed_dt_s = 0.5, o.order = 1;
            t[q] = make(12, 10, 20e-6, 1.0e-3, &p, &o);
            nd_tissue_puncture pu[2] = {{60e-6, 60e-6, 0.6e-3, 70e-6},
                                        {170e-6, 130e-6, 0.25e-3, 70e-6}};
            assert_int_equal(nd_tissue_puncture_add(t[q], pu, 2, &e), ND_OK);
            assert_int_equal(nd_tissue_set_surface(t[q], ND_TISSUE_AGENT, 1, 1.0, &e), ND_OK);
        }
        assert_int_equal(nd_tissue_run_to(t[0], 20.0, &e), ND_OK);
        for (int n = 1; n <= 40; n++) assert_int_equal(nd_tissue_run_to(t[1], 0.5 * n, &e), ND_OK);
        int nx, ny, nz;
        nd_tissue_size(t[0], &nx, &ny, &nz, NULL);
        double worst = 0.0, top = 0.0;
        for (int s = 0; s < ND_TISSUE_SPECIES; s++) {
            const double *a = nd_tissue_data(t[0], s), *b = nd_tissue_data(t[1], s);
            for (size_t v = 0; v < (size_t)nx * ny * nz; v++) {
                worst = fmax(worst, fabs(a[v] - b[v]));
                top = fmax(top, fabs(b[v]));
            }
        }
        printf("%s sides, 40 plain steps joined vs one at a time: largest difference %.1e "
               "(largest value %.3f)\n",
               periodic ? "periodic" : "no-flux", worst, top);
        assert_true(top > 0.1 && worst < 1e-12 * top);
        nd_tissue_free(t[0]);
        nd_tissue_free(t[1]);
    }
}

static void depth_read_outs(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_tissue *t = make(2, 1, 10e-6, 0.1e-3, &p, NULL);
    double *a = nd_tissue_data_mut(t, ND_TISSUE_AGENT);
    /* Column 0 falls linearly from 1 by 0.1 a level; column 1 is half of it. */
    for (int k = 0; k < 10; k++) a[2 * k] = 1.0 - 0.1 * k, a[2 * k + 1] = 0.5 * (1.0 - 0.1 * k);
    /* 0.55 lies between levels 4 (0.6, 45 um) and 5 (0.5, 55 um): 50 um. */
    assert_true(fabs(nd_tissue_depth_above(t, ND_TISSUE_AGENT, 0.55, 5e-6, 5e-6) - 50e-6) < 1e-12);
    assert_true(fabs(nd_tissue_depth_above(t, ND_TISSUE_AGENT, 0.275, 15e-6, 5e-6) - 50e-6) <
                1e-12);
    assert_true(nd_tissue_depth_above(t, ND_TISSUE_AGENT, 2.0, 5e-6, 5e-6) == 0.0);
    assert_true(nd_tissue_depth_above(t, ND_TISSUE_AGENT, -1.0, 5e-6, 5e-6) == 100e-6);
    /* Mean profile 0.75 (1 - 0.1 k): 0.3 between levels 5 and 6: 65 um. */
    assert_true(fabs(nd_tissue_mean_depth_above(t, ND_TISSUE_AGENT, 0.3) - 65e-6) < 1e-12);
    /* With a cream held at 1, a threshold above the top voxel's value is met
     * between the surface and the top centre. */
    assert_int_equal(nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, 1.0, &e), ND_OK);
    a = nd_tissue_data_mut(t, ND_TISSUE_AGENT);
    for (int k = 0; k < 10; k++) a[2 * k] = a[2 * k + 1] = 0.0;
    a[0] = a[1] = 0.5;
    assert_true(fabs(nd_tissue_depth_above(t, ND_TISSUE_AGENT, 0.75, 5e-6, 5e-6) - 2.5e-6) < 1e-12);
    nd_tissue_free(t);
}

/* A cream on intact skin feeds the tissue; taken off, the amount only falls
 * (clearance), and a needled site takes up more than an intact one. */
static void cream_on_and_off(void **state)
{
    (void)state;
    nd_tissue_params p;
    nd_error e;
    assert_int_equal(nd_tissue_params_load(NULL, 0, &p, &e), ND_OK);
    nd_tissue *intact = make(6, 6, 20e-6, 0.6e-3, &p, NULL);
    nd_tissue *needled = make(6, 6, 20e-6, 0.6e-3, &p, NULL);
    nd_tissue_puncture pu = {60e-6, 60e-6, 0.4e-3, 70e-6};
    assert_int_equal(nd_tissue_puncture_add(needled, &pu, 1, &e), ND_OK);
    nd_tissue *both[2] = {intact, needled};
    double on[2], off[2];
    for (int q = 0; q < 2; q++) {
        assert_int_equal(nd_tissue_set_surface(both[q], ND_TISSUE_AGENT, 1, 1.0, &e), ND_OK);
        assert_int_equal(nd_tissue_run_to(both[q], 600.0, &e), ND_OK);
        on[q] = nd_tissue_total(both[q], ND_TISSUE_AGENT);
        assert_int_equal(nd_tissue_set_surface(both[q], ND_TISSUE_AGENT, 0, 0.0, &e), ND_OK);
        assert_int_equal(nd_tissue_run_to(both[q], 1200.0, &e), ND_OK);
        off[q] = nd_tissue_total(both[q], ND_TISSUE_AGENT);
        assert_true(on[q] > 0.0 && off[q] < on[q]);
    }
    printf("agent after 10 min of cream (C0 m^3): intact %.3e, one channel %.3e\n", on[0], on[1]);
    assert_true(on[1] > 2.0 * on[0]);
    nd_tissue_free(intact);
    nd_tissue_free(needled);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parameters_load_and_refuse_bad_overrides),
        cmocka_unit_test(table_rows_are_sourced_and_documented),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(punctures_open_channels_and_bleed_where_vessels_are),
        cmocka_unit_test(channels_close_with_the_given_half_life),
        cmocka_unit_test(long_steps_through_clearance_only_lose_agent),
        cmocka_unit_test(still_species_follow_their_kinetics_exactly),
        cmocka_unit_test(mass_is_conserved),
        cmocka_unit_test(same_bits_for_any_number_of_threads),
        cmocka_unit_test(joined_steps_match_single_steps),
        cmocka_unit_test(depth_read_outs),
        cmocka_unit_test(cream_on_and_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
