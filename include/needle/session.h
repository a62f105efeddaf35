/*
 * needle — one simulated session: scenario in, puncture field out.
 *
 *     nd_session *s;
 *     if (nd_session_create(&scenario, &s, &err) == ND_OK &&
 *         nd_session_run(s, &opts, &err) == ND_OK)
 *         ... nd_session_field(s) ...
 *     nd_session_free(s);
 *
 * Results are bit-identical for the same scenario and seed whatever the
 * number of threads: every random draw comes from a stream named by what it
 * is for, and every sum is an integer.
 */
#ifndef NEEDLE_SESSION_H
#define NEEDLE_SESSION_H

#include "needle/face.h"
#include "needle/field.h"
#include "needle/protocol.h"
#include "needle/scenario.h"
#include "needle/skin.h"
#include "needle/status.h"
#include "needle/strikes.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_session nd_session;

/* Called now and then from the calling thread with the fraction done (0..1). */
typedef void (*nd_progress_fn)(void *user, double fraction);

typedef struct {
    int threads;             /* 0: OpenMP's default */
    nd_progress_fn progress; /* may be NULL */
    void *progress_user;
    nd_puncture_sink raw; /* every event in session order, after the run; may be NULL */
    void *raw_user;
} nd_run_options;

/* What one stroke did: when, at which setting, and how deep its needles went. */
typedef struct {
    int zone, step, pass;
    long index; /* stroke number within its zone */
    double t_start_s, t_end_s;
    double depth_setting_m;
    long punctures; /* needles that pierced */
    double depth_mean_m, depth_p95_m;
} nd_stroke_summary;

/* Validate the scenario and set up skin, face and field. */
nd_status nd_session_create(const nd_scenario *sc, nd_session **out, nd_error *err);
/* Simulate every stroke.  May be called again (the field is reset). */
nd_status nd_session_run(nd_session *s, const nd_run_options *opt, nd_error *err);
void nd_session_free(nd_session *s);

const nd_scenario *nd_session_scenario(const nd_session *s);
const nd_face *nd_session_face(const nd_session *s);
const nd_skin *nd_session_skin(const nd_session *s);
const nd_field *nd_session_field(const nd_session *s);
/* data/parameters.csv with the scenario's model_parameters applied. */
const nd_table *nd_session_params(const nd_session *s);
/* Needle events of the last run, and its session end time (s). */
unsigned long long nd_session_events(const nd_session *s);
/* Threads the last run used. */
int nd_session_threads(const nd_session *s);
/* End of the last stroke of the last run (s). */
double nd_session_end_time(const nd_session *s);
/* Every stroke of the last run, in session order: *n of them. */
const nd_stroke_summary *nd_session_strokes(const nd_session *s, long *n);
/* When each step of the last run started and ended. */
const nd_timeline *nd_session_timeline(const nd_session *s);

#ifdef __cplusplus
}
#endif
#endif
