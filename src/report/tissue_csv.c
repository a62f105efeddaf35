/* tissue.csv: the 3-D sample sites, a row per site and sample time, beside
 * the lumped time courses of timecourse.csv (the same times). */
#include <stdio.h>

#include "needle/report.h"
#include "needle/sites.h"

nd_status nd_write_tissue_csv(const nd_run_view *run, FILE *out, nd_error *err)
{
    if (!run->sites) return nd_error_set(err, ND_ERR_INTERNAL, "tissue.csv needs the sites");
    fputs("zone,site,x0_mm,y0_mm,width_mm,punctures,time_h,anesthesia_depth_mm,"
          "open_channel_fraction,blood_nl,signal,collagen_I_rel,collagen_III_rel,elastin_rel,"
          "topical_depth_mm\n",
          out);
    int seen[ND_ZONE_COUNT] = {0};
    for (int k = 0; k < nd_sites_count(run->sites); k++) {
        nd_site_info info;
        nd_sites_info(run->sites, k, &info);
        int site = seen[info.zone]++, n = 0;
        const nd_site_sample *s = nd_sites_samples(run->sites, k, &n);
        for (int i = 0; i < n; i++)
            fprintf(out, "%s,%d,%.3f,%.3f,%.3f,%ld,%.4f,%.4g,%.4g,%.4g,%.4g,%.6g,%.6g,%.6g,%.4g\n",
                    nd_zone_name(info.zone), site, info.x0_m * 1e3, info.y0_m * 1e3,
                    info.width_m * 1e3, info.punctures, s[i].time_s / 3600.0,
                    s[i].analgesia_depth_m * 1e3, s[i].open_fraction, s[i].blood_m3 * 1e12,
                    s[i].signal_mean, s[i].collagen1_rel, s[i].collagen3_rel, s[i].elastin_rel,
                    s[i].serum_depth_m * 1e3);
    }
    if (ferror(out)) return nd_error_set(err, ND_ERR_IO, "tissue.csv: write failed");
    return ND_OK;
}
