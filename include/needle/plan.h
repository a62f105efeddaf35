/*
 * needle — a treatment plan: what to do to each zone, over how many sessions,
 * and what the simulator predicts will follow.
 *
 * The planner (planner.h) fills one; the practice store (records.h) keeps it;
 * a recorded session refers to it.  SI units, as everywhere in the library.
 */
#ifndef NEEDLE_PLAN_H
#define NEEDLE_PLAN_H

#include <stdint.h>

#include "needle/face.h"
#include "needle/patient.h"
#include "needle/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ND_CODE_MAX     32  /* a contraindication or indication code */
#define ND_REASON_MAX   512 /* why a setting was chosen */
#define ND_MAX_WARNINGS 16
#define ND_WARNING_MAX  256

/* One zone of a plan: the settings and what they are predicted to do. */
typedef struct {
    int zone; /* nd_zone */
    /* Settings. */
    double depth_m;       /* pen and estamp: the depth setting; roller and stamp: needle length */
    double depth_limit_m; /* the zone's maximum for this patient (after skin-type care) */
    int passes;
    int n_directions;
    nd_direction directions[ND_MAX_DIRECTIONS];
    /* Predictions for one session, and for the series at the end of follow-up. */
    double pain_vas;
    double pain_vas_peak;
    double bleeding_points_per_cm2;
    double erythema_peak; /* 0..1 */
    double downtime_days;
    double collagen_I_rel; /* 1 = baseline */
    double pih_risk;       /* 0..1 over the series */
    char reason[ND_REASON_MAX];
} nd_plan_zone;

typedef struct {
    int64_t id;         /* the store's id; 0 before it is stored */
    int64_t patient_id; /* the patient's id in the store */
    char created[ND_DATE_LEN];
    char indication[ND_CODE_MAX]; /* acne_scars, wrinkles, stretch_marks, pigmentation, pores,
                                     dull_skin */
    nd_device_spec device;
    nd_numbing numbing;
    int sessions;
    double interval_s;
    /* The patient's limits the plan was made under; < 0: none given. */
    double max_downtime_days;
    double max_pain_vas;
    int n_zones;
    nd_plan_zone zones[ND_ZONE_COUNT];
    /* Relative contraindications the practitioner acknowledged (their codes). */
    int n_acknowledged;
    char acknowledged[ND_HX_COUNT][ND_CODE_MAX];
    int n_warnings;
    char warnings[ND_MAX_WARNINGS][ND_WARNING_MAX];
} nd_plan;

#ifdef __cplusplus
}
#endif
#endif
