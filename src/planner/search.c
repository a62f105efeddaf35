/* The planner's search: set up a request (screening, rules, limits, the
 * patient's skin) and weigh every candidate setting of a zone with the
 * simulator and the outcome models.
 *
 * A candidate is a depth (a pen's setting or a roller's needle length) from
 * data/plan_candidates.csv under the zone's limit, a number of passes, and a
 * numbing option.  Passes are taken in turn horizontally, vertically and on
 * both diagonals, the cross-hatch of the protocols in biology.md 6.1, so one
 * patch run read after 1, 2, 3 ... passes gives every pass count of a depth
 * (the strokes of the first k passes are the same whatever comes after).
 * Numbing changes only pain, so the series (collagen, downtime, bleeding,
 * PIH) is worked out once per depth and passes, and pain once per numbing
 * option on a one-session read-out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/planner_internal.h"

void nd_plan_context_free(nd_plan_context *ctx)
{
    nd_patch_sim_free(ctx->sim);
    ctx->sim = NULL;
}

static const char *const SEX[2] = {"female", "male"};

/* The request's base scenario, written as YAML so that it takes every default
 * a scenario file would (speeds, forces, overlap, jitter). */
static nd_status base_scenario(const nd_plan_request *req, const char *date,
                               const nd_plan_series *series, double interval_factor,
                               const char *preset, nd_scenario *out, nd_error *err)
{
    const nd_patient_record *p = req->patient;
    nd_device_spec dev;
    nd_status st = nd_device_preset(preset, &dev, err);
    if (st) return nd_error_set(err, ND_ERR_INPUT, "unknown device preset '%s'", preset);
    char depth[48] = "";
    if (nd_device_is_motorised(&dev)) snprintf(depth, sizeof depth, ", depth_mm: 0.25");
    char yaml[1024];
    int n = snprintf(yaml, sizeof yaml,
                     "name: plan\n"
                     "seed: %llu\n"
                     "patient: {age_y: %.6f, sex: %s, fitzpatrick: %d}\n"
                     "device: {preset: %s}\n"
                     "protocol: {sessions: %d, interval_days: %.6f, follow_up_days: %.6f,\n"
                     "  zones: [{zone: forehead, passes: 1%s}]}\n",
                     (unsigned long long)req->seed, nd_patient_age_y(p, date),
                     SEX[p->sex == ND_SEX_MALE], p->fitzpatrick, preset, series->sessions,
                     series->interval_s * interval_factor / 86400.0, series->follow_up_s / 86400.0,
                     depth);
    if (n < 0 || n >= (int)sizeof yaml)
        return nd_error_set(err, ND_ERR_INTERNAL, "planner scenario too long");
    if ((st = nd_scenario_parse(yaml, (unsigned long)n, "planner", out, err))) return st;
    /* The needling alone: each candidate's numbing is added when it is weighed. */
    out->protocol.numbing = (nd_numbing){ND_CREAM_NONE, 0, 0};
    return ND_OK;
}

/* Refuse an absolute contraindication or an unacknowledged relative one; fold
 * the acknowledged ones into the context. */
static nd_status apply_screening(nd_plan_context *ctx, const nd_contraindication *cis, int n,
                                 nd_error *err)
{
    const nd_plan_request *req = ctx->req;
    ctx->depth_factor = 1.0;
    ctx->max_passes = -1;
    ctx->interval_factor = 1.0;
    ctx->no_numbing = 0;
    for (int i = 0; i < n; i++) {
        const nd_contraindication *c = &cis[i];
        if (c->cls == ND_CI_ABSOLUTE)
            return nd_error_set(err, ND_ERR_SAFETY,
                                "refused: %s (%s) is an absolute contraindication to needling. "
                                "Source: %s",
                                c->code, c->when, c->source);
        int acked = 0;
        for (int a = 0; a < req->n_acknowledged; a++)
            if (!strcmp(req->acknowledged[a], c->code)) acked = 1;
        if (!acked) {
            nd_status st = nd_error_set(err, ND_ERR_SAFETY,
                                        "%s (%s) is a relative contraindication: the plan needs "
                                        "the practitioner to acknowledge code '%s'. If "
                                        "acknowledged: %s. Source: %s",
                                        c->code, c->when, c->code, c->effect, c->source);
            if (err) snprintf(err->field, sizeof err->field, "%s", c->code);
            return st;
        }
        /* Several reasons for care: the most careful of each setting. */
        if (c->depth_factor < ctx->depth_factor) ctx->depth_factor = c->depth_factor;
        if (c->max_passes > 0 && (ctx->max_passes < 0 || c->max_passes < ctx->max_passes))
            ctx->max_passes = c->max_passes;
        if (c->interval_factor > ctx->interval_factor) ctx->interval_factor = c->interval_factor;
        if (c->no_numbing) ctx->no_numbing = 1;
    }
    ctx->max_bleeding = ctx->series.max_bleeding;
    return ND_OK;
}

