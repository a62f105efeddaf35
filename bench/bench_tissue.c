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
 *    It prints voxel-species updates per second for the diffusing species,
 *    the bytes per update that the solver's sweeps stream (its own count of
 *    array reads and writes, the same convention as the triad), the bound
 *    that bandwidth puts on the rate, and the share of it reached.
 * 3. For plain steps, a check of that bound: the same arrays (one per
 *    stepped species, one increment per diffusing one, one per other species
 *    read as a source; 1e6 voxels each) read and written as the sweeps do,
 *    plane by plane, with no arithmetic to speak of -- what the step
 *    would take if memory were all it cost.  Its bytes are the solver's
 *    count; its rate is what that traffic allows here, with this mix of reads
 *    and writes rather than the triad's.
 * A shared machine's bandwidth drifts by tens of per cent within a minute,
 * so plain steps are timed over seven spans, each with the triad and the
 * same traffic measured just before and just after it: each span's share
 * is taken against the bandwidth of its own moment, and the median and
 * the range over the spans are printed.  Within a span the solver is
 * timed as the triad and the same traffic are, the best of three runs (of
 * 10 s of simulated time each), so that a neighbour's burst on the shared
 * memory counts against neither side.  The adaptive run (one span, one
 * run) is measured against the triad around it.
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

/* The STREAM triad's arrays, kept for the whole run. */
typedef struct {
    double *a, *b, *c;
    long n;
} triad_mem;

static int triad_init(triad_mem *m)
{
    m->n = 1L << 25; /* 3 x 256 MiB */
    m->a = malloc(sizeof *m->a * m->n);
    m->b = malloc(sizeof *m->b * m->n);
    m->c = malloc(sizeof *m->c * m->n);
    if (!m->a || !m->b || !m->c) return 1;
#pragma omp parallel for schedule(static)
    for (long i = 0; i < m->n; i++) m->a[i] = 0.0, m->b[i] = 1.0, m->c[i] = 2.0;
    return 0;
}

static void triad_free(triad_mem *m)
{
    free(m->a), free(m->b), free(m->c);
}

