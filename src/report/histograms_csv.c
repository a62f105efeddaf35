/* histograms.csv: each treated zone's depth histogram, the one the report's
 * depth charts draw, so `needle report` can draw them from the run folder.
 *
 * Bins are 10 um wide from the surface (nd_field_zone_histogram); a zone's
 * rows stop at its deepest non-empty bin, and a zone nobody punctured has
 * none.  The last bin of the field also holds everything deeper: its
 * depth_hi_mm is empty, "and deeper". */
#include "needle/report.h"

#include <inttypes.h>
#include <stdlib.h>

#include "report/json_writer.h"

#define CSV_DIGITS 6

nd_status nd_write_histograms_csv(const nd_run_view *run, FILE *out, nd_error *err)
{
    if (!run || !run->scenario || !run->field || !out)
        return nd_error_set(err, ND_ERR_INTERNAL, "histograms.csv: missing run data");
    uint64_t *counts = malloc(sizeof *counts * ND_FIELD_ZONE_BINS);
    if (!counts) return nd_error_set(err, ND_ERR_NOMEM, "histograms.csv: out of memory");
    const nd_protocol *pr = &run->scenario->protocol;
    fputs("zone,depth_lo_mm,depth_hi_mm,punctures\n", out);
    char lo[40], hi[40];
    for (int k = 0; k < pr->n_zones && k < ND_ZONE_COUNT; k++) {
        const char *name = nd_zone_name(pr->zones[k].zone);
        if (!name) {
            free(counts);
            return nd_error_set(err, ND_ERR_INTERNAL, "histograms.csv: invalid zone id %d",
                                pr->zones[k].zone);
        }
        double bin_m;
        int nbins = nd_field_zone_histogram(run->field, pr->zones[k].zone, counts, &bin_m);
        int last = nbins - 1;
        while (last >= 0 && counts[last] == 0) last--;
        for (int b = 0; b <= last; b++) {
            nd_fmt_number(lo, sizeof lo, b * bin_m * 1e3, CSV_DIGITS);
            if (b == nbins - 1)
                hi[0] = '\0';
            else
                nd_fmt_number(hi, sizeof hi, (b + 1) * bin_m * 1e3, CSV_DIGITS);
            fprintf(out, "%s,%s,%s,%" PRIu64 "\n", name, lo, hi, counts[b]);
        }
    }
    free(counts);
    if (ferror(out)) return nd_error_set(err, ND_ERR_IO, "histograms.csv: write failed");
    return ND_OK;
}
