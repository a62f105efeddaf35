/* Run data from the files of a run folder; see rundata.h.
 *
 * summary.json gives the scenario (and through it the grid and the treated
 * zones) and the indications, zones.csv the zone statistics, layer
 * boundaries and outcome read-outs, field.csv the cells, histograms.csv the
 * depth histograms and timecourse.csv the outcome time courses.  Each table is checked
 * against the scenario as it is read: a zone that was not treated, a cell off
 * the grid or in another zone than the face map says, means the folder's
 * files do not belong together, and the report would be wrong. */
#include "report/rundata.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/csv_read.h"
#include "report/summary_read.h"
#include "report/timecourse_read.h"
#include "report/zone_outcome_read.h"

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

/* Treatment-order index of a zone name, or -1 (the error is recorded). */
static int zone_index(const nd_rundata *rd, const nd_csv *c, int col, nd_error *err)
{
    const char *name = nd_csv_text(c, col);
    int zone = nd_zone_from_name(name);
    if (zone < 0) {
        nd_csv_error(c, col, err, "unknown zone '%s'", name);
        return -1;
    }
    for (int k = 0; k < rd->n_zones; k++)
        if (nd_rundata_plan(rd, k)->zone == zone) return k;
    nd_csv_error(c, col, err, "zone '%s' was not treated in the scenario of summary.json", name);
    return -1;
}

static nd_status fraction(const nd_csv *c, int col, double *out, nd_error *err)
{
    nd_status s = nd_csv_number(c, col, 0, out, err);
    if (s == ND_OK && !(*out >= 0 && *out <= 1))
        return nd_csv_error(c, col, err, "expected a fraction 0..1, found '%s'",
                            nd_csv_text(c, col));
    return s;
}

/* A depth in mm to metres; empty (no punctures, or no skin) gives 0. */
static nd_status depth_m(const nd_csv *c, int col, double *out, nd_error *err)
{
    double mm;
    nd_status s = nd_csv_number(c, col, 1, &mm, err);
    if (s != ND_OK) return s;
    if (isnan(mm)) {
        *out = 0;
        return ND_OK;
    }
    if (mm < 0) return nd_csv_error(c, col, err, "negative depth '%s'", nd_csv_text(c, col));
    *out = mm * 1e-3;
    return ND_OK;
}

enum {
    Z_ZONE,
    Z_AREA,
    Z_STRIKES,
    Z_PUNCT,
    Z_DENSITY,
    Z_MEAN,
    Z_P95,
    Z_MAX,
    Z_COVER,
    Z_CV,
    Z_REPEAT,
    Z_T0,
    Z_T1,
    Z_LAYER,
    Z_BOTTOM = Z_LAYER + ND_LAYER_COUNT,
    Z_NCOLS = Z_BOTTOM + ND_RD_BOUNDS
};

static nd_status zone_columns(const nd_csv *c, int col[Z_NCOLS], nd_error *err)
{
    static const char *const names[Z_LAYER] = {
        "zone",          "area_cm2",          "strikes",
        "punctures",     "punctures_per_cm2", "depth_mean_mm",
        "depth_p95_mm",  "depth_max_mm",      "coverage_fraction",
        "uniformity_cv", "repeat_fraction",   "t_start_s",
        "t_end_s"};
    static const char *const bottoms[ND_RD_BOUNDS] = {"sc_bottom_mm", "epidermis_bottom_mm",
                                                      "papillary_bottom_mm", "reticular_bottom_mm"};
    nd_status s = ND_OK;
    for (int k = 0; k < Z_LAYER && s == ND_OK; k++) s = nd_csv_column(c, names[k], &col[k], err);
    for (int l = 0; l < ND_LAYER_COUNT && s == ND_OK; l++) {
        char name[64];
        snprintf(name, sizeof name, "layer_%s", nd_layer_name(l));
        s = nd_csv_column(c, name, &col[Z_LAYER + l], err);
    }
    for (int b = 0; b < ND_RD_BOUNDS && s == ND_OK; b++)
        s = nd_csv_column(c, bottoms[b], &col[Z_BOTTOM + b], err);
    return s;
}

