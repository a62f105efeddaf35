/* Layer thickness over the face; see include/needle/skin.h.
 *
 * Zone means come from data/skin_layers.csv (per anatomical site and sex),
 * scaled for age with the per-decade losses of Branchet 1990 above the age at
 * which skin stops thickening (Tan 1982).  Inside a zone each layer varies as
 * a smooth log-normal field whose coefficient of variation is the published
 * between-subject spread and whose mean is the zone mean. */
#include "needle/skin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "needle/data.h"
#include "needle/rng.h"

static const char *const LAYER_NAMES[ND_LAYER_COUNT] = {
    "stratum_corneum", "epidermis", "papillary_dermis", "reticular_dermis", "fat",
};

const char *nd_layer_name(int layer)
{
    return layer >= 0 && layer < ND_LAYER_COUNT ? LAYER_NAMES[layer] : NULL;
}

/* Fields of the within-zone variation: SC, epidermis and the dermis as a whole
 * (papillary and reticular dermis vary together). */
enum { FIELD_SC, FIELD_EPIDERMIS, FIELD_DERMIS, NFIELDS };
#define MAX_MODES 64

struct nd_skin_model {
    nd_table *layers;
    double age_ref, age_floor, epi_loss_f, epi_loss_m, dermis_loss, papillary_fraction;
    double length_m;
    int modes;
};

void nd_skin_model_free(nd_skin_model *m)
{
    if (!m) return;
    nd_table_free(m->layers);
    free(m);
}

nd_status nd_skin_model_create(const nd_table *params, nd_skin_model **out, nd_error *err)
{
    *out = NULL;
    nd_skin_model *m = calloc(1, sizeof *m);
    if (!m) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_table *own = NULL;
    const nd_table *p = params;
    double modes = 0;
    nd_status st = nd_table_load("skin_layers.csv", &m->layers, err);
    if (!st && !p) {
        st = nd_table_load("parameters.csv", &own, err);
        p = own;
    }
    if (!st) st = nd_param(p, "age_ref_y", &m->age_ref, err);
    if (!st) st = nd_param(p, "age_floor_y", &m->age_floor, err);
    if (!st) st = nd_param(p, "epidermis_loss_per_decade_female", &m->epi_loss_f, err);
    if (!st) st = nd_param(p, "epidermis_loss_per_decade_male", &m->epi_loss_m, err);
    if (!st) st = nd_param(p, "dermis_loss_per_decade", &m->dermis_loss, err);
    if (!st) st = nd_param(p, "papillary_fraction", &m->papillary_fraction, err);
    if (!st) st = nd_param(p, "thickness_length_m", &m->length_m, err);
    if (!st) st = nd_param(p, "thickness_modes", &modes, err);
    nd_table_free(own);
    if (!st && (modes < 1 || modes > MAX_MODES))
        st = nd_error_set(err, ND_ERR_INTERNAL, "thickness_modes must be 1..%d", MAX_MODES);
    if (st) {
        nd_skin_model_free(m);
        return st;
    }
    m->modes = (int)modes;
    *out = m;
    return ND_OK;
}

nd_status nd_skin_zone_layers(const nd_skin_model *m, const nd_patient *p, int zone,
                              nd_zone_layers *out, nd_error *err)
{
    const char *site = nd_zone_site(zone);
    if (!site) return nd_error_set(err, ND_ERR_INPUT, "invalid zone id %d", zone);
    const char *sex = p->sex == ND_SEX_MALE ? "male" : "female";
    const nd_table *t = m->layers;
    int csite = nd_table_column(t, "site"), csex = nd_table_column(t, "sex");
    long row = -1;
    for (size_t r = 0; r < nd_table_rows(t); r++) {
        if (strcmp(nd_table_cell(t, r, csite), site) == 0 &&
            strcmp(nd_table_cell(t, r, csex), sex) == 0) {
            row = (long)r;
            break;
        }
    }
    if (row < 0)
        return nd_error_at(err, ND_ERR_INTERNAL, "data/skin_layers.csv", 0, 0, "site",
                           "no row for %s, %s", site, sex);
    double sc, sc_sd, epi, epi_sd, derm, derm_sd, fat;
    nd_status st;
    size_t r = (size_t)row;
    if ((st = nd_table_number(t, r, "sc_um", &sc, err)) ||
        (st = nd_table_number(t, r, "sc_sd_um", &sc_sd, err)) ||
        (st = nd_table_number(t, r, "epidermis_um", &epi, err)) ||
        (st = nd_table_number(t, r, "epidermis_sd_um", &epi_sd, err)) ||
        (st = nd_table_number(t, r, "dermis_mm", &derm, err)) ||
        (st = nd_table_number(t, r, "dermis_sd_mm", &derm_sd, err)) ||
        (st = nd_table_number(t, r, "fat_mm", &fat, err)))
        return st;

    /* Age: linear loss per decade from the reference age, no change below the
     * age at which skin stops thickening.  The stratum corneum of the face does
     * not thicken or thin with age (Egawa 2007), so it is left alone. */
    double age = p->age_y < m->age_floor ? m->age_floor : p->age_y;
    double decades = (age - m->age_ref) / 10.0;
    double epi_loss = p->sex == ND_SEX_MALE ? m->epi_loss_m : m->epi_loss_f;
    double f_epi = 1.0 - epi_loss * decades;
    double f_derm = 1.0 - m->dermis_loss * decades;

    memset(out, 0, sizeof *out);
    out->thickness_m[ND_LAYER_SC] = sc * 1e-6;
    out->thickness_m[ND_LAYER_EPIDERMIS] = epi * 1e-6 * f_epi;
    out->thickness_m[ND_LAYER_PAPILLARY] = derm * 1e-3 * f_derm * m->papillary_fraction;
    out->thickness_m[ND_LAYER_RETICULAR] = derm * 1e-3 * f_derm * (1.0 - m->papillary_fraction);
    out->thickness_m[ND_LAYER_FAT] = fat * 1e-3;
    out->cv[ND_LAYER_SC] = sc_sd / sc;
    out->cv[ND_LAYER_EPIDERMIS] = epi_sd / epi;
    out->cv[ND_LAYER_PAPILLARY] = out->cv[ND_LAYER_RETICULAR] = derm_sd / derm;
    out->cv[ND_LAYER_FAT] = 0.0; /* no published spread; fat depth only decides "reached fat" */
    return ND_OK;
}

