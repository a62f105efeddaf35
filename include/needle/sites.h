/*
 * needle — 3-D sample sites of a session: the tissue solver (tissue.h) run at
 * a few places of each treated zone, fed with the punctures that really fell
 * there, through the session's steps and the whole series of sessions.
 *
 *     nd_sites *st;
 *     nd_sites_create(session, 1, &st, &err);          // choose the windows
 *     opts.raw = nd_sites_collect; opts.raw_user = st;  // keep their punctures
 *     nd_session_run(session, &opts, &err);
 *     nd_sites_run(st, session, times, n, &err);        // seconds to months
 *
 * The sites are the mechanism under the lumped per-zone models: their depth
 * of analgesia, open channels and dermal collagen are printed beside the
 * lumped read-outs (tissue.csv), and tests/validation/test_lumped_vs_3d.c
 * holds the two to a stated agreement.
 */
#ifndef NEEDLE_SITES_H
#define NEEDLE_SITES_H

#include "needle/field.h"
#include "needle/session.h"
#include "needle/status.h"
#include "needle/tissue.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_sites nd_sites;

/* per_zone square windows (output.tissue_width_mm, voxels of
 * output.tissue_voxel_um) in each zone the session treats, placed at
 * seeded random spots wholly inside the zone. */
nd_status nd_sites_create(const nd_session *s, int per_zone, nd_sites **out, nd_error *err);
void nd_sites_free(nd_sites *st);

/* A puncture sink (nd_run_options.raw) keeping the punctures that fall in
 * the windows; user is the nd_sites. */
void nd_sites_collect(void *user, const nd_puncture *p, long n);

/* Run every site through the series, read at times (s from the start of the
 * first session, ascending).  Every session of a series repeats the first
 * one's punctures and steps, as the lumped models assume.  The numbing cream
 * is the agent, a serum step (the first) the solver's serum.  threads: sites run side by
 * side (0: OpenMP's default); the result does not depend on it. */
nd_status nd_sites_run(nd_sites *st, const nd_session *s, const double *times, int n, int threads,
                       nd_error *err);

/* Report progress (the share of sites finished) to fn while nd_sites_run
 * works; fn is called from one thread at a time.  fn may be NULL. */
void nd_sites_set_progress(nd_sites *st, nd_progress_fn fn, void *user);

int nd_sites_count(const nd_sites *st);
/* Site k: its zone, window (m, lower corner and side), the punctures it held
 * in one session, and its samples (*n of them, after nd_sites_run). */
typedef struct {
    int zone;
    double x0_m, y0_m, width_m;
    long punctures;
} nd_site_info;
void nd_sites_info(const nd_sites *st, int k, nd_site_info *out);
const nd_site_sample *nd_sites_samples(const nd_sites *st, int k, int *n);
/* Solver work over all sites (voxel updates), for the progress line. */
unsigned long long nd_sites_voxel_updates(const nd_sites *st);

#ifdef __cplusplus
}
#endif
#endif
