/*
 * needle — facial zones and the canonical face map.
 *
 * The face map is a front view in millimetres: x to the viewer's right (the
 * patient's left), y down from the hairline.  Each zone is a polygon from
 * data/face_zones.csv.  Zone ids are stable and index every per-zone array.
 */
#ifndef NEEDLE_FACE_H
#define NEEDLE_FACE_H

#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ND_ZONE_FOREHEAD,
    ND_ZONE_GLABELLA,
    ND_ZONE_TEMPLE_LEFT,
    ND_ZONE_TEMPLE_RIGHT,
    ND_ZONE_PERIORBITAL_LEFT,
    ND_ZONE_PERIORBITAL_RIGHT,
    ND_ZONE_NOSE,
    ND_ZONE_CHEEK_LEFT,
    ND_ZONE_CHEEK_RIGHT,
    ND_ZONE_UPPER_LIP,
    ND_ZONE_CHIN,
    ND_ZONE_JAWLINE_LEFT,
    ND_ZONE_JAWLINE_RIGHT,
    ND_ZONE_NECK,
    ND_ZONE_COUNT
} nd_zone;

/* "cheek_left"; NULL for an invalid id. */
const char *nd_zone_name(int zone);
/* Anatomical site of a zone, the same for both sides: "cheek". */
const char *nd_zone_site(int zone);
/* Zone id of a name, or -1.  Accepts the exact names only. */
int nd_zone_from_name(const char *name);
/* Expand a name or a group ("cheeks", "temples", "periorbital", "jawline",
 * "perioral", "full_face") into zone ids; returns the count (0 if unknown). */
int nd_zone_expand(const char *name, int out[ND_ZONE_COUNT]);
/* All names a user may write for zones and groups, NULL-terminated. */
const char *const *nd_zone_all_names(void);

typedef struct nd_face nd_face;

/* Load the canonical face map. */
nd_status nd_face_create(nd_face **out, nd_error *err);
void nd_face_free(nd_face *face);

/* Polygon of a zone: *n vertices at xs[i], ys[i] (metres). */
void nd_face_polygon(const nd_face *face, int zone, const double **xs, const double **ys, int *n);
/* Projected area of a zone's polygon, m^2. */
double nd_face_zone_area(const nd_face *face, int zone);
/* Bounding box of the whole map, metres. */
void nd_face_bounds(const nd_face *face, double *xmin, double *ymin, double *xmax, double *ymax);
/* Zone containing point (x, y) in metres, or -1. */
int nd_face_zone_at(const nd_face *face, double x, double y);

#ifdef __cplusplus
}
#endif
#endif
