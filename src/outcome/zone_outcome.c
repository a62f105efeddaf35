/* One zone's read-outs and time course, assembled from the lumped models;
 * see include/needle/outcome.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models.h"

void nd_outcome_input_from_session(const nd_session *s, int zone, nd_outcome_input *in)
{
    nd_outcome_input_from_field(nd_session_field(s), zone, in);
    in->timeline = nd_session_timeline(s);
    in->strokes = nd_session_strokes(s, &in->n_strokes);
}

void nd_outcome_input_from_field(const nd_field *f, int zone, nd_outcome_input *in)
{
    nd_zone_stats z;
    nd_field_zone_stats(f, zone, &z);
    memset(in, 0, sizeof *in);
    in->zone = zone;
    in->area_cm2 = z.area_cm2;
    in->punctures_per_cm2 = z.punctures_per_cm2;
    in->depth_mean_m = z.depth_mean_m;
    in->depth_p95_m = z.depth_p95_m;
    memcpy(in->layer_fraction, z.layer_fraction, sizeof in->layer_fraction);
    in->t_start_s = z.t_start_s;
    in->t_end_s = z.t_end_s;
}

/* When each session needles this zone. */
static void session_times(const nd_scenario *sc, const nd_outcome_input *in, double *t)
{
    double mid = 0.5 * (in->t_start_s + in->t_end_s);
    for (int k = 0; k < sc->protocol.sessions; k++) t[k] = k * sc->protocol.interval_s + mid;
}

static double follow_up_end(const nd_scenario *sc, const nd_outcome_input *in)
{
    return (sc->protocol.sessions - 1) * sc->protocol.interval_s + in->t_end_s +
           sc->protocol.follow_up_s;
}

static nd_healing_state healing_at_end(const nd_outcome_params *p, const nd_scenario *sc,
                                       const nd_outcome_input *in, double s)
{
    double t_session[32];
    session_times(sc, in, t_session);
    double end = follow_up_end(sc, in);
    nd_healing_state h;
    nd_healing_run(p, s, t_session, sc->protocol.sessions, &end, 1, &h);
    return h;
}

/* Time from the last needling until half its channels are closed, with the
 * dressings the session puts on (bisection on the open share). */
static double effective_half_life(const nd_topical_history *h)
{
    int k = h->n_sets - 1;
    if (k < 0) return 0;
    double lo = 0, hi = 60 * 86400.0, t0 = h->set[k].t_s;
    for (int i = 0; i < 60; i++) {
        double m = 0.5 * (lo + hi);
        if (nd_channel_open(h, k, t0 + m) > 0.5)
            lo = m;
        else
            hi = m;
    }
    return 0.5 * (lo + hi);
}

