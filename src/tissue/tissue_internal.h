/* The tissue solver's state, shared by the files of src/tissue/ only.
 *
 * Storage is structure of arrays: one contiguous, 64-byte aligned array of
 * nx ny nz doubles per species, x fastest.  Three sets: u (the state), a and b
 * (the full step and the two half steps of step doubling).  Layers are flat
 * across the volume (the site's boundaries), so every coefficient of a voxel
 * that is not in a channel depends on its depth level k alone: those are
 * tabulated per level, and only lines that cross a channel are solved with
 * per-voxel coefficients. */
#ifndef ND_TISSUE_INTERNAL_H
#define ND_TISSUE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "needle/tissue.h"

#define NS ND_TISSUE_SPECIES
#define NL ND_LAYER_COUNT

/* A channel whose openness falls below this is sealed (set to 0): its extra
 * diffusivity is then < 1e-12 x that of water, far under the stratum corneum,
 * and exponential decay is kept out of subnormal numbers. */
#define ND_TISSUE_OPEN_FLOOR 1e-12

/* The row kernels are built twice, for AVX2 and for the baseline, and the
 * loader picks one for the processor (GCC function multiversioning).  AVX2
 * without FMA: the vector code rounds exactly as the scalar code, so results
 * do not depend on which one runs. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define ND_TISSUE_SIMD __attribute__((target_clones("avx2", "default")))
#else
#define ND_TISSUE_SIMD
#endif

/* A factored constant-coefficient line matrix (tissue_tri.c). */
typedef struct {
    int n, periodic;
    double lo;       /* off-diagonal (the same above and below) */
    double *cp, *im; /* n each: Thomas factors, im = 1 / pivot */
    double *lm;      /* n: lo im, so the forward recurrence x_i = b_i im_i - lm_i x_{i-1}
                        waits on one product and one difference, not two products */
    double *z;       /* n, periodic only: Sherman-Morrison correction vector */
    double bg, den;  /* periodic only */
} nd_tri_const;

/* Coefficients of one species away from channels, per depth level k. */
typedef struct {
    double *cap;  /* nz: capacity, the volume-weighted partition of the voxel */
    double *plat; /* nz: lateral conductivity partition x D (m^2/s), volume weighted */
    double *az;   /* nz + 1: exchange rate across the face above level k (1/s);
                     az[0] is the surface face, az[nz] = 0 (no flux at the bottom) */
    double pch;   /* conductivity in a fully open channel (m^2/s) */
} nd_tissue_coef;

struct nd_tissue {
    int nx, ny, nz;
    size_t plane, n; /* nx ny, nx ny nz */
    double h;
    nd_layer_bounds bounds;
    nd_tissue_params p;
    nd_tissue_options o;
    int threads;

    double time;
    double dt_next;

    double *u[NS], *a[NS], *b[NS];
    double *dinc[NS]; /* increment of a diffusing species within a step */
    /* Row and plane strides of dinc: rows padded to whole cache lines, so
     * threads that split a plane into blocks of eight columns never write
     * one line (tissue_pass_down.c). */
    int dx;
    size_t dplane;
    double *chan; /* openness at puncture (max over punctures); 0 outside channels */

    double *frac;  /* nz x NL: share of voxel level k in each layer */
    double *half;  /* nz x 2 x NL: length (m) of each layer in the upper and lower
                      half of level k */
    int8_t *layer; /* nz: layer at the centre of level k */

    int moves[NS];  /* some diffusivity > 0 */
    int reacts[NS]; /* has kinetics (a nonzero row in some layer) */
    /* Live in the current run: a species that is zero everywhere, not held
     * at the surface and fed by no live species stays zero, and is skipped
     * (nd_tissue_run_to works this out whenever recheck is set). */
    int active[NS];
    int diffuses[NS]; /* moves and active */
    /* Live, but left out of the steps of a run: a species that does not
     * move, does not steer the moving ones (openness does) and exchanges
     * nothing with the stepped species through the kinetics is carried
     * exactly by exp(M dt) once per run (nd_tissue_run_to). */
    int lazy[NS];
    int recheck;
    nd_tissue_coef coef[NS];
    double rate[NL][NS][NS]; /* params.rate_per_s with the closure rate */

    int surface_on[NS];
    double surface_c0[NS];
    double scale[NS]; /* largest surface value held (0: none): automatic atol */

    /* Lines that cross a channel: solved voxel by voxel. */
    uint8_t *xgen; /* ny nz: x-line (j, k) */
    uint8_t *ygen; /* nx nz: y-line (i, k) */
    uint8_t *zgen; /* nx ny: z-column (i, j) */

