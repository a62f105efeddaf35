/* The immediate signs of a session: pinpoint bleeding, bruising, redness,
 * swelling and the downtime until redness is no longer visible.
 *
 * Bleeding: capillary loops rise into the dermal papillae from the superficial
 * plexus (Braverman 1997), so a puncture bleeds only once it passes the
 * epidermis; pinpoint bleeding is the clinical sign that the papillary dermis
 * was reached (Belis FAQ; Alster & Graham 2018 use it as an end point).
 * Bruising needs the larger vessels of the deep plexus at the dermis-fat
 * junction (arterioles and venules ~50 um, Braverman 1983).
 * Redness rises with the needle depth delivered per cm^2 and saturates; it
 * fades with a time constant that grows with depth: shallow work is gone in
 * hours (Bal 2008), deep work in days (the JDD 2024 review: 2-3 days). */
#include <math.h>

#include "models.h"

static double dermal_fraction(const nd_outcome_input *in)
{
    return in->layer_fraction[ND_LAYER_PAPILLARY] + in->layer_fraction[ND_LAYER_RETICULAR] +
           in->layer_fraction[ND_LAYER_FAT];
}

double nd_bleeding_points(const nd_outcome_params *p, const nd_outcome_input *in)
{
    return in->punctures_per_cm2 * dermal_fraction(in) * p->bleed_p;
}

double nd_bruising_risk(const nd_outcome_params *p, const nd_outcome_input *in, double area_cm2)
{
    double deep = in->punctures_per_cm2 * in->layer_fraction[ND_LAYER_FAT] * area_cm2;
    return 1.0 - exp(-p->bruise_p * deep);
}

void nd_redness_of(const nd_outcome_params *p, const nd_outcome_input *in, nd_redness *out)
{
    double dose = in->punctures_per_cm2 * in->depth_mean_m * 1e3; /* mm of needle per cm^2 */
    out->peak = dose / (dose + p->ery_half_dose);
    out->tau_s = fmax(p->ery_tau_min, p->ery_tau_per_m * in->depth_mean_m);
    out->edema = p->edema_gain * out->peak;
    out->downtime_days =
        out->peak > p->ery_visible ? out->tau_s * log(out->peak / p->ery_visible) / 86400.0 : 0.0;
}
