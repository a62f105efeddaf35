/* One zone's read-outs and time course, assembled from the lumped models;
 * see include/needle/outcome.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models.h"

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

nd_status nd_outcome_zone(const nd_outcome_params *mid, const nd_outcome_params *low,
                          const nd_outcome_params *high, const nd_scenario *sc,
                          const nd_outcome_input *in, nd_zone_outcome *out, nd_error *err)
{
    if (sc->protocol.sessions < 1 || sc->protocol.sessions > 20)
        return nd_error_set(err, ND_ERR_INPUT, "sessions must be 1..20, found %d",
                            sc->protocol.sessions);
    memset(out, 0, sizeof *out);
    out->zone = in->zone;
    const nd_numbing *numb = &sc->protocol.numbing;
    double t_mid = 0.5 * (in->t_start_s + in->t_end_s);
    double a = nd_analgesia_depth(mid, numb, t_mid);
    double a_least = fmin(nd_analgesia_depth(mid, numb, in->t_start_s),
                          nd_analgesia_depth(mid, numb, in->t_end_s));
    out->anesthesia_depth_m = a;

    /* Pain: the intervals take the unnumbed VAS and the cream's efficacy
     * together to the ends of their ranges. */
    nd_outcome_params mild = *mid, harsh = *mid;
    mild.pain_vas_1mm = low->pain_vas_1mm;
    mild.efficacy = high->efficacy;
    harsh.pain_vas_1mm = high->pain_vas_1mm;
    harsh.efficacy = low->efficacy;
    out->pain_vas.mid = nd_pain_vas(mid, in->depth_mean_m, a);
    out->pain_vas.lo = nd_pain_vas(&mild, in->depth_mean_m, a);
    out->pain_vas.hi = nd_pain_vas(&harsh, in->depth_mean_m, a);
    out->pain_vas_peak = nd_pain_vas(mid, in->depth_p95_m, a_least);

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
    out->channel_half_life_h = nd_channel_half_life(mid, in, sc->patient.fitzpatrick) / 3600.0;

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
    double half = nd_channel_half_life(p, in, sc->patient.fitzpatrick);
    nd_healing_state *h = malloc(sizeof *h * (size_t)(n > 0 ? n : 1));
    if (!h) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_healing_run(p, nd_healing_stimulus(p, in), t_session, sessions, times, n, h);
    for (int i = 0; i < n; i++) {
        double t = times[i];
        nd_timecourse_row *row = &rows[i];
        memset(row, 0, sizeof *row);
        row->time_s = t;
        /* Each session repeats the numbing from its own start. */
        int k = (int)floor(t / sc->protocol.interval_s);
        if (k > sessions - 1) k = sessions - 1;
        if (k < 0) k = 0;
        row->anesthesia_depth_m =
            nd_analgesia_depth(p, &sc->protocol.numbing, t - k * sc->protocol.interval_s);
        row->pain_vas = nd_pain_vas(p, in->depth_mean_m, row->anesthesia_depth_m);
        double red = 0, open = 0;
        for (int j = 0; j < sessions && t_session[j] <= t; j++) {
            red += r.peak * exp(-(t - t_session[j]) / r.tau_s);
            open = exp(-M_LN2 * (t - t_session[j]) / half); /* the latest session's channels */
        }
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
