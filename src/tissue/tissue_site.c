/* Sample sites: one micro-volume of a zone through a whole series (see
 * include/needle/tissue.h and docs/model.md 8.3), and the collector that
 * keeps a run's punctures for them.
 *
 * Everything that happens to a site -- a cream on or off, a dressing on or
 * off, a puncture, a sample -- is one item of a timeline sorted by time;
 * the volume is run to each item's time exactly (nd_tissue_run_to lands on
 * it) and the item applied.  Between items the steps are adaptive, so a
 * site goes from the seconds of a needling pass to the months of remodelling
 * in one run: steps restart short after each event and grow (up to 4x a
 * step) while the fields smooth out.  Punctures made at the same instant go
 * in together (one restart). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tissue/tissue_internal.h"

enum { ITEM_EVENT, ITEM_PUNCTURE, ITEM_SAMPLE };

typedef struct {
    double t;
    int type; /* at one time: events, then punctures, then samples */
    long index;
} item;

static int item_cmp(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    if (x->type != y->type) return x->type - y->type;
    return (x->index > y->index) - (x->index < y->index);
}

static nd_status check_inputs(const nd_site_spec *s, const nd_site_puncture *pu, long n_pu,
                              const nd_site_event *ev, int n_ev, const double *times, int n_times,
                              nd_error *err)
{
    if (!(isfinite(s->width_m) && s->width_m > 0.0) || !isfinite(s->x0_m) || !isfinite(s->y0_m))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "width_m",
                           "the window needs a finite corner and a width > 0");
    if (!(s->voxel_m >= 0.0) || !(s->depth_m >= 0.0) || !(s->closure_half_life_s >= 0.0) ||
        !(s->closure_half_life_occluded_s >= 0.0) || !(s->rtol >= 0.0) || s->threads < 0)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "spec",
                           "voxel, depth, half-lives, rtol and threads must be >= 0");
    if (n_pu < 0 || n_ev < 0 || n_times < 0)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "n", "counts must be >= 0");
    for (int i = 0; i < n_times; i++)
        if (!(isfinite(times[i]) && times[i] >= 0.0 && (i == 0 || times[i] >= times[i - 1])))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "times",
                               "sample times must be finite, >= 0 and ascending (times[%d])", i);
    for (int i = 0; i < n_ev; i++)
        if (!(isfinite(ev[i].t_s) && ev[i].t_s >= 0.0) || ev[i].kind < 0 ||
            ev[i].kind >= ND_SITE_EVENT_KINDS ||
            ((ev[i].kind == ND_SITE_TOPICAL_ON || ev[i].kind == ND_SITE_SERUM_ON) &&
             !(isfinite(ev[i].c0) && ev[i].c0 >= 0.0)))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "events",
                               "event %d: time >= 0, a known kind and c0 >= 0", i);
        else if (ev[i].kind == ND_SITE_SERUM_ON && !(s->serum_molar_mass_g_mol > 0.0))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "serum_molar_mass_g_mol",
                               "event %d puts a serum on, but the site has no serum's molar mass",
                               i);
    for (long q = 0; q < n_pu; q++) {
        double x = pu[q].x_m - s->x0_m, y = pu[q].y_m - s->y0_m;
        if (!(isfinite(pu[q].t_s) && pu[q].t_s >= 0.0 && x >= 0.0 && x < s->width_m && y >= 0.0 &&
              y < s->width_m && pu[q].depth_m > 0.0 && isfinite(pu[q].depth_m)))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "punctures",
                               "puncture %ld: time >= 0, inside the window, depth > 0", q);
    }
    return ND_OK;
}

/* Drop the agent (the serum alike) once nothing on the surface holds it and
 * it is below floor everywhere.  Without a source, diffusion and first-order
 * clearance cannot raise its maximum (the maximum principle), so from then
 * on it never reaches the threshold again and no read-out of the session
 * changes; the next cream or serum goes on a session later, when clearance
 * (hours) would have taken the rest.  What it saves: the stepping error left
 * from the hours with a cream on -- noise of about 1e-4 of C0, which the
 * stabilising correction damps only slowly where it varies along two or
 * three directions at once (tissue_step.c) -- would otherwise hold the steps
 * at minutes through the weeks of remodelling; with the agent gone nothing
 * moves, and the kinetics step exactly from one item to the next. */