nd_status nd_plan_context_init(nd_plan_context *ctx, const nd_plan_request *req,
                               nd_contraindication *cis, int *n_cis, nd_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->req = req;
    *n_cis = 0;
    if (!req || !req->patient) return nd_error_set(err, ND_ERR_INPUT, "no patient");
    if (!nd_indication_name(req->indication))
        return nd_error_set(err, ND_ERR_INPUT, "unknown indication %d", req->indication);
    char date[ND_DATE_LEN];
    if (req->date[0]) {
        if (!nd_date_valid(req->date))
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "date",
                               "'%.16s' is not a date YYYY-MM-DD", req->date);
        memcpy(date, req->date, sizeof date);
    } else {
        nd_date_today(date);
    }
    /* A plan may be made ahead of time: the record is checked against the
     * later of today and the plan's date. */
    char today[ND_DATE_LEN];
    nd_date_today(today);
    nd_status st = nd_patient_validate(req->patient, strcmp(date, today) > 0 ? date : today, err);
    if (st) return st;
    if (req->max_pain_vas > 10)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "max_pain_vas",
                           "pain is scored 0..10, got %g", req->max_pain_vas);
    for (int a = 0; a < req->n_acknowledged; a++)
        if (nd_history_kind_from_name(req->acknowledged[a]) < 0)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "acknowledged",
                               "'%.32s' is not a contraindication code (a history kind)",
                               req->acknowledged[a]);
    if ((st = nd_plan_screen(req->patient, date, cis, n_cis, err))) return st;
    if ((st = nd_plan_rules_load(&ctx->rules, err))) return st;
    if ((st = nd_plan_series_load(req->indication, &ctx->series, err))) return st;
    if ((st = apply_screening(ctx, cis, *n_cis, err))) return st;
    const char *preset = req->device[0] ? req->device : "pen_12";
    if ((st =
             base_scenario(req, date, &ctx->series, ctx->interval_factor, preset, &ctx->base, err)))
        return st;
    if ((st = nd_plan_grid_load(ctx->base.device.kind, &ctx->grid, err))) return st;
    nd_table *params = NULL;
    if ((st = nd_params_load(NULL, 0, &params, err))) return st;
    st = nd_outcome_params_load(params, ND_PARAM_VALUE, &ctx->mid, err);
    if (!st) st = nd_outcome_params_load(params, ND_PARAM_LOW, &ctx->lo, err);
    if (!st) st = nd_outcome_params_load(params, ND_PARAM_HIGH, &ctx->hi, err);
    nd_table_free(params);
    if (!st) st = nd_patch_sim_create(&ctx->base, &ctx->rules, &ctx->sim, err);
    return st;
}

nd_status nd_plan_context_limit(const nd_plan_context *ctx, int zone, nd_plan_limit *lim,
                                nd_error *err)
{
    nd_status st = nd_plan_zone_limit(zone, ctx->req->indication, ctx->req->patient->fitzpatrick,
                                      &lim->zone_m, lim->source, sizeof lim->source, err);
    if (st) return st;
    lim->plan_m = lim->zone_m * ctx->depth_factor;
    return ND_OK;
}

/* The depths a zone's search weighs: the user's own (checked, never clamped),
 * or every candidate depth under the plan's limit. */
