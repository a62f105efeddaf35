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
#include "needle/report.h"
#include "needle/scenario.h"
#include "needle/skin.h"
#include "needle/status.h"

/* The four layer boundaries the report draws: bottom of stratum corneum,
 * viable epidermis, papillary and reticular dermis (fat lies below). */
#define ND_RD_BOUNDS 4

/* One treated zone. */
typedef struct {
    nd_zone_stats stats;               /* stats.zone is the zone id */
    int has_bounds;                    /* 0 when the run had no skin to ask */
    double bottom_m[ND_RD_BOUNDS];     /* zone-mean layer boundaries, from the surface */
    double bin_m;                      /* width of a histogram bin */
    uint64_t hist[ND_FIELD_ZONE_BINS]; /* depth reached; the last bin holds everything deeper */
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
} nd_rundata;

/* From a finished run in memory; date is now. */
nd_status nd_rundata_from_view(const nd_run_view *run, nd_rundata **out, nd_error *err);

/* From the files of a run folder: summary.json (the scenario echo and the
 * version), zones.csv, field.csv and histograms.csv; date is summary.json's
 * modification time.  A missing folder or file, or a malformed one, is
 * ND_ERR_INPUT with the file and, where there is one, the line. */
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

/* "YYYY-MM-DD HH:MM" of t in local time into buf. */
void nd_rundata_format_date(long long t, char *buf, unsigned long size);

#endif
