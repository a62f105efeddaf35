/* 3-D sample sites of a session; see include/needle/sites.h.
 *
 * A site is a square window of a zone (output.tissue_width_mm, 1 mm by
 * default, at output.tissue_voxel_um, 40 um), wholly inside it, placed by the
 * seeded stream (seed, ND_STREAM_SITE, zone, k), so the same scenario and
 * seed give the same sites.  Its punctures come from the run itself (the
 * collector is the run's puncture sink); its skin is the patient's at the
 * window's centre; its timeline is the session's steps, repeated for every
 * session of the series. */
#include "needle/sites.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "models.h"
#include "needle/rng.h"

/* A 1 mm window of a pen session holds a hundred punctures, a 4 mm one a few
 * thousand; more would
 * only repeat them. */
#define SITE_CAP  20000
#define MAX_TRIES 10000

struct nd_sites {
    int n;
    nd_site_window *win;
    nd_site_collector *col;
    nd_site_sample **samples;
    int n_times;
    unsigned long long voxel_updates;
    nd_progress_fn progress;
    void *progress_user;
};

void nd_sites_set_progress(nd_sites *st, nd_progress_fn fn, void *user)
{
    st->progress = fn;
    st->progress_user = user;
}

void nd_sites_free(nd_sites *st)
{
    if (!st) return;
    for (int k = 0; st->samples && k < st->n; k++) free(st->samples[k]);
    free(st->samples);
    nd_site_collector_free(st->col);
    free(st->win);
    free(st);
}

/* A window of the zone, every corner and the centre inside it. */
static int place(const nd_face *face, int zone, uint64_t seed, int k, double w, double *x0,
                 double *y0)
{
    const double *xs, *ys;
    int nv;
    nd_face_polygon(face, zone, &xs, &ys, &nv);
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (int i = 0; i < nv; i++) {
        xmin = fmin(xmin, xs[i]), xmax = fmax(xmax, xs[i]);
        ymin = fmin(ymin, ys[i]), ymax = fmax(ymax, ys[i]);
    }
    nd_rng r;
    nd_rng_init(&r, seed, ND_STREAM_SITE, (uint32_t)zone, (uint32_t)k);
    for (int t = 0; t < MAX_TRIES; t++) {
        double x = xmin + (xmax - xmin - w) * nd_rng_uniform(&r);
        double y = ymin + (ymax - ymin - w) * nd_rng_uniform(&r);
        if (nd_face_zone_at(face, x, y) == zone && nd_face_zone_at(face, x + w, y) == zone &&
            nd_face_zone_at(face, x, y + w) == zone &&
            nd_face_zone_at(face, x + w, y + w) == zone &&
            nd_face_zone_at(face, x + 0.5 * w, y + 0.5 * w) == zone) {
            *x0 = x, *y0 = y;
            return 0;
        }
    }
    return -1;
}

nd_status nd_sites_create(const nd_session *s, int per_zone, nd_sites **out, nd_error *err)
{
    *out = NULL;
    const nd_scenario *sc = nd_session_scenario(s);
    if (per_zone < 1 || per_zone > 16)
        return nd_error_set(err, ND_ERR_INPUT, "tissue sites per zone must be 1..16, found %d",
                            per_zone);
    nd_outcome_params p;
    nd_status rc = nd_outcome_params_load(nd_session_params(s), ND_PARAM_VALUE, &p, err);
    if (rc) return rc;
    nd_sites *st = calloc(1, sizeof *st);
    if (!st) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    st->win = calloc((size_t)(sc->protocol.n_zones * per_zone), sizeof *st->win);
    if (!st->win) {
        nd_sites_free(st);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < sc->protocol.n_zones; i++) {
        int zone = sc->protocol.zones[i].zone;
        for (int k = 0; k < per_zone; k++) {
            nd_site_window *w = &st->win[st->n];
            w->zone = zone;
            w->width_m = sc->output.tissue_width_m;
            /* Channels are half as wide as the needle (Kalluri 2011). */
            w->channel_diameter_m = p.ch_diameter_ratio * sc->device.needle_diameter_m;
            if (place(nd_session_face(s), zone, sc->seed, k, w->width_m, &w->x0_m, &w->y0_m)) {
                nd_sites_free(st);
                return nd_error_set(err, ND_ERR_INPUT, "zone %s has no room for a %g mm site",
                                    nd_zone_name(zone), w->width_m * 1e3);
            }
            st->n++;
        }
    }
    rc = nd_site_collector_create(st->win, st->n, SITE_CAP, &st->col, err);
    if (rc) {
        nd_sites_free(st);
        return rc;
    }
    *out = st;
    return ND_OK;
}

