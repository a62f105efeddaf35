/* A sweep through the x-y planes that finishes one step and starts the next.
 *
 * A step has two parts (tissue_pass_down.c, tissue_pass_up.c): the down
 * part makes each plane's increment and eliminates it along the columns,
 * plane after plane; the up part climbs back with the back substitution and
 * the update.  Taken one after the other, a step reads u twice (the down
 * part for the explicit term, the up part for the update) and its
 * increment leaves the cache between the two.  So consecutive steps are
 * joined: the up part of step n and the down part of step n + 1 go
 * through the planes together, step n + 1 trailing by a plane or two (its
 * explicit term needs the planes on both sides, final once step n has
 * updated them), and step n + 1 eliminates in the direction step n
 * substitutes, so the directions alternate from step to step.  Each plane
 * of u is then read once and written once a step, and the increment of
 * step n + 1 is written into lines that step n has just read: the memory
 * traffic of a diffusing species falls from 5 array passes to 4 (6 to 4
 * counting the read that allocates a written line), and the increment
 * plane that the up part reads next streams in while the down part
 * computes (nd_bench_tissue).
 *
 * Threads: the up part splits each plane by rows (the same rows on every
 * plane).  The down part goes by species when the diffusing species share
 * out evenly (one thread, or two with four species): a thread takes a
 * species' plane through every phase, and one barrier a plane, after the up
 * part (whose rows the explicit term a plane behind reads), suffices.
 * Otherwise the down part splits by rows for the explicit term and the x
 * solves, then, after a barrier (a y line crosses every row), by species or
 * blocks of columns for the y solves and the elimination; trailing the up
 * part by two planes, it needs no other barrier.  Elsewhere each thread
 * reads only what it wrote itself, or planes no other thread touches in
 * that phase.  No floating-point sum depends on the split, so any number
 * of threads gives the same bits. */
#include <math.h>
#include <omp.h>

#include "tissue/tissue_internal.h"

/* Species f feeds the kinetics of a stepped species r != f that diffuses
 * (diffusing = 1: read in the down part's explicit term) or does not (0:
 * read in the up part's kinetics), at some level. */
static int feeds(const nd_tissue *t, int f, int diffusing)
{
    for (int r = 0; r < NS; r++) {
        if (r == f || !nd_tissue_stepped(t, r) || t->diffuses[r] != diffusing) continue;
        for (int k = 0; k < t->nz; k++)
            if (t->mk[((size_t)k * NS + r) * NS + f] != 0.0) return 1;
    }
    return 0;
}

/* Model count of the bytes a sweep streams from memory, per voxel.  The up
 * part reads the increment and u of each stepped species and writes the
 * result (or reads and writes the full step when combining), and reads any
 * constant species that feeds one that does not move.  The down part
 * writes the increment of each diffusing species and reads its u and any
 * other species that feeds one -- unless the up part of the same sweep has
 * just read or written that plane (a plane or two before): a cache hit.
 * Neighbouring rows and planes are cache hits.  Writes count once, as in
 * the STREAM triad (the read that allocates a written line is not counted;
 * nd_bench_tissue checks the count against the same traffic alone).
 * Openness read on lines through channels is not counted. */
static double sweep_bytes(const nd_tissue *t, const nd_tissue_substep *up,
                          const nd_tissue_substep *down)
{
    double per = 0.0;
    for (int s = 0; s < NS; s++) {
        const int stepped = nd_tissue_stepped(t, s);
        if (up && stepped)
            per += (t->diffuses[s] ? 8.0 : 0.0) + 8.0 + (up->acc ? 16.0 : 8.0);
        else if (up)
            per += 8.0 * feeds(t, s, 0);
        if (!down) continue;
        if (t->diffuses[s]) per += 8.0;
        const int cached = up && (stepped ? down->src[s] == up->src[s] || down->src[s] == up->dst[s]
                                          : feeds(t, s, 0));
        if ((t->diffuses[s] || feeds(t, s, 1)) && !cached) per += 8.0;
    }
    return per;
}

/* The plane a sweep in direction dir visits i-th. */
static inline int plane_at(int nz, int dir, int i)
{
    return dir > 0 ? i : nz - 1 - i;
}