static nd_status zone_depths(const nd_plan_context *ctx, int zone, const nd_plan_limit *lim,
                             double *depths, int *n, nd_error *err)
{
    const nd_plan_request *req = ctx->req;
    *n = 0;
    double fixed = req->depth_m[zone];
    if (fixed > 0) {
        nd_status st =
            nd_plan_check_zone(zone, req->indication, req->patient->fitzpatrick, fixed, err);
        if (st) return st;
        if (fixed > lim->plan_m + 1e-9)
            return nd_error_set(err, ND_ERR_SAFETY,
                                "%s: depth %.2f mm is over this plan's limit of %.2f mm (the "
                                "zone's %.2f mm times %.2f for the acknowledged contraindications)",
                                nd_zone_name(zone), fixed * 1e3, lim->plan_m * 1e3,
                                lim->zone_m * 1e3, ctx->depth_factor);
        const nd_device_spec *dev = &ctx->base.device;
        if (nd_device_is_motorised(dev) && fixed > dev->needle_length_m + 1e-12)
            return nd_error_set(
                err, ND_ERR_INPUT, "%s: depth %.2f mm is deeper than the %s's %.2f mm needles",
                nd_zone_name(zone), fixed * 1e3, dev->preset, dev->needle_length_m * 1e3);
        depths[(*n)++] = fixed;
        return ND_OK;
    }
    for (int k = 0; k < ctx->grid.n_depth; k++) {
        double d = ctx->grid.depth_m[k];
        if (d > lim->plan_m + 1e-9) break;
        if (nd_device_is_motorised(&ctx->base.device) && d > ctx->base.device.needle_length_m)
            break;
        depths[(*n)++] = d;
    }
    return ND_OK;
}

/* The zone plan of a candidate in a one-zone scenario. */
static void set_zone(nd_scenario *sc, int zone, double depth_m, int passes)
{
    nd_zone_plan *zp = &sc->protocol.zones[0];
    sc->protocol.n_zones = 1;
    zp->zone = zone;
    zp->passes = passes;
    zp->n_directions = passes < ND_DIR_COUNT ? passes : ND_DIR_COUNT;
    for (int d = 0; d < zp->n_directions; d++) zp->directions[d] = (nd_direction)d;
    if (nd_device_is_motorised(&sc->device))
        zp->depth_m = depth_m;
    else
        sc->device.needle_length_m = depth_m;
}

static int keeps_limits(const nd_plan_context *ctx, const nd_plan_candidate *c)
{
    const nd_plan_request *req = ctx->req;
    if (req->max_pain_vas >= 0 && c->pain_vas > req->max_pain_vas) return 0;
    if (req->max_downtime_days >= 0 && c->downtime_days > req->max_downtime_days) return 0;
    if (ctx->max_bleeding >= 0 && c->bleeding_points_per_cm2 > ctx->max_bleeding) return 0;
    if (ctx->no_numbing && ctx->grid.numbing[c->numbing].cream != ND_CREAM_NONE) return 0;
    return 1;
}

