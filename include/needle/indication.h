/*
 * needle — what a course of treatment can be expected to do for an indication
 * (fine lines and wrinkles, acne scars, stretch marks, pigmentation, enlarged
 * pores, dull skin), on the scale the clinical series used, with an interval
 * and the strength of the evidence behind it.
 */
#ifndef NEEDLE_INDICATION_H
#define NEEDLE_INDICATION_H

#include "needle/outcome.h"
#include "needle/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ND_IND_WRINKLES,
    ND_IND_ACNE_SCARS,
    ND_IND_STRETCH_MARKS,
    ND_IND_PIGMENTATION,
    ND_IND_PORES,
    ND_IND_DULL_SKIN,
    ND_INDICATION_COUNT
} nd_indication;

const char *nd_indication_name(int indication);
int nd_indication_from_name(const char *name);

typedef struct {
    int indication;
    int has_value;     /* 0 where the evidence has no number to give */
    nd_interval value; /* on the reference's scale (negative = better for grades) */
    double scale;      /* this protocol's collagen gain over the reference's */
    char measure[96], unit[16], evidence[16];
    char source[512];
} nd_indication_result;

/* Expected result for an indication of the treatment of one zone
 * (sc->protocol.zones[zone_plan]) with outcome parameters p; cap limits the
 * credit given to a protocol stronger than the reference. */
nd_status nd_indication_expect(const nd_scenario *sc, int zone_plan, const nd_outcome_params *p,
                               double cap, int indication, nd_indication_result *out,
                               nd_error *err);

/* The expectation for an indication in a finished session's outcome set
 * (worked out on nd_outcome_set_indication_zone), or NULL if none. */
const nd_indication_result *nd_outcome_set_indication(const nd_outcome_set *o, int indication);

#ifdef __cplusplus
}
#endif
#endif
