/*
 * needle — the patient's skin: layer thickness over the face.
 *
 * Per zone, mean thickness of stratum corneum, viable epidermis, papillary and
 * reticular dermis comes from data/skin_layers.csv, adjusted for age and sex;
 * inside a zone it varies smoothly (a seeded Gaussian random field with the
 * published spread).  Depths are measured from the skin surface, in metres.
 */
#ifndef NEEDLE_SKIN_H
#define NEEDLE_SKIN_H

#include <stdint.h>

#include "needle/data.h"
#include "needle/face.h"
#include "needle/scenario.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ND_LAYER_SC,        /* stratum corneum */
    ND_LAYER_EPIDERMIS, /* viable epidermis */
    ND_LAYER_PAPILLARY, /* papillary dermis */
    ND_LAYER_RETICULAR, /* reticular dermis */
    ND_LAYER_FAT,       /* subcutaneous fat */
    ND_LAYER_COUNT
} nd_layer;

/* "stratum_corneum", "epidermis", "papillary_dermis", "reticular_dermis", "fat". */
const char *nd_layer_name(int layer);

/* Mean layer thicknesses of a zone for a patient (before the within-zone field). */
typedef struct {
    double thickness_m[ND_LAYER_COUNT]; /* fat: depth of the subcutaneous layer */
    double cv[ND_LAYER_COUNT];          /* published spread as a coefficient of variation */
} nd_zone_layers;

typedef struct nd_skin_model nd_skin_model;

/* Load data/skin_layers.csv; model parameters come from params (as loaded
 * by nd_params_load, or NULL for data/parameters.csv as it stands). */
nd_status nd_skin_model_create(const nd_table *params, nd_skin_model **out, nd_error *err);
void nd_skin_model_free(nd_skin_model *m);

/* Mean layers of a zone for a patient of this age and sex. */
nd_status nd_skin_zone_layers(const nd_skin_model *m, const nd_patient *p, int zone,
                              nd_zone_layers *out, nd_error *err);

/* Depth (m) of the lower boundary of each layer at a point, given the four
 * boundaries: bottom of SC, epidermis, papillary and reticular dermis. */
typedef struct {
    float bottom_m[4];
} nd_layer_bounds;

/* Layer that a depth d (m) ends in. */
static inline int nd_layer_at(const nd_layer_bounds *b, float d)
{
    return (d > b->bottom_m[0]) + (d > b->bottom_m[1]) + (d > b->bottom_m[2]) +
           (d > b->bottom_m[3]);
}

/* A patient's skin: zone means for their age and sex, and the seeded smooth
 * variation inside each zone. */
typedef struct nd_skin nd_skin;

nd_status nd_skin_create(const nd_skin_model *m, const nd_patient *p, uint64_t seed, nd_skin **out,
                         nd_error *err);
void nd_skin_free(nd_skin *skin);

/* Mean layers of a zone for this patient. */
const nd_zone_layers *nd_skin_zone(const nd_skin *skin, int zone);

/* Layer boundaries at point (x, y) (m) in a zone: the zone mean times a smooth
 * log-normal field of unit mean whose spread is the published one. */
void nd_skin_bounds_at(const nd_skin *skin, int zone, double x, double y, nd_layer_bounds *out);

#ifdef __cplusplus
}
#endif
#endif
