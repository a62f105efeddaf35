/* strokes.csv: one row per stroke of the session, with the numbing it met and
 * the pain it caused -- the detail behind each zone's pain_vas (its
 * puncture-weighted mean) and pain_vas_peak (its worst stroke). */
#include <stdio.h>

#include "needle/outcome.h"
#include "needle/report.h"
#include "needle/session.h"

nd_status nd_write_strokes_csv(const nd_run_view *run, FILE *out, nd_error *err)
{
    if (!run->session || !run->outcomes)
        return nd_error_set(err, ND_ERR_INTERNAL, "strokes.csv needs the session and outcomes");
    long n, m;
    const nd_stroke_summary *s = nd_session_strokes(run->session, &n);
    const nd_stroke_pain *p = nd_outcome_set_strokes(run->outcomes, &m);
    if (n != m)
        return nd_error_set(err, ND_ERR_INTERNAL, "strokes.csv: %ld strokes, %ld pains", n, m);
    nd_step steps[ND_MAX_STEPS];
    nd_protocol_steps(&run->scenario->protocol, steps);
    fputs("stroke,zone,step,step_kind,pass,t_start_s,t_end_s,depth_setting_mm,punctures,"
          "depth_mean_mm,depth_p95_mm,anesthesia_depth_mm,pain_vas,pain_vas_peak\n",
          out);
    for (long k = 0; k < n; k++) {
        fprintf(out, "%ld,%s,%d,%s,%d,%.3f,%.3f,%.4g,%ld,%.4g,%.4g,%.4g,%.3g,%.3g\n", s[k].index,
                nd_zone_name(s[k].zone), s[k].step, nd_step_kind_name(steps[s[k].step].kind),
                s[k].pass, s[k].t_start_s, s[k].t_end_s, s[k].depth_setting_m * 1e3, s[k].punctures,
                s[k].depth_mean_m * 1e3, s[k].depth_p95_m * 1e3, p[k].anesthesia_depth_m * 1e3,
                p[k].pain_vas, p[k].pain_vas_peak);
    }
    if (ferror(out)) return nd_error_set(err, ND_ERR_IO, "strokes.csv: write failed");
    return ND_OK;
}
