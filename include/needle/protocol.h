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
    int zone; /* nd_zone */
    int plan; /* index into scenario->protocol.zones */
    int pass;
    long index;    /* stroke number within its zone: names its random stream */
    double x0, y0; /* start of the stroke's centre line, m */
    double ux, uy; /* unit vector of travel */
    double length_m;
    double speed_m_s; /* glide speed of this stroke */
    double force_n;   /* hand force on this stroke (hand-held devices) */
    double t_start_s, duration_s;
} nd_stroke;

/* Plan every stroke of the session in treatment order.  Session time starts
 * when the first step starts (the numbing cream going on).  *strokes is
 * malloc'ed; free() it. */
nd_status nd_protocol_strokes(const nd_scenario *sc, const nd_face *face, const nd_table *params,
                              nd_stroke **strokes, long *n, double *t_end_s, nd_error *err);

/* Distance between device placements along a stroke in stamp motion (m). */
double nd_protocol_stamp_step(const nd_device_spec *dev, const nd_zone_plan *zp);

#ifdef __cplusplus
}
#endif
#endif