static int drop_agent(nd_tissue *t, int species, double floor)
{
    const double *u = nd_tissue_data(t, species);
    const size_t n = t->n;
    for (size_t v = 0; v < n; v++)
        if (!(fabs(u[v]) < floor)) return 0;
    memset(nd_tissue_data_mut(t, species), 0, sizeof(double) * n);
    return 1;
}

static void sample(const nd_tissue *t, const nd_tissue_params *p, double serum_c0,
                   nd_site_sample *o)
{
    o->time_s = nd_tissue_time(t);
    o->analgesia_depth_m = nd_tissue_median_depth_above(t, ND_TISSUE_AGENT, p->analgesic_threshold);
    o->open_fraction = nd_tissue_open_fraction(t);
    o->blood_m3 = nd_tissue_total(t, ND_TISSUE_BLOOD);
    o->signal_mean = nd_tissue_dermal_mean(t, ND_TISSUE_SIGNAL);
    o->collagen1_rel = 1.0 + nd_tissue_dermal_mean(t, ND_TISSUE_COLLAGEN1);
    o->collagen3_rel = 1.0 + nd_tissue_dermal_mean(t, ND_TISSUE_COLLAGEN3);
    o->elastin_rel = 1.0 + nd_tissue_dermal_mean(t, ND_TISSUE_ELASTIN);
    o->serum_depth_m =
        nd_tissue_median_depth_above(t, ND_TISSUE_SERUM, p->analgesic_threshold * serum_c0);
}

