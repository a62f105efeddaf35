/*
 * needle — what the skin does after needling: numbing and pain, bleeding,
 * bruising, redness, swelling and downtime, channel closure, and collagen and
 * elastin over a series of sessions.
 *
 * These are the lumped per-zone models (a few equations per zone, fast enough
 * for the planner and for cohorts); docs/model.md gives each one's equations,
 * parameters, calibration and validation.  Time is counted from the start of
 * the first session's first step (the numbing cream going on).
 */
#ifndef NEEDLE_OUTCOME_H
#define NEEDLE_OUTCOME_H

#include "needle/data.h"
#include "needle/field.h"
#include "needle/scenario.h"
#include "needle/session.h"
#include "needle/skin.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of the outcome models (data/parameters.csv), SI units. */
typedef struct {
    double emla_rate, emla_lag, lmx4_rate, lmx4_lag, blt_rate, blt_lag; /* m/s^0.5, s */
    double unoccluded_factor, hold_s, fade_s, efficacy;
    double pain_exponent, pain_vas_1mm;
    double bleed_p, bruise_p;
    double ery_half_dose, ery_tau_per_m, ery_tau_min, ery_visible, edema_gain;
    double ch_half_life, ch_ref_depth, ch_depth_exp, ch_dark_factor;
    double ch_half_life_occluded, ch_diameter_ratio, ch_route_gain, ch_fill, ch_rate_factor;
    double fib_tau, c3_tau, remodel_tau, c3_share, c1_share, capacity, collagen_gain;
    double elastin_gain, elastin_tau, wound_radius;
    double pih_base, pih_light, pih_vi;
} nd_outcome_params;

/* Which column of the parameter table to read: the value or an end of its range. */
typedef enum { ND_PARAM_VALUE, ND_PARAM_LOW, ND_PARAM_HIGH } nd_param_column;

nd_status nd_outcome_params_load(const nd_table *params, nd_param_column col, nd_outcome_params *p,
                                 nd_error *err);

/* Depth of analgesia (m) t seconds after the cream went on, on intact skin. */
double nd_analgesia_depth(const nd_outcome_params *p, const nd_numbing *n, double t_s);

/* A product on the skin (a numbing cream or a serum): its front in the viable
 * skin goes as rate sqrt(exposure), and it crosses the intact stratum corneum
 * after lag_s (INFINITY: not within a visit; it enters through channels only). */
typedef struct {
    double rate; /* m/s^0.5 */
    double lag_s;
} nd_topical_agent;

/* The agent of a numbing cream, as applied (occluded or not). */
void nd_topical_cream(const nd_outcome_params *p, const nd_numbing *n, nd_topical_agent *out);
/* The agent of a product of data/topicals.csv. */
nd_status nd_topical_product(const nd_outcome_params *p, const char *product, nd_topical_agent *out,
                             nd_error *err);

/* What the skin offers a product during one session: the micro-channels of
 * each needling, and the times it was under a dressing. */
#define ND_MAX_CHANNEL_SETS ND_MAX_NEEDLING_STEPS
typedef struct {
    double on_s, off_s; /* the product on the skin */
    int n_sets;
    struct {
        double t_s;            /* when the channels were made */
        double area_fraction;  /* open channel area per skin area when made */
        double density_per_m2; /* channels per skin area */
        double depth_m;        /* mean depth of the channels */
        double half_life_s;    /* closure half-life open to the air */
    } set[ND_MAX_CHANNEL_SETS];
    double half_life_occluded_s;
    int n_occluded;
    double occluded_on_s[ND_MAX_STEPS + 1], occluded_off_s[ND_MAX_STEPS + 1];
} nd_topical_history;

/* Share of a set's channels still open at t (0 before they are made). */
double nd_channel_open(const nd_topical_history *h, int set, double t_s);
/* Depth (m) the product has reached at t: through the intact barrier after
 * its lag, and through the open channels at once, from a share of their depth;
 * held for the analgesia hold time after removal, then fading. */
double nd_topical_front(const nd_outcome_params *p, const nd_topical_agent *a,
                        const nd_topical_history *h, double t_s);

/* What the lumped models need to know about one zone of one session. */
typedef struct {
    int zone;
    double area_cm2;
    double punctures_per_cm2;
    double depth_mean_m, depth_p95_m;
    double layer_fraction[ND_LAYER_COUNT];
    double t_start_s, t_end_s; /* the zone's needling within a session */
    /* Optional detail (zero: one needling over t_start_s..t_end_s after the
     * default steps).  timeline: when each step ran; strokes: every stroke of
     * the session (the zone's are picked out), for pain stroke by stroke. */
    const nd_timeline *timeline;
    const nd_stroke_summary *strokes;
    long n_strokes;
} nd_outcome_input;