static nd_status zone_row(nd_rundata *rd, const nd_csv *c, const int col[Z_NCOLS],
                          const nd_zone_outcome_cols *oc, int row, nd_error *err)
{
    int k = zone_index(rd, c, col[Z_ZONE], err);
    if (k < 0) return ND_ERR_INPUT;
    if (k != row)
        return nd_csv_error(c, col[Z_ZONE], err,
                            "zone '%s' is out of the treatment order of summary.json",
                            nd_csv_text(c, col[Z_ZONE]));
    nd_rd_zone *z = &rd->zones[k];
    nd_zone_stats *st = &z->stats;
    nd_status s;
    if ((s = nd_csv_number(c, col[Z_AREA], 0, &st->area_cm2, err)) ||
        (s = nd_csv_count(c, col[Z_STRIKES], &st->strikes, err)) ||
        (s = nd_csv_count(c, col[Z_PUNCT], &st->punctures, err)) ||
        (s = nd_csv_number(c, col[Z_DENSITY], 0, &st->punctures_per_cm2, err)) ||
        (s = depth_m(c, col[Z_MEAN], &st->depth_mean_m, err)) ||
        (s = depth_m(c, col[Z_P95], &st->depth_p95_m, err)) ||
        (s = depth_m(c, col[Z_MAX], &st->depth_max_m, err)) ||
        (s = fraction(c, col[Z_COVER], &st->coverage_fraction, err)) ||
        (s = nd_csv_number(c, col[Z_CV], 0, &st->uniformity_cv, err)) ||
        (s = fraction(c, col[Z_REPEAT], &st->repeat_fraction, err)) ||
        (s = nd_csv_number(c, col[Z_T0], 0, &st->t_start_s, err)) ||
        (s = nd_csv_number(c, col[Z_T1], 0, &st->t_end_s, err)))
        return s;
    if (st->punctures > st->strikes)
        return nd_csv_error(c, col[Z_PUNCT], err, "more punctures than strikes");
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        if ((s = fraction(c, col[Z_LAYER + l], &st->layer_fraction[l], err))) return s;
    /* The boundaries are all there or all empty (a run made without a skin). */
    int have = 0;
    for (int b = 0; b < ND_RD_BOUNDS; b++) {
        double mm;
        if ((s = nd_csv_number(c, col[Z_BOTTOM + b], 1, &mm, err))) return s;
        if (!isnan(mm)) {
            if (mm < 0 || (b > 0 && mm < z->bottom_m[b - 1] * 1e3))
                return nd_csv_error(c, col[Z_BOTTOM + b], err, "layer boundaries must deepen: '%s'",
                                    nd_csv_text(c, col[Z_BOTTOM + b]));
            z->bottom_m[b] = mm * 1e-3;
            have++;
        }
    }
    if (have != 0 && have != ND_RD_BOUNDS)
        return nd_csv_error(c, col[Z_BOTTOM], err,
                            "layer boundaries must be all given or all empty");
    z->has_bounds = have == ND_RD_BOUNDS;
    return oc->present ? nd_zone_outcome_row(c, oc, &z->outcome, err) : ND_OK;
}

static nd_status read_zones(nd_rundata *rd, const char *dir, nd_error *err)
{
    nd_csv c;
    nd_zone_outcome_cols oc = {0};
    int col[Z_NCOLS], rows = 0, more = 0;
    nd_status s = nd_csv_open(&c, dir, "zones.csv", err);
    if (s == ND_OK) s = zone_columns(&c, col, err);
    if (s == ND_OK) s = nd_zone_outcome_columns(&c, &oc, err);
    rd->has_outcomes = oc.present;
    while (s == ND_OK && (s = nd_csv_next(&c, &more, err)) == ND_OK && more) {
        if (rows >= rd->n_zones) {
            s = nd_csv_error(&c, -1, err, "more zones than the %d of summary.json", rd->n_zones);
            break;
        }
        s = zone_row(rd, &c, col, &oc, rows++, err);
    }
    if (s == ND_OK && rows != rd->n_zones)
        s = nd_error_at(err, ND_ERR_INPUT, c.path, c.line, 0, NULL,
                        "%d zone rows; summary.json treats %d zones", rows, rd->n_zones);
    nd_csv_close(&c);
    return s;
}

enum {
    F_X,
    F_Y,
    F_ZONE,
    F_PUNCT,
    F_DENSITY,
    F_MEAN,
    F_REPEAT,
    F_LAYER,
    F_NCOLS = F_LAYER + ND_LAYER_COUNT
};

