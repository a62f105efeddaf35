/* A product on the skin and its way in: the numbing cream and any serum
 * take the same path.
 *
 * On intact skin the product must first load the stratum corneum (a lag),
 * then its front spreads into the viable skin as rate sqrt(exposure) -- the
 * form fitted to Wahlgren & Quiding's depths of analgesia (numbing.c).  Open
 * micro-channels are a second route: a fluid-filled channel conducts about
 * 2,300 times better than the barrier (channel_route_gain_per_s, derived in
 * data/parameters.csv), so even a sparse set of them loads the skin within
 * a minute.  The barrier's loading b therefore grows as
 *
 *     db/dt = 1/lag + G phi(t)        while the product is on,
 *
 * with phi the open channel area per skin area (each needling's channels
 * closing with their half-life, slower under a dressing), and the front
 * starts when b reaches 1.  The share of the load that came through the
 * channels starts the front that much deeper, at a fraction of the
 * channels' depth, and that front runs faster than the intact one (it is fed
 * the product's full strength, not what the barrier lets through): both
 * calibrated on the 3-D solver.  A product that cannot cross the
 * intact barrier (lag infinite) goes in through the channels only, and not at
 * all without them. */
#include <math.h>
#include <string.h>

#include "needle/data.h"
#include "needle/outcome.h"
#include "needle/tissue.h"
#include "models.h"

void nd_topical_cream(const nd_outcome_params *p, const nd_numbing *n, nd_topical_agent *out)
{
    switch (n->cream) {
    case ND_CREAM_EMLA:
        out->rate = p->emla_rate * (n->occluded ? 1.0 : p->unoccluded_factor);
        out->lag_s = p->emla_lag;
        break;
    case ND_CREAM_LMX4:
        out->rate = p->lmx4_rate, out->lag_s = p->lmx4_lag;
        break;
    case ND_CREAM_BLT:
        out->rate = p->blt_rate, out->lag_s = p->blt_lag;
        break;
    default:
        out->rate = 0, out->lag_s = INFINITY;
        break;
    }
}

nd_status nd_topical_molar_mass(const char *product, double *g_mol, nd_error *err)
{
    nd_table *t;
    nd_status st = nd_table_load("topicals.csv", &t, err);
    if (st) return st;
    long r = nd_table_find(t, "name", product);
    if (r < 0)
        st = nd_error_at(err, ND_ERR_INPUT, "data/topicals.csv", 0, 0, "product",
                         "unknown product '%s'", product);
    else
        st = nd_table_number(t, (size_t)r, "molar_mass_g_mol", g_mol, err);
    nd_table_free(t);
    return st;
}

nd_status nd_topical_product(const nd_outcome_params *p, const char *product, nd_topical_agent *out,
                             nd_error *err)
{
    double mw = 0;
    nd_status st = nd_topical_molar_mass(product, &mw, err);
    if (st) return st;
    /* Stokes-Einstein: D ~ 1/radius ~ molar mass^(-1/3), and the front ~
     * sqrt(D).  The base is lidocaine's front as calibrated on Wahlgren
     * (occluded EMLA), the agent the 3-D solver carries, so that a serum's
     * front here and in the solver (nd_tissue_params_serum) scale alike. */
    out->rate = p->emla_rate * pow(ND_LIDOCAINE_G_MOL / mw, 1.0 / 6.0);
    out->lag_s = INFINITY;
    return ND_OK;
}

/* Seconds of [a, b] spent under a dressing. */
static double occluded_time(const nd_topical_history *h, double a, double b)
{
    double sum = 0;
    for (int i = 0; i < h->n_occluded; i++) {
        double lo = fmax(a, h->occluded_on_s[i]), hi = fmin(b, h->occluded_off_s[i]);
        if (hi > lo) sum += hi - lo;
    }
    return sum;
}