/* From a finished session's field. */
void nd_outcome_input_from_field(const nd_field *f, int zone, nd_outcome_input *in);
/* The same with the session's timeline and strokes. */
void nd_outcome_input_from_session(const struct nd_session *s, int zone, nd_outcome_input *in);

typedef struct {
    double lo, mid, hi;
} nd_interval;

/* The read-outs of one zone at the end of follow-up (series read-outs) or for
 * one session (immediate signs).  Intervals span the plausible range of the
 * model's most uncertain parameter for that read-out. */
typedef struct {
    int zone;
    double anesthesia_depth_m; /* when the zone is needled (mean over its strokes) */
    nd_interval pain_vas;      /* mean over the zone's strokes of each stroke's pain */
    double pain_vas_peak;      /* the worst stroke: its 95th-percentile depth, least numbed */
    double topical_depth_m;    /* depth the topical product reached; 0 with none */
    nd_interval bleeding_points_per_cm2;
    nd_interval bruising_risk; /* chance of a visible bruise in the zone, per session */
    double erythema_peak;      /* 0..1, share of maximal redness */
    double erythema_tau_s;     /* time constant of its fade */
    double edema_peak;         /* fractional swelling */
    nd_interval downtime_days; /* until redness is no longer visible */
    double channel_half_life_h;
    nd_interval collagen_I_rel, collagen_III_rel, elastin_rel; /* 1 = baseline */
    nd_interval pih_risk; /* post-inflammatory hyperpigmentation over the series */
    double stimulus;      /* healing stimulus of one session (0..1) */
} nd_zone_outcome;

/* Run every lumped model for one zone.  sc supplies the numbing, the series
 * and the patient; ranges (ND_PARAM_LOW / ND_PARAM_HIGH tables) give the
 * intervals. */
nd_status nd_outcome_zone(const nd_outcome_params *mid, const nd_outcome_params *low,
                          const nd_outcome_params *high, const nd_scenario *sc,
                          const nd_outcome_input *in, nd_zone_outcome *out, nd_error *err);

/* One row of a zone's time course. */
typedef struct {
    double time_s;
    double anesthesia_depth_m;
    double topical_depth_m;
    double pain_vas; /* what needling the zone would hurt at this moment */
    double erythema_index;
    double edema_rel;
    double open_channel_fraction;
    double collagen_I_rel, collagen_III_rel, elastin_rel;
} nd_timecourse_row;

/* The time course of one zone at the given times (ascending). */
nd_status nd_outcome_timecourse(const nd_outcome_params *p, const nd_scenario *sc,
                                const nd_outcome_input *in, const double *times, int n,
                                nd_timecourse_row *rows, nd_error *err);

/* Times at which a time course is worth sampling: fine over the numbing and
 * the session, hourly over the first days, then daily to the end of follow-up.
 * Returns the count (at most max). */
int nd_outcome_sample_times(const nd_scenario *sc, double session_end_s, double *times, int max);

/* Pain of one stroke: at its mean depth and at the analgesia of its middle. */
typedef struct {
    double anesthesia_depth_m;
    double pain_vas, pain_vas_peak; /* peak: its 95th-percentile depth */
} nd_stroke_pain;

/* Every read-out of a finished session: per-zone outcomes, their time
 * courses, and the expected improvement per indication. */
typedef struct nd_outcome_set nd_outcome_set;

/* Run the outcome models on a finished session.  The indications are worked
 * out for the largest treated zone. */
nd_status nd_outcome_set_create(const struct nd_session *s, nd_outcome_set **out, nd_error *err);
void nd_outcome_set_free(nd_outcome_set *o);

/* The outcome of a zone, or NULL when the zone was not treated. */
const nd_zone_outcome *nd_outcome_set_zone(const nd_outcome_set *o, int zone);
/* A zone's time course: *n rows (NULL when not treated). */
const nd_timecourse_row *nd_outcome_set_timecourse(const nd_outcome_set *o, int zone, int *n);
/* Pain of every stroke of the session, in the order of nd_session_strokes. */
const nd_stroke_pain *nd_outcome_set_strokes(const nd_outcome_set *o, long *n);
/* The zone the indications were worked out on. */
int nd_outcome_set_indication_zone(const nd_outcome_set *o);

#ifdef __cplusplus
}
#endif
#endif