void nd_sites_collect(void *user, const nd_puncture *p, long n)
{
    nd_sites *st = user;
    nd_site_collect(st->col, p, n);
}

int nd_sites_count(const nd_sites *st)
{
    return st->n;
}

void nd_sites_info(const nd_sites *st, int k, nd_site_info *out)
{
    const nd_site_window *w = &st->win[k];
    long n = 0;
    nd_site_collector_punctures(st->col, k, &n, NULL);
    *out = (nd_site_info){w->zone, w->x0_m, w->y0_m, w->width_m, n};
}

const nd_site_sample *nd_sites_samples(const nd_sites *st, int k, int *n)
{
    *n = st->samples ? st->n_times : 0;
    return st->samples ? st->samples[k] : NULL;
}

unsigned long long nd_sites_voxel_updates(const nd_sites *st)
{
    return st->voxel_updates;
}

/* The session's dressings as merged intervals [on, off). */
static int dressings(const nd_scenario *sc, const nd_timeline *tl, double *on, double *off)
{
    int n = 0;
    for (int i = 0; i < tl->n_steps; i++) {
        const nd_step *s = &tl->steps[i];
        if (!nd_step_covered(sc, s) || tl->end_s[i] <= tl->start_s[i]) continue;
        double a = tl->start_s[i], b = tl->end_s[i];
        int merged = 0;
        for (int j = 0; j < n && !merged; j++)
            if (a <= off[j] && b >= on[j]) {
                on[j] = fmin(on[j], a), off[j] = fmax(off[j], b);
                merged = 1;
            }
        if (!merged) on[n] = a, off[n++] = b;
    }
    return n;
}

/* The events of one session starting at t0. */
static int session_events(const nd_scenario *sc, const nd_timeline *tl, double t0,
                          nd_site_event *ev)
{
    int n = 0;
    for (int i = 0; i < tl->n_steps; i++)
        if (tl->steps[i].kind == ND_STEP_NUMBING && sc->protocol.numbing.cream != ND_CREAM_NONE) {
            /* The solver's agent is calibrated on the EMLA-type cream. */
            ev[n++] = (nd_site_event){t0 + tl->start_s[i], ND_SITE_TOPICAL_ON, 1.0};
            ev[n++] = (nd_site_event){t0 + tl->end_s[i], ND_SITE_TOPICAL_OFF, 0.0};
        }
    /* A serum: the solver's second agent (one serum a session). */
    for (int i = 0; i < tl->n_steps; i++)
        if (tl->steps[i].kind == ND_STEP_TOPICAL) {
            ev[n++] = (nd_site_event){t0 + tl->start_s[i], ND_SITE_SERUM_ON, 1.0};
            ev[n++] = (nd_site_event){t0 + tl->end_s[i], ND_SITE_SERUM_OFF, 0.0};
            break;
        }
    double on[ND_MAX_STEPS], off[ND_MAX_STEPS];
    int m = dressings(sc, tl, on, off);
    for (int j = 0; j < m; j++) {
        ev[n++] = (nd_site_event){t0 + on[j], ND_SITE_OCCLUSION_ON, 0.0};
        ev[n++] = (nd_site_event){t0 + off[j], ND_SITE_OCCLUSION_OFF, 0.0};
    }
    return n;
}

