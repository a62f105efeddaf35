/* The tissue volume: creation, checks, settings and access; see
 * include/needle/tissue.h.  Stepping is in tissue_step.c, the sweeps that
 * join the two parts of consecutive steps in tissue_sweep.c, the parts in
 * tissue_pass_*.c, read-outs in tissue_readout.c. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tissue/tissue_internal.h"

static const char *const species_names[NS] = {
    "agent",     "blood",     "signal",  "fibroblast", "openness",
    "collagen1", "collagen3", "elastin", "serum",
};

const char *nd_tissue_species_name(int species)
{
    return species >= 0 && species < NS ? species_names[species] : NULL;
}

void nd_tissue_options_default(nd_tissue_options *o)
{
    memset(o, 0, sizeof *o);
    o->order = 2;
    o->rtol = 1e-3;
    o->dt_initial_s = 0.1;
    o->dt_min_s = 1e-9;
}

/* 64-byte aligned doubles (a cache line, and room for any SIMD width).  A
 * step streams a dozen species arrays at once, each at three neighbouring
 * planes, so arrays of 2 MB or more are put on 2 MB boundaries and offered
 * huge pages (where the kernel gives them only on request): far fewer pages
 * for the TLB to hold. */
double *nd_tissue_alloc(size_t count, int zero)
{
    const size_t huge = (size_t)2 << 20;
    size_t bytes = (count * sizeof(double) + 63) / 64 * 64;
    if (bytes == 0) bytes = 64;
    double *p;
    if (bytes >= huge) {
        bytes = (bytes + huge - 1) / huge * huge;
        p = aligned_alloc(huge, bytes);
#ifdef MADV_HUGEPAGE
        if (p) madvise(p, bytes, MADV_HUGEPAGE); /* advice only: its failure changes nothing */
#endif
    } else {
        p = aligned_alloc(64, bytes);
    }
    if (p && zero) memset(p, 0, bytes);
    return p;
}

static double *dalloc(size_t count)
{
    return nd_tissue_alloc(count, 1);
}

void nd_tissue_free(nd_tissue *t)
{
    if (!t) return;
    for (int s = 0; s < NS; s++) {
        free(t->u[s]);
        free(t->a[s]);
        free(t->b[s]);
        free(t->dinc[s]);
        free(t->zrow[s]);
        free(t->coef[s].cap);
        free(t->coef[s].plat);
        free(t->coef[s].az);
    }
    free(t->chan);
    free(t->frac);
    free(t->half);
    free(t->layer);
    free(t->xgen);
    free(t->ygen);
    free(t->zgen);
    free(t->scratch);
    free(t->batch);
    free(t->zcol);
    free(t->prop);
    free(t->mk);
    free(t->msame);
    free(t->zfac);
    free(t->xf);
    free(t->xfac);
    free(t->yf);
    free(t->yfac);
    free(t);
}

static int finite_nonneg(double v)
{
    return isfinite(v) && v >= 0.0;
}

static nd_status check_geometry(const nd_tissue_geometry *g, nd_error *err)
{
    if (g->nx < 1 || g->ny < 1)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "nx", "nx and ny must be at least 1");
    if (!(isfinite(g->voxel_m) && g->voxel_m > 0.0))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "voxel_m", "voxel size must be > 0");
    if (!(isfinite(g->depth_m) && g->depth_m >= g->voxel_m))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "depth_m",
                           "depth must be at least one voxel");
    double nz = ceil(g->depth_m / g->voxel_m - 1e-9);
    if ((double)g->nx * g->ny * nz > 4e9)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "nx", "more than 4e9 voxels");
    double prev = 0.0;
    for (int l = 0; l < NL - 1; l++) {
        double b = g->bounds.bottom_m[l];
        if (!(isfinite(b) && b >= prev))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "bounds",
                               "layer boundaries must be finite and increase with depth");
        prev = b;
    }
    return ND_OK;
}

