/*
 * needle — the puncture field: what the needles did, cell by cell and zone by zone.
 *
 * Punctures are folded into integer accumulators (depths in nanometres), so the
 * result does not depend on the order in which they arrive: any number of
 * threads gives bit-identical statistics.
 */
#ifndef NEEDLE_FIELD_H
#define NEEDLE_FIELD_H

#include <stdint.h>

#include "needle/face.h"
#include "needle/skin.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One needle event after the skin answered it. */
typedef struct {
    double t_s;     /* session time of the strike */
    float x_m, y_m; /* position on the face map */
    float depth_m;  /* depth reached (0 when not pierced) */
    int16_t zone;
    int8_t layer;  /* nd_layer reached, or -1 when the needle did not pierce */
    int8_t needle; /* index on the device (roller: ring) */
} nd_puncture;

typedef struct nd_field nd_field;

/* Statistics of one zone. */
typedef struct {
    int zone;
    double area_cm2; /* area of the zone's cells */
    long cells;
    uint64_t strikes;   /* needle events in the zone */
    uint64_t punctures; /* events that pierced the stratum corneum or went into it */
    double punctures_per_cm2;
    double depth_mean_m, depth_p95_m, depth_max_m;
    double layer_fraction[ND_LAYER_COUNT]; /* of punctures, by deepest layer reached */
    double coverage_fraction;              /* cells with at least one puncture */
    double uniformity_cv;                  /* coefficient of variation of punctures per cell */
    double repeat_fraction;                /* punctures landing on an already punctured sub-cell */
    double t_start_s, t_end_s;             /* session time of the first and last strike */
} nd_zone_stats;

/* Statistics of one cell. */
typedef struct {
    int zone; /* -1 outside every zone */
    uint32_t punctures;
    double punctures_per_cm2;
    double depth_mean_m, depth_p95_m, depth_max_m;
    double layer_fraction[ND_LAYER_COUNT];
    uint32_t repeat_hits;
} nd_cell_stats;

/* Grid geometry: nx x ny cells of size h (m), cell (i, j) spans
 * [x0 + i h, x0 + (i+1) h) x [y0 + j h, y0 + (j+1) h). */
typedef struct {
    int nx, ny;
    double x0, y0, h;
} nd_grid;

nd_status nd_field_create(const nd_face *face, double cell_m, nd_field **out, nd_error *err);
/* An empty field on the same grid as proto (for per-thread accumulation). */
nd_status nd_field_create_like(const nd_field *proto, nd_field **out, nd_error *err);
void nd_field_free(nd_field *f);

const nd_grid *nd_field_grid(const nd_field *f);
/* Zone of cell (i, j) (by its centre), or -1. */
int nd_field_cell_zone(const nd_field *f, int i, int j);

/* Add a batch of punctures (events with layer -1 count as strikes only). */
void nd_field_add(nd_field *f, const nd_puncture *p, long n);
/* Add another field of the same grid into f (integer sums: order-free). */
nd_status nd_field_merge(nd_field *f, const nd_field *other, nd_error *err);
/* Clear all accumulated punctures. */
void nd_field_reset(nd_field *f);
/* Record the session time span of a zone's strikes. */
void nd_field_note_time(nd_field *f, int zone, double t0, double t1);

void nd_field_zone_stats(const nd_field *f, int zone, nd_zone_stats *out);
/* A zone's depth histogram: *bin_m wide bins from 0, the last bin holding
 * everything deeper; returns the number of bins (counts has room for
 * ND_FIELD_ZONE_BINS). */
#define ND_FIELD_ZONE_BINS 400
int nd_field_zone_histogram(const nd_field *f, int zone, uint64_t counts[ND_FIELD_ZONE_BINS],
                            double *bin_m);
void nd_field_cell_stats(const nd_field *f, int i, int j, nd_cell_stats *out);

#ifdef __cplusplus
}
#endif
#endif
