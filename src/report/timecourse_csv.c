/* timecourse.csv: one row per treated zone and sample time. */
#include <errno.h>
#include <string.h>

#include "needle/outcome.h"
#include "needle/report.h"

nd_status nd_write_timecourse_csv(const nd_scenario *sc, const nd_outcome_set *o, FILE *out,
                                  nd_error *err)
{
    int bad = fputs("zone,time_h,anesthesia_depth_mm,pain_vas,erythema_index,edema_rel,"
                    "open_channel_fraction,collagen_I_rel,collagen_III_rel,elastin_rel\n",
                    out) < 0;
    for (int i = 0; i < sc->protocol.n_zones && !bad; i++) {
        int zone = sc->protocol.zones[i].zone, n;
        const nd_timecourse_row *r = nd_outcome_set_timecourse(o, zone, &n);
        for (int k = 0; k < n && !bad; k++, r++) {
            bad = fprintf(out, "%s,%.4f,%.4g,%.3g,%.4g,%.4g,%.4g,%.5g,%.5g,%.5g\n",
                          nd_zone_name(zone), r->time_s / 3600.0, r->anesthesia_depth_m * 1e3,
                          r->pain_vas, r->erythema_index, r->edema_rel, r->open_channel_fraction,
                          r->collagen_I_rel, r->collagen_III_rel, r->elastin_rel) < 0;
        }
    }
    if (bad) return nd_error_set(err, ND_ERR_IO, "cannot write timecourse.csv: %s", strerror(errno));
    return ND_OK;
}