typedef struct {
    double kx[MAX_MODES], ky[MAX_MODES], phase[MAX_MODES];
} smooth_field;

struct nd_skin {
    nd_zone_layers zone[ND_ZONE_COUNT];
    double sigma[ND_ZONE_COUNT][NFIELDS]; /* log-normal sigma of each field */
    smooth_field field[NFIELDS];
    int modes;
};

void nd_skin_free(nd_skin *skin)
{
    free(skin);
}

nd_status nd_skin_create(const nd_skin_model *m, const nd_patient *p, uint64_t seed, nd_skin **out,
                         nd_error *err)
{
    *out = NULL;
    nd_skin *s = calloc(1, sizeof *s);
    if (!s) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    for (int z = 0; z < ND_ZONE_COUNT; z++) {
        nd_status st = nd_skin_zone_layers(m, p, z, &s->zone[z], err);
        if (st) {
            free(s);
            return st;
        }
        const double cv[NFIELDS] = {s->zone[z].cv[ND_LAYER_SC], s->zone[z].cv[ND_LAYER_EPIDERMIS],
                                    s->zone[z].cv[ND_LAYER_PAPILLARY]};
        for (int f = 0; f < NFIELDS; f++) s->sigma[z][f] = sqrt(log1p(cv[f] * cv[f]));
    }
    /* Random Fourier features: with wave vectors drawn from N(0, 1/l^2) and
     * uniform phases, sqrt(2/K) sum cos(k.x + phase) approaches a unit-variance
     * Gaussian field with squared-exponential correlation of length l. */
    s->modes = m->modes;
    for (int f = 0; f < NFIELDS; f++) {
        nd_rng r;
        nd_rng_init(&r, seed, ND_STREAM_SKIN, (uint32_t)f, 0);
        for (int k = 0; k < m->modes; k++) {
            s->field[f].kx[k] = nd_rng_normal(&r) / m->length_m;
            s->field[f].ky[k] = nd_rng_normal(&r) / m->length_m;
            s->field[f].phase[k] = 2.0 * M_PI * nd_rng_uniform(&r);
        }
    }
    *out = s;
    return ND_OK;
}

const nd_zone_layers *nd_skin_zone(const nd_skin *skin, int zone)
{
    return &skin->zone[zone];
}

static double field_at(const smooth_field *f, int modes, double x, double y)
{
    double g = 0;
    for (int k = 0; k < modes; k++) g += cos(f->kx[k] * x + f->ky[k] * y + f->phase[k]);
    return g * sqrt(2.0 / modes);
}

void nd_skin_bounds_at(const nd_skin *skin, int zone, double x, double y, nd_layer_bounds *out)
{
    const nd_zone_layers *L = &skin->zone[zone];
    double factor[NFIELDS];
    for (int f = 0; f < NFIELDS; f++) {
        double s = skin->sigma[zone][f];
        /* exp(s g - s^2/2) has mean 1, so the zone mean is the published mean. */
        factor[f] = exp(s * field_at(&skin->field[f], skin->modes, x, y) - 0.5 * s * s);
    }
    double sc = L->thickness_m[ND_LAYER_SC] * factor[FIELD_SC];
    double epi = L->thickness_m[ND_LAYER_EPIDERMIS] * factor[FIELD_EPIDERMIS];
    double pap = L->thickness_m[ND_LAYER_PAPILLARY] * factor[FIELD_DERMIS];
    double ret = L->thickness_m[ND_LAYER_RETICULAR] * factor[FIELD_DERMIS];
    out->bottom_m[0] = (float)sc;
    out->bottom_m[1] = (float)(sc + epi);
    out->bottom_m[2] = (float)(sc + epi + pap);
    out->bottom_m[3] = (float)(sc + epi + pap + ret);
}