double nd_channel_open(const nd_topical_history *h, int set, double t_s)
{
    double t0 = h->set[set].t_s;
    if (t_s < t0) return 0.0;
    /* First-order closure whose rate depends on whether the skin is covered:
     * the exponent sums the half-lives passed in each state (windows may overlap
     * only through identical times, which count once). */
    double covered = fmin(occluded_time(h, t0, t_s), t_s - t0);
    double open = (t_s - t0) - covered;
    double halves = open / h->set[set].half_life_s + covered / h->half_life_occluded_s;
    return exp(-M_LN2 * halves);
}

/* Open channel area per skin area at t, the number of open channels per
 * skin area, and their mean depth. */
static double open_area(const nd_topical_history *h, double t, double *density, double *depth)
{
    double phi = 0, rho = 0, wdepth = 0;
    for (int k = 0; k < h->n_sets; k++) {
        double o = nd_channel_open(h, k, t);
        phi += h->set[k].area_fraction * o;
        rho += h->set[k].density_per_m2 * o;
        wdepth += h->set[k].area_fraction * o * h->set[k].depth_m;
    }
    *density = rho;
    *depth = phi > 0 ? wdepth / phi : 0;
    return phi;
}

/* The front at the moment the product comes off (or at t, if sooner).  Two
 * fronts: the intact one, after the barrier's lag, and the one from the
 * channels, which covers the skin within its own reach of an open channel
 * (1 - exp(-pi rho r^2), rho the most channels open while the product was
 * on); the zone's front is their mix over that coverage. */
static double front_while_on(const nd_outcome_params *p, const nd_topical_agent *a,
                             const nd_topical_history *h, double t_end)
{
    const double intact = isfinite(a->lag_s) && a->lag_s > 0 ? 1.0 / a->lag_s : 0.0;
    double b_intact = 0, b_channel = 0, exposure_intact = 0, exposure_channel = 0;
    double rho_max = 0, start_depth = 0;
    /* Steps of 10 s resolve the channel route (seconds) well enough against
     * the lag (minutes) and cost a few hundred steps per application. */
    const double dt = 10.0;
    for (double t = h->on_s; t < t_end; t += dt) {
        double step = fmin(dt, t_end - t), rho, depth;
        double phi = open_area(h, t + 0.5 * step, &rho, &depth);
        double through = p->ch_route_gain * phi;
        if (rho > rho_max) rho_max = rho;
        if (through > 0) {
            double share = through / (intact + through);
            if (share * depth > start_depth) start_depth = share * depth;
        }
        /* Each barrier loads at its rate; the part of the step after it is
         * loaded counts as exposure. */
        const double rate[2] = {intact, through};
        double *b[2] = {&b_intact, &b_channel}, *e[2] = {&exposure_intact, &exposure_channel};
        for (int r = 0; r < 2; r++) {
            if (*b[r] >= 1.0) {
                *e[r] += step;
            } else if (rate[r] > 0) {
                double need = (1.0 - *b[r]) / rate[r];
                *b[r] += rate[r] * step;
                if (*b[r] >= 1.0) *e[r] += step - need;
            }
        }
    }
    double d_intact = b_intact >= 1.0 ? a->rate * sqrt(exposure_intact) : 0.0;
    if (b_channel < 1.0) return d_intact;
    /* Fed through the channels, the front sees the product's full strength
     * rather than what the barrier lets through, and runs faster. */
    double reach = p->ch_rate_factor * a->rate * sqrt(exposure_channel);
    double d_channel = fmax(p->ch_fill * start_depth + reach, d_intact);
    double cover = 1.0 - exp(-M_PI * rho_max * reach * reach);
    return cover * d_channel + (1.0 - cover) * d_intact;
}

double nd_topical_front(const nd_outcome_params *p, const nd_topical_agent *a,
                        const nd_topical_history *h, double t_s)
{
    if (h->off_s <= h->on_s || t_s <= h->on_s || a->rate <= 0) return 0.0;
    double depth = front_while_on(p, a, h, fmin(t_s, h->off_s));
    double after = t_s - h->off_s - p->hold_s;
    if (after > 0) depth *= exp(-after / p->fade_s);
    return depth;
}
