/* One simulated session; see include/needle/session.h. */
#include "needle/session.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "needle/data.h"
#include "needle/insertion.h"
#include "needle/protocol.h"

#define BATCH 512 /* 12 KB of events: stays in L1 between the strike kernel and the field */

struct nd_session {
    nd_scenario sc;
    nd_table *params; /* data/parameters.csv with the scenario's overrides */
    nd_face *face;
    nd_skin_model *model;
    nd_skin *skin;
    nd_field *field;
    nd_insertion_params ins;
    int8_t *cell_zone;
    nd_layer_bounds *cell_bounds;
    nd_skin_grid skin_grid;
    nd_lognormal_table force_spread, drag_spread;
    double weave_wavelength_m;
    unsigned long long events;
    int threads;
    double t_end;
    nd_timeline timeline;
    nd_stroke_summary *strokes; /* of the last run */
    long n_strokes;
};

void nd_session_free(nd_session *s)
{
    if (!s) return;
    nd_table_free(s->params);
    nd_face_free(s->face);
    nd_skin_model_free(s->model);
    nd_skin_free(s->skin);
    nd_field_free(s->field);
    free(s->strokes);
    free(s->cell_zone);
    free(s->cell_bounds);
    free(s);
}

/* Sample the patient's skin at every cell centre once, so a strike costs one
 * array read instead of a random-field evaluation. */
static nd_status sample_skin(nd_session *s, nd_error *err)
{
    const nd_grid *g = nd_field_grid(s->field);
    size_t n = (size_t)g->nx * (size_t)g->ny;
    s->cell_zone = malloc(n);
    s->cell_bounds = calloc(n, sizeof *s->cell_bounds);
    if (!s->cell_zone || !s->cell_bounds) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    for (int j = 0; j < g->ny; j++) {
        for (int i = 0; i < g->nx; i++) {
            size_t k = (size_t)j * (size_t)g->nx + (size_t)i;
            int z = nd_field_cell_zone(s->field, i, j);
            s->cell_zone[k] = (int8_t)z;
            if (z >= 0)
                nd_skin_bounds_at(s->skin, z, g->x0 + (i + 0.5) * g->h, g->y0 + (j + 0.5) * g->h,
                                  &s->cell_bounds[k]);
        }
    }
    s->skin_grid.grid = *g;
    s->skin_grid.cell_zone = s->cell_zone;
    s->skin_grid.cell_bounds = s->cell_bounds;
    return ND_OK;
}

nd_status nd_session_create(const nd_scenario *sc, nd_session **out, nd_error *err)
{
    *out = NULL;
    nd_status st = nd_scenario_validate(sc, err);
    if (st) return st;
    nd_session *s = calloc(1, sizeof *s);
    if (!s) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    s->sc = *sc;
    if (!st) st = nd_params_load(sc->params, sc->n_params, &s->params, err);
    if (!st) st = nd_face_create(&s->face, err);
    if (!st) st = nd_skin_model_create(s->params, &s->model, err);
    if (!st) st = nd_skin_create(s->model, &sc->patient, sc->seed, &s->skin, err);
    if (!st) st = nd_field_create(s->face, sc->output.grid_m, &s->field, err);
    if (!st) st = nd_insertion_params_load(s->params, &s->ins, err);
    if (!st) st = sample_skin(s, err);
    if (!st) st = nd_param(s->params, "weave_wavelength_m", &s->weave_wavelength_m, err);
    if (!st) {
        /* Unit-median spreads: the calibrated insertion force and drag ratio are medians. */
        nd_lognormal_table_init(&s->force_spread, sqrt(log1p(s->ins.force_cv * s->ins.force_cv)),
                                0);
        nd_lognormal_table_init(&s->drag_spread, sqrt(log1p(s->ins.drag_cv * s->ins.drag_cv)), 0);
    }
    if (st) {
        nd_session_free(s);
        return st;
    }
    *out = s;
    return ND_OK;
}

typedef struct {
    nd_puncture *v;
    long n, cap;
    int failed;
} puncture_vec;

/* Depths of one stroke's punctures, in bins fine enough for its 95th percentile. */
#define DEPTH_BINS  600 /* to 3 mm, the deepest setting */
#define DEPTH_BIN_M 5e-6

typedef struct {
    nd_field *field;
    uint32_t *depth_hist; /* DEPTH_BINS counts for the stroke being run */
    long pierced;
    double depth_sum_m;
    puncture_vec *raw; /* this stroke's events, when the caller wants them */
} sink_state;

static void sink(void *user, const nd_puncture *p, long n)
{
    sink_state *ss = user;
    nd_field_add(ss->field, p, n);
    for (long i = 0; i < n; i++) {
        if (p[i].layer < 0) continue;
        ss->pierced++;
        ss->depth_sum_m += p[i].depth_m;
        long b = (long)(p[i].depth_m / DEPTH_BIN_M);
        ss->depth_hist[b < DEPTH_BINS ? b : DEPTH_BINS - 1]++;
    }
    puncture_vec *rv = ss->raw;
    if (!rv || rv->failed) return;
    if (rv->n + n > rv->cap) {
        long cap = rv->cap ? rv->cap : BATCH;
        while (cap < rv->n + n) cap *= 2;
        nd_puncture *nv = realloc(rv->v, sizeof *nv * (size_t)cap);
        if (!nv) {
            rv->failed = 1;
            return;
        }
        rv->v = nv;
        rv->cap = cap;
    }
    memcpy(rv->v + rv->n, p, sizeof *p * (size_t)n);
    rv->n += n;
}