/* Best triad bandwidth (bytes/s) of reps runs. */
static double triad(const triad_mem *m, int threads, int reps)
{
    double best = 1e30, *a = m->a;
    const double *b = m->b, *c = m->c;
    const long n = m->n;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (long i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    return a[n / 2] == 7.0 ? 24.0 * (double)n / best : 0.0;
}

/* The plain step's memory traffic alone, in one pass through the planes as
 * the solver's sweeps make it (one step's up part joined to the next one's
 * down part): per plane, each diffusing species' increment and u are read,
 * u is written and the next increment written over the one just read; each
 * other stepped species' u is read and written; the nsrc other species
 * that feed the diffusing ones are read.  mem holds nstep u arrays, then
 * ndiff increments, then the nsrc sources.  Returns diffusing-voxel
 * updates per second, best of reps. */
static double pass_floor(double *mem, int threads, int ndiff, int nstep, int nsrc, long planes,
                         long plane, int reps)
{
    const long n = planes * plane;
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (long k = 0; k < planes; k++)
            for (int s = 0; s < nstep; s++) {
                double *u = mem + (size_t)s * n + k * plane;
                if (s >= ndiff) {
                    for (long i = 0; i < plane; i++) u[i] *= 0.999;
                    continue;
                }
                double *d = mem + (size_t)(nstep + s) * n + k * plane;
                for (long i = 0; i < plane; i++) {
                    const double v = u[i] + 1e-3 * d[i];
                    u[i] = v;
                    d[i] = 0.5 * v;
                }
                for (int q = s; q < nsrc; q += ndiff) { /* the sources, shared out */
                    const double *f = mem + (size_t)(nstep + ndiff + q) * n + k * plane;
                    for (long i = 0; i < plane; i++) d[i] += 1e-3 * f[i];
                }
            }
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    return (double)ndiff * (double)n / best;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0 .. n) (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void range(const double *v, int n, double *lo, double *hi)
{
    *lo = *hi = v[0];
    for (int q = 1; q < n; q++) {
        *lo = v[q] < *lo ? v[q] : *lo;
        *hi = v[q] > *hi ? v[q] : *hi;
    }
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

#define SPANS 7

static int run(const char *label, int threads, double fixed_dt, double span, const triad_mem *tm)
{
    nd_error err;
    nd_tissue *t = site(threads, fixed_dt, &err);
    if (!t) {
        fprintf(stderr, "bench_tissue: %s\n", err.message);
        return 1;
    }
    int nx, ny, nz;
    double h;
    nd_tissue_size(t, &nx, &ny, &nz, &h);
    const double vox = (double)nx * ny * nz;
    const long plane = (long)nx * ny;
    const int plain = fixed_dt > 0.0, spans = plain ? SPANS : 1;
    double rate[SPANS], share[SPANS], floor_share[SPANS], per = 0.0, steps = 0.0;
    double *mem = NULL;
    int ndiff = 0, nstep = 0, nsrc = 0, rc = 0;
    for (int q = 0; q < spans && rc == 0; q++) {
        double bw0 = triad(tm, threads, 3);
        double fl0 = mem ? pass_floor(mem, threads, ndiff, nstep, nsrc, nz, plane, 3) : 0.0;
        /* The solver timed as the triad is: the best of three runs of the
         * span (plain steps; their counts are the same each run). */
        nd_tissue_stats s0, s1;
        double wall = 1e30;
        for (int r = 0; r < (plain ? 3 : 1) && rc == 0; r++) {
            nd_tissue_stats_get(t, &s0);
            double t0 = now();
            if (nd_tissue_run_to(t, nd_tissue_time(t) + span, &err)) {
                fprintf(stderr, "bench_tissue: %s\n", err.message);
                rc = 1;
            }
            double w = now() - t0;
            wall = w < wall ? w : wall;
            nd_tissue_stats_get(t, &s1);
        }
        if (rc) break;
        double upd = (double)(s1.diffusing_updates - s0.diffusing_updates);
        double all = (double)(s1.voxel_updates - s0.voxel_updates);
        steps = (double)(s1.steps - s0.steps);
        per = (s1.bytes_streamed - s0.bytes_streamed) / upd;
        if (plain && !mem) { /* the same traffic's arrays, once its shape is known */
            ndiff = (int)lround(upd / (vox * steps)), nstep = (int)lround(all / (vox * steps));
            /* Arrays read beyond the u and increments the sweeps stream. */
            nsrc = (int)lround(per * ndiff / 8.0) - (2 * ndiff + 2 * nstep);
            nsrc = nsrc > 0 ? nsrc : 0;
            const size_t arrays = (size_t)(ndiff + nstep + nsrc);
            mem = ndiff >= 1 && nstep >= ndiff ? malloc(sizeof *mem * (size_t)vox * arrays) : NULL;
            if (!mem) {
                fprintf(stderr, "bench_tissue: out of memory for the same-traffic arrays\n");
                rc = 1;
                break;
            }
            for (size_t v = 0; v < (size_t)vox * arrays; v++) mem[v] = 1.0;
            fl0 = pass_floor(mem, threads, ndiff, nstep, nsrc, nz, plane, 3);
        }
        double bw = 0.5 * (bw0 + triad(tm, threads, 3));
        rate[q] = upd / wall;
        share[q] = rate[q] * per / bw;
        if (mem)
            floor_share[q] =
                rate[q] /
                (0.5 * (fl0 + pass_floor(mem, threads, ndiff, nstep, nsrc, nz, plane, 3)));
    }
    if (rc == 0) {
        double r = median(rate, spans), lo, hi;
        printf("%-9s %d thread%s %3.0f steps a run   %5.1f B/update  %6.1f M diffusing updates/s"
               "  %4.1fx BioFVM%s\n",
               label, threads, threads == 1 ? " " : "s", steps, per, r / 1e6,
               r / BIOFVM_UPDATES_PER_S, plain ? "  (median of the spans)" : "");
        range(share, spans, &lo, &hi);
        printf("          triad bound reached %3.0f %%", 100.0 * median(share, spans));
        if (plain) printf(" (spans %.0f-%.0f %%)", 100.0 * lo, 100.0 * hi);
        printf("\n");
        if (plain) {
            range(floor_share, spans, &lo, &hi);
            printf("          the same traffic alone (%d + %d + %d arrays, %.0f B/update) reached "
                   "%3.0f %% (spans %.0f-%.0f %%)\n",
                   nstep, ndiff, nsrc, 8.0 * (2 * ndiff + 2 * nstep + nsrc) / ndiff,
                   100.0 * median(floor_share, spans), 100.0 * lo, 100.0 * hi);
        }
    }
    free(mem);
    nd_tissue_free(t);
    return rc;
}

int main(void)
{
    int cores = omp_get_num_procs();
    printf("needle bench: tissue solver, 100 x 100 x 100 voxels x 8 species (4 diffuse)\n");
    triad_mem tm;
    if (triad_init(&tm)) {
        fprintf(stderr, "bench_tissue: out of memory for the triad arrays\n");
        triad_free(&tm);
        return 1;
    }
    double bw1 = triad(&tm, 1, 10), bwn = cores > 1 ? triad(&tm, cores, 10) : bw1;
    printf("memory bandwidth (STREAM triad, 3 x 256 MiB, best of 10): %.1f GB/s on 1 thread, "
           "%.1f GB/s on %d; measured again around every span below\n",
           bw1 / 1e9, bwn / 1e9, cores);
    printf("reference: BioFVM, about %.1e voxel-substrate updates/s on this 2-core machine "
           "(quoted, not run)\n",
           BIOFVM_UPDATES_PER_S);
    int rc = 0;
    rc |= run("plain", 1, 1.0, 10.0, &tm);
    if (cores > 1) rc |= run("plain", cores, 1.0, 10.0, &tm);
    rc |= run("adaptive", 1, 0.0, 540.0, &tm);
    if (cores > 1) rc |= run("adaptive", cores, 0.0, 540.0, &tm);
    triad_free(&tm);
    return rc;
}