nd_status nd_tissue_site_run(const nd_tissue_params *p, const nd_site_spec *spec,
                             const nd_site_puncture *pu, long n_pu, const nd_site_event *ev,
                             int n_ev, const double *times, int n_times, nd_site_sample *out,
                             nd_tissue_stats *stats, nd_error *err)
{
    nd_status st = check_inputs(spec, pu, n_pu, ev, n_ev, times, n_times, err);
    if (st) return st;
    /* The voxel is fitted to the window: a whole number of voxels across. */
    double voxel = spec->voxel_m > 0.0 ? spec->voxel_m : 20e-6;
    int n = (int)lround(spec->width_m / voxel);
    n = n < 3 ? 3 : n;
    nd_tissue_geometry g;
    g.nx = g.ny = n;
    g.voxel_m = spec->width_m / n;
    g.depth_m = spec->depth_m > 0.0 ? spec->depth_m : (double)spec->bounds.bottom_m[3] + 0.3e-3;
    g.bounds = spec->bounds;
    nd_tissue_options o;
    nd_tissue_options_default(&o);
    o.periodic = 1;
    o.threads = spec->threads > 0 ? spec->threads : 1;
    o.rtol = spec->rtol > 0.0 ? spec->rtol : 1e-2;
    const double open_half =
        spec->closure_half_life_s > 0.0 ? spec->closure_half_life_s : p->closure_half_life_s;
    const double occl_half = spec->closure_half_life_occluded_s > 0.0
                                 ? spec->closure_half_life_occluded_s
                                 : p->closure_half_life_occluded_s;
    nd_tissue_params tp = *p;
    tp.closure_half_life_s = open_half;
    /* Blood, signal and fibroblasts are held where they are made: over their
     * lifetimes they move tens of micrometres (blood_diffusivity_m2_s,
     * signal_diffusivity_m2_s, fibroblast_diffusivity_m2_s), which changes
     * none of the window means a site reports -- the kinetics are uniform
     * within a layer -- while resolving their sharp edges would cost most of
     * the steps.  Only the agents move: the cream's and a serum. */
    for (int s = ND_TISSUE_BLOOD; s <= ND_TISSUE_ELASTIN; s++) {
        tp.channel_diffusivity_m2_s[s] = 0.0;
        for (int l = 0; l < ND_LAYER_COUNT; l++) tp.diffusivity_m2_s[s][l] = 0.0;
    }

    if (spec->serum_molar_mass_g_mol > 0.0)
        nd_tissue_params_serum(&tp, spec->serum_molar_mass_g_mol);

    size_t count = (size_t)n_pu + (size_t)n_ev + (size_t)n_times;
    item *items = malloc(sizeof *items * (count ? count : 1));
    nd_tissue_puncture *batch = malloc(sizeof *batch * (size_t)(n_pu ? n_pu : 1));
    nd_tissue *t = NULL;
    if (!items || !batch) {
        free(items), free(batch);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory for a site's timeline");
    }
    size_t m = 0;
    for (int i = 0; i < n_ev; i++) items[m++] = (item){ev[i].t_s, ITEM_EVENT, i};
    for (long q = 0; q < n_pu; q++) items[m++] = (item){pu[q].t_s, ITEM_PUNCTURE, q};
    for (int i = 0; i < n_times; i++) items[m++] = (item){times[i], ITEM_SAMPLE, i};
    qsort(items, m, sizeof *items, item_cmp);

    st = nd_tissue_create(&g, &tp, &o, &t, err);
    int nz = 0;
    if (t) nd_tissue_size(t, NULL, NULL, &nz, NULL);
    const double floor_depth = nz * g.voxel_m;
    const double drop = spec->agent_drop_fraction == 0.0 ? 0.25 : spec->agent_drop_fraction;
    int cream = 0, gone = 1; /* gone: the agent is known to be zero */
    int serum = 0, serum_gone = 1;
    double serum_c0 = 1.0; /* the serum's last surface value: its depth's reference */
    for (size_t i = 0; !st && i < m; i++) {
        const item *it = &items[i];
        if (it->t > nd_tissue_time(t) && (st = nd_tissue_run_to(t, it->t, err))) break;
        if (it->type == ITEM_EVENT) {
            const nd_site_event *e = &ev[it->index];
            switch (e->kind) {
            case ND_SITE_TOPICAL_ON:
                st = nd_tissue_set_surface(t, ND_TISSUE_AGENT, 1, e->c0, err);
                cream = 1, gone = 0;
                break;
            case ND_SITE_TOPICAL_OFF:
                st = nd_tissue_set_surface(t, ND_TISSUE_AGENT, 0, 0.0, err);
                cream = 0;
                break;
            case ND_SITE_SERUM_ON:
                st = nd_tissue_set_surface(t, ND_TISSUE_SERUM, 1, e->c0, err);
                serum = 1, serum_gone = 0;
                serum_c0 = e->c0 > 0.0 ? e->c0 : serum_c0;
                break;
            case ND_SITE_SERUM_OFF:
                st = nd_tissue_set_surface(t, ND_TISSUE_SERUM, 0, 0.0, err);
                serum = 0;
                break;
            case ND_SITE_OCCLUSION_ON:
                st = nd_tissue_set_closure_half_life(t, occl_half, err);
                break;
            case ND_SITE_OCCLUSION_OFF:
            default:
                st = nd_tissue_set_closure_half_life(t, open_half, err);
                break;
            }
        } else if (it->type == ITEM_PUNCTURE) {
            /* Every puncture of this instant in one batch; a channel deeper
             * than the volume is cut at its floor. */
            int nb = 0;
            size_t j = i;
            for (; j < m && items[j].type == ITEM_PUNCTURE && items[j].t == it->t; j++) {
                const nd_site_puncture *q = &pu[items[j].index];
                batch[nb++] = (nd_tissue_puncture){q->x_m - spec->x0_m, q->y_m - spec->y0_m,
                                                   fmin(q->depth_m, floor_depth), q->diameter_m};
            }
            i = j - 1;
            st = nd_tissue_puncture_add(t, batch, nb, err);
        } else {
            sample(t, &tp, serum_c0, &out[it->index]);
        }
        if (!st && !cream && !gone && drop > 0.0)
            gone = drop_agent(t, ND_TISSUE_AGENT, drop * tp.analgesic_threshold);
        if (!st && !serum && !serum_gone && drop > 0.0)
            serum_gone = drop_agent(t, ND_TISSUE_SERUM, drop * tp.analgesic_threshold * serum_c0);
    }
    if (t && stats) nd_tissue_stats_get(t, stats);
    nd_tissue_free(t);
    free(items);
    free(batch);
    return st;
}

