/*
 * Run data: everything the practitioner's report shows about one run, in one
 * place (private to the report writers).
 *
 * It is filled either from a run in memory (nd_rundata_from_view) or from the
 * files of a run folder (nd_rundata_load), so `needle report RUN_DIR` draws
 * the same page as `needle simulate` without simulating again.  The figure
 * and HTML writers read only this struct, never the field or the skin, which
 * is what keeps the two ways in step.
 */
#ifndef ND_REPORT_RUNDATA_H
#define ND_REPORT_RUNDATA_H

#include <stdint.h>

#include "needle/face.h"
#include "needle/field.h"
#include "needle/indication.h"
#include "needle/outcome.h"
#include "needle/report.h"
#include "needle/scenario.h"
#include "needle/skin.h"
#include "needle/status.h"

/* The four layer boundaries the report draws: bottom of stratum corneum,
 * viable epidermis, papillary and reticular dermis (fat lies below). */
#define ND_RD_BOUNDS 4

/* The outcome read-outs of one zone, as zones.csv carries them (see
 * needle/outcome.h for what each means).  An interval end the files do not
 * carry (a folder from a version that wrote only the centre) is NaN. */
typedef struct {
    double anesthesia_depth_m;
    nd_interval pain_vas;
    double pain_vas_peak;
    nd_interval bleeding_points_per_cm2, bruising_risk;
    double erythema_peak, edema_peak;
    nd_interval downtime_days;
    double channel_half_life_h;
    nd_interval collagen_I_rel, collagen_III_rel, elastin_rel; /* end of follow-up */
    nd_interval pih_risk;
    double topical_depth_m; /* the serum of a topical step; 0 without one */
} nd_rd_outcome;

/* One treated zone. */
typedef struct {
    nd_zone_stats stats;               /* stats.zone is the zone id */
    int has_bounds;                    /* 0 when the run had no skin to ask */
    double bottom_m[ND_RD_BOUNDS];     /* zone-mean layer boundaries, from the surface */
    double bin_m;                      /* width of a histogram bin */
    uint64_t hist[ND_FIELD_ZONE_BINS]; /* depth reached; the last bin holds everything deeper */
    nd_rd_outcome outcome;             /* when the run data has_outcomes */
    nd_timecourse_row *course;         /* n_times rows when the run data has_timecourse */
} nd_rd_zone;

/* One grid cell, as the face maps colour it. */
typedef struct {
    int zone; /* -1 outside every zone */
    uint32_t punctures;
    double punctures_per_cm2;
    double depth_mean_m;  /* meaningful only when punctures > 0 */
    int deepest_layer;    /* nd_layer of the deepest puncture, -1 when none */
    double subcell_cover; /* share of the cell's 8 x 8 sub-squares punctured */
} nd_rd_cell;

typedef struct {
    nd_scenario scenario; /* as run, every default filled in */
    char version[32];     /* needle version that made the run */
    char date[32];        /* when the run was made: "2025-01-31 14:05" (local time) */
    const nd_face *face;  /* the canonical face map */
    nd_face *own_face;    /* face, when this struct created it */
    int n_zones;
    nd_rd_zone zones[ND_ZONE_COUNT]; /* in treatment order, as scenario.protocol.zones */
    nd_grid grid;
    nd_rd_cell *cells; /* grid.nx x grid.ny, row j at j * nx */

    /* The outcome models' read-outs.  A run folder from a version without
     * them lacks some or all; the page then leaves those parts out. */
    int has_outcomes;   /* every zone's outcome (zones.csv) */
    int has_timecourse; /* every zone's course at the same n_times (timecourse.csv) */
    int n_times;
    int has_indications; /* summary.json "indications" */
    int indication_zone; /* the zone they were worked out on; -1 when none */
    int n_indications;   /* in the file's order */
    nd_indication_result indications[ND_INDICATION_COUNT];
} nd_rundata;

/* From a finished run in memory; date is now. */
nd_status nd_rundata_from_view(const nd_run_view *run, nd_rundata **out, nd_error *err);

/* From the files of a run folder: summary.json (the scenario echo, the
 * version and the indications), zones.csv, field.csv, histograms.csv and
 * timecourse.csv; date is summary.json's modification time.  A missing
 * folder or file, or a malformed one, is ND_ERR_INPUT with the file and,
 * where there is one, the line; only the outcome read-outs may be missing
 * (a folder from an older version), which leaves has_outcomes,
 * has_timecourse or has_indications 0. */
nd_status nd_rundata_load(const char *dir, nd_rundata **out, nd_error *err);

void nd_rundata_free(nd_rundata *rd);

/* The cell at (i, j); NULL outside the grid. */
const nd_rd_cell *nd_rundata_cell(const nd_rundata *rd, int i, int j);

/* The plan of the k-th treated zone. */
static inline const nd_zone_plan *nd_rundata_plan(const nd_rundata *rd, int k)
{
    return &rd->scenario.protocol.zones[k];
}

/* Fold a cell's statistics into what the maps show. */
void nd_rundata_set_cell(nd_rd_cell *c, int zone, uint32_t punctures, double punctures_per_cm2,
                         double depth_mean_m, const double layer_fraction[ND_LAYER_COUNT],
                         uint32_t repeat_hits);

/* The k-th treated zone's time course at t_s (seconds from the cream going
 * on), linear between samples and held at the ends; value picks the column. */
typedef double (*nd_rd_value)(const nd_timecourse_row *r);
double nd_rundata_course_at(const nd_rundata *rd, int k, nd_rd_value value, double t_s);

/* When the k-th treated zone was needled: the middle of its needling in the
 * first session, the moment the outcome models date its signs from. */
static inline double nd_rundata_needled_s(const nd_rundata *rd, int k)
{
    return 0.5 * (rd->zones[k].stats.t_start_s + rd->zones[k].stats.t_end_s);
}

/* "YYYY-MM-DD HH:MM" of t in local time into buf. */
void nd_rundata_format_date(long long t, char *buf, unsigned long size);

#endif