nd_status nd_outcome_zone(const nd_outcome_params *mid, const nd_outcome_params *low,
                          const nd_outcome_params *high, const nd_scenario *sc,
                          const nd_outcome_input *in, nd_zone_outcome *out, nd_error *err)
{
    if (sc->protocol.sessions < 1 || sc->protocol.sessions > 20)
        return nd_error_set(err, ND_ERR_INPUT, "sessions must be 1..20, found %d",
                            sc->protocol.sessions);
    memset(out, 0, sizeof *out);
    out->zone = in->zone;

    /* Pain stroke by stroke, each at the numbing it meets; the intervals take
     * the unnumbed VAS and the cream's efficacy to the ends of their ranges
     * together. */
    nd_outcome_params mild = *mid, harsh = *mid;
    mild.pain_vas_1mm = low->pain_vas_1mm;
    mild.efficacy = high->efficacy;
    harsh.pain_vas_1mm = high->pain_vas_1mm;
    harsh.efficacy = low->efficacy;
    nd_topical_history cream_h;
    nd_topical_agent cream;
    nd_zone_history(mid, sc, in, ND_STEP_NUMBING, &cream_h);
    nd_topical_cream(mid, &sc->protocol.numbing, &cream);
    double w = 0, a_sum = 0, p_mid = 0, p_lo = 0, p_hi = 0, peak = 0;
    int any_stroke = 0;
    for (long k = 0; in->strokes && k < in->n_strokes; k++) {
        const nd_stroke_summary *st = &in->strokes[k];
        if (st->zone != in->zone || st->punctures <= 0) continue;
        nd_stroke_pain sp;
        nd_pain_of_stroke(mid, &cream, &cream_h, st, &sp);
        double wk = (double)st->punctures;
        w += wk;
        a_sum += wk * sp.anesthesia_depth_m;
        p_mid += wk * sp.pain_vas;
        p_lo += wk * nd_pain_vas(&mild, st->depth_mean_m, sp.anesthesia_depth_m);
        p_hi += wk * nd_pain_vas(&harsh, st->depth_mean_m, sp.anesthesia_depth_m);
        if (sp.pain_vas_peak > peak) peak = sp.pain_vas_peak;
        any_stroke = 1;
    }
    if (any_stroke) {
        out->anesthesia_depth_m = a_sum / w;
        out->pain_vas = (nd_interval){p_lo / w, p_mid / w, p_hi / w};
        out->pain_vas_peak = peak;
    } else {
        /* No strokes given: each needling episode at its middle, the peak at
         * its least numbed end. */
        nd_episode ep[ND_MAX_NEEDLING_STEPS];
        int ne = nd_zone_episodes(in, ep);
        double wsum = 0;
        for (int j = 0; j < ne; j++) {
            double t_mid = 0.5 * (ep[j].t_start_s + ep[j].t_end_s);
            double a = nd_topical_front(mid, &cream, &cream_h, t_mid);
            double a_least = fmin(nd_topical_front(mid, &cream, &cream_h, ep[j].t_start_s),
                                  nd_topical_front(mid, &cream, &cream_h, ep[j].t_end_s));
            double wk = ne > 1 ? ep[j].punctures_per_cm2 : 1.0;
            wsum += wk;
            out->anesthesia_depth_m += wk * a;
            out->pain_vas.mid += wk * nd_pain_vas(mid, ep[j].depth_mean_m, a);
            out->pain_vas.lo += wk * nd_pain_vas(&mild, ep[j].depth_mean_m, a);
            out->pain_vas.hi += wk * nd_pain_vas(&harsh, ep[j].depth_mean_m, a);
            out->pain_vas_peak =
                fmax(out->pain_vas_peak, nd_pain_vas(mid, ep[j].depth_p95_m, a_least));
        }
        if (wsum > 0) {
            out->anesthesia_depth_m /= wsum;
            out->pain_vas.mid /= wsum;
            out->pain_vas.lo /= wsum;
            out->pain_vas.hi /= wsum;
        }
    }

    nd_topical_history serum_h;
    nd_zone_history(mid, sc, in, ND_STEP_TOPICAL, &serum_h);
    if (serum_h.off_s > serum_h.on_s) {
        nd_topical_agent serum;
        nd_status st = nd_session_serum(mid, sc, &serum, err);
        if (st) return st;
        out->topical_depth_m = nd_topical_front(mid, &serum, &serum_h, serum_h.off_s);
    }

    out->bleeding_points_per_cm2.mid = nd_bleeding_points(mid, in);
    out->bleeding_points_per_cm2.lo = nd_bleeding_points(low, in);
    out->bleeding_points_per_cm2.hi = nd_bleeding_points(high, in);
    out->bruising_risk.mid = nd_bruising_risk(mid, in, in->area_cm2);
    out->bruising_risk.lo = nd_bruising_risk(low, in, in->area_cm2);
    out->bruising_risk.hi = nd_bruising_risk(high, in, in->area_cm2);

    nd_redness r, r_lo, r_hi;
    nd_outcome_params fast = *mid, slow = *mid;
    fast.ery_tau_per_m = low->ery_tau_per_m;
    slow.ery_tau_per_m = high->ery_tau_per_m;
    nd_redness_of(mid, in, &r);
    nd_redness_of(&fast, in, &r_lo);
    nd_redness_of(&slow, in, &r_hi);
    out->erythema_peak = r.peak;
    out->erythema_tau_s = r.tau_s;
    out->edema_peak = r.edema;
    out->downtime_days = (nd_interval){r_lo.downtime_days, r.downtime_days, r_hi.downtime_days};
    out->channel_half_life_h = effective_half_life(&cream_h) / 3600.0;

    double s = nd_healing_stimulus(mid, in);
    out->stimulus = s;
    nd_outcome_params gl = *mid, gh = *mid;
    gl.collagen_gain = low->collagen_gain;
    gl.elastin_gain = low->elastin_gain;
    gh.collagen_gain = high->collagen_gain;
    gh.elastin_gain = high->elastin_gain;
    nd_healing_state hm = healing_at_end(mid, sc, in, s), hl = healing_at_end(&gl, sc, in, s),
                     hh = healing_at_end(&gh, sc, in, s);
    out->collagen_I_rel = (nd_interval){hl.collagen_I, hm.collagen_I, hh.collagen_I};
    out->collagen_III_rel = (nd_interval){hl.collagen_III, hm.collagen_III, hh.collagen_III};
    out->elastin_rel = (nd_interval){hl.elastin, hm.elastin, hh.elastin};

    int n = sc->protocol.sessions, fitz = sc->patient.fitzpatrick;
    out->pih_risk =
        (nd_interval){nd_pih_risk(low, in, s, n, fitz), nd_pih_risk(mid, in, s, n, fitz),
                      nd_pih_risk(high, in, s, n, fitz)};
    return ND_OK;
}