static nd_status field_row(nd_rundata *rd, const nd_csv *c, const int col[F_NCOLS], nd_error *err)
{
    double x_mm, y_mm, density, mean_m, frac[ND_LAYER_COUNT];
    uint64_t punct, repeat;
    nd_status s;
    if ((s = nd_csv_number(c, col[F_X], 0, &x_mm, err)) ||
        (s = nd_csv_number(c, col[F_Y], 0, &y_mm, err)) ||
        (s = nd_csv_count(c, col[F_PUNCT], &punct, err)) ||
        (s = nd_csv_number(c, col[F_DENSITY], 0, &density, err)) ||
        (s = depth_m(c, col[F_MEAN], &mean_m, err)) ||
        (s = nd_csv_count(c, col[F_REPEAT], &repeat, err)))
        return s;
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        if ((s = fraction(c, col[F_LAYER + l], &frac[l], err))) return s;
    if (punct > UINT32_MAX || repeat > punct)
        return nd_csv_error(c, col[F_REPEAT], err, "repeat_hits exceeds punctures");
    /* The row names the cell by its centre. */
    const nd_grid *g = &rd->grid;
    double fi = (x_mm * 1e-3 - g->x0) / g->h - 0.5, fj = (y_mm * 1e-3 - g->y0) / g->h - 0.5;
    int i = (int)lround(fi), j = (int)lround(fj);
    if (fabs(fi - i) > 0.01 || fabs(fj - j) > 0.01 || i < 0 || j < 0 || i >= g->nx || j >= g->ny)
        return nd_csv_error(c, col[F_X], err,
                            "(%s, %s) mm is not the centre of a cell of the %g mm grid of "
                            "summary.json",
                            nd_csv_text(c, col[F_X]), nd_csv_text(c, col[F_Y]), g->h * 1e3);
    nd_rd_cell *cell = &rd->cells[(size_t)j * (size_t)g->nx + (size_t)i];
    const char *name = nd_csv_text(c, col[F_ZONE]);
    if (cell->zone < 0 || strcmp(name, nd_zone_name(cell->zone)) != 0)
        return nd_csv_error(c, col[F_ZONE], err, "the cell at (%s, %s) mm lies in %s, not '%s'",
                            nd_csv_text(c, col[F_X]), nd_csv_text(c, col[F_Y]),
                            cell->zone < 0 ? "no zone" : nd_zone_name(cell->zone), name);
    nd_rundata_set_cell(cell, cell->zone, (uint32_t)punct, density, mean_m, frac, (uint32_t)repeat);
    return ND_OK;
}

static nd_status read_field(nd_rundata *rd, const char *dir, nd_error *err)
{
    nd_csv c;
    int col[F_NCOLS], more = 0;
    static const char *const names[F_LAYER] = {
        "x_mm", "y_mm", "zone", "punctures", "punctures_per_cm2", "depth_mean_mm", "repeat_hits"};
    nd_status s = nd_csv_open(&c, dir, "field.csv", err);
    for (int k = 0; k < F_LAYER && s == ND_OK; k++) s = nd_csv_column(&c, names[k], &col[k], err);
    for (int l = 0; l < ND_LAYER_COUNT && s == ND_OK; l++) {
        char name[64];
        snprintf(name, sizeof name, "layer_%s", nd_layer_name(l));
        s = nd_csv_column(&c, name, &col[F_LAYER + l], err);
    }
    while (s == ND_OK && (s = nd_csv_next(&c, &more, err)) == ND_OK && more)
        s = field_row(rd, &c, col, err);
    nd_csv_close(&c);
    return s;
}

static nd_status hist_row(nd_rundata *rd, const nd_csv *c, const int col[4], nd_error *err)
{
    int k = zone_index(rd, c, col[0], err);
    if (k < 0) return ND_ERR_INPUT;
    nd_rd_zone *z = &rd->zones[k];
    double lo, hi;
    uint64_t n;
    nd_status s;
    if ((s = nd_csv_number(c, col[1], 0, &lo, err)) ||
        (s = nd_csv_number(c, col[2], 1, &hi, err)) || (s = nd_csv_count(c, col[3], &n, err)))
        return s;
    double bin_mm = z->bin_m * 1e3;
    long b = lround(lo / bin_mm);
    if (lo < 0 || b >= ND_FIELD_ZONE_BINS || fabs(lo - b * bin_mm) > 1e-3 * bin_mm)
        return nd_csv_error(c, col[1], err, "not the start of a %g mm bin of depth 0..%g mm",
                            bin_mm, ND_FIELD_ZONE_BINS * bin_mm);
    /* Only the last bin is open-ended. */
    int last = b == ND_FIELD_ZONE_BINS - 1;
    int bad_edge = last ? !isnan(hi) : (isnan(hi) || fabs(hi - lo - bin_mm) > 1e-3 * bin_mm);
    if (bad_edge)
        return nd_csv_error(c, col[2], err, "%s",
                            last ? "the last bin holds everything deeper: "
                                   "expected no upper edge"
                                 : "not the end of the bin");
    z->hist[b] += n;
    return ND_OK;
}

