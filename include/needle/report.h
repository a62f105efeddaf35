/*
 * needle — what a run leaves behind: summary.json, zones.csv, field.csv,
 * histograms.csv, figures and the practitioner's report (report.html), written
 * into a run folder that appears whole or not at all.
 */
#ifndef NEEDLE_REPORT_H
#define NEEDLE_REPORT_H

#include <stdio.h>

#include "needle/face.h"
#include "needle/field.h"
#include "needle/scenario.h"
#include "needle/skin.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Everything the writers read about one finished run. */
typedef struct {
    const nd_scenario *scenario;
    const nd_face *face;
    const nd_skin *skin;
    const nd_field *field;
    int threads;   /* threads used (not part of the results) */
    double wall_s; /* wall time of the simulation (not part of the results) */
    const struct nd_outcome_set *outcomes; /* the outcome models' read-outs; NULL: none */
    const struct nd_session *session;      /* the session, for its strokes; NULL: none */
    const struct nd_sites *sites;          /* 3-D sample sites (tissue.csv); NULL: none */
} nd_run_view;

/* summary.json: per zone punctures_per_cm2, depth_mean_mm, depth_p95_mm,
 * layer_fraction{layer: f}, coverage_fraction, uniformity_cv, ...; totals; and
 * the scenario echoed with its defaults filled in. */
nd_status nd_write_summary_json(const nd_run_view *run, FILE *out, nd_error *err);
/* zones.csv: the same per-zone numbers, one row per treated zone. */
nd_status nd_write_zones_csv(const nd_run_view *run, FILE *out, nd_error *err);
/* field.csv: one row per cell that lies in a zone. */
nd_status nd_write_field_csv(const nd_run_view *run, FILE *out, nd_error *err);

/* histograms.csv: each treated zone's depth histogram (zone, depth_lo_mm,
 * depth_hi_mm, punctures) in 10 um bins, up to its deepest puncture. */
nd_status nd_write_histograms_csv(const nd_run_view *run, FILE *out, nd_error *err);
/* strokes.csv: every stroke's zone, step, times, depths, numbing and pain
 * (needs session and outcomes). */
nd_status nd_write_strokes_csv(const nd_run_view *run, FILE *out, nd_error *err);
/* tissue.csv: every 3-D sample site's read-outs at the time course's times. */
nd_status nd_write_tissue_csv(const nd_run_view *run, FILE *out, nd_error *err);

/* timecourse.csv: the outcome models' time courses, one row per treated zone
 * and sample time (src/report/timecourse_csv.c; see needle/outcome.h). */
typedef struct nd_outcome_set nd_outcome_set;
nd_status nd_write_timecourse_csv(const nd_scenario *sc, const nd_outcome_set *o, FILE *out,
                                  nd_error *err);

typedef enum {
    ND_MAP_DENSITY,  /* punctures per cm^2 */
    ND_MAP_DEPTH,    /* mean depth reached, mm */
    ND_MAP_LAYER,    /* deepest layer any puncture in the cell reached */
    ND_MAP_COVERAGE, /* share of the cell's 8 x 8 sub-squares punctured */
} nd_map_kind;

/* A PNG face map of one field quantity with zone outlines, names and a colour
 * bar or legend. */
nd_status nd_figure_face_map(const nd_run_view *run, nd_map_kind kind, const char *png_path,
                             nd_error *err);

/* Write all of the above into dir (which must exist): summary.json, zones.csv,
 * field.csv, histograms.csv, the figures in figures/ (density.png, depth.png,
 * layer.png, coverage.png, depth_histograms.png) and the practitioner's
 * report, report.html, which carries the same figures inline. */
nd_status nd_report_write_all(const nd_run_view *run, const char *dir, nd_error *err);

/* Draw report.html and its figures again from the files of an existing run
 * folder, without simulating.  A folder that is missing, is not a run folder,
 * or holds a malformed file is ND_ERR_INPUT naming the file and line, and
 * leaves the folder as it was: report.html is written under a temporary name
 * and renamed into place only when complete. */
nd_status nd_report_from_dir(const char *dir, nd_error *err);

/* A run folder written under a temporary name and renamed into place when
 * complete, so a failed run leaves nothing behind and a reader never sees
 * half a run. */
typedef struct nd_rundir nd_rundir;

/* Start a run folder that will become final_dir.  Fails if final_dir exists
 * and is not a needle run folder (it has no summary.json), so nothing else a
 * user saved is overwritten. */
nd_status nd_rundir_begin(const char *final_dir, nd_rundir **out, nd_error *err);
/* The temporary folder to write into. */
const char *nd_rundir_path(const nd_rundir *rd);
/* Move the finished folder into place (replacing an earlier run) and free rd. */
nd_status nd_rundir_commit(nd_rundir *rd, nd_error *err);
/* Remove the temporary folder and free rd. */
void nd_rundir_abort(nd_rundir *rd);

#ifdef __cplusplus
}
#endif
#endif
