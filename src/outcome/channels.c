/* How fast the micro-channels close.
 *
 * Open to the air, the barrier recovers within about 2 h (Gupta 2011); deeper
 * channels take longer (Kalluri 2011: 12 h at 370 um, 18 h at 770 um, so the
 * half-life grows as depth^0.55); darker skin closes more slowly (Ogunjimi 2020:
 * lifetimes 66.5 h in Black vs 50.2 h in White participants). */
#include <math.h>

#include "models.h"

double nd_channel_half_life(const nd_outcome_params *p, const nd_outcome_input *in, int fitzpatrick)
{
    double depth = in->depth_mean_m > 0 ? in->depth_mean_m : p->ch_ref_depth;
    double t = p->ch_half_life * pow(depth / p->ch_ref_depth, p->ch_depth_exp);
    if (fitzpatrick >= 5)
        t *= p->ch_dark_factor;
    else if (fitzpatrick == 4)
        t *= 0.5 * (1.0 + p->ch_dark_factor);
    return t;
}