nd_status nd_plan_zone_candidates(nd_plan_context *ctx, int zone, nd_plan_candidate **out, int *n,
                                  nd_error *err)
{
    *out = NULL;
    *n = 0;
    if (!nd_zone_name(zone)) return nd_error_set(err, ND_ERR_INPUT, "unknown zone %d", zone);
    nd_plan_limit lim;
    nd_status st = nd_plan_context_limit(ctx, zone, &lim, err);
    if (st) return st;
    double depths[ND_PLAN_MAX_DEPTHS];
    int n_depth;
    if ((st = zone_depths(ctx, zone, &lim, depths, &n_depth, err))) return st;
    const nd_plan_grid *g = &ctx->grid;
    int passes[ND_PLAN_MAX_PASSES], n_passes = 0;
    for (int k = 0; k < g->n_passes; k++)
        if (ctx->max_passes < 0 || g->passes[k] <= ctx->max_passes)
            passes[n_passes++] = g->passes[k];
    if (n_depth == 0 || n_passes == 0) return ND_OK;
    nd_plan_candidate *c =
        calloc((size_t)n_depth * (size_t)n_passes * (size_t)g->n_numbing, sizeof *c);
    if (!c) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_scenario sc = ctx->base, one;
    nd_outcome_input in[ND_PLAN_MAX_PASSES];
    double dermal[ND_PLAN_MAX_PASSES];
    int m = 0;
    for (int d = 0; d < n_depth && !st; d++) {
        set_zone(&sc, zone, depths[d], passes[n_passes - 1]);
        if ((st = nd_patch_run(ctx->sim, &sc, passes, n_passes, in, dermal, err))) break;
        for (int p = 0; p < n_passes && !st; p++) {
            set_zone(&sc, zone, depths[d], passes[p]);
            nd_zone_outcome z;
            if ((st = nd_outcome_zone(&ctx->mid, &ctx->lo, &ctx->hi, &sc, &in[p], &z, err))) break;
            /* Pain under each numbing option: the zone is needled as the cream
             * comes off; one session is enough to read it. */
            one = sc;
            one.protocol.sessions = 1;
            one.protocol.follow_up_s = 0;
            for (int o = 0; o < g->n_numbing && !st; o++) {
                nd_plan_candidate *k = &c[m++];
                nd_outcome_input at = in[p];
                one.protocol.numbing = g->numbing[o];
                double t0 = g->numbing[o].cream == ND_CREAM_NONE ? 0 : g->numbing[o].application_s;
                at.t_start_s += t0;
                at.t_end_s += t0;
                nd_zone_outcome pz;
                if ((st = nd_outcome_zone(&ctx->mid, &ctx->lo, &ctx->hi, &one, &at, &pz, err)))
                    break;
                k->depth_m = depths[d];
                k->passes = passes[p];
                k->numbing = o;
                k->pain_vas = pz.pain_vas.mid;
                k->pain_vas_peak = pz.pain_vas_peak;
                k->bleeding_points_per_cm2 = z.bleeding_points_per_cm2.mid;
                k->erythema_peak = z.erythema_peak;
                k->downtime_days = z.downtime_days.mid;
                k->collagen_I_rel = z.collagen_I_rel.mid;
                k->pih_risk = z.pih_risk.mid;
                k->punctures_per_cm2 = in[p].punctures_per_cm2;
                k->depth_mean_m = in[p].depth_mean_m;
                k->needling_s = in[p].t_end_s - in[p].t_start_s;
                k->dermal_depth_m = dermal[p];
                k->collagen_mm = (k->collagen_I_rel - 1.0) * dermal[p] * 1e3;
                k->feasible = keeps_limits(ctx, k);
            }
        }
    }
    if (st) {
        free(c);
        return st;
    }
    *out = c;
    *n = m;
    return ND_OK;
}

/* Lexicographic preference among candidates of (nearly) equal collagen. */
static int gentler(const nd_plan_candidate *a, const nd_plan_candidate *b)
{
    if (a->downtime_days != b->downtime_days) return a->downtime_days < b->downtime_days;
    if (a->pain_vas != b->pain_vas) return a->pain_vas < b->pain_vas;
    if (a->passes != b->passes) return a->passes < b->passes;
    if (a->depth_m != b->depth_m) return a->depth_m < b->depth_m;
    return a->numbing < b->numbing;
}

int nd_plan_pick(const nd_plan_candidate *c, int n, int numbing, double tie)
{
    double best = -INFINITY;
    for (int i = 0; i < n; i++)
        if (c[i].feasible && c[i].numbing == numbing && c[i].collagen_mm > best)
            best = c[i].collagen_mm;
    int pick = -1;
    for (int i = 0; i < n; i++) {
        if (!c[i].feasible || c[i].numbing != numbing) continue;
        if (c[i].collagen_mm < best - tie * fabs(best)) continue;
        if (pick < 0 || gentler(&c[i], &c[pick])) pick = i;
    }
    return pick;
}

nd_status nd_plan_candidates(const nd_plan_request *req, int zone, nd_plan_candidate **out, int *n,
                             nd_error *err)
{
    *out = NULL;
    *n = 0;
    nd_plan_context ctx;
    nd_contraindication cis[ND_MAX_CONTRAINDICATIONS];
    int n_cis;
    nd_status st = nd_plan_context_init(&ctx, req, cis, &n_cis, err);
    if (!st) st = nd_plan_zone_candidates(&ctx, zone, out, n, err);
    nd_plan_context_free(&ctx);
    return st;
}
