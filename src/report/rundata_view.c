/* Run data from a run in memory; see rundata.h.
 *
 * The outcome read-outs are rounded to what zones.csv, timecourse.csv and
 * summary.json hold, so that the page `needle simulate` draws is the one
 * `needle report` draws from those files, to the last digit it shows. */
#include "report/rundata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/csv_read.h"
#include "report/json_writer.h"
#include "report/timecourse_csv.h"

#ifndef ND_VERSION
#define ND_VERSION "unknown"
#endif

/* v as the tables print it: six significant digits. */
static double as_written(double v)
{
    char buf[40];
    double r;
    return nd_csv_parse_number(nd_fmt_number(buf, sizeof buf, v, ND_JSON_DIGITS), &r) ? r : v;
}

static nd_interval interval_as_written(nd_interval v, double scale)
{
    nd_interval r = {as_written(v.lo * scale), as_written(v.mid * scale), as_written(v.hi * scale)};
    return r;
}

/* What zones.csv holds of a zone's outcome, in the run data's units. */
static void outcome_of(const nd_zone_outcome *o, nd_rd_outcome *r)
{
    r->anesthesia_depth_m = as_written(o->anesthesia_depth_m * 1e3) * 1e-3;
    r->pain_vas = interval_as_written(o->pain_vas, 1);
    r->pain_vas_peak = as_written(o->pain_vas_peak);
    r->bleeding_points_per_cm2 = interval_as_written(o->bleeding_points_per_cm2, 1);
    r->bruising_risk = interval_as_written(o->bruising_risk, 1);
    r->erythema_peak = as_written(o->erythema_peak);
    r->edema_peak = as_written(o->edema_peak);
    r->downtime_days = interval_as_written(o->downtime_days, 1);
    r->channel_half_life_h = as_written(o->channel_half_life_h);
    r->collagen_I_rel = interval_as_written(o->collagen_I_rel, 1);
    r->collagen_III_rel = interval_as_written(o->collagen_III_rel, 1);
    r->elastin_rel = interval_as_written(o->elastin_rel, 1);
    r->pih_risk = interval_as_written(o->pih_risk, 1);
    r->topical_depth_m = as_written(o->topical_depth_m * 1e3) * 1e-3;
}

static nd_status outcomes_of(const nd_outcome_set *os, nd_rundata *rd, nd_error *err)
{
    rd->has_outcomes = rd->has_timecourse = rd->n_zones > 0;
    for (int k = 0; k < rd->n_zones; k++) {
        nd_rd_zone *z = &rd->zones[k];
        const nd_zone_outcome *o = nd_outcome_set_zone(os, z->stats.zone);
        int n = 0;
        const nd_timecourse_row *tc = nd_outcome_set_timecourse(os, z->stats.zone, &n);
        if (!o || !tc || n < 2 || (k > 0 && n != rd->n_times))
            return nd_error_set(err, ND_ERR_INTERNAL, "report: no outcome for zone %s",
                                nd_zone_name(z->stats.zone));
        outcome_of(o, &z->outcome);
        if (!(z->course = malloc(sizeof *z->course * (size_t)n)))
            return nd_error_set(err, ND_ERR_NOMEM, "report: out of memory");
        rd->n_times = n;
        for (int i = 0; i < n; i++) {
            z->course[i] = tc[i];
            nd_timecourse_quantise(&z->course[i]);
        }
    }
    /* summary.json writes the indications only for a zone they were worked out on. */
    rd->has_indications = 1;
    rd->indication_zone = nd_outcome_set_indication_zone(os);
    rd->n_indications = 0;
    for (int i = 0; i < ND_INDICATION_COUNT && rd->indication_zone >= 0; i++) {
        const nd_indication_result *r = nd_outcome_set_indication(os, i);
        if (!r) continue;
        nd_indication_result *to = &rd->indications[rd->n_indications++];
        *to = *r;
        to->indication = i;
        to->scale = 0; /* summary.json does not carry it, so the page never shows it */
        if (to->has_value) to->value = interval_as_written(r->value, 1);
    }
    return ND_OK;
}

nd_status nd_rundata_from_view(const nd_run_view *run, nd_rundata **out, nd_error *err)
{
    *out = NULL;
    if (!run || !run->scenario || !run->face || !run->field)
        return nd_error_set(err, ND_ERR_INTERNAL, "report: missing run data");
    const nd_scenario *sc = run->scenario;
    if (sc->protocol.n_zones < 0 || sc->protocol.n_zones > ND_ZONE_COUNT)
        return nd_error_set(err, ND_ERR_INTERNAL, "report: %d zones in the protocol",
                            sc->protocol.n_zones);
    nd_rundata *rd = calloc(1, sizeof *rd);
    if (!rd) return nd_error_set(err, ND_ERR_NOMEM, "report: out of memory");
    rd->indication_zone = -1;
    rd->scenario = *sc;
    snprintf(rd->version, sizeof rd->version, "%s", ND_VERSION);
    nd_rundata_format_date((long long)time(NULL), rd->date, sizeof rd->date);
    rd->face = run->face;
    rd->grid = *nd_field_grid(run->field);

    rd->n_zones = sc->protocol.n_zones;
    for (int k = 0; k < rd->n_zones; k++) {
        nd_rd_zone *z = &rd->zones[k];
        int zone = sc->protocol.zones[k].zone;
        nd_field_zone_stats(run->field, zone, &z->stats);
        nd_field_zone_histogram(run->field, zone, z->hist, &z->bin_m);
        if (run->skin) {
            /* Boundaries are the cumulative sums of the zone-mean thicknesses. */
            const nd_zone_layers *zl = nd_skin_zone(run->skin, zone);
            double depth = 0;
            for (int b = 0; b < ND_RD_BOUNDS; b++) z->bottom_m[b] = depth += zl->thickness_m[b];
            z->has_bounds = 1;
        }
    }

    if (run->outcomes) {
        nd_status s = outcomes_of(run->outcomes, rd, err);
        if (s != ND_OK) {
            nd_rundata_free(rd);
            return s;
        }
    }

    size_t n = (size_t)rd->grid.nx * (size_t)rd->grid.ny;
    rd->cells = calloc(n ? n : 1, sizeof *rd->cells);
    if (!rd->cells) {
        nd_rundata_free(rd);
        return nd_error_set(err, ND_ERR_NOMEM, "report: out of memory");
    }
    for (int j = 0; j < rd->grid.ny; j++) {
        for (int i = 0; i < rd->grid.nx; i++) {
            nd_cell_stats cs;
            nd_field_cell_stats(run->field, i, j, &cs);
            nd_rundata_set_cell(&rd->cells[(size_t)j * (size_t)rd->grid.nx + (size_t)i], cs.zone,
                                cs.punctures, cs.punctures_per_cm2, cs.depth_mean_m,
                                cs.layer_fraction, cs.repeat_hits);
        }
    }
    *out = rd;
    return ND_OK;
}
