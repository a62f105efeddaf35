/* Run data from a run in memory; see rundata.h. */
#include "report/rundata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ND_VERSION
#define ND_VERSION "unknown"
#endif

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
