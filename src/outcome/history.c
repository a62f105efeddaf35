/* What a zone went through in one session, in the terms of the topical model:
 * when a product was on, the channels each needling made, and when the skin
 * was under a dressing.  From the session's timeline and strokes when there
 * are some, else from the default steps around the zone's needling. */
#include <math.h>
#include <string.h>

#include "models.h"

/* The zone's needling in each needling step. */
int nd_zone_episodes(const nd_outcome_input *in, nd_episode *ep)
{
    if (!in->strokes || in->n_strokes <= 0) {
        ep[0] = (nd_episode){0,
                             in->t_start_s,
                             in->t_end_s,
                             in->punctures_per_cm2,
                             in->depth_mean_m,
                             in->depth_p95_m};
        return 1;
    }
    int n = 0, step_slot[ND_MAX_STEPS];
    for (int i = 0; i < ND_MAX_STEPS; i++) step_slot[i] = -1;
    double depth_sum[ND_MAX_NEEDLING_STEPS] = {0}, count[ND_MAX_NEEDLING_STEPS] = {0};
    for (long k = 0; k < in->n_strokes; k++) {
        const nd_stroke_summary *s = &in->strokes[k];
        if (s->zone != in->zone || s->step < 0 || s->step >= ND_MAX_STEPS) continue;
        int j = step_slot[s->step];
        if (j < 0) {
            if (n == ND_MAX_NEEDLING_STEPS) continue;
            j = step_slot[s->step] = n++;
            ep[j] = (nd_episode){s->step, s->t_start_s, s->t_end_s, 0, 0, 0};
        }
        ep[j].t_start_s = fmin(ep[j].t_start_s, s->t_start_s);
        ep[j].t_end_s = fmax(ep[j].t_end_s, s->t_end_s);
        count[j] += (double)s->punctures;
        depth_sum[j] += s->depth_mean_m * (double)s->punctures;
        if (s->depth_p95_m > ep[j].depth_p95_m) ep[j].depth_p95_m = s->depth_p95_m;
    }
    for (int j = 0; j < n; j++) {
        ep[j].punctures_per_cm2 = in->area_cm2 > 0 ? count[j] / in->area_cm2 : 0;
        ep[j].depth_mean_m = count[j] > 0 ? depth_sum[j] / count[j] : 0;
    }
    return n;
}

/* Start and end of each step: the session's, or the default sequence laid
 * around the zone's needling. */
static int steps_of(const nd_scenario *sc, const nd_outcome_input *in, nd_step *steps,
                    double *start, double *end)
{
    if (in->timeline) {
        const nd_timeline *tl = in->timeline;
        memcpy(steps, tl->steps, sizeof *steps * (size_t)tl->n_steps);
        memcpy(start, tl->start_s, sizeof *start * (size_t)tl->n_steps);
        memcpy(end, tl->end_s, sizeof *end * (size_t)tl->n_steps);
        return tl->n_steps;
    }
    int n = nd_protocol_steps(&sc->protocol, steps);
    double clock = 0;
    for (int i = 0; i < n; i++) {
        if (steps[i].kind == ND_STEP_NEEDLING) {
            start[i] = in->t_start_s;
            end[i] = clock = in->t_end_s;
        } else {
            start[i] = clock;
            end[i] = clock + steps[i].duration_s;
            if (steps[i].kind != ND_STEP_OCCLUSION) clock = end[i];
        }
    }
    return n;
}

int nd_step_covered(const nd_scenario *sc, const nd_step *s)
{
    return s->kind == ND_STEP_OCCLUSION ||
           (s->kind == ND_STEP_NUMBING && sc->protocol.numbing.occluded) ||
           (s->kind == ND_STEP_TOPICAL && s->occluded);
}

nd_status nd_session_serum(const nd_outcome_params *p, const nd_scenario *sc, nd_topical_agent *out,
                           nd_error *err)
{
    *out = (nd_topical_agent){0, INFINITY};
    nd_step steps[ND_MAX_STEPS];
    int n = nd_protocol_steps(&sc->protocol, steps);
    for (int i = 0; i < n; i++)
        if (steps[i].kind == ND_STEP_TOPICAL)
            return nd_topical_product(p, steps[i].product, out, err);
    return ND_OK;
}

void nd_zone_history(const nd_outcome_params *p, const nd_scenario *sc, const nd_outcome_input *in,
                     nd_step_kind product, nd_topical_history *h)
{
    memset(h, 0, sizeof *h);
    h->on_s = h->off_s = -1;
    h->half_life_occluded_s = p->ch_half_life_occluded;
    nd_step steps[ND_MAX_STEPS];
    double start[ND_MAX_STEPS], end[ND_MAX_STEPS];
    int n = steps_of(sc, in, steps, start, end);
    for (int i = 0; i < n; i++) {
        const nd_step *s = &steps[i];
        if (s->kind == product) {
            h->on_s = start[i];
            h->off_s = end[i];
        }
        if (nd_step_covered(sc, s) && h->n_occluded < ND_MAX_STEPS + 1) {
            h->occluded_on_s[h->n_occluded] = start[i];
            h->occluded_off_s[h->n_occluded++] = end[i];
        }
    }
    nd_episode ep[ND_MAX_NEEDLING_STEPS];
    int ne = nd_zone_episodes(in, ep);
    /* Channels are as wide as a share of the needle (Kalluri 2011). */
    double r = 0.5 * p->ch_diameter_ratio * sc->device.needle_diameter_m;
    for (int j = 0; j < ne; j++) {
        nd_outcome_input one = *in;
        one.depth_mean_m = ep[j].depth_mean_m;
        h->set[j].t_s = 0.5 * (ep[j].t_start_s + ep[j].t_end_s);
        h->set[j].density_per_m2 = ep[j].punctures_per_cm2 * 1e4;
        h->set[j].area_fraction = h->set[j].density_per_m2 * M_PI * r * r;
        h->set[j].depth_m = ep[j].depth_mean_m;
        h->set[j].half_life_s = nd_channel_half_life(p, &one, sc->patient.fitzpatrick);
    }
    h->n_sets = ne;
}