static nd_status check_params(const nd_tissue_params *p, nd_error *err)
{
    for (int s = 0; s < NS; s++) {
        if (!finite_nonneg(p->channel_diffusivity_m2_s[s]))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, species_names[s],
                               "channel diffusivity must be finite and >= 0");
        for (int l = 0; l < NL; l++) {
            if (!finite_nonneg(p->diffusivity_m2_s[s][l]))
                return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, species_names[s],
                                   "diffusivity in %s must be finite and >= 0", nd_layer_name(l));
            if (!(isfinite(p->partition[s][l]) && p->partition[s][l] > 0.0))
                return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, species_names[s],
                                   "partition in %s must be > 0", nd_layer_name(l));
            for (int f = 0; f < NS; f++)
                if (!isfinite(p->rate_per_s[l][s][f]))
                    return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, species_names[s],
                                       "rate from %s is not finite", species_names[f]);
        }
    }
    for (int l = 0; l < NL; l++)
        if (!finite_nonneg(p->blood_release[l]) || !finite_nonneg(p->signal_release[l]))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "release",
                               "blood and signal release must be finite and >= 0");
    int s = ND_TISSUE_OPENNESS;
    if (p->channel_diffusivity_m2_s[s] != 0.0)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "openness", "openness does not diffuse");
    for (int l = 0; l < NL; l++)
        if (p->diffusivity_m2_s[s][l] != 0.0)
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "openness",
                               "openness does not diffuse");
    if (!finite_nonneg(p->analgesic_threshold) || !finite_nonneg(p->wound_radius_m))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "analgesic_threshold",
                           "analgesic threshold and wound radius must be finite and >= 0");
    if (!(p->closure_half_life_s > 0.0))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "closure_half_life_s",
                           "channel closure half-life must be > 0");
    return ND_OK;
}

static nd_status check_options(const nd_tissue_options *o, const nd_tissue_geometry *g,
                               nd_error *err)
{
    if (o->threads < 0)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "threads", "threads must be >= 0");
    if (o->order != 1 && o->order != 2)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "order", "order must be 1 or 2");
    if (o->periodic && (g->nx < 3 || g->ny < 3))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "periodic",
                           "periodic sides need nx and ny of at least 3");
    if (!(isfinite(o->rtol) && o->rtol > 0.0))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "rtol", "rtol must be > 0");
    for (int s = 0; s < NS; s++)
        if (!finite_nonneg(o->atol[s]))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "atol", "atol must be >= 0");
    if (!(isfinite(o->dt_initial_s) && o->dt_initial_s > 0.0) ||
        !(isfinite(o->dt_min_s) && o->dt_min_s > 0.0) || !finite_nonneg(o->dt_max_s) ||
        !finite_nonneg(o->fixed_dt_s))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "dt",
                           "dt_initial_s and dt_min_s must be > 0, dt_max_s and fixed_dt_s >= 0");
    return ND_OK;
}

nd_status nd_tissue_create(const nd_tissue_geometry *g, const nd_tissue_params *p,
                           const nd_tissue_options *o, nd_tissue **out, nd_error *err)
{
    *out = NULL;
    nd_tissue_options defaults;
    if (!o) {
        nd_tissue_options_default(&defaults);
        o = &defaults;
    }
    nd_status st;
    if ((st = check_geometry(g, err)) || (st = check_params(p, err)) ||
        (st = check_options(o, g, err)))
        return st;
    nd_tissue *t = calloc(1, sizeof *t);
    if (!t) return nd_error_set(err, ND_ERR_NOMEM, "out of memory for the tissue volume");
    t->nx = g->nx;
    t->ny = g->ny;
    t->nz = (int)ceil(g->depth_m / g->voxel_m - 1e-9);
    t->plane = (size_t)t->nx * t->ny;
    t->n = t->plane * t->nz;
    t->h = g->voxel_m;
    t->bounds = g->bounds;
    t->p = *p;
    t->o = *o;
    t->threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    t->recheck = 1;
    t->dt_next = o->fixed_dt_s > 0.0 ? o->fixed_dt_s : o->dt_initial_s;
    const int nx = t->nx, ny = t->ny, nz = t->nz;

    t->dx = (nx + 7) / 8 * 8;
    t->dplane = (size_t)t->dx * ny;
    int ok = 1;
    for (int s = 0; s < NS; s++) {
        ok &= (t->u[s] = dalloc(t->n)) != NULL;
        ok &= (t->coef[s].cap = dalloc((size_t)nz)) != NULL;
        ok &= (t->coef[s].plat = dalloc((size_t)nz)) != NULL;
        ok &= (t->coef[s].az = dalloc((size_t)nz + 1)) != NULL;
        double dmax = p->channel_diffusivity_m2_s[s];
        for (int l = 0; l < NL; l++)
            if (p->diffusivity_m2_s[s][l] > dmax) dmax = p->diffusivity_m2_s[s][l];
        t->moves[s] = t->diffuses[s] = dmax > 0.0;
        t->active[s] = 1;
        if (t->moves[s]) ok &= (t->dinc[s] = dalloc(t->dplane * nz)) != NULL;
    }
    /* Per-thread scratch: the down part needs a row (the periodic
     * correction, or the y values of the row below) and a stash of the
     * columns through channels (at most a plane), the up part the kinetics
     * rows, a row of zeros and that stash. */
    int lxy = nx > ny ? nx : ny, lxz = nx > nz ? nx : nz;
    size_t need_down = (size_t)lxy + t->plane;
    size_t need_up = (size_t)(NS + 2) * nx + t->plane;
    t->scratch_len = ((need_down > need_up ? need_down : need_up) + 7) / 8 * 8;
    ok &= (t->chan = dalloc(t->n)) != NULL;
    ok &= (t->frac = dalloc((size_t)nz * NL)) != NULL;
    ok &= (t->half = dalloc((size_t)nz * 2 * NL)) != NULL;
    ok &= (t->layer = calloc((size_t)nz, 1)) != NULL;
    ok &= (t->xgen = calloc((size_t)ny * nz, 1)) != NULL;
    ok &= (t->ygen = calloc((size_t)nx * nz, 1)) != NULL;
    ok &= (t->zgen = calloc(t->plane, 1)) != NULL;
    ok &= (t->scratch = dalloc((size_t)t->threads * t->scratch_len)) != NULL;
    /* Lines through channels, all those of a plane together: their
     * openness, rows, values and periodic correction (6 per voxel), the
     * lines' levels, rows or columns and per-line constants, and the list
     * of a plane's y lines through channels; or, as the sweep reaches a
     * level, the set-up of the columns through channels (6 per column). */
    t->batch_len = (7 * t->plane + 10 * (size_t)(lxz > lxy ? lxz : lxy) + 7) / 8 * 8;
    ok &= (t->batch = dalloc((size_t)t->threads * t->batch_len)) != NULL;
    ok &= (t->zcol = calloc(t->plane, sizeof *t->zcol)) != NULL;
    ok &= (t->prop = dalloc(2 * (size_t)nz * NS * NS)) != NULL;
    ok &= (t->mk = dalloc((size_t)nz * NS * NS)) != NULL;
    ok &= (t->msame = calloc((size_t)nz, 1)) != NULL;
    ok &= (t->zfac = dalloc(2 * (size_t)NS * 3 * nz)) != NULL;
    ok &= (t->xf = calloc((size_t)NS * nz, sizeof *t->xf)) != NULL;
    ok &= (t->xfac = dalloc((size_t)NS * nz * 4 * nx)) != NULL;
    ok &= (t->yf = calloc((size_t)NS * nz, sizeof *t->yf)) != NULL;
    if (ny != nx) ok &= (t->yfac = dalloc((size_t)NS * nz * 4 * ny)) != NULL;
    if (!ok) {
        nd_tissue_free(t);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory for a %d x %d x %d tissue volume", nx,
                            ny, nz);
    }
    nd_tissue_levels_init(t);
    nd_tissue_coef_init(t);
    nd_tissue_kinetics_init(t);
    *out = t;
    return ND_OK;
}

