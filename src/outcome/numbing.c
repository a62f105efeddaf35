/* Depth of analgesia under a numbing cream.
 *
 * The anaesthetic crosses the stratum corneum (a lag) and then spreads into
 * the skin by diffusion, so the depth at which it blocks pain grows as
 * k sqrt(t - lag): fitted to Wahlgren & Quiding 2000's 2.9 mm at 60 min and
 * 4.5 mm at 120 min under occlusion, it predicts 5.7-6.6 mm at 3-4 h, where
 * they found 6 mm in every subject.  After removal the skin keeps its
 * reservoir for 1-2 h (EMLA label) and the block then fades. */
#include <math.h>

#include "needle/outcome.h"

double nd_analgesia_depth(const nd_outcome_params *p, const nd_numbing *n, double t_s)
{
    nd_topical_agent a;
    nd_topical_cream(p, n, &a);
    if (a.rate <= 0) return 0.0;
    double t_on = t_s < n->application_s ? t_s : n->application_s;
    double depth = t_on > a.lag_s ? a.rate * sqrt(t_on - a.lag_s) : 0.0;
    double after = t_s - n->application_s - p->hold_s;
    if (after > 0) depth *= exp(-after / p->fade_s);
    return depth;
}