double nd_tissue_sweep(nd_tissue *t, const nd_tissue_substep *up, const nd_tissue_substep *down)
{
    const int nx = t->nx, ny = t->ny, nz = t->nz;
    const int dir = down ? down->dir : -up->dir;
    int ndiff = 0, diff[NS];
    for (int s = 0; s < NS; s++)
        if (t->diffuses[s]) diff[ndiff++] = s;
    if (down) nd_tissue_down_setup(t, down);
    double err = 0.0;
    int bad = 0;
#pragma omp parallel num_threads(t->threads) reduction(max : err) reduction(| : bad)
    {
        nd_tissue_part p;
        p.id = omp_get_thread_num(), p.nth = omp_get_num_threads();
        p.j0 = (int)((long)ny * p.id / p.nth), p.j1 = (int)((long)ny * (p.id + 1) / p.nth);
        for (p.c0 = 0; p.c0 < t->ncol && t->zcol[p.c0] < p.j0 * nx; p.c0++) continue;
        for (p.c1 = p.c0; p.c1 < t->ncol && t->zcol[p.c1] < p.j1 * nx; p.c1++) continue;
        p.ndiff = ndiff;
        for (int q = 0; q < ndiff; q++) p.diff[q] = diff[q];
        /* Whole planes of a species per work item, unless threads outnumber
         * the species that diffuse. */
        p.nblk = ndiff > 0 && p.nth > ndiff ? (p.nth + ndiff - 1) / ndiff : 1;
        p.w = nd_tissue_scratch(t, p.id), p.bw = nd_tissue_batch(t, p.id);
        /* The down part by species when they share out evenly: a thread
         * then takes a species' plane through every phase while it is in
         * its cache, with no barrier between the phases (a few per cent
         * faster on one thread and on two); otherwise by rows, then by
         * species or blocks of columns. */
        const int whole = p.nth == 1 || (ndiff > 0 && ndiff % p.nth == 0);
        const int lag = up && down ? (whole ? 1 : 2) : 0;
        for (int i = 0; i < nz + lag; i++) {
            const int ku = up && i < nz ? plane_at(nz, dir, i) : -1;
            const int kd = down && i >= lag ? plane_at(nz, dir, i - lag) : -1;
            if (ku >= 0 && p.j0 < p.j1) {
                double e = nd_tissue_up_rows(t, up, ku, &p, &bad);
                err = e > err ? e : err;
            }
            /* The up part's next plane of each increment, read from memory
             * while this plane's explicit term computes: the two overlap
             * (about a tenth faster, nd_bench_tissue), where each waited on
             * the other; more (u as well) was no faster. */
            const int kn = up && i + 1 < nz ? plane_at(nz, dir, i + 1) : -1;
            for (int s = 0; s < NS; s++)
                p.ahead[s] = kn >= 0 && t->diffuses[s] ? t->dinc[s] + (size_t)kn * t->dplane : NULL;
            if (whole) {
                if (kd < 0) continue;
                /* The explicit term reads the plane just updated. */
                if (ku >= 0) {
#pragma omp barrier
                }
                nd_tissue_part one = p;
                one.id = 0, one.nth = 1, one.ndiff = 1, one.nblk = 1;
                one.j0 = 0, one.j1 = ny, one.c0 = 0, one.c1 = t->ncol;
                for (int q = p.id; q < ndiff; q += p.nth) {
                    one.diff[0] = diff[q];
                    nd_tissue_down_columns(t, down, kd, &one);
                    nd_tissue_down_rows(t, down, kd, &one);
                    nd_tissue_down_lines(t, down, kd, &one);
                }
                continue;
            }
            if (kd < 0) {
                /* The first explicit term reads planes 0 and 1 of the sweep:
                 * from here on, the barrier below orders each plane's
                 * updates before the explicit term two planes behind. */
                if (i == lag - 1) {
#pragma omp barrier
                }
                continue;
            }
            nd_tissue_down_columns(t, down, kd, &p);
            nd_tissue_down_rows(t, down, kd, &p);
#pragma omp barrier
            nd_tissue_down_lines(t, down, kd, &p);
        }
    }
    t->stats.bytes_streamed += sweep_bytes(t, up, down) * (double)t->n;
    if (down) t->stats.substeps++;
    return bad ? INFINITY : err;
}
