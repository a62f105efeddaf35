/* make bench: throughput of the tissue solver against the memory bandwidth.
 *
 * 1. The machine's memory bandwidth, measured here: a STREAM triad
 *    a[i] = b[i] + s c[i] (McCalpin's convention: 24 bytes per element, the
 *    write-allocate read not counted) over arrays far larger than the caches,
 *    best of 10, on 1 thread and on all of them.
 * 2. The solver on a 100 x 100 x 100 grid (20 um voxels: 2 x 2 x 2 mm of
 *    cheek skin with 9 channels 0.6 mm apart, a cream on the surface; 8
 *    species of which 4 diffuse and 4 only react), after the first minute:
 *    - plain steps (fixed dt, the first-order base step: one explicit
 *      evaluation and one sweep of x, y and z line solves) -- the same kind of
 *      update as a general-purpose code such as BioFVM makes;
 *    - adaptive steps (the default: step doubling, second order, error
 *      controlled; three base steps per attempt).
 *    Plain steps are timed over three spans of 10 s, the fastest kept.
 *    It prints voxel-species updates per second for the diffusing species,
 *    the bytes per update that the solver's passes stream (its own count of
 *    array reads and writes, the same convention as the triad), the bound
 *    that bandwidth puts on the rate, and the share of it reached.
 * 3. For plain steps, a check of that bound: the same arrays (one per
 *    stepped species, one increment per diffusing one, 1e6 voxels each) read
 *    and written as the two passes do, plane by plane, with no arithmetic to
 *    speak of -- what the step would take if memory were all it cost.  Its
 *    bytes are the solver's count; its rate is what that traffic allows here,
 *    with this mix of reads and writes rather than the triad's.
 * BioFVM's figure on this 2-core machine, about 1.2e7 voxel-substrate
 * updates per second, is quoted, not measured: BioFVM is not run here. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "needle/tissue.h"

#define BIOFVM_UPDATES_PER_S 1.2e7

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double triad(int threads)
{
    const long n = 1L << 25; /* 3 x 256 MiB */
    double *a = malloc(sizeof *a * n), *b = malloc(sizeof *b * n), *c = malloc(sizeof *c * n);
    if (!a || !b || !c) {
        free(a), free(b), free(c);
        return 0.0;
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < n; i++) a[i] = 0.0, b[i] = 1.0, c[i] = 2.0;
    double best = 1e30;
    for (int r = 0; r < 10; r++) {
        double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (long i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    double check = a[n / 2];
    free(a), free(b), free(c);
    return check == 7.0 ? 24.0 * (double)n / best : 0.0;
}

/* The plain step's memory traffic alone: pass 1 reads u and writes the
 * increment of each diffusing species, pass 2 reads every increment and u and
 * writes u.  Returns diffusing-voxel updates per second, best of 10. */
static double pass_floor(int threads, int ndiff, int nstep, long planes, long plane)
{
    const long n = planes * plane;
    double *mem = malloc(sizeof *mem * n * (size_t)(ndiff + nstep));
    if (!mem || ndiff < 1 || nstep < ndiff) {
        free(mem);
        return 0.0;
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long v = 0; v < n * (ndiff + nstep); v++) mem[v] = 1.0;
    double best = 1e30;
    for (int r = 0; r < 10; r++) {
        double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (long k = 0; k < planes; k++)
            for (int s = 0; s < ndiff; s++) {
                const double *u = mem + (size_t)s * n + k * plane;
                double *d = mem + (size_t)(nstep + s) * n + k * plane;
                for (long i = 0; i < plane; i++) d[i] = 0.5 * u[i];
            }
#pragma omp parallel for num_threads(threads) schedule(static)
        for (long k = 0; k < planes; k++)
            for (int s = 0; s < nstep; s++) {
                double *u = mem + (size_t)s * n + k * plane;
                const double *d = s < ndiff ? mem + (size_t)(nstep + s) * n + k * plane : u;
                for (long i = 0; i < plane; i++) u[i] += 1e-3 * d[i];
            }
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    free(mem);
    return (double)ndiff * (double)n / best;
}

static nd_tissue *site(int threads, double fixed_dt, nd_error *err)
{
    nd_tissue_params p;
    if (nd_tissue_params_load(NULL, 0, &p, err)) return NULL;
    /* Cheek of a 40-year-old woman: SC 16.8 um, epidermis to 70 um,
     * papillary dermis to 330 um, reticular to 1.2 mm, then fat. */
    nd_tissue_geometry g = {100, 100, 20e-6, 2.0e-3, {{16.8e-6f, 70e-6f, 330e-6f, 1.2e-3f}}};
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.threads = threads;
    o.fixed_dt_s = fixed_dt;
    o.order = fixed_dt > 0.0 ? 1 : 2;
    nd_tissue *t;
    if (nd_tissue_create(&g, &p, &o, &t, err)) return NULL;
    nd_tissue_puncture pu[9];
    for (int q = 0; q < 9; q++)
        pu[q] = (nd_tissue_puncture){0.4e-3 + 0.6e-3 * (q % 3), 0.4e-3 + 0.6e-3 * (q / 3), 0.9e-3,
                                     70e-6};
    if (nd_tissue_puncture_add(t, pu, 9, err) ||
        nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, 1.0, err) || nd_tissue_run_to(t, 60.0, err)) {
        nd_tissue_free(t);
        return NULL;
    }
    return t;
}

static int run(const char *label, int threads, double fixed_dt, double span, double bw)
{
    nd_error err;
    nd_tissue *t = site(threads, fixed_dt, &err);
    if (!t) {
        fprintf(stderr, "bench_tissue: %s\n", err.message);
        return 1;
    }
    /* Plain steps all do the same work: the fastest of three spans, as the
     * machine may be shared.  Adaptive steps lengthen as the site evolves, so
     * one fixed span is timed. */
    nd_tissue_stats s0 = {0}, s1 = {0};
    double wall = 1e30;
    for (int rep = 0; rep < (fixed_dt > 0.0 ? 3 : 1); rep++) {
        nd_tissue_stats a0, a1;
        nd_tissue_stats_get(t, &a0);
        double t0 = now();
        if (nd_tissue_run_to(t, nd_tissue_time(t) + span, &err)) {
            fprintf(stderr, "bench_tissue: %s\n", err.message);
            nd_tissue_free(t);
            return 1;
        }
        double w = now() - t0;
        nd_tissue_stats_get(t, &a1);
        if (w < wall) wall = w, s0 = a0, s1 = a1;
    }
    double upd = (double)(s1.diffusing_updates - s0.diffusing_updates);
    double all = (double)(s1.voxel_updates - s0.voxel_updates);
    double bytes = s1.bytes_streamed - s0.bytes_streamed;
    double rate = upd / wall, per = bytes / upd, bound = bw / per;
    printf("%-9s %d thread%s %4lu steps %6.2f s  %6.1f M diffusing updates/s (%5.1f M all)"
           "  %5.1f B/update  bound %6.1f M/s  reached %3.0f %%  %4.1fx BioFVM\n",
           label, threads, threads == 1 ? " " : "s", (unsigned long)(s1.steps - s0.steps), wall,
           rate / 1e6, all / wall / 1e6, per, bound / 1e6, 100.0 * rate / bound,
           rate / BIOFVM_UPDATES_PER_S);
    if (fixed_dt > 0.0) {
        int nx, ny, nz;
        double h;
        nd_tissue_size(t, &nx, &ny, &nz, &h);
        double vox = (double)nx * ny * nz, steps = (double)(s1.steps - s0.steps);
        int ndiff = (int)lround(upd / (vox * steps)), nstep = (int)lround(all / (vox * steps));
        double fl = pass_floor(threads, ndiff, nstep, nz, (long)nx * ny);
        printf("          the same traffic alone (%d + %d arrays, %.0f B/update): %6.1f M/s"
               " (%.1f GB/s)  reached %3.0f %%\n",
               nstep, ndiff, 8.0 * (3 * ndiff + 2 * nstep) / ndiff, fl / 1e6,
               fl * 8.0 * (3 * ndiff + 2 * nstep) / ndiff / 1e9, 100.0 * rate / fl);
    }
    nd_tissue_free(t);
    return 0;
}

int main(void)
{
    int cores = omp_get_num_procs();
    printf("needle bench: tissue solver, 100 x 100 x 100 voxels x 8 species (4 diffuse)\n");
    double bw1 = triad(1), bwn = cores > 1 ? triad(cores) : bw1;
    printf("memory bandwidth (STREAM triad, 3 x 256 MiB, best of 10): %.1f GB/s on 1 thread, "
           "%.1f GB/s on %d\n",
           bw1 / 1e9, bwn / 1e9, cores);
    printf("reference: BioFVM, about %.1e voxel-substrate updates/s on this 2-core machine "
           "(quoted, not run)\n",
           BIOFVM_UPDATES_PER_S);
    int rc = 0;
    rc |= run("plain", 1, 1.0, 10.0, bw1);
    if (cores > 1) rc |= run("plain", cores, 1.0, 10.0, bwn);
    rc |= run("adaptive", 1, 0.0, 540.0, bw1);
    if (cores > 1) rc |= run("adaptive", cores, 0.0, 540.0, bwn);
    return rc;
}
