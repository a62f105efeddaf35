/*
 * needle — the planner: from a patient, an indication and the patient's
 * limits to a treatment plan (include/needle/plan.h), chosen by running the
 * simulator over candidate settings.
 *
 *     nd_plan_request req;
 *     nd_plan_request_init(&req, &patient, ND_IND_ACNE_SCARS);
 *     req.max_downtime_days = 2;
 *     nd_plan plan;
 *     nd_status st = nd_plan_make(&req, &plan, &err);
 *
 * Safety first, in three steps (docs/planner.md):
 *  1. Screening.  The patient's dated history is checked against
 *     data/contraindications.csv on the plan's date.  An absolute
 *     contraindication refuses the plan (ND_ERR_SAFETY, naming the reason and
 *     its source).  A relative one is refused too until the practitioner
 *     acknowledges its code; once acknowledged the plan is made more
 *     conservatively (shallower, fewer passes, longer interval, no cream...),
 *     as that row of the table says, and the code is kept in the plan.
 *  2. Zone limits.  Every zone has a maximum depth (data/zone_limits.csv, from
 *     the published depth guide), lowered for Fitzpatrick IV-VI.  Nothing is
 *     clamped: a depth over the limit is refused by nd_plan_check_zone().
 *  3. Search.  For each zone, every candidate setting inside the limits is
 *     simulated on a patch of that zone's skin (the real strokes, strikes and
 *     insertion model), the lumped outcome models predict pain, bleeding,
 *     redness, downtime and collagen over the series, and the candidate with
 *     the most collagen that keeps within the patient's limits is chosen.
 *     When no candidate does, the plan is refused (ND_ERR_SAFETY).
 *
 * The library never prints; every refusal is an nd_status with a message.
 * Results are deterministic: the seed is part of the request.
 */
#ifndef NEEDLE_PLANNER_H
#define NEEDLE_PLANNER_H

#include <stdint.h>

#include "needle/indication.h"
#include "needle/patient.h"
#include "needle/plan.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Contraindications ------------------------------------------------ */

typedef enum { ND_CI_ABSOLUTE, ND_CI_RELATIVE } nd_ci_class;

#define ND_CI_TEXT_MAX 384

/* One contraindication that applies to a patient on a date: a row of
 * data/contraindications.csv matched by an item of the history. */
typedef struct {
    char code[ND_CODE_MAX]; /* what --acknowledge takes: the history kind's name */
    int history;            /* nd_history_kind */
    int item;               /* index of the matching item in the patient's history */
    nd_ci_class cls;
    char when[96]; /* the window, in words: "within 183 days after it ended" */
    /* Relative: how the plan is made more conservative (1 / -1 / 0: no change). */
    double depth_factor;         /* every zone limit times this */
    int max_passes;              /* -1: no cap */
    double interval_factor;      /* the interval between sessions times this */
    int no_numbing;              /* no numbing cream */
    char effect[ND_CI_TEXT_MAX]; /* the change and why, in words */
    char source[ND_CI_TEXT_MAX]; /* where the class and window come from */
} nd_contraindication;

#define ND_MAX_CONTRAINDICATIONS 48

/* Screen a patient on a date (YYYY-MM-DD): every row of
 * data/contraindications.csv that an item of the history matches, absolute
 * ones first.  An item dated after the date does not count. */
nd_status nd_plan_screen(const nd_patient_record *p, const char *date,
                         nd_contraindication out[ND_MAX_CONTRAINDICATIONS], int *n, nd_error *err);

/* ---- Zone depth limits ----------------------------------------------- */

/* A zone's maximum depth (m) for an indication and a skin type: the row of
 * data/zone_limits.csv for the zone and indication (else for the zone and
 * "any"), times the Fitzpatrick factor of data/plan_rules.csv for types
 * IV-VI.  basis (may be NULL) receives the row's source and the skin-type
 * rule in words. */
nd_status nd_plan_zone_limit(int zone, int indication, int fitzpatrick, double *limit_m,
                             char *basis, unsigned long basis_size, nd_error *err);

/* Refuse (ND_ERR_SAFETY) a depth over the zone's limit, with a message naming
 * the zone, the depth and the limit; ND_ERR_INPUT for an unknown zone,
 * indication or type, or a depth that is not positive.  Used by the planner
 * on every setting it proposes, by session recording to flag an over-limit
 * session, and on any depth a user asks for. */
nd_status nd_plan_check_zone(int zone, int indication, int fitzpatrick, double depth_m,
                             nd_error *err);

/* ---- Planning ---------------------------------------------------------- */

typedef struct {
    const nd_patient_record *patient;
    int indication; /* nd_indication */
    int n_zones;    /* 0: the full face (every zone but the neck) */
    int zones[ND_ZONE_COUNT];
    double max_downtime_days; /* < 0: no limit */
    double max_pain_vas;      /* < 0: no limit */
    int n_acknowledged;       /* relative contraindications accepted by the practitioner */
    char acknowledged[ND_HX_COUNT][ND_CODE_MAX];
    char device[ND_NAME_MAX]; /* preset of data/devices.csv; "": pen_12 */
    char date[ND_DATE_LEN];   /* the plan's date; "": today */
    /* > 0: the depth (pen, estamp) or needle length (roller, stamp) the user
     * fixes for a zone; checked against the limit, never clamped. */
    double depth_m[ND_ZONE_COUNT];
    uint64_t seed;
} nd_plan_request;

/* A request with no limits, the full face, today, pen_12 and seed 1. */
void nd_plan_request_init(nd_plan_request *req, const nd_patient_record *patient, int indication);

/* Make a plan.  ND_ERR_INPUT for a bad request (unknown indication, zone or
 * device, negative limit, invalid patient or date), ND_ERR_SAFETY for an
 * absolute contraindication, an unacknowledged relative one (the message
 * names its code), a fixed depth over a zone's limit, or limits that no
 * candidate keeps. */
nd_status nd_plan_make(const nd_plan_request *req, nd_plan *out, nd_error *err);

/* ---- The search, open for inspection ------------------------------------ */

/* One candidate setting of one zone and what the simulator predicts for it. */
typedef struct {
    double depth_m; /* depth setting or needle length */
    int passes;
    int numbing; /* index of the numbing option (nd_plan_numbing_options) */
    double pain_vas, pain_vas_peak, bleeding_points_per_cm2, erythema_peak, downtime_days;
    double collagen_I_rel, pih_risk;
    double punctures_per_cm2, depth_mean_m; /* from the simulated patch */
    double dermal_depth_m;                  /* mean length of dermis a channel crosses */
    double collagen_mm; /* what the search ranks: (collagen_I_rel - 1) x dermal depth, mm */
    double needling_s;  /* time to needle the whole zone */
    int feasible;       /* keeps every limit of the request */
} nd_plan_candidate;

/* The numbing options the planner chooses among (data/plan_candidates.csv),
 * in order of increasing application time; option 0 is no cream.  Returns
 * their count, or -1 on error. */
int nd_plan_numbing_options(nd_numbing *out, int max, nd_error *err);

/* Every candidate the search weighs for one zone of a request, for every
 * numbing option.  *out is malloc'ed; free() it.  The request is screened as
 * by nd_plan_make, so an unacknowledged contraindication refuses here too. */
nd_status nd_plan_candidates(const nd_plan_request *req, int zone, nd_plan_candidate **out, int *n,
                             nd_error *err);

#ifdef __cplusplus
}
#endif
#endif