void nd_tissue_size(const nd_tissue *t, int *nx, int *ny, int *nz, double *voxel_m)
{
    if (nx) *nx = t->nx;
    if (ny) *ny = t->ny;
    if (nz) *nz = t->nz;
    if (voxel_m) *voxel_m = t->h;
}

int nd_tissue_layer(const nd_tissue *t, int k)
{
    return k >= 0 && k < t->nz ? t->layer[k] : -1;
}

/* After an event (a puncture, a cream on or off, a new initial state) the
 * solution has a fresh discontinuity: restart from the initial step. */
static void restart(nd_tissue *t)
{
    if (!(t->o.fixed_dt_s > 0.0)) t->dt_next = t->o.dt_initial_s;
    t->recheck = 1;
}

nd_status nd_tissue_set_surface(nd_tissue *t, int species, int on, double c0, nd_error *err)
{
    if (species < 0 || species >= NS)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "species", "no species %d", species);
    if (on && !t->moves[species])
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, species_names[species],
                           "a species that does not diffuse cannot be held at the surface");
    if (on && !finite_nonneg(c0))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, species_names[species],
                           "surface concentration must be finite and >= 0");
    if (on && c0 > t->scale[species]) t->scale[species] = c0;
    t->surface_on[species] = on != 0;
    t->surface_c0[species] = on ? c0 : 0.0;
    restart(t);
    return ND_OK;
}

nd_status nd_tissue_set_closure_half_life(nd_tissue *t, double half_life_s, nd_error *err)
{
    if (!(half_life_s > 0.0))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "closure_half_life_s",
                           "channel closure half-life must be > 0");
    t->p.closure_half_life_s = half_life_s;
    nd_tissue_kinetics_init(t);
    return ND_OK;
}

double nd_tissue_time(const nd_tissue *t)
{
    return t->time;
}

const double *nd_tissue_data(const nd_tissue *t, int species)
{
    return species >= 0 && species < NS ? t->u[species] : NULL;
}

double *nd_tissue_data_mut(nd_tissue *t, int species)
{
    if (species < 0 || species >= NS) return NULL;
    restart(t);
    return t->u[species];
}

void nd_tissue_stats_get(const nd_tissue *t, nd_tissue_stats *out)
{
    *out = t->stats;
    out->dt_next_s = t->dt_next;
}