static nd_status read_histograms(nd_rundata *rd, const char *dir, nd_error *err)
{
    nd_csv c;
    int col[4], more = 0;
    static const char *const names[4] = {"zone", "depth_lo_mm", "depth_hi_mm", "punctures"};
    /* The field's zone histograms have 10 um bins (docs/model.md, section 5). */
    for (int k = 0; k < rd->n_zones; k++) rd->zones[k].bin_m = 1e-5;
    nd_status s = nd_csv_open(&c, dir, "histograms.csv", err);
    for (int k = 0; k < 4 && s == ND_OK; k++) s = nd_csv_column(&c, names[k], &col[k], err);
    while (s == ND_OK && (s = nd_csv_next(&c, &more, err)) == ND_OK && more)
        s = hist_row(rd, &c, col, err);
    /* Each histogram holds exactly the zone's punctures. */
    for (int k = 0; k < rd->n_zones && s == ND_OK; k++) {
        uint64_t sum = 0;
        for (int b = 0; b < ND_FIELD_ZONE_BINS; b++) sum += rd->zones[k].hist[b];
        if (sum != rd->zones[k].stats.punctures)
            s = nd_error_at(err, ND_ERR_INPUT, c.path, 0, 0, NULL,
                            "%s: %llu punctures in the histogram, %llu in zones.csv",
                            nd_zone_name(rd->zones[k].stats.zone), (unsigned long long)sum,
                            (unsigned long long)rd->zones[k].stats.punctures);
    }
    nd_csv_close(&c);
    return s;
}

/* The folder must exist and hold a summary.json: otherwise it is not a run. */
static nd_status check_folder(const char *dir, const char *summary, struct stat *st, nd_error *err)
{
    char ebuf[128];
    if (stat(dir, st) != 0)
        return nd_error_at(err, ND_ERR_INPUT, dir, 0, 0, NULL, "cannot open the run folder: %s",
                           errstr(errno, ebuf, sizeof ebuf));
    if (!S_ISDIR(st->st_mode))
        return nd_error_at(err, ND_ERR_INPUT, dir, 0, 0, NULL,
                           "not a folder: expected a run folder");
    if (stat(summary, st) != 0 || !S_ISREG(st->st_mode))
        return nd_error_at(err, ND_ERR_INPUT, dir, 0, 0, NULL,
                           "not a needle run folder: it has no summary.json");
    return ND_OK;
}

/* The grid and every cell's zone, from the face map and the grid size of the
 * run, as the simulation made them. */
static nd_status make_cells(nd_rundata *rd, nd_error *err)
{
    nd_field *f;
    nd_status s = nd_field_create(rd->face, rd->scenario.output.grid_m, &f, err);
    if (s != ND_OK) return s;
    rd->grid = *nd_field_grid(f);
    size_t n = (size_t)rd->grid.nx * (size_t)rd->grid.ny;
    rd->cells = calloc(n ? n : 1, sizeof *rd->cells);
    if (!rd->cells) {
        nd_field_free(f);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    static const double none[ND_LAYER_COUNT] = {0};
    for (int j = 0; j < rd->grid.ny; j++)
        for (int i = 0; i < rd->grid.nx; i++)
            nd_rundata_set_cell(&rd->cells[(size_t)j * (size_t)rd->grid.nx + (size_t)i],
                                nd_field_cell_zone(f, i, j), 0, 0, 0, none, 0);
    /* The zone's cell count, which the tables do not carry. */
    for (int k = 0; k < rd->n_zones; k++) {
        nd_zone_stats st;
        nd_field_zone_stats(f, rd->zones[k].stats.zone, &st);
        rd->zones[k].stats.cells = st.cells;
    }
    nd_field_free(f);
    return ND_OK;
}

nd_status nd_rundata_load(const char *dir, nd_rundata **out, nd_error *err)
{
    *out = NULL;
    size_t n = strlen(dir) + sizeof "/summary.json";
    char *summary = malloc(n);
    if (!summary) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    snprintf(summary, n, "%s/summary.json", dir);
    nd_rundata *rd = calloc(1, sizeof *rd);
    struct stat st;
    nd_status s = rd ? ND_OK : nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    if (s == ND_OK) rd->indication_zone = -1;
    if (s == ND_OK) s = check_folder(dir, summary, &st, err);
    if (s == ND_OK) {
        nd_rundata_format_date((long long)st.st_mtime, rd->date, sizeof rd->date);
        s = nd_summary_read(summary, rd, err);
    }
    if (s == ND_OK) {
        rd->n_zones = rd->scenario.protocol.n_zones;
        for (int k = 0; k < rd->n_zones; k++)
            rd->zones[k].stats.zone = nd_rundata_plan(rd, k)->zone;
        s = nd_face_create(&rd->own_face, err);
        rd->face = rd->own_face;
    }
    if (s == ND_OK) s = make_cells(rd, err);
    if (s == ND_OK) s = read_zones(rd, dir, err);
    if (s == ND_OK) s = read_field(rd, dir, err);
    if (s == ND_OK) s = read_histograms(rd, dir, err);
    if (s == ND_OK) s = nd_timecourse_read(rd, dir, err);
    free(summary);
    if (s != ND_OK) {
        nd_rundata_free(rd);
        return s;
    }
    *out = rd;
    return ND_OK;
}