    double *scratch; /* threads x scratch_len */
    size_t scratch_len;
    double *batch; /* threads x batch_len: lines through channels, solved together */
    size_t batch_len;
    /* Columns through channels (zgen), as voxel indices j nx + i in
     * increasing order, and per diffusing species their rows and factors for
     * the step: at [(k 5 + f) ncol + c], f = 0 .. 4, lo, di, up of I - dt A_z
     * (the explicit term) and cp, 1 / pivot of the vertical solve (own rate
     * included) in the step's direction of elimination; then the ncol
     * surface sources of row 0 and the ncol faces last set up, carried from
     * level to level (tissue_columns.c). */
    int *zcol;
    int ncol, zcap;
    double *zrow[NS];

    double *prop;     /* 2 x nz x NS x NS: phi1(M_k dt) for the step and the half step */
    double *mk;       /* nz x NS x NS: kinetics matrix per level */
    int8_t *msame;    /* nz: level k has the same matrix as k - 1 */
    double *zfac;     /* 2 x NS x 3 nz: background z factors per direction (nd_tissue_zfac) */
    nd_tri_const *xf; /* NS x nz: background x-line factors of the sub-step, per level */
    nd_tri_const *yf; /* NS x nz: the same for y lines (those of x when nx = ny) */
    double *xfac;     /* their memory: NS x nz x 4 nx (levels alike share one) */
    double *yfac;     /* NS x nz x 4 ny, unless nx = ny */

    nd_tissue_stats stats;
};

/* tissue.c: count doubles, 64-byte aligned (2 MB aligned and offered huge
 * pages from 2 MB up), zeroed when zero is set; free() releases them. */
double *nd_tissue_alloc(size_t count, int zero);

/* tissue_layers.c: what each depth level is made of, and the background
 * coefficients of every species. */
void nd_tissue_overlap(const nd_layer_bounds *b, double z0, double z1, double len[NL]);
void nd_tissue_levels_init(nd_tissue *t);
void nd_tissue_coef_init(nd_tissue *t);
/* Conductivity of layer L for species s in a voxel of openness o. */
double nd_tissue_layer_cond(const nd_tissue *t, int s, int layer, double o);
/* Resistance (s/m) of half h of level k (0 upper, 1 lower) at openness o. */
double nd_tissue_half_resistance(const nd_tissue *t, int s, int k, int half, double o);

/* tissue_kinetics.c: kinetics matrices per level and their exponentials. */
void nd_tissue_kinetics_init(nd_tissue *t);
/* phi1(M_k dt) = (M_k dt)^-1 (exp(M_k dt) - I) for every level, into e. */
void nd_tissue_phi1(nd_tissue *t, double dt, double *e);
/* exp(M_k dt) for every level, into e (nz x NS x NS). */
void nd_tissue_expm(nd_tissue *t, double dt, double *e);

/* tissue_tri.c: tridiagonal solves.  Row i: lo[i] x[i-1] + di[i] x[i] + up[i]
 * x[i+1] = b[i]; periodic rows wrap (lo[0] couples x[n-1], up[n-1] x[0]). */
/* Factor the constant-coefficient system 1 + 2r on the diagonal, -r off it,
 * with no-flux ends (1 + r) or periodic; cp, im, lm and z point at 4n doubles. */
void nd_tri_const_factor(nd_tri_const *f, int n, double r, int periodic, double *mem);
/* Solve one general system in place in b; work holds 3n doubles. */
void nd_tri_solve(int n, const double *lo, const double *di, const double *up, int periodic,
                  double *b, double *work);
/* nd_tri_solve of ng systems at once, row i of system g at [i * ng + g] of
 * lo, di, up and x (the same bits).  di and up are overwritten with the
 * factors; z (periodic only) holds n ng doubles, aux 3 ng. */
void nd_tri_batch_solve(int n, int ng, const double *lo, double *di, double *up, int periodic,
                        double *x, double *z, double *aux);

/* tissue_lines.c: rows of I - dt A along one line. */
double nd_tissue_lateral_face(const nd_tissue *t, int s, int k, double oa, double ob);
/* Background column factors of species s for the vertical correction, its
 * own first-order rate at each level included (tissue_step.c), eliminated
 * in direction dir (+1: k increasing, -1: decreasing): pc, the row's
 * coupling to the level eliminated before it; cp, its coupling to the next
 * over the pivot; im, 1 / pivot (nz each). */
void nd_tissue_column_factors(const nd_tissue *t, int s, double dt, int dir, double *pc, double *cp,
                              double *im);
/* Rows of I - dt A of ng lines along x or y at once (lines through channels),
 * line g of level lev[g], its voxel i at [i * ng + g] of o and of the rows;
 * cst holds 5 ng doubles. */
void nd_tissue_lateral_batch_rows(const nd_tissue *t, int s, int n, int ng, const int *lev,
                                  const double *o, double dt, double *lo, double *di, double *up,
                                  double *cst);
/* Background x- and y-line factors of every diffusing species for a step
 * of dt. */
