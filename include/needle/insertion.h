/*
 * needle — insertion mechanics: does a needle pierce, and how deep does it get?
 *
 * The model (docs/model.md, "Insertion"):
 *  - A tip pierces when the force on it reaches F_ins = sigma_c pi r_tip^2
 *    (Davis 2004: force linear in tip area), lowered at speed as
 *    max(floor, (v / v0)^-beta) (Olatunji 2013) and raised for close needles
 *    by (1 + l / s) (Olatunji 2013, bed of nails).  A hand-held device shares
 *    the hand's force among the needles in contact; a motor-driven one pierces
 *    unless the skin can dimple away the whole stroke (F_ins / k_skin >= L).
 *  - Once in, the skin is dragged down with the needle: depth reached is
 *    L / (1 + g), where g, the ratio of drag to skin support, falls with tip
 *    speed as g0 (v_g / v)^alpha: a slowly rolled needle reaches a fifth of its
 *    length (Kalluri 2011), a pen close to its setting (Sasaki 2019).
 *  - A hand-held needle also stops where its share of force is spent on
 *    friction: depth <= (F - F_ins) / (mu_d d).
 */
#ifndef NEEDLE_INSERTION_H
#define NEEDLE_INSERTION_H

#include <math.h>

#include "needle/data.h"
#include "needle/scenario.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double puncture_stress_pa;
    double rate_ref_speed_m_s, rate_exponent, rate_floor;
    double spacing_length_m;
    double force_cv;
    double skin_modulus_pa, skin_poisson;
    double drag_ratio_ref, drag_ref_speed_m_s, drag_speed_exponent, drag_cv;
    double friction_pa; /* friction per unit depth per unit needle diameter */
} nd_insertion_params;

/* Read from a parameter table (nd_params_load), or from data/parameters.csv
 * as it stands when params is NULL. */
nd_status nd_insertion_params_load(const nd_table *params, nd_insertion_params *p, nd_error *err);

/* What every needle of one stroke shares, worked out once per stroke. */
typedef struct {
    int motorised;
    float nominal_m;               /* needle length (hand-held) or depth setting (motor) */
    float f_ins_n;                 /* median insertion force */
    float force_n;                 /* force on one needle (hand-held) */
    float dimple_limit_n;          /* motor: force at which the skin has dimpled a whole stroke */
    float reach_m;                 /* median depth reached: nominal / (1 + g) */
    float inv_friction;            /* 1 / (friction per metre of depth), m/N */
    float sigma_force, sigma_drag; /* log-normal spreads */
    float drag_ratio;              /* median g */
} nd_strike_setup;

/* Prepare a stroke: nominal reach, tip entry speed, and for a hand-held device
 * the force on each needle (N). */
void nd_insertion_setup(const nd_insertion_params *p, const nd_device_spec *dev, double nominal_m,
                        double tip_speed_m_s, double force_per_needle_n, nd_strike_setup *out);

/* Depth reached (m) by one needle, or a negative number when it does not
 * pierce, given its log-normal spreads of unit median: exp(sigma_force Z1) on
 * the insertion force and exp(sigma_drag Z2) on the drag ratio. */
static inline float nd_insertion_depth(const nd_strike_setup *s, float force_factor,
                                       float drag_factor)
{
    float f_ins = s->f_ins_n * force_factor;
    float g = s->drag_ratio * drag_factor;
    float d = s->nominal_m / (1.0f + g);
    if (s->motorised) return f_ins < s->dimple_limit_n ? d : -1.0f;
    if (f_ins >= s->force_n) return -1.0f;
    float limit = (s->force_n - f_ins) * s->inv_friction;
    return d < limit ? d : limit;
}

#ifdef __cplusplus
}
#endif
#endif
