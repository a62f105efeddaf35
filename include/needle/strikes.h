/*
 * needle — strikes: every needle event of a stroke, answered by the skin.
 *
 * This is the hot path of a simulation (10^6-10^7 events per session): a
 * stroke's kinematics place each needle tip in space and time, the insertion
 * model decides whether it pierces and how deep, and the skin sampled on the
 * field grid says which layer that depth ends in.  Events are handed on in
 * batches, never stored unless the caller asks.
 */
#ifndef NEEDLE_STRIKES_H
#define NEEDLE_STRIKES_H

#include <stdint.h>

#include "needle/field.h"
#include "needle/insertion.h"
#include "needle/protocol.h"
#include "needle/rng.h"
#include "needle/scenario.h"
#include "needle/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The patient's skin sampled at the centres of the field's cells. */
typedef struct {
    nd_grid grid;
    const int8_t *cell_zone;            /* zone of each cell, -1 outside */
    const nd_layer_bounds *cell_bounds; /* layer boundaries of each cell */
} nd_skin_grid;

typedef void (*nd_puncture_sink)(void *user, const nd_puncture *p, long n);

typedef struct {
    const nd_scenario *scenario;
    const nd_insertion_params *insertion;
    const nd_skin_grid *skin;
    const nd_lognormal_table *force_spread; /* unit median, sigma of insertion_force_cv */
    const nd_lognormal_table *drag_spread;  /* unit median, sigma of drag_cv */
    double weave_wavelength_m;              /* the hand's weave along a stroke */
} nd_strike_context;

/* Run one stroke: every needle event that lands inside the stroke's zone goes
 * to sink in batches of at most cap, through buf.  Events off the zone are not
 * made: the hand lifts the device at the zone's edge.  Returns the number of
 * events. */
long nd_stroke_run(const nd_strike_context *ctx, const nd_stroke *s, nd_puncture *buf, long cap,
                   nd_puncture_sink sink, void *user);

#ifdef __cplusplus
}
#endif
#endif