/* Molar mass of the session's serum (data/topicals.csv); 0 with none. */
static nd_status serum_molar_mass(const nd_timeline *tl, double *out, nd_error *err)
{
    *out = 0.0;
    for (int i = 0; i < tl->n_steps; i++)
        if (tl->steps[i].kind == ND_STEP_TOPICAL)
            return nd_topical_molar_mass(tl->steps[i].product, out, err);
    return ND_OK;
}

nd_status nd_sites_run(nd_sites *st, const nd_session *s, const double *times, int n, int threads,
                       nd_error *err)
{
    const nd_scenario *sc = nd_session_scenario(s);
    const nd_timeline *tl = nd_session_timeline(s);
    const int sessions = sc->protocol.sessions;
    nd_outcome_params op;
    nd_tissue_params tp;
    nd_status rc = nd_outcome_params_load(nd_session_params(s), ND_PARAM_VALUE, &op, err);
    if (!rc) rc = nd_tissue_params_load(NULL, 0, &tp, err);
    if (!rc) rc = nd_tissue_params_healing(nd_session_params(s), &tp, err);
    double serum_g_mol = 0.0;
    if (!rc) rc = serum_molar_mass(tl, &serum_g_mol, err);
    if (rc) return rc;
    st->samples = calloc((size_t)st->n, sizeof *st->samples);
    if (!st->samples) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    st->n_times = n;
    nd_status status = ND_OK;
    unsigned long long updates = 0;
    int done = 0;
    int nthreads = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) reduction(+ : updates)
    for (int k = 0; k < st->n; k++) {
        nd_error e;
        nd_error_clear(&e);
        const nd_site_window *w = &st->win[k];
        long np = 0;
        const nd_site_puncture *one = nd_site_collector_punctures(st->col, k, &np, NULL);
        nd_site_puncture *pu = malloc(sizeof *pu * (size_t)(np * sessions + 1));
        nd_site_event ev[(4 + 2 * ND_MAX_STEPS) * 20];
        st->samples[k] = malloc(sizeof *st->samples[k] * (size_t)(n > 0 ? n : 1));
        nd_status r = pu && st->samples[k] ? ND_OK : ND_ERR_NOMEM;
        int ne = 0;
        for (int q = 0; !r && q < sessions; q++) {
            double t0 = q * sc->protocol.interval_s;
            for (long i = 0; i < np; i++) {
                pu[q * np + i] = one[i];
                pu[q * np + i].t_s += t0;
            }
            ne += session_events(sc, tl, t0, ev + ne);
        }
        nd_site_spec spec = {0};
        nd_skin_bounds_at(nd_session_skin(s), w->zone, w->x0_m + 0.5 * w->width_m,
                          w->y0_m + 0.5 * w->width_m, &spec.bounds);
        spec.x0_m = w->x0_m, spec.y0_m = w->y0_m, spec.width_m = w->width_m;
        spec.voxel_m = sc->output.tissue_voxel_m;
        spec.serum_molar_mass_g_mol = serum_g_mol;
        /* The same closure as the lumped model's, for the zone's depth. */
        nd_outcome_input in;
        nd_outcome_input_from_field(nd_session_field(s), w->zone, &in);
        spec.closure_half_life_s = nd_channel_half_life(&op, &in, sc->patient.fitzpatrick);
        spec.closure_half_life_occluded_s = op.ch_half_life_occluded;
        spec.threads = 1;
        nd_tissue_stats ts = {0};
        if (!r)
            r = nd_tissue_site_run(&tp, &spec, pu, np * sessions, ev, ne, times, n, st->samples[k],
                                   &ts, &e);
        updates += ts.voxel_updates;
        free(pu);
        if (st->progress) {
#pragma omp critical(nd_sites_progress)
            st->progress(st->progress_user, (double)++done / st->n);
        }
        if (r) {
#pragma omp critical(nd_sites_error)
            if (!status) {
                status = r;
                if (err) *err = e;
                if (r == ND_ERR_NOMEM) nd_error_set(err, r, "out of memory running a site");
            }
        }
    }
    st->voxel_updates = updates;
    return status;
}