nd_status nd_outcome_timecourse(const nd_outcome_params *p, const nd_scenario *sc,
                                const nd_outcome_input *in, const double *times, int n,
                                nd_timecourse_row *rows, nd_error *err)
{
    int sessions = sc->protocol.sessions;
    if (sessions < 1 || sessions > 20)
        return nd_error_set(err, ND_ERR_INPUT, "sessions must be 1..20, found %d", sessions);
    double t_session[32];
    session_times(sc, in, t_session);
    nd_redness r;
    nd_redness_of(p, in, &r);
    nd_topical_history cream_h, serum_h;
    nd_topical_agent cream, serum;
    nd_status st = nd_session_serum(p, sc, &serum, err);
    if (st) return st;
    nd_zone_history(p, sc, in, ND_STEP_NUMBING, &cream_h);
    nd_zone_history(p, sc, in, ND_STEP_TOPICAL, &serum_h);
    nd_topical_cream(p, &sc->protocol.numbing, &cream);
    nd_healing_state *h = malloc(sizeof *h * (size_t)(n > 0 ? n : 1));
    if (!h) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_healing_run(p, nd_healing_stimulus(p, in), t_session, sessions, times, n, h);
    double made = 0; /* channel area a session opens */
    for (int k = 0; k < cream_h.n_sets; k++) made += cream_h.set[k].area_fraction;
    for (int i = 0; i < n; i++) {
        double t = times[i];
        nd_timecourse_row *row = &rows[i];
        memset(row, 0, sizeof *row);
        row->time_s = t;
        /* Each session repeats the protocol from its own start. */
        int k = (int)floor(t / sc->protocol.interval_s);
        if (k > sessions - 1) k = sessions - 1;
        if (k < 0) k = 0;
        double ts = t - k * sc->protocol.interval_s;
        row->anesthesia_depth_m = nd_topical_front(p, &cream, &cream_h, ts);
        row->topical_depth_m = nd_topical_front(p, &serum, &serum_h, ts);
        row->pain_vas = nd_pain_vas(p, in->depth_mean_m, row->anesthesia_depth_m);
        double red = 0, open = 0;
        for (int j = 0; j < sessions && t_session[j] <= t; j++)
            red += r.peak * exp(-(t - t_session[j]) / r.tau_s);
        /* The latest session's channels; earlier ones have long closed. */
        for (int j = 0; j < cream_h.n_sets && made > 0; j++)
            open += cream_h.set[j].area_fraction * nd_channel_open(&cream_h, j, ts) / made;
        row->erythema_index = red < 1 ? red : 1;
        row->edema_rel = p->edema_gain * row->erythema_index;
        row->open_channel_fraction = open;
        row->collagen_I_rel = h[i].collagen_I;
        row->collagen_III_rel = h[i].collagen_III;
        row->elastin_rel = h[i].elastin;
    }
    free(h);
    return ND_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int nd_outcome_sample_times(const nd_scenario *sc, double session_end_s, double *times, int max)
{
    int n = 0;
    double I = sc->protocol.interval_s;
    double end = (sc->protocol.sessions - 1) * I + session_end_s + sc->protocol.follow_up_s;
#define ADD(v)                                                                                     \
    do {                                                                                           \
        if (n < max) times[n++] = (v);                                                             \
    } while (0)
    for (int k = 0; k < sc->protocol.sessions; k++) {
        double t0 = k * I;
        /* Every 10 min through numbing, needling and the first 6 hours... */
        for (double t = 0; t <= session_end_s + 6 * 3600.0; t += 600) ADD(t0 + t);
        /* ...every 2 h for the first 3 days... */
        for (double t = session_end_s + 8 * 3600.0; t <= 3 * 86400.0; t += 7200) ADD(t0 + t);
    }
    /* ...then daily to the end of follow-up. */
    for (double t = 4 * 86400.0; t <= end; t += 86400.0) ADD(t);
    ADD(end);
#undef ADD
    qsort(times, (size_t)n, sizeof *times, cmp_double);
    int m = 0; /* drop duplicates (closer than a second) */
    for (int i = 0; i < n; i++)
        if (m == 0 || times[i] - times[m - 1] > 1.0) times[m++] = times[i];
    return m;
}
