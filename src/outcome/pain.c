/* Pain of needling a zone, on the 0-10 visual analogue scale.
 *
 * A needle's pain grows with how deep it goes as depth^1.77 (Gill 2008: three
 * times longer, seven times the pain).  Where the cream has reached, a share
 * `efficacy` of the pain is blocked (on the face some patients barely respond,
 * Nielsen 1992); below it nothing is.  Model decision: the VAS follows the
 * pain of a typical needle, not the number of needles — a patient rates how
 * much the needling hurts, and the clinical scores (1-5 out of 10) are the
 * same order for rollers and pens whose puncture rates differ tenfold.  The
 * unnumbed VAS at 1 mm is calibrated on a clinical series (parameters.csv). */
#include <math.h>

#include "models.h"

double nd_pain_vas(const nd_outcome_params *p, double depth_m, double analgesia_m)
{
    if (depth_m <= 0) return 0.0;
    double a = analgesia_m < depth_m ? analgesia_m : depth_m;
    /* depth^k splits into the part above the analgesia front and the part below. */
    double whole = pow(depth_m * 1e3, p->pain_exponent);
    double numbed = pow(a * 1e3, p->pain_exponent);
    double vas = p->pain_vas_1mm * (whole - p->efficacy * numbed);
    return vas < 10.0 ? vas : 10.0;
}

/* One stroke takes seconds, so the numbing it meets is the cream's front at
 * its middle; its peak is its deepest needles (95th percentile) at the front
 * of its start, when the cream had had the least time. */
void nd_pain_of_stroke(const nd_outcome_params *p, const nd_topical_agent *cream,
                       const nd_topical_history *h, const nd_stroke_summary *s, nd_stroke_pain *out)
{
    double t_mid = 0.5 * (s->t_start_s + s->t_end_s);
    out->anesthesia_depth_m = nd_topical_front(p, cream, h, t_mid);
    out->pain_vas = nd_pain_vas(p, s->depth_mean_m, out->anesthesia_depth_m);
    double least = fmin(out->anesthesia_depth_m, nd_topical_front(p, cream, h, s->t_start_s));
    out->pain_vas_peak = nd_pain_vas(p, s->depth_p95_m, least);
}
