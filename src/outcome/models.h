/* The lumped outcome models, one function each; private to the library. */
#ifndef ND_OUTCOME_MODELS_H
#define ND_OUTCOME_MODELS_H

#include "needle/outcome.h"

/* VAS of needling to depth_m with analgesia down to analgesia_m. */
double nd_pain_vas(const nd_outcome_params *p, double depth_m, double analgesia_m);

/* Pain of one stroke under the cream's history (pain.c). */
void nd_pain_of_stroke(const nd_outcome_params *p, const nd_topical_agent *cream,
                       const nd_topical_history *h, const nd_stroke_summary *s,
                       nd_stroke_pain *out);

/* Visible points of blood per cm^2. */
double nd_bleeding_points(const nd_outcome_params *p, const nd_outcome_input *in);
/* Chance of a bruise in the zone in one session. */
double nd_bruising_risk(const nd_outcome_params *p, const nd_outcome_input *in, double area_cm2);

typedef struct {
    double peak;  /* erythema, share of maximal */
    double tau_s; /* fade time constant */
    double edema; /* fractional swelling at the peak */
    double downtime_days;
} nd_redness;
void nd_redness_of(const nd_outcome_params *p, const nd_outcome_input *in, nd_redness *out);

/* Half-life of the open channels after needling (s), for this skin type. */
double nd_channel_half_life(const nd_outcome_params *p, const nd_outcome_input *in,
                            int fitzpatrick);

/* Healing stimulus of one session (0..1): the share of the zone within a
 * wound-signal radius of a dermal channel. */
double nd_healing_stimulus(const nd_outcome_params *p, const nd_outcome_input *in);

/* Collagen I, III and elastin relative to baseline at the given ascending
 * times, for sessions at t_session[k] each with stimulus s. */
typedef struct {
    double collagen_I, collagen_III, elastin;
} nd_healing_state;
void nd_healing_run(const nd_outcome_params *p, double s, const double *t_session, int sessions,
                    const double *times, int n, nd_healing_state *out);

/* The zone's needling in one needling step of a session. */
typedef struct {
    int step;
    double t_start_s, t_end_s;
    double punctures_per_cm2;
    double depth_mean_m, depth_p95_m;
} nd_episode;

/* The zone's needling episodes (at most ND_MAX_NEEDLING_STEPS), from its
 * strokes, or one from the zone's totals when there are none. */
int nd_zone_episodes(const nd_outcome_input *in, nd_episode *ep);

/* Whether the skin is under a dressing during step s: an occlusion step, or
 * an occluded cream or serum. */
int nd_step_covered(const nd_scenario *sc, const nd_step *s);

/* Molar mass of a product of data/topicals.csv. */
nd_status nd_topical_molar_mass(const char *product, double *g_mol, nd_error *err);

/* The agent of the session's topical step; rate 0 when it has none. */
nd_status nd_session_serum(const nd_outcome_params *p, const nd_scenario *sc, nd_topical_agent *out,
                           nd_error *err);

/* The zone's session as the topical model sees it, for the product put on
 * in the step of kind product (ND_STEP_NUMBING: the cream; ND_STEP_TOPICAL:
 * the serum); on_s = off_s = -1 when the session has none. */
void nd_zone_history(const nd_outcome_params *p, const nd_scenario *sc, const nd_outcome_input *in,
                     nd_step_kind product, nd_topical_history *h);

/* Chance of post-inflammatory hyperpigmentation over the series. */
double nd_pih_risk(const nd_outcome_params *p, const nd_outcome_input *in, double s, int sessions,
                   int fitzpatrick);

#endif
