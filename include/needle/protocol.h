/*
 * needle — from a protocol to strokes: how the hand moves the device over
 * each zone, pass by pass, and when.
 *
 * Each pass covers the zone with parallel strokes one swath apart, less the
 * overlap, in the pass's direction; the pattern is shifted at random from pass
 * to pass (a hand does not retrace its lines), each stroke wanders sideways by
 * the hand jitter, and hand speed and force vary from stroke to stroke.
 */
#ifndef NEEDLE_PROTOCOL_H
#define NEEDLE_PROTOCOL_H

#include "needle/face.h"
#include "needle/scenario.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int zone;      /* nd_zone */
    int plan;      /* index into scenario->protocol.zones */
    int step;      /* index into the session's steps (nd_protocol_steps) */
    int pass;      /* counted over the zone's needling steps */
    long index;    /* stroke number within its zone: names its random stream */
    double x0, y0; /* start of the stroke's centre line, m */
    double ux, uy; /* unit vector of travel */
    double length_m;
    double speed_m_s; /* glide speed of this stroke */
    double force_n;   /* hand force on this stroke (hand-held devices) */
    double depth_m;   /* depth setting (estamp, pen) or needle length (roller, stamp) */
    double t_start_s, duration_s;
} nd_stroke;

/* When each step of a session starts and ends (s from the start of the first). */
typedef struct {
    int n_steps;
    nd_step steps[ND_MAX_STEPS];
    double start_s[ND_MAX_STEPS], end_s[ND_MAX_STEPS];
    double needling_end_s; /* end of the last stroke */
} nd_timeline;

/* Plan every stroke of the session, step by step in the protocol's order.
 * Session time starts when the first step starts (normally the numbing cream
 * going on).  *strokes is malloc'ed; free() it.  tl may be NULL. */
nd_status nd_protocol_strokes(const nd_scenario *sc, const nd_face *face, const nd_table *params,
                              nd_stroke **strokes, long *n, nd_timeline *tl, nd_error *err);

/* Distance between device placements along a stroke in stamp motion (m). */
double nd_protocol_stamp_step(const nd_device_spec *dev, const nd_zone_plan *zp);

#ifdef __cplusplus
}
#endif
#endif