/* The collector. */

typedef struct {
    nd_site_window w;
    nd_site_puncture *p;
    long n, room, dropped;
} collected;

struct nd_site_collector {
    int n;
    long cap;
    double offset;
    collected *c;
};

nd_status nd_site_collector_create(const nd_site_window *w, int n, long cap,
                                   nd_site_collector **out, nd_error *err)
{
    *out = NULL;
    if (n < 1 || cap < 1)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "windows",
                           "a collector needs at least one window and a cap >= 1");
    for (int i = 0; i < n; i++)
        if (!(isfinite(w[i].width_m) && w[i].width_m > 0.0 && isfinite(w[i].x0_m) &&
              isfinite(w[i].y0_m) && w[i].channel_diameter_m > 0.0))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "windows",
                               "window %d needs a finite corner, a width and a channel "
                               "diameter > 0",
                               i);
    nd_site_collector *c = calloc(1, sizeof *c);
    if (c) c->c = calloc((size_t)n, sizeof *c->c);
    if (!c || !c->c) {
        free(c);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory for a site collector");
    }
    c->n = n;
    c->cap = cap;
    for (int i = 0; i < n; i++) c->c[i].w = w[i];
    *out = c;
    return ND_OK;
}

void nd_site_collector_free(nd_site_collector *c)
{
    if (!c) return;
    for (int i = 0; i < c->n; i++) free(c->c[i].p);
    free(c->c);
    free(c);
}

void nd_site_collector_set_offset(nd_site_collector *c, double t_offset_s)
{
    c->offset = t_offset_s;
}

/* Keep one puncture in window c; storage grows by doubling up to the cap.
 * Out of memory counts as dropped: a sink cannot fail. */
static void keep(collected *c, long cap, const nd_site_puncture *q)
{
    if (c->n >= cap) {
        c->dropped++;
        return;
    }
    if (c->n == c->room) {
        long want = c->room ? 2 * c->room : 64;
        want = want > cap ? cap : want;
        nd_site_puncture *np = realloc(c->p, sizeof *np * (size_t)want);
        if (!np) {
            c->dropped++;
            return;
        }
        c->p = np;
        c->room = want;
    }
    c->p[c->n++] = *q;
}

void nd_site_collect(void *user, const nd_puncture *p, long n)
{
    nd_site_collector *c = user;
    for (long q = 0; q < n; q++) {
        if (!(p[q].depth_m > 0.0f) || p[q].layer < 0) continue;
        for (int i = 0; i < c->n; i++) {
            collected *w = &c->c[i];
            if (w->w.zone >= 0 && p[q].zone != w->w.zone) continue;
            double x = p[q].x_m - w->w.x0_m, y = p[q].y_m - w->w.y0_m;
            if (!(x >= 0.0 && x < w->w.width_m && y >= 0.0 && y < w->w.width_m)) continue;
            nd_site_puncture s = {p[q].t_s + c->offset, p[q].x_m, p[q].y_m, p[q].depth_m,
                                  w->w.channel_diameter_m};
            keep(w, c->cap, &s);
        }
    }
}

const nd_site_puncture *nd_site_collector_punctures(const nd_site_collector *c, int w, long *n,
                                                    long *dropped)
{
    if (w < 0 || w >= c->n) {
        if (n) *n = 0;
        if (dropped) *dropped = 0;
        return NULL;
    }
    if (n) *n = c->c[w].n;
    if (dropped) *dropped = c->c[w].dropped;
    return c->c[w].p;
}
