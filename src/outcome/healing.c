/* Collagen and elastin over a series of sessions.
 *
 * Each session wounds a share s of the zone (the healing stimulus) and
 * activates fibroblasts, whose activity F then fades over the proliferative
 * phase (days to weeks).  Active fibroblasts lay down collagen, 30 % of it as
 * type III early in repair, which matures to type I over about two weeks;
 * production slows as the dermis approaches its capacity, and the dermis
 * returns to baseline over the months of remodelling:
 *
 *   dF/dt  = -F / tau_F                      (+ s at each session)
 *   P      = g F / tau_F  (1 - (C - 1) / cap),   C = f1 C1 + f3 C3
 *   dC3/dt = share P / f3 - (C3 - 1) / tau_3
 *   dC1/dt = (1 - share) P / f1 + (f3 / f1) (C3 - 1) / tau_3 - (C1 - 1) / tau_R
 *   dE/dt  = g_E F / tau_F - (E - 1) / tau_E
 *
 * with f1 and f3 = 1 - f1 the shares of type I and III in normal dermis
 * (collagen1_share: 80-90 % type I).  An impulse s with no saturation or decay makes g s of new
 * collagen.  The system is not stiff (every time constant is days or more):
 * classical Runge-Kutta with a 6-hour step. */
#include <math.h>

#include "models.h"

#define STEP (6.0 * 3600.0)

typedef struct {
    double F, C1, C3, E;
} state;

static void rates(const nd_outcome_params *p, const state *y, state *dy)
{
    const double F1 = p->c1_share, F3 = 1.0 - p->c1_share;
    double C = F1 * y->C1 + F3 * y->C3;
    double room = 1.0 - (C - 1.0) / p->capacity;
    double P = p->collagen_gain * y->F / p->fib_tau * (room > 0 ? room : 0);
    double mature = (y->C3 - 1.0) / p->c3_tau;
    dy->F = -y->F / p->fib_tau;
    dy->C3 = p->c3_share * P / F3 - mature;
    dy->C1 = (1.0 - p->c3_share) * P / F1 + F3 / F1 * mature - (y->C1 - 1.0) / p->remodel_tau;
    dy->E = p->elastin_gain * y->F / p->fib_tau - (y->E - 1.0) / p->elastin_tau;
}

static void axpy(state *out, const state *y, double h, const state *k)
{
    out->F = y->F + h * k->F;
    out->C1 = y->C1 + h * k->C1;
    out->C3 = y->C3 + h * k->C3;
    out->E = y->E + h * k->E;
}

static void rk4(const nd_outcome_params *p, state *y, double h)
{
    state k1, k2, k3, k4, t;
    rates(p, y, &k1);
    axpy(&t, y, 0.5 * h, &k1);
    rates(p, &t, &k2);
    axpy(&t, y, 0.5 * h, &k2);
    rates(p, &t, &k3);
    axpy(&t, y, h, &k3);
    rates(p, &t, &k4);
    y->F += h / 6 * (k1.F + 2 * k2.F + 2 * k3.F + k4.F);
    y->C1 += h / 6 * (k1.C1 + 2 * k2.C1 + 2 * k3.C1 + k4.C1);
    y->C3 += h / 6 * (k1.C3 + 2 * k2.C3 + 2 * k3.C3 + k4.C3);
    y->E += h / 6 * (k1.E + 2 * k2.E + 2 * k3.E + k4.E);
}

/* Advance y from *t to t_to in steps of at most STEP. */
static void advance(const nd_outcome_params *p, state *y, double *t, double t_to)
{
    while (*t < t_to) {
        double h = fmin(STEP, t_to - *t);
        rk4(p, y, h);
        *t += h;
    }
}

double nd_healing_stimulus(const nd_outcome_params *p, const nd_outcome_input *in)
{
    double dermal = in->layer_fraction[ND_LAYER_PAPILLARY] +
                    in->layer_fraction[ND_LAYER_RETICULAR] + in->layer_fraction[ND_LAYER_FAT];
    double per_m2 = in->punctures_per_cm2 * dermal * 1e4;
    return 1.0 - exp(-per_m2 * M_PI * p->wound_radius * p->wound_radius);
}

void nd_healing_run(const nd_outcome_params *p, double s, const double *t_session, int sessions,
                    const double *times, int n, nd_healing_state *out)
{
    state y = {0, 1, 1, 1};
    double t = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        /* Sessions up to this sample time, each an impulse of fibroblast activity. */
        while (k < sessions && t_session[k] <= times[i]) {
            advance(p, &y, &t, t_session[k]);
            y.F += s;
            k++;
        }
        advance(p, &y, &t, times[i]);
        out[i].collagen_I = y.C1;
        out[i].collagen_III = y.C3;
        out[i].elastin = y.E;
    }
}

/* Post-inflammatory hyperpigmentation rises with skin type and with how much
 * and how deep the skin is wounded: risk = 1 - exp(-b f_type sum(s depth_mm)),
 * b calibrated on Dogra 2014 (5 of 36 Fitzpatrick IV-V patients). */
double nd_pih_risk(const nd_outcome_params *p, const nd_outcome_input *in, double s, int sessions,
                   int fitzpatrick)
{
    double type = fitzpatrick <= 3 ? p->pih_light : fitzpatrick == 6 ? p->pih_vi : 1.0;
    double dose = s * in->depth_mean_m * 1e3 * sessions;
    return 1.0 - exp(-p->pih_base * type * dose);
}