static void summarise(const nd_stroke *k, const sink_state *ss, nd_stroke_summary *out)
{
    out->zone = k->zone;
    out->step = k->step;
    out->pass = k->pass;
    out->index = k->index;
    out->t_start_s = k->t_start_s;
    out->t_end_s = k->t_start_s + k->duration_s;
    out->depth_setting_m = k->depth_m;
    out->punctures = ss->pierced;
    out->depth_mean_m = ss->pierced ? ss->depth_sum_m / (double)ss->pierced : 0;
    out->depth_p95_m = 0;
    long target = (long)ceil(0.95 * (double)ss->pierced), seen = 0;
    for (int b = 0; b < DEPTH_BINS && ss->pierced; b++) {
        seen += ss->depth_hist[b];
        if (seen >= target) {
            out->depth_p95_m = (b + 0.5) * DEPTH_BIN_M;
            break;
        }
    }
}

nd_status nd_session_run(nd_session *s, const nd_run_options *opt, nd_error *err)
{
    nd_run_options none = {0};
    if (!opt) opt = &none;
    nd_stroke *strokes = NULL;
    long n = 0;
    nd_status st = nd_protocol_strokes(&s->sc, s->face, s->params, &strokes, &n, &s->timeline, err);
    if (st) return st;
    s->t_end = s->timeline.needling_end_s;
    free(s->strokes);
    s->n_strokes = 0;
    s->strokes = calloc((size_t)(n > 0 ? n : 1), sizeof *s->strokes);
    if (!s->strokes) {
        free(strokes);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }

    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    nd_field **fields = calloc((size_t)threads, sizeof *fields);
    puncture_vec *raw = opt->raw ? calloc((size_t)(n > 0 ? n : 1), sizeof *raw) : NULL;
    if (!fields || (opt->raw && !raw)) {
        st = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
        goto done;
    }
    nd_field_reset(s->field);
    fields[0] = s->field;
    for (int t = 1; t < threads && !st; t++) st = nd_field_create_like(s->field, &fields[t], err);
    if (st) goto done;

    const nd_strike_context ctx = {&s->sc,           &s->ins,         &s->skin_grid,
                                   &s->force_spread, &s->drag_spread, s->weave_wavelength_m};
    unsigned long long events = 0;
    long done = 0;
    int nomem = 0;
#pragma omp parallel num_threads(threads) reduction(+ : events)
    {
        int me = omp_get_thread_num();
        nd_puncture *buf = malloc(sizeof *buf * BATCH);
        uint32_t *hist = malloc(sizeof *hist * DEPTH_BINS);
        if (!buf || !hist) {
            free(buf);
            buf = NULL;
#pragma omp atomic write
            nomem = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (long k = 0; k < n; k++) {
            if (!buf) continue;
            memset(hist, 0, sizeof *hist * DEPTH_BINS);
            sink_state ss = {fields[me], hist, 0, 0.0, raw ? &raw[k] : NULL};
            events += (unsigned long long)nd_stroke_run(&ctx, &strokes[k], buf, BATCH, sink, &ss);
            summarise(&strokes[k], &ss, &s->strokes[k]);
            long d;
#pragma omp atomic capture
            d = ++done;
            if (me == 0 && opt->progress) opt->progress(opt->progress_user, (double)d / n);
        }
        free(buf);
        free(hist);
    }
    if (nomem) {
        st = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int t = 1; t < threads && !st; t++) st = nd_field_merge(s->field, fields[t], err);
    if (st) goto done;
    for (long k = 0; k < n; k++)
        nd_field_note_time(s->field, strokes[k].zone, strokes[k].t_start_s,
                           strokes[k].t_start_s + strokes[k].duration_s);
    s->events = events;
    s->threads = threads;
    s->n_strokes = n;
    if (raw) {
        for (long k = 0; k < n && !st; k++) {
            if (raw[k].failed)
                st = nd_error_set(err, ND_ERR_NOMEM, "out of memory keeping punctures");
            else if (raw[k].n)
                opt->raw(opt->raw_user, raw[k].v, raw[k].n);
        }
    }
    if (opt->progress) opt->progress(opt->progress_user, 1.0);
done:
    if (fields)
        for (int t = 1; t < threads; t++) nd_field_free(fields[t]);
    free(fields);
    if (raw)
        for (long k = 0; k < n; k++) free(raw[k].v);
    free(raw);
    free(strokes);
    return st;
}

const nd_scenario *nd_session_scenario(const nd_session *s)
{
    return &s->sc;
}
const nd_face *nd_session_face(const nd_session *s)
{
    return s->face;
}
const nd_skin *nd_session_skin(const nd_session *s)
{
    return s->skin;
}
const nd_table *nd_session_params(const nd_session *s)
{
    return s->params;
}
const nd_field *nd_session_field(const nd_session *s)
{
    return s->field;
}
unsigned long long nd_session_events(const nd_session *s)
{
    return s->events;
}
int nd_session_threads(const nd_session *s)
{
    return s->threads;
}
const nd_stroke_summary *nd_session_strokes(const nd_session *s, long *n)
{
    *n = s->n_strokes;
    return s->strokes;
}
const nd_timeline *nd_session_timeline(const nd_session *s)
{
    return &s->timeline;
}
double nd_session_end_time(const nd_session *s)
{
    return s->t_end;
}
