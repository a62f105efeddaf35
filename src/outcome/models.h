/* The lumped outcome models, one function each; private to the library. */
#ifndef ND_OUTCOME_MODELS_H
#define ND_OUTCOME_MODELS_H

#include "needle/outcome.h"

/* VAS of needling to depth_m with analgesia down to analgesia_m. */
double nd_pain_vas(const nd_outcome_params *p, double depth_m, double analgesia_m);

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

/* Chance of post-inflammatory hyperpigmentation over the series. */
double nd_pih_risk(const nd_outcome_params *p, const nd_outcome_input *in, double s, int sessions,
                   int fitzpatrick);

#endif
