/* Facial zones and the canonical face map; see include/needle/face.h. */
#include "needle/face.h"

#include <stdlib.h>
#include <string.h>

#include "needle/data.h"

/* The anatomical site each zone's layer data comes from (data/skin_layers.csv). */
static const char *const ZONE_SITES[ND_ZONE_COUNT] = {
    "forehead", "glabella", "temple",    "temple", "periorbital", "periorbital", "nose",
    "cheek",    "cheek",    "upper_lip", "chin",   "jawline",     "jawline",     "neck",
};

/* Names a user may write for a group of zones. */
static const struct {
    const char *name;
    int zones[2];
    int n;
} GROUPS[] = {
    {"temples", {ND_ZONE_TEMPLE_LEFT, ND_ZONE_TEMPLE_RIGHT}, 2},
    {"periorbital", {ND_ZONE_PERIORBITAL_LEFT, ND_ZONE_PERIORBITAL_RIGHT}, 2},
    {"cheeks", {ND_ZONE_CHEEK_LEFT, ND_ZONE_CHEEK_RIGHT}, 2},
    {"jawline", {ND_ZONE_JAWLINE_LEFT, ND_ZONE_JAWLINE_RIGHT}, 2},
    {"perioral", {ND_ZONE_UPPER_LIP, 0}, 1},
};
#define NGROUPS (sizeof GROUPS / sizeof GROUPS[0])

/* Every name a user may write: the zones in id order, then the groups. */
static const char *const ALL_NAMES[] = {
    "forehead",
    "glabella",
    "temple_left",
    "temple_right",
    "periorbital_left",
    "periorbital_right",
    "nose",
    "cheek_left",
    "cheek_right",
    "upper_lip",
    "chin",
    "jawline_left",
    "jawline_right",
    "neck",
    "temples",
    "periorbital",
    "cheeks",
    "jawline",
    "perioral",
    "full_face",
    NULL,
};

#define ZONE_NAMES ALL_NAMES /* the first ND_ZONE_COUNT entries */

const char *nd_zone_name(int zone)
{
    return zone >= 0 && zone < ND_ZONE_COUNT ? ZONE_NAMES[zone] : NULL;
}

const char *nd_zone_site(int zone)
{
    return zone >= 0 && zone < ND_ZONE_COUNT ? ZONE_SITES[zone] : NULL;
}

int nd_zone_from_name(const char *name)
{
    for (int z = 0; z < ND_ZONE_COUNT; z++)
        if (strcmp(name, ZONE_NAMES[z]) == 0) return z;
    return -1;
}

int nd_zone_expand(const char *name, int out[ND_ZONE_COUNT])
{
    int z = nd_zone_from_name(name);
    if (z >= 0) {
        out[0] = z;
        return 1;
    }
    if (strcmp(name, "full_face") == 0) {
        /* The face without the neck: the neck is treated only when asked for. */
        int n = 0;
        for (z = 0; z < ND_ZONE_COUNT; z++)
            if (z != ND_ZONE_NECK) out[n++] = z;
        return n;
    }
    for (size_t g = 0; g < NGROUPS; g++) {
        if (strcmp(name, GROUPS[g].name) == 0) {
            for (int k = 0; k < GROUPS[g].n; k++) out[k] = GROUPS[g].zones[k];
            return GROUPS[g].n;
        }
    }
    return 0;
}

const char *const *nd_zone_all_names(void)
{
    return ALL_NAMES;
}

struct nd_face {
    int n[ND_ZONE_COUNT];
    double *x[ND_ZONE_COUNT], *y[ND_ZONE_COUNT];
    double area[ND_ZONE_COUNT];
    double xmin, ymin, xmax, ymax;
};

void nd_face_free(nd_face *face)
{
    if (!face) return;
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        free(face->x[z]);
        free(face->y[z]);
    }
    free(face);
}

nd_status nd_face_create(nd_face **out, nd_error *err)
{
    *out = NULL;
    nd_table *t = NULL;
    nd_status st = nd_table_load("face_zones.csv", &t, err);
    if (st) return st;
    nd_face *f = calloc(1, sizeof *f);
    if (!f) {
        nd_table_free(t);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    int czone = nd_table_column(t, "zone");
    size_t rows = nd_table_rows(t);
    for (size_t r = 0; r < rows; r++) {
        int z = nd_zone_from_name(nd_table_cell(t, r, czone));
        if (z < 0) {
            st = nd_error_at(err, ND_ERR_INTERNAL, "data/face_zones.csv", 0, 0, "zone",
                             "unknown zone '%s'", nd_table_cell(t, r, czone));
            goto fail;
        }
        f->n[z]++;
    }
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        if (f->n[z] < 3) {
            st = nd_error_set(err, ND_ERR_INTERNAL, "data/face_zones.csv: zone %s has no polygon",
                              ZONE_NAMES[z]);
            goto fail;
        }
        f->x[z] = malloc(sizeof(double) * (size_t)f->n[z]);
        f->y[z] = malloc(sizeof(double) * (size_t)f->n[z]);
        if (!f->x[z] || !f->y[z]) {
            st = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
            goto fail;
        }
        f->n[z] = 0;
    }
    f->xmin = f->ymin = 1e30;
    f->xmax = f->ymax = -1e30;
    for (size_t r = 0; r < rows; r++) {
        int z = nd_zone_from_name(nd_table_cell(t, r, czone));
        double x, y;
        if ((st = nd_table_number(t, r, "x_mm", &x, err))) goto fail;
        if ((st = nd_table_number(t, r, "y_mm", &y, err))) goto fail;
        x *= 1e-3;
        y *= 1e-3;
        f->x[z][f->n[z]] = x;
        f->y[z][f->n[z]] = y;
        f->n[z]++;
        if (x < f->xmin) f->xmin = x;
        if (x > f->xmax) f->xmax = x;
        if (y < f->ymin) f->ymin = y;
        if (y > f->ymax) f->ymax = y;
    }
    for (int z = 0; z < ND_ZONE_COUNT; z++) { /* shoelace */
        double a = 0;
        for (int i = 0, j = f->n[z] - 1; i < f->n[z]; j = i++)
            a += f->x[z][j] * f->y[z][i] - f->x[z][i] * f->y[z][j];
        f->area[z] = a < 0 ? -a / 2 : a / 2;
    }
    nd_table_free(t);
    *out = f;
    return ND_OK;
fail:
    nd_table_free(t);
    nd_face_free(f);
    return st;
}

void nd_face_polygon(const nd_face *face, int zone, const double **xs, const double **ys, int *n)
{
    *xs = face->x[zone];
    *ys = face->y[zone];
    *n = face->n[zone];
}

double nd_face_zone_area(const nd_face *face, int zone)
{
    return face->area[zone];
}

void nd_face_bounds(const nd_face *face, double *xmin, double *ymin, double *xmax, double *ymax)
{
    *xmin = face->xmin;
    *ymin = face->ymin;
    *xmax = face->xmax;
    *ymax = face->ymax;
}

static int inside(const double *xs, const double *ys, int n, double x, double y)
{
    int in = 0; /* even-odd rule */
    for (int i = 0, j = n - 1; i < n; j = i++) {
        if ((ys[i] > y) != (ys[j] > y) &&
            x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i])
            in = !in;
    }
    return in;
}

int nd_face_zone_at(const nd_face *face, double x, double y)
{
    for (int z = 0; z < ND_ZONE_COUNT; z++)
        if (inside(face->x[z], face->y[z], face->n[z], x, y)) return z;
    return -1;
}