void nd_tissue_lateral_factors(nd_tissue *t, double dt);
/* out[i * ostride] += dt (A u)_i = -(lo u[i-1] + (di - 1) u[i] + up u[i+1]). */
void nd_tissue_rows_apply(int n, const double *lo, const double *di, const double *up, int periodic,
                          const double *u, size_t ustride, double *out, size_t ostride);

/* One base step of the stabilising correction scheme from src into dst (in
 * place when equal) -- or, with acc != NULL, combined: acc = 2 result - acc
 * (order 2) or result (order 1), with the weighted error max |result - acc|
 * / (atol + rtol |.|).  Its vertical solve is eliminated in direction dir
 * (+1: k increasing, -1: decreasing) and substituted back the other way. */
typedef struct {
    double dt;
    const double *phi; /* phi1(dt M_k) per level (tissue_kinetics.c) */
    double *const *src, *const *dst, *const *acc;
    int dir;
} nd_tissue_substep;

/* What one thread does on every plane of a sweep: the rows j0 .. j1 (and
 * the columns through channels zcol[c0 .. c1) that lie in them), and work
 * items id, id + nth, ... of the diffusing species' planes in nblk blocks
 * of columns; its scratch w and batch memory bw; and per diffusing species
 * the plane of the increment that the up part reads next (NULL if none),
 * fetched into cache while the down part computes. */
typedef struct {
    int id, nth, j0, j1, c0, c1;
    int ndiff, diff[NS], nblk;
    double *w, *bw;
    const double *ahead[NS];
} nd_tissue_part;

/* tissue_sweep.c: one sweep through the x-y planes, finishing step up (the
 * back substitution, kinetics and update) and starting step down (the
 * explicit term, x and y solves and the forward elimination), either NULL,
 * in down's direction of elimination (the opposite of up's); down's planes
 * trail up's by one or two.  The columns through channels (zcol, ncol) must be
 * current (nd_tissue_run_to keeps them).  Returns up's error estimate when
 * it combines (0 otherwise; infinity on a value that is not finite). */
double nd_tissue_sweep(nd_tissue *t, const nd_tissue_substep *up, const nd_tissue_substep *down);

/* tissue_columns.c: the rows and factors at level k of the part's columns
 * through channels, for step st (the level before in its direction of
 * elimination done). */
void nd_tissue_down_columns(nd_tissue *t, const nd_tissue_substep *st, int k,
                            const nd_tissue_part *p);
/* tissue_pass_down.c: the down part of a step.  Setup (one thread, before
 * the sweep): the background line factors for its dt and direction.  Rows:
 * plane k's explicit increment and x solves on the part's rows (after the
 * columns' level k).  Lines: the y solves and the forward elimination on
 * the part's work items, once every row of plane k is done. */
void nd_tissue_down_setup(nd_tissue *t, const nd_tissue_substep *st);
void nd_tissue_down_rows(nd_tissue *t, const nd_tissue_substep *st, int k, const nd_tissue_part *p);
void nd_tissue_down_lines(nd_tissue *t, const nd_tissue_substep *st, int k,
                          const nd_tissue_part *p);
/* tissue_pass_up.c: the up part of a step on the part's rows of plane k,
 * the plane before it in the sweep already done: the back substitution,
 * the kinetics' correction and the update or combination.  Returns the
 * rows' error maximum; *bad is set on a value that is not finite. */
double nd_tissue_up_rows(const nd_tissue *t, const nd_tissue_substep *st, int k,
                         const nd_tissue_part *p, int *bad);
/* tissue_xlines.c: (I - dt A_x) d = d in place on the rows among j0 .. j1
 * of plane k of species s that cross no channel (d: that plane of the
 * increment). */
void nd_tissue_x_background(const nd_tissue *t, int s, int k, int j0, int j1, double *d);

/* First-order rate of species s on itself at level k (1/s; < 0 for
 * clearance and decay). */
static inline double nd_tissue_self_rate(const nd_tissue *t, int s, int k)
{
    return t->mk[((size_t)k * NS + s) * NS + s];
}

/* Background column factors of species s eliminated in direction dir: pc,
 * cp, im (nz each, nd_tissue_column_factors). */
static inline double *nd_tissue_zfac(const nd_tissue *t, int s, int dir)
{
    return t->zfac + ((size_t)(dir < 0) * NS + (size_t)s) * 3 * (size_t)t->nz;
}

/* Per-thread scratch of the calling thread. */
static inline double *nd_tissue_scratch(const nd_tissue *t, int thread)
{
    return t->scratch + (size_t)thread * t->scratch_len;
}

/* Per-thread memory for the lines through channels. */
static inline double *nd_tissue_batch(const nd_tissue *t, int thread)
{
    return t->batch + (size_t)thread * t->batch_len;
}

/* Stepped: live, not carried apart (lazy), and diffuses or reacts.  Other
 * species are constant and never touched by a step. */
static inline int nd_tissue_stepped(const nd_tissue *t, int s)
{
    return t->active[s] && !t->lazy[s] && (t->moves[s] || t->reacts[s]);
}

#endif
